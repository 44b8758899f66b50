import Foundation
import Ingest
import Logging
import Store
import VixShieldCore

/// Everything a command needs to run the pipeline, decided by the CLI (the only place that reads the
/// clock or the environment).
public struct RunSettings: Sendable {
    public var pipeline: PipelineConfig
    public var databasePath: String
    public var dataDir: URL
    public var offline: Bool
    /// Wall clock for `fetched_at` and the run ledger only; no stage reads it.
    public var now: @Sendable () -> Date

    public init(pipeline: PipelineConfig, databasePath: String, dataDir: URL, offline: Bool,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.pipeline = pipeline
        self.databasePath = databasePath
        self.dataDir = dataDir
        self.offline = offline
        self.now = now
    }
}

/// The result of a `run` or `backfill`: one outcome per date and the ledger id.
public struct RunReport: Sendable {
    public var runId: Int64
    public var outcomes: [DateOutcome]

    /// True when any date failed or lacked a required input.
    public var hasFailures: Bool { outcomes.contains { $0.status == .failed } }
    public var hasNoTradeForMissingInputs: Bool { outcomes.contains { $0.status == .noTrade && ($0.reason ?? "").contains("missing input") } }
}

/// Runs the daily job over one or more as-of dates and records the run in the `runs` ledger.
public struct PipelineRunner: Sendable {
    public let settings: RunSettings
    public let logger: Logger

    public init(settings: RunSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Runs every trading day in `dates` (each independent: one failed date does not stop the others).
    ///
    /// - Parameters:
    ///   - jobs: dates processed at once, each on its own thread (SQLite serializes the writes).
    ///   - skipDone: leave out dates that already have recommendations (resume an interrupted backfill).
    ///   - progress: called after each date with the number done so far and the total.
    public func run(command: String, dates requested: [CalendarDate], jobs: Int = 1, skipDone: Bool = false,
                    progress: (@Sendable (Int, Int, DateOutcome) -> Void)? = nil) throws -> RunReport {
        let pipeline = settings.pipeline
        if let sim = pipeline.simulation, !settings.offline {
            if try SimulatedFeed.ensure(sim, dataDir: settings.dataDir) {
                logger.info("generated the simulated market (seed \(sim.seed), \(sim.from) to \(sim.to)) in \(SimulatedFeed.directory(in: settings.dataDir).path)")
            }
        }
        let database = try VixShieldDatabase(path: settings.databasePath)
        var dates = requested
        if skipDone {
            let done = Set(try database.recommendations(from: requested.first?.isoString ?? "", to: requested.last?.isoString ?? "")
                .filter { $0.underlying == pipeline.underlying }.map(\.asOf))
            dates = requested.filter { !done.contains($0.isoString) }
            if dates.count < requested.count { logger.info("resuming: \(requested.count - dates.count) date(s) already done") }
        }
        let runId = try database.beginRun(RunRecord(
            command: command, asOfFrom: dates.first?.isoString, asOfTo: dates.last?.isoString,
            pipelineName: pipeline.name, pipelineSha256: pipeline.sha256, version: VixShieldVersion.current,
            offline: settings.offline, startedAt: PayloadLoader.timestamp(settings.now())))
        let loader = PayloadLoader(database: database, fetcher: CurlFetcher(policy: pipeline.fetchPolicy),
                                   dataDir: settings.dataDir, offline: settings.offline, now: settings.now, logger: logger)
        let daily = DailyRun(config: pipeline, database: database, loader: loader, logger: logger, runId: runId)
        let total = dates.count
        let logger = self.logger
        let outcomes = Self.parallelMap(dates, jobs: jobs) { date, finished in
            let outcome = daily.run(date)
            switch outcome.status {
            case .ok: logger.info("\(date): \(outcome.counts["trades"] ?? 0) trade row(s), \(outcome.counts["option_quotes"] ?? 0) quotes")
            case .noTrade: logger.warning("\(date): no trade: \(outcome.reason ?? "")")
            case .failed: logger.error("\(date): failed: \(outcome.reason ?? "")")
            }
            progress?(finished(), total, outcome)
            return outcome
        }
        let failed = outcomes.filter { $0.status == .failed }
        var totals: [String: Int] = [:]
        for o in outcomes { totals.merge(o.counts) { $0 + $1 } }
        totals["dates"] = outcomes.count
        totals["dates_failed"] = failed.count
        totals["dates_no_trade"] = outcomes.filter { $0.status == .noTrade }.count
        let countsJSON = "{" + totals.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        try database.finishRun(
            id: runId, status: failed.isEmpty ? "ok" : "failed", finishedAt: PayloadLoader.timestamp(settings.now()),
            countsJSON: countsJSON, error: failed.first.map { "\($0.date): \($0.reason ?? "failed")" },
            diagnostics: outcomes.flatMap { o in o.diagnostics.map { (o.date.isoString, $0.stage, $0.diagnostic) } })
        return RunReport(runId: runId, outcomes: outcomes)
    }

    /// Maps `items` on `jobs` threads of its own (never the Swift concurrency pool), keeping the order.
    /// `body` gets the item and a function that counts it as finished and returns how many are.
    static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int,
                                                      _ body: @escaping @Sendable (T, () -> Int) -> R) -> [R] {
        let state = ParallelState<R>(count: items.count)
        let workers = max(1, min(jobs, items.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                while let i = state.claim() {
                    state.store(body(items[i], state.finishOne), at: i)
                }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return state.results()
    }
}

/// Work queue and result slots shared by `parallelMap`'s threads.
private final class ParallelState<R: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var finished = 0
    private var slots: [R?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.withLock {
            guard next < slots.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func finishOne() -> Int { lock.withLock { finished += 1; return finished } }

    func store(_ r: R, at i: Int) { lock.withLock { slots[i] = r } }

    func results() -> [R] { lock.withLock { slots.map { $0! } } }
}
