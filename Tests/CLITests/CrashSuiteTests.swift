import Foundation
import Testing
import VixShieldTestSupport

/// SIGKILL at seeded points of `backfill` and `run` (a fresh database, a finished one being rerun with
/// --force, a backfill resumed in flight): after every kill the file passes `PRAGMA integrity_check` and holds
/// no half-written date, and the next uninterrupted run converges to exactly the rows of a run never killed.
/// `VIXSHIELD_CRASH_POINTS` sets the number of kill points (default 50; CI runs the default).
@Suite("Crash suite", .serialized)
struct CrashSuiteTests {
    static let from = "2026-07-13", to = "2026-07-16"
    /// Tables of run bookkeeping (they differ between any two runs by design).
    static let ledger: Set<String> = ["runs", "run_diagnostics", "run_stage_timings", "grdb_migrations"]
    /// Columns that name a run, a payload's archive id or a wall-clock time.
    static let bookkeeping: Set<String> = ["run_id", "payload_id", "fetched_at", "completed_at", "started_at", "finished_at"]

    struct Fixture {
        let directory: URL
        let pipeline: String
        func db(_ name: String) -> String { directory.appendingPathComponent(name).path }
    }

    static func fixture() async throws -> Fixture {
        let dir = try TestPaths.temporaryDirectory("crash")
        let market = dir.appendingPathComponent("market")
        let sim = try await CLI.run(["simulate", "--from", from, "--to", to, "--out", market.path, "--size", "compact", "--seed", "11"])
        try #require(sim.status == 0, "\(sim.stderr)")
        let m = "file://" + market.path + "/"
        let yaml = """
            name: crash
            underlying: SPX
            sources:
              - {name: spx_chain, kind: cboe_options_json, url: "\(m)cboe/options/_SPX_{date}.json"}
              - {name: vx_curve, kind: cfe_vx_curve, url: "\(m)cfe/vx_curve/{date}.csv"}
              - {name: vix_history, kind: cboe_index_history, url: "\(m)cboe/index/VIX_History.csv", options: {symbol: VIX}}
              - {name: spx_history, kind: cboe_index_history, url: "\(m)cboe/index/SPX_History.csv", options: {symbol: SPX}}
            strategy:
              capital_usd: 2000000
              max_risk_fraction: 0.05
            """
        let pipeline = dir.appendingPathComponent("crash.yaml")
        try yaml.write(to: pipeline, atomically: true, encoding: .utf8)
        return Fixture(directory: dir, pipeline: pipeline.path)
    }

    /// Every data table's rows without bookkeeping columns, sorted: what "the same result" means.
    static func fingerprint(_ db: String) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        let tables = try SQLiteProbe.rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .compactMap { $0[0] }.filter { !ledger.contains($0) }
        for table in tables {
            let columns = try SQLiteProbe.rows(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid", [table]).compactMap { $0[0] }
                .filter { !bookkeeping.contains($0) }
            let list = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
            out[table] = try SQLiteProbe.rows(db, "SELECT \(list) FROM \"\(table)\"").map { $0[0] ?? "∅" }.sorted()
        }
        return out
    }

    /// A date lands whole or not at all: completions, recommendations and chains agree date by date.
    static func halfWrittenDates(_ db: String) throws -> [String] {
        try SQLiteProbe.rows(db, """
            SELECT as_of FROM date_completions c WHERE NOT EXISTS (SELECT 1 FROM recommendations r WHERE r.as_of = c.as_of)
            UNION SELECT DISTINCT as_of FROM recommendations r WHERE NOT EXISTS (SELECT 1 FROM date_completions c WHERE c.as_of = r.as_of)
            UNION SELECT DISTINCT as_of FROM option_quotes q WHERE NOT EXISTS (SELECT 1 FROM date_completions c WHERE c.as_of = q.as_of)
            """).compactMap { $0[0] }
    }

    /// Starts the binary and SIGKILLs it after `delay` seconds (or lets it end first); returns its exit status
    /// and its wall time.
    static func runKilled(_ arguments: [String], after delay: Double) async throws -> (status: Int32, seconds: Double, killed: Bool) {
        try await offPool {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let started = Date()
            try process.run()
            let deadline = started.addingTimeInterval(delay)
            while process.isRunning && Date() < deadline { usleep(5_000) }
            var killed = false
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
            process.waitUntilExit()
            return (process.terminationStatus, Date().timeIntervalSince(started), killed && process.terminationReason == .uncaughtSignal)
        }
    }

    @Test("SIGKILL at seeded points never corrupts the file nor half-writes a date, and the next run converges")
    func killPoints() async throws {
        let f = try await Self.fixture()
        let backfill = ["backfill", "--pipeline", f.pipeline, "--from", Self.from, "--to", Self.to, "--jobs", "2"]
        let reference = f.db("reference.sqlite")
        let started = Date()
        let clean = try await CLI.run(backfill + ["--db", reference])
        try #require(clean.status == 0, "\(clean.stderr)")
        let span = Date().timeIntervalSince(started)
        let expected = try Self.fingerprint(reference)
        #expect((expected["recommendations"] ?? []).count >= 4)

        let points = Int(ProcessInfo.processInfo.environment["VIXSHIELD_CRASH_POINTS"] ?? "") ?? 50
        var state: UInt64 = 0xC0FFEE
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        let work = f.db("work.sqlite")
        var killed = 0
        // How long each scenario's command runs on this machine: the kill delay is drawn inside it. Starts at the
        // reference backfill's time and follows any run that finished before its kill (machines differ in speed).
        var spans: [Int: Double] = [:]
        // Attempts go on until `points` runs were really killed (a draw can land after a run already finished).
        var point = 0
        while killed < points && point < points * 3 {
            defer { point += 1 }
            let scenario: String
            var arguments = backfill
            switch point % 4 {
            case 0:
                scenario = "fresh backfill"
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: work + suffix) }
            case 1:
                scenario = "backfill resumed in flight"
            case 2:
                scenario = "rerun of a finished database (--force)"
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: work + suffix) }
                try FileManager.default.copyItem(atPath: reference, toPath: work)
                arguments.append("--force")
            default:
                scenario = "run of one date in flight"
                arguments = ["run", "--pipeline", f.pipeline, "--date", Self.to]
            }
            let runSpan = spans[point % 4] ?? span
            let delay = 0.02 + uniform() * runSpan * 0.9
            let result = try await Self.runKilled(arguments + ["--db", work], after: delay)
            if result.killed { killed += 1 } else { spans[point % 4] = min(runSpan, result.seconds) }
            guard FileManager.default.fileExists(atPath: work) else { continue }
            let integrity = try SQLiteProbe.rows(work, "PRAGMA integrity_check").first?.first ?? nil
            #expect(integrity == "ok", "point \(point) (\(scenario), killed after \(delay) s): \(integrity ?? "nil")")
            let half = try Self.halfWrittenDates(work)
            #expect(half.isEmpty, "point \(point) (\(scenario)): half-written dates \(half)")
            // Converge every few points and at the end: resume the backfill without a kill.
            if point % 10 == 9 || killed == points {
                let resume = try await CLI.run(backfill + ["--db", work])
                #expect(resume.status == 0, "point \(point): \(resume.stderr)")
                #expect(try Self.fingerprint(work) == expected, "point \(point) (\(scenario)): the resumed database differs from the reference")
            }
        }
        // The seeded delays must actually interrupt runs, or the suite proves nothing.
        #expect(killed == points, "only \(killed) runs were killed before they finished, in \(point) attempts")
    }
}
