import Foundation
import Testing
import VixShieldTestSupport

/// `vixshield reconstruct` and the replay pipeline through the binary, on the real histories of `../shared/data`.
@Suite("Replay from the command line")
struct ReplayCLITests {
    static var haveHistories: Bool {
        ["data/spx/GSPC_yahoo_2005-2020.csv", "data/vix_indices/VIX_History.csv", "data/vix_indices/SKEW_History.csv",
         "data/rates/treasury_yield_curve_1990-2020.csv", "data/vx_futures/cfe_per_contract/Data-LATEST-VX"].allSatisfy { TestPaths.sharedFile($0) != nil }
    }

    @Test("ingest, reconstruct, backfill --pipeline replay, query: the rows say reconstructed", .enabled(if: haveHistories))
    func wholeSequence() async throws {
        let data = try #require(TestPaths.shared).appendingPathComponent("data")
        let dir = try TestPaths.temporaryDirectory("cli-replay")
        let db = dir.appendingPathComponent("history.sqlite").path
        func ingest(_ kind: String, _ option: String?, _ files: [String]) async throws {
            let out = try await CLI.run(["ingest", "--db", db, "--kind", kind] + (option.map { ["--option", $0] } ?? []) + files)
            #expect(out.status == 0, "\(kind): \(out.stderr)")
        }
        try await ingest("ohlc_csv", "symbol=SPX", [data.appendingPathComponent("spx/GSPC_yahoo_2005-2020.csv").path])
        for symbol in ["VIX", "VIX9D", "VIX3M", "SKEW"] {
            try await ingest("cboe_index_history", "symbol=\(symbol)", [data.appendingPathComponent("vix_indices/\(symbol)_History.csv").path])
        }
        try await ingest("treasury_par_curve", nil, [data.appendingPathComponent("rates/treasury_yield_curve_1990-2020.csv").path])
        let vxFolder = data.appendingPathComponent("vx_futures/cfe_per_contract/Data-LATEST-VX")
        let vx = try FileManager.default.contentsOfDirectory(atPath: vxFolder.path).filter { $0.hasSuffix("18_VX.csv") }.sorted()
        try await ingest("cfe_vx_history", nil, vx.map { vxFolder.appendingPathComponent($0).path })

        // Nothing to reconstruct from before the histories start: one line, exit 1.
        let early = try await CLI.run(["reconstruct", "--db", db, "--from", "1990-01-02", "--to", "1990-01-05", "--out", dir.appendingPathComponent("none").path])
        #expect(early.status == 1 && early.stderr.hasSuffix("reconstruct: no session from 1990-01-02 to 1990-01-05 has the histories it needs\n"),
                "\(early.stderr)")

        let out = dir.appendingPathComponent("replay").path
        let range = ["--from", "2018-02-01", "--to", "2018-02-06"]
        let reconstruct = try await CLI.run(["reconstruct", "--db", db, "--out", out, "--size", "compact"] + range)
        #expect(reconstruct.status == 0 && reconstruct.stdout.hasPrefix("reconstructed 4 session(s), 0 skipped"), "\(reconstruct.stdout)\(reconstruct.stderr)")
        #expect(reconstruct.stderr.contains("2018-02-05: rho "), "\(reconstruct.stderr)")
        let backfill = try await CLI.run(["backfill", "--pipeline", "replay", "--data-dir", out, "--db", db] + range)
        #expect(backfill.status == 0 && backfill.stderr.contains("backfill: 4 date(s) in "), "\(backfill.stderr)")

        let csv = try await CLI.run(["query", "recommendations", "--db", db, "--format", "csv"] + range)
        let lines = csv.stdout.split(separator: "\n")
        let header = try #require(lines.first).split(separator: ",", omittingEmptySubsequences: false)
        let column = try #require(header.firstIndex(of: "chain_origin"))
        #expect(lines.count > 4 && lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).last == "reconstructed" },
                "\(csv.stdout.prefix(2000))")
        #expect(column == header.count - 1)
        let tickets = try await CLI.run(["query", "recommendations", "--db", db] + range)
        #expect(tickets.stdout.contains("[reconstructed] "), "\(tickets.stdout)")
        let hedges = try await CLI.run(["query", "hedges", "--db", db, "--format", "csv"] + range)
        let hedgeRows = hedges.stdout.split(separator: "\n").dropFirst()
        #expect(hedges.status == 0 && !hedgeRows.isEmpty && hedgeRows.allSatisfy { $0.hasSuffix(",reconstructed") },
                "\(hedges.stdout.prefix(2000))")
    }
}
