import Foundation
import Testing
import VixShieldTestSupport

/// Issue 13 item 6, the full disk: the binary runs under a file-size limit (`ulimit -f`, with SIGXFSZ ignored
/// so a write past it fails with EFBIG, which SQLite reports as a disk I/O error, as a full disk's ENOSPC is
/// "database or disk is full"). Unprivileged and confined to the child process.
@Suite("Fault suite: full disk", .serialized)
struct FullDiskTests {
    @Test("a write that cannot grow the database fails the date with one line; the earlier date is intact and the next run completes")
    func fullDisk() async throws {
        let f = try await CrashSuiteTests.fixture()
        let seeded = f.db("seeded.sqlite")
        let first = try await CLI.run(["run", "--pipeline", f.pipeline, "--date", CrashSuiteTests.from, "--db", seeded])
        try #require(first.status == 0, "\(first.stderr)")
        // The first run's last connection checkpointed the write-ahead log away; the next run writes there first.
        try #require(!FileManager.default.fileExists(atPath: seeded + "-wal") ||
                     (try FileManager.default.attributesOfItem(atPath: seeded + "-wal")[.size] as? Int) == 0)
        // The payloads of the failing run may be archived (they are as they arrive); nothing else may change.
        let before = try CrashSuiteTests.fingerprint(seeded).filter { !SQLiteProbe.archiveTables.contains($0.key) }
        let archived = try SQLiteProbe.rows(seeded, "SELECT payload_id, source, sha256 FROM raw_payloads ORDER BY payload_id")
        let next = "2026-07-14"
        // 256 KB: the log fills while the chain is archived; 1 MB: while the date's rows are stored. The main file
        // (larger than either) takes no page at all.
        for (kilobytes, failing) in [(256, "raw archive: spx_chain: "), (1024, "storing ")] {
            let db = f.db("full-\(kilobytes).sqlite")
            try FileManager.default.copyItem(atPath: seeded, toPath: db)
            let limited = try await CLI.run(["-c", "trap '' XFSZ; ulimit -f \(kilobytes * 2); exec \"$0\" \"$@\"", CLI.binary.path,
                                             "run", "--pipeline", f.pipeline, "--date", next, "--db", db],
                                            executable: URL(fileURLWithPath: "/bin/sh"))
            #expect(limited.status == 1, "\(kilobytes) KB: \(limited.stderr)")
            let last = limited.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(last.hasPrefix("vixshield: \(next): \(failing)") && last.contains("SQLite error 10: disk I/O error"),
                    "\(kilobytes) KB: \(limited.stderr)")
            #expect(try SQLiteProbe.rows(db, "PRAGMA integrity_check") == [["ok"]])
            #expect(try SQLiteProbe.count(db, "SELECT COUNT(*) FROM date_completions WHERE as_of = ?", [next]) == 0)
            #expect(try CrashSuiteTests.fingerprint(db).filter { !SQLiteProbe.archiveTables.contains($0.key) } == before, "\(kilobytes) KB: the earlier date changed")
            #expect(try SQLiteProbe.rows(db, "SELECT payload_id, source, sha256 FROM raw_payloads WHERE as_of = ? ORDER BY payload_id",
                                         [CrashSuiteTests.from]) == archived)
            // With room again, the same command completes the date.
            let healed = try await CLI.run(["run", "--pipeline", f.pipeline, "--date", next, "--db", db])
            #expect(healed.status == 0, "\(kilobytes) KB: \(healed.stderr)")
            #expect(try SQLiteProbe.count(db, "SELECT COUNT(*) FROM date_completions") == 2)
        }
    }
}
