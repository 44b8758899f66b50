import Foundation
import Logging
import Simulator
import Store
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

/// A compact simulated market generated once per test process and shared read-only.
enum SharedMarket {
    static let from = CalendarDate(iso: "2026-07-13")!
    static let to = CalendarDate(iso: "2026-07-17")!

    static let directory: Result<URL, Error> = Result {
        let dir = try TestPaths.temporaryDirectory("market")
        _ = try MarketSimulator(config: .compact(seed: 7)).write(from: from, to: to, into: dir)
        return dir
    }

    static func url() throws -> URL { try directory.get() }
}

/// A pipeline over a simulated market folder, with sources pointed wherever a test needs.
func pipelineYAML(chain: String = "file://{data_dir}/cboe/options/_SPX_{date}.json",
                  curve: String = "file://{data_dir}/cfe/vx_curve/{date}.csv") -> String {
    """
    name: e2e
    underlying: SPX
    sources:
      - name: spx_chain
        kind: cboe_options_json
        url: "\(chain)"
      - name: vx_curve
        kind: cfe_vx_curve
        url: "\(curve)"
      - name: vix_history
        kind: cboe_index_history
        url: "file://{data_dir}/cboe/index/VIX_History.csv"
        options: {symbol: VIX}
      - name: spx_history
        kind: cboe_index_history
        url: "file://{data_dir}/cboe/index/SPX_History.csv"
        options: {symbol: SPX}
      - name: vix3m_history
        kind: cboe_index_history
        url: "file://{data_dir}/cboe/index/VIX3M_History.csv"
        options: {symbol: VIX3M}
      - name: breadth
        kind: breadth_csv
        url: "file://{data_dir}/breadth/advance_decline.csv"
        options: {universe: SIM}
    strategy:
      capital_usd: 2000000
      max_risk_fraction: 0.05
    """
}

struct Harness {
    let dbPath: String
    let marketDir: URL
    var yaml: String
    var offline = false
    /// The pipeline file's hash as the runs and completion records store it.
    var sha256 = "test"

    init(yaml: String = pipelineYAML(), marketDir: URL? = nil) throws {
        let dir = try TestPaths.temporaryDirectory("e2e")
        dbPath = dir.appendingPathComponent("v.sqlite").path
        self.marketDir = try marketDir ?? SharedMarket.url()
        self.yaml = yaml
    }

    func settings() throws -> RunSettings {
        let config = try PipelineConfig.parse(yaml: yaml, origin: "e2e.yaml", sha256: sha256)
        return RunSettings(pipeline: config, databasePath: dbPath, dataDir: marketDir, offline: offline,
                           now: { Date(timeIntervalSince1970: 1_784_000_000) })
    }

    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func run(_ dates: [CalendarDate], jobs: Int = 1, selection: DateSelection = .all, phases: RunPhases = .all,
             control: RunControl = RunControl(), progress: (@Sendable (Int, Int, DateOutcome) -> Void)? = nil) async throws -> RunReport {
        let settings = try settings()
        return try await offPool {
            try PipelineRunner(settings: settings, logger: Self.logger, control: control)
                .run(command: "test", dates: dates, jobs: jobs, selection: selection, phases: phases, progress: progress)
        }
    }

    /// Runs with a custom stage list (tests of the framework itself).
    func run(_ dates: [CalendarDate], stages: @escaping @Sendable (PayloadLoader) -> StageList, jobs: Int = 1) async throws -> RunReport {
        let settings = try settings()
        return try await offPool {
            try PipelineRunner(settings: settings, logger: Self.logger, control: RunControl(), stages: stages)
                .run(command: "test", dates: dates, jobs: jobs)
        }
    }

    /// Merges shard databases into this harness's database (`vixshield merge`).
    func merge(_ shards: [String]) async throws -> (report: RunReport, shards: [ShardMergeResult]) {
        let settings = try settings()
        return try await offPool {
            try PipelineRunner(settings: settings, logger: Self.logger).merge(shards: shards)
        }
    }

    func database() throws -> VixShieldDatabase { try VixShieldDatabase(path: dbPath) }

    /// Every data table's rows (run bookkeeping aside: `RunBookkeeping`), to compare databases.
    /// `archive: false` leaves the raw archive out, for tests where the archive rightly grows (a malformed
    /// payload is kept for inspection) or is tampered with.
    func dataFingerprint(archive: Bool = true) throws -> [String: [String]] {
        let db = try database()
        var out: [String: [String]] = [:]
        for t in try db.tableNames() where !RunBookkeeping.tables.contains(t) && (archive || !SQLiteProbe.archiveTables.contains(t)) {
            out[t] = try db.dump(table: t, excluding: RunBookkeeping.columns)
        }
        #expect(out.keys.contains("surface_slices") && out.keys.contains("rates") && out.keys.contains("events"))
        return out
    }
}

@Suite("End to end on the simulated market")
struct EndToEndTests {
    let day = CalendarDate(iso: "2026-07-16")!

    @Test("a run writes a condor recommendation for the next trading day")
    func runWritesRecommendations() async throws {
        let h = try Harness()
        let report = try await h.run([day])
        let outcome = try #require(report.outcomes.first)
        #expect(outcome.status == .ok, "\(outcome.reason ?? "")")
        let rows = try h.database().recommendations(from: day, through: day)
        let best = try #require(rows.first)
        #expect(best.forDate == "2026-07-17" && best.rank == 1 && best.profile == "cndr_monthly")
        #expect(best.status == "trade", "\(best.reason ?? "")")
        #expect(best.expiry == "2026-08-21" && best.dte == 35)
        let (lp, sp, sc, lc) = (try #require(best.longPut), try #require(best.shortPut), try #require(best.shortCall), try #require(best.longCall))
        #expect(lp < sp && sp < sc && sc < lc)
        let (credit, maxLoss, contracts) = (try #require(best.credit), try #require(best.maxLoss), try #require(best.contracts))
        #expect(credit > 0 && maxLoss > 0 && contracts >= 1)
        #expect(maxLoss * 100 * Double(contracts) <= 100_000 + 1e-9)
        let pop = try #require(best.pop)
        #expect(pop > 0.4 && pop < 0.95)
        #expect(try #require(best.netVega) < 0 && #require(best.netTheta) > 0)
        // The analyst views: four legs with their stored quotes, the latest date's rows, the hedge book.
        let legs = try SQLiteProbe.rows(h.dbPath, """
            SELECT leg, side, symbol, bid, ask, delta FROM recommendation_legs WHERE as_of = ? AND profile = ? AND rank = 1 ORDER BY leg_order
            """, [day.isoString, best.profile])
        #expect(legs.map { $0[0] } == ["long_put", "short_put", "short_call", "long_call"] && legs.map { $0[1] } == ["buy", "sell", "sell", "buy"])
        #expect(legs.map { $0[2] } == [best.longPutSymbol, best.shortPutSymbol, best.shortCallSymbol, best.longCallSymbol])
        #expect(legs.allSatisfy { $0[3] != nil && $0[4] != nil && $0[5] != nil }, "\(legs)")
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM latest_recommendations WHERE as_of = ?", [day.isoString]) == rows.count)
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM hedge_book WHERE condor_as_of = ?", [day.isoString]) == 9)
        // The condor gets its nine hedge layers, keyed to it; the base layer is on from the first night.
        let layers = try h.database().hedgeRecommendations(from: day, through: day)
        #expect(layers.map(\.layer) == Array(0..<9) && layers.allSatisfy { $0.condorAsOf == day.isoString && $0.profile == best.profile })
        #expect(layers[0].layerName == "base" && layers[0].active, "\(layers[0].rationale)")
        #expect(best.root == "SPX" && best.shortPutSymbol?.hasPrefix("SPX2608") == true, "\(best.shortPutSymbol ?? "")")
        #expect(best.creditUsd == (credit * 100 * Double(contracts) * 100).rounded() / 100)
        let run = try #require(try h.database().runs().first)
        #expect(run.status == "ok" && run.asOfFrom == day.isoString && run.pipelineName == "e2e")
    }

    @Test("running the same date twice gives identical rows and archives nothing twice")
    func rerunIsIdempotent() async throws {
        let h = try Harness()
        _ = try await h.run([day])
        let first = try h.dataFingerprint()
        let payloads = try h.database().tableCounts()["raw_payloads"]
        _ = try await h.run([day])
        #expect(try h.dataFingerprint() == first)
        #expect(try h.database().tableCounts()["raw_payloads"] == payloads)
        #expect(try h.database().runs().count == 2)
    }

    @Test("offline replays the archive to the same rows; with nothing archived it is a missing input")
    func offlineReplay() async throws {
        var h = try Harness()
        _ = try await h.run([day])
        let online = try h.dataFingerprint()
        h.offline = true
        let replay = try await h.run([day])
        #expect(replay.outcomes[0].status == .ok)
        #expect(try h.dataFingerprint() == online)
        let other = try await h.run([CalendarDate(iso: "2026-07-15")!])
        #expect(other.outcomes[0].status == .noTrade)
        #expect(other.outcomes[0].reason?.contains("offline: nothing archived for 2026-07-15") == true, "\(other.outcomes[0].reason ?? "")")
    }

    @Test("offline replays the newest archived payload that parses, passing over an HTML page archived after it, and says which")
    func offlineSkipsUnparsable() async throws {
        var h = try Harness()
        _ = try await h.run([day])
        let before = try h.dataFingerprint(archive: false)
        // An error page served with status 200 is archived as the newest payload; that run fails the date.
        let folder = try TestPaths.temporaryDirectory("html")
        let page = folder.appendingPathComponent("_SPX.json")
        try "<html><body>Service temporarily unavailable</body></html>".write(to: page, atomically: true, encoding: .utf8)
        h.yaml = pipelineYAML(chain: page.absoluteString) + "\nallowed_file_roots: [\"{data_dir}\", \"\(folder.path)\"]\n"
        #expect(try await h.run([day]).outcomes[0].status == .failed)
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM raw_payloads WHERE source = 'spx_chain'") == 2)
        h.yaml = pipelineYAML()
        h.offline = true
        let replay = try await h.run([day])
        #expect(replay.outcomes[0].status == .ok)
        #expect(try h.dataFingerprint(archive: false) == before)
        let note = try #require(replay.outcomes[0].diagnostics.map(\.diagnostic.message).first { $0.hasPrefix("offline: replayed payload") })
        let good = try #require(try SQLiteProbe.rows(h.dbPath, "SELECT MIN(payload_id) FROM raw_payloads WHERE source = 'spx_chain'").first?[0])
        #expect(note.hasPrefix("offline: replayed payload \(good) "), "\(note)")
        #expect(note.contains("does not parse"), "\(note)")
    }

    @Test("an archived payload that fails its checksum is not used: a missing input, the earlier result kept")
    func checksumMismatch() async throws {
        var h = try Harness()
        _ = try await h.run([day])
        let before = try h.dataFingerprint(archive: false)
        // The recorded SHA-256 no longer matches the stored bytes (the bytes move with it: they are keyed by it).
        let zeros = String(repeating: "0", count: 64)
        try SQLiteProbe.execute(h.dbPath, """
            UPDATE payload_bodies SET sha256 = '\(zeros)' WHERE sha256 IN (SELECT sha256 FROM raw_payloads WHERE source = 'spx_chain');
            UPDATE raw_payloads SET sha256 = '\(zeros)' WHERE source = 'spx_chain';
            """)
        h.offline = true
        let report = try await h.run([day])
        #expect(report.outcomes[0].status == .keptPrevious)
        #expect(report.outcomes[0].reason?.contains("fails its checksum") == true, "\(report.outcomes[0].reason ?? "")")
        #expect(try h.dataFingerprint(archive: false) == before)
    }

    @Test("a malformed payload fails the date with one line and leaves the data tables as they were")
    func malformedPayload() async throws {
        let market = try TestPaths.temporaryDirectory("bad-market")
        try FileManager.default.copyItem(at: try SharedMarket.url(), to: market.appendingPathComponent("m"))
        let dir = market.appendingPathComponent("m")
        let h = try Harness(marketDir: dir)
        _ = try await h.run([day])
        let before = try h.dataFingerprint(archive: false)
        let chainFile = dir.appendingPathComponent("cboe/options/_SPX_2026-07-16.json")
        let bytes = try Data(contentsOf: chainFile)
        try bytes.prefix(bytes.count / 2).write(to: chainFile)
        let report = try await h.run([day])
        let outcome = report.outcomes[0]
        #expect(outcome.status == .failed)
        let reason = outcome.reason ?? ""
        #expect(reason.hasPrefix("source spx_chain: ") && !reason.contains("\n"), "\(reason)")
        #expect(try h.dataFingerprint(archive: false) == before)
        let run = try #require(try h.database().runs().first)
        #expect(run.status == "failed" && run.error?.contains("spx_chain") == true)
    }

    @Test("a missing required input gives a no_trade row naming it")
    func missingInput() async throws {
        let h = try Harness(yaml: pipelineYAML(curve: "file://{data_dir}/cfe/nowhere/{date}.csv"))
        let report = try await h.run([day])
        #expect(report.outcomes[0].status == .noTrade)
        let row = try #require(try h.database().recommendations(from: day, through: day).first)
        #expect(row.status == "no_trade")
        #expect(row.reason?.hasPrefix("missing input: source vx_curve: ") == true, "\(row.reason ?? "")")
        #expect(row.reasonCode == "missing_input")
        #expect(report.exitStatus == .inputMissing)
    }

    @Test("a snapshot of another session is stale: the gate writes no_trade")
    func staleSnapshot() async throws {
        let h = try Harness(yaml: pipelineYAML(chain: "file://{data_dir}/cboe/options/_SPX_2026-07-15.json"))
        let report = try await h.run([day])
        #expect(report.outcomes[0].status == .noTrade)
        let row = try #require(try h.database().recommendations(from: day, through: day).first)
        #expect(row.status == "no_trade")
        #expect(row.reason?.contains("wrong session: snapshot is of 2026-07-15, as-of is 2026-07-16") == true, "\(row.reason ?? "")")
        // The stale quotes are still stored, flagged.
        let flagged = try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM option_quotes WHERE as_of = ? AND flag_names LIKE '%stale_session%'",
                                            [day.isoString])
        #expect(flagged > 0)
        #expect(row.reasonCode == "quality_gate")
        #expect(report.exitStatus == .ok)
    }

    @Test("a history file that ends before the as-of date is stale: no_trade when required, a warning when not")
    func staleHistory() async throws {
        let market = try TestPaths.temporaryDirectory("stale-history")
        let dir = market.appendingPathComponent("m")
        try FileManager.default.copyItem(at: try SharedMarket.url(), to: dir)
        let vix = dir.appendingPathComponent("cboe/index/VIX_History.csv")
        let lines = try String(contentsOf: vix, encoding: .utf8).split(separator: "\n")
        try (lines.filter { !$0.hasPrefix("07/16/2026") && !$0.hasPrefix("07/17/2026") }.joined(separator: "\n") + "\n")
            .write(to: vix, atomically: true, encoding: .utf8)
        let h = try Harness(marketDir: dir)
        let report = try await h.run([day])
        #expect(report.outcomes[0].status == .noTrade)
        #expect(report.outcomes[0].reason == "stale input: source vix_history ends 2026-07-15, before 2026-07-16", "\(report.outcomes[0].reason ?? "")")
        // A stale required input exits like a missing one.
        #expect(report.exitStatus == .inputMissing)
        let optional = try Harness(yaml: pipelineYAML() + "\n", marketDir: dir)
        var relaxed = optional
        relaxed.yaml = relaxed.yaml.replacingOccurrences(of: "options: {symbol: VIX}", with: "options: {symbol: VIX}\n    required: false")
        let relaxedReport = try await relaxed.run([day])
        #expect(relaxedReport.outcomes[0].status == .ok, "\(relaxedReport.outcomes[0].reason ?? "")")
        #expect(relaxedReport.outcomes[0].diagnostics.contains { $0.diagnostic.message.hasPrefix("stale input: source vix_history") })
    }

    @Test("a rerun that cannot decide the date keeps the earlier complete result and records the attempt")
    func neverWorseThanBefore() async throws {
        var h = try Harness()
        #expect(try await h.run([day]).outcomes[0].status == .ok)
        let before = try h.dataFingerprint(archive: false)
        #expect(!(before["recommendations"] ?? []).isEmpty && !(before["surface_slices"] ?? []).isEmpty)
        // Another session's snapshot (every quote stale_session: the gate fails), then a missing file.
        for chain in ["file://{data_dir}/cboe/options/_SPX_2026-07-15.json", "file://{data_dir}/cboe/options/absent_{date}.json"] {
            h.yaml = pipelineYAML(chain: chain)
            let rerun = try await h.run([day])
            #expect(rerun.outcomes[0].status == .keptPrevious, "\(chain): \(rerun.outcomes[0].status)")
            #expect(try h.dataFingerprint(archive: false) == before, "\(chain) changed the stored result")
        }
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM run_diagnostics WHERE as_of = ? AND message LIKE '%result of run 1%is kept'",
                                      [day.isoString]) == 2)
        // Both attempts' payloads are archived all the same (nothing fetched is lost).
        #expect(try SQLiteProbe.count(h.dbPath, "SELECT COUNT(*) FROM raw_payloads WHERE source = 'spx_chain'") == 2)
        // A good rerun replaces the result as before.
        h.yaml = pipelineYAML()
        #expect(try await h.run([day]).outcomes[0].status == .ok)
        #expect(try h.dataFingerprint(archive: false) == before)
    }

    @Test("where no complete result exists, an undecided date writes its no_trade rows and no surface")
    func undecidedFirstRun() async throws {
        let h = try Harness(yaml: pipelineYAML(chain: "file://{data_dir}/cboe/options/_SPX_2026-07-15.json"))
        let report = try await h.run([day])
        #expect(report.outcomes[0].status == .noTrade)
        #expect(try h.database().recommendations(from: day, through: day).allSatisfy { $0.status == "no_trade" && $0.reasonCode == "quality_gate" })
        #expect(try h.database().tableCounts()["surface_slices"] ?? 0 == 0)
    }

    @Test("a backfill runs each date independently")
    func backfill() async throws {
        let market = try TestPaths.temporaryDirectory("gap-market")
        try FileManager.default.copyItem(at: try SharedMarket.url(), to: market.appendingPathComponent("m"))
        let dir = market.appendingPathComponent("m")
        try "{\"timestamp\":".write(to: dir.appendingPathComponent("cboe/options/_SPX_2026-07-14.json"), atomically: true, encoding: .utf8)
        let h = try Harness(marketDir: dir)
        let dates = TradingCalendar.nyse.tradingDays(from: SharedMarket.from, through: SharedMarket.to)
        let report = try await h.run(dates)
        #expect(report.outcomes.map(\.status) == [.ok, .failed, .ok, .ok, .ok])
        let asOfs = Set(try h.database().recommendations(from: SharedMarket.from, through: SharedMarket.to).map(\.asOf))
        #expect(asOfs == ["2026-07-13", "2026-07-15", "2026-07-16", "2026-07-17"])
    }

    @Test("a parallel backfill writes the same rows as a sequential one, and resume skips finished dates")
    func parallelBackfillAndResume() async throws {
        let dates = TradingCalendar.nyse.tradingDays(from: SharedMarket.from, through: SharedMarket.to)
        let sequential = try Harness(), parallel = try Harness()
        _ = try await sequential.run(dates, jobs: 1)
        let report = try await parallel.run(dates, jobs: 3)
        #expect(report.outcomes.map(\.date) == dates)
        #expect(try parallel.dataFingerprint() == sequential.dataFingerprint())
        let resumed = try await parallel.run(dates, jobs: 2, selection: .skipCompleted)
        #expect(resumed.outcomes.isEmpty && resumed.skipped == dates)
        let partial = try Harness()
        _ = try await partial.run(Array(dates.prefix(2)))
        let rest = try await partial.run(dates, jobs: 2, selection: .skipCompleted)
        #expect(rest.outcomes.map(\.date) == Array(dates.dropFirst(2)))
        #expect(try partial.dataFingerprint() == sequential.dataFingerprint())
    }
}
