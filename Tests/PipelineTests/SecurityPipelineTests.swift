import Foundation
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

/// Issue 13 items 1 and 4 inside the pipeline: the file allowlist, and bad inputs that must become a
/// flagged or missing input rather than a trade or a trap.
@Suite("Pipeline: file roots and hostile inputs")
struct SecurityPipelineTests {
    let day = CalendarDate(iso: "2026-07-16")!

    @Test("file URLs are judged after .., symlinks and percent-encoding are resolved")
    func fileAccess() throws {
        let data = try TestPaths.temporaryDirectory("access-data")
        let outside = try TestPaths.temporaryDirectory("access-outside")
        try Data("x".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(at: data.appendingPathComponent("link"), withDestinationURL: outside)
        try FileManager.default.createDirectory(at: data.appendingPathComponent("with space"), withIntermediateDirectories: true)
        let access = FileAccess(roots: ["{data_dir}"], dataDir: data)
        func allowed(_ url: String) -> Bool { if case .success = access.check(fileURL: url) { return true } else { return false } }
        #expect(allowed("file://\(data.path)/with%20space/a.csv"))
        #expect(allowed("file://\(data.path)/not/yet/there.csv"))
        #expect(!allowed("file://\(outside.path)/secret.txt"))
        #expect(!allowed("file://\(data.path)/../\(outside.lastPathComponent)/secret.txt"))
        #expect(!allowed("file://\(data.path)/link/secret.txt"))
        #expect(!allowed("file://\(data.path)/missing/../../\(outside.lastPathComponent)/secret.txt"))
        #expect(!allowed("file://\(data.path)x/a.csv"), "a sibling sharing the root's prefix is outside")
        #expect(!allowed("file:///etc/passwd"))
        guard case .failure(let refused) = access.check(fileURL: "file://\(outside.path)/secret.txt") else { return }
        #expect("\(refused)".hasSuffix("is outside the pipeline's allowed_file_roots (\(FileAccess.resolved(data.path))); not read"))
    }

    @Test("a source outside allowed_file_roots is a missing input, and nothing of it is archived")
    func refusedSourceIsMissingInput() async throws {
        let outside = try TestPaths.temporaryDirectory("roots-outside")
        try Data("DATE,CLOSE\n2026-07-16,1\n".utf8).write(to: outside.appendingPathComponent("x.csv"))
        var h = try Harness()
        h.yaml = pipelineYAML(curve: "file://\(outside.path)/x.csv")
        let report = try await h.run([day])
        #expect(report.outcomes[0].status == .noTrade)
        let row = try #require(try h.database().recommendations(from: day, through: day).first)
        #expect(row.reason?.contains("outside the pipeline's allowed_file_roots") == true, "\(row.reason ?? "")")
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT count(*) FROM raw_payloads WHERE source = 'vx_curve'") == 0)
    }

    @Test("a header-only VX curve is a missing input with a clear reason, not an accepted empty curve")
    func headerOnlyCurve() async throws {
        // In a folder of its own: the shared market is copied by other tests while this one runs.
        let folder = try TestPaths.temporaryDirectory("header-only")
        try Data("expiration_date,symbol,settlement\n".utf8).write(to: folder.appendingPathComponent("\(day).csv"))
        let h = try Harness(yaml: pipelineYAML(curve: "file://\(folder.path)/{date}.csv")
                                + "\nallowed_file_roots: [\"{data_dir}\", \"\(folder.path)\"]\n")
        let report = try await h.run([day])
        #expect(report.outcomes[0].status == .noTrade)
        #expect(report.exitStatus == .inputMissing)
        let row = try #require(try h.database().recommendations(from: day, through: day).first)
        #expect(row.reason == "missing input: source vx_curve: the VX curve has no contracts (header only or empty); refused", "\(row.reason ?? "")")
    }

    @Test("a spot of 1e308 in the chain fails the quality gate: no trade")
    func absurdSpot() async throws {
        let market = try SharedMarket.url()
        let original = try String(contentsOf: market.appendingPathComponent("cboe/options/_SPX_\(day).json"), encoding: .utf8)
        let pattern = try Regex(#""current_price":\s*[0-9.eE+-]+"#)
        let poisoned = original.replacing(pattern, with: #""current_price": 1e308"#)
        #expect(poisoned != original)
        // In a folder of its own: the shared market is copied by other tests while this one runs (an atomic write
        // there left a temporary file that vanished under a copy).
        let folder = try TestPaths.temporaryDirectory("absurd-spot")
        let chain = folder.appendingPathComponent("_SPX_\(day).json")
        try poisoned.write(to: chain, atomically: true, encoding: .utf8)
        let h = try Harness(yaml: pipelineYAML(chain: chain.absoluteString) + "\nallowed_file_roots: [\"{data_dir}\", \"\(folder.path)\"]\n")
        let report = try await h.run([day])
        #expect(report.outcomes[0].status == .noTrade)
        let rows = try h.database().recommendations(from: day, through: day)
        #expect(!rows.isEmpty && rows.allSatisfy { $0.status == "no_trade" })
        #expect(rows.first?.reason?.contains("spot") == true, "\(rows.first?.reason ?? "")")
    }
}
