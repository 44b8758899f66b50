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

/// Which of the requested dates a run works on.
public enum DateSelection: Sendable, Hashable {
    /// Every date (`run`, `backfill --force`).
    case all
    /// Dates without a completion record of this pipeline, and dates decided by a missing or stale input
    /// (`backfill`): a finished trade or a decided `no_trade` is kept, an outage day is retried.
    case skipCompleted
}

/// Which phases of the job a run does.
public enum RunPhases: Sendable, Hashable {
    /// Per-date stages, then the cross-date stages (`run`, `backfill`).
    case all
    /// Per-date stages only (`backfill --shard`: the cross-date stages need the whole history, so they run
    /// after the shards are merged).
    case perDateOnly
    /// Cross-date stages only, over every completed date from the first requested one on
    /// (`backfill --cross-date-only`, and `merge` after copying its shards).
    case crossDateOnly
}

/// The result of a `run` or `backfill`: one outcome per date that ran, and how the run ended.
public struct RunReport: Sendable {
    public var runId: Int64
    public var outcomes: [DateOutcome]
    /// Requested dates left out because they had already completed.
    public var skipped: [CalendarDate]
    /// Requested dates never started because the run was interrupted.
    public var notStarted: [CalendarDate]
    public var status: RunStatus
    /// The signal that interrupted the run, if one did.
    public var stopSignal: Int32?
    /// Completed dates the cross-date stages ran over (0 when they did not run).
    public var crossDateCount: Int = 0

    /// The process exit code this run maps to.
    public var exitStatus: ExitStatus {
        if status == .interrupted { return stopSignal == SIGTERM ? .interruptedByTerm : .interruptedByInt }
        return ExitStatus.of(dates: outcomes.map { ($0.status, $0.reasons) })
    }
}

/// Runs the daily job over one or more as-of dates in two phases and records the run in the `runs` ledger:
/// the per-date stages of every date (in parallel, each date one transaction), and beside them the
/// cross-date stages one date at a time in date order, each date once every date up to it is done.
public struct PipelineRunner: Sendable {
    public let settings: RunSettings
    public let logger: Logger
    /// Stops the run between dates and stages (the CLI wires SIGINT and SIGTERM to it).
    public let control: RunControl
    let stages: @Sendable (PayloadLoader) -> StageList

    public init(settings: RunSettings, logger: Logger, control: RunControl = RunControl()) {
        self.init(settings: settings, logger: logger, control: control, stages: StageList.standard(loader:))
    }

    init(settings: RunSettings, logger: Logger, control: RunControl, stages: @escaping @Sendable (PayloadLoader) -> StageList) {
        self.settings = settings
        self.logger = logger
        self.control = control
        self.stages = stages
    }

    /// Runs the selected trading days of `requested` (each independent: one failed date does not stop the
    /// others).
    ///
    /// - Parameters:
    ///   - jobs: dates processed at once, each on its own thread (SQLite serializes the writes).
    ///   - selection: every date, or only those not completed yet (a resumable backfill).
    ///   - phases: both phases, or one of them (a shard, or the cross-date pass after a merge).
    ///   - logDates: one log line per finished date (off when a progress line on a terminal shows them).
    ///   - progress: called after each date with the number done so far and the total.
    public func run(command: String, dates requested: [CalendarDate], jobs: Int = 1, selection: DateSelection = .all,
                    phases: RunPhases = .all, logDates: Bool = true,
                    progress: (@Sendable (Int, Int, DateOutcome) -> Void)? = nil) throws -> RunReport {
        let lock = try WriterLock(databasePath: settings.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let database = try VixShieldDatabase(path: settings.databasePath)
        return try run(command: command, dates: requested, database: database, jobs: jobs, selection: selection, phases: phases,
                       logDates: logDates, progress: progress)
    }

    /// Merges shard databases made by `backfill --shard` into this run's database, then runs the cross-date
    /// stages over every completed date from the first merged one on (they need the whole history).
    ///
    /// Every shard is checked before anything is written (same migrations, every completed date made by
    /// this pipeline); each shard's as-of dates land one transaction each. Merging a shard again changes
    /// no row (only the ledger records the new run).
    public func merge(shards: [String]) throws -> (report: RunReport, shards: [ShardMergeResult]) {
        // Every shard is checked before the output database (or its lock file) is created.
        for path in shards { try VixShieldDatabase.checkShard(path, pipelineSha256: settings.pipeline.sha256) }
        let lock = try WriterLock(databasePath: settings.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let database = try VixShieldDatabase(path: settings.databasePath)
        var results: [ShardMergeResult] = []
        let runId = try beginRun(command: "merge", dates: [], database: database)
        do {
            for path in shards {
                guard !control.stopRequested else { break }
                let r = try database.merge(shard: path, runId: runId)
                logger.info("merged \(path): \(r.partitions.count) date(s), \(r.rows.values.reduce(0, +)) row(s)")
                results.append(r)
            }
        } catch {
            try? finish(runId: runId, status: .failed, outcomes: [], skipped: [], notStarted: [], database: database,
                        error: "merge: \(error)")
            throw error
        }
        let merged = Set(results.flatMap(\.partitions)).sorted()
        let report = try run(command: "merge", dates: merged, database: database, jobs: 1, selection: .all, phases: .crossDateOnly,
                             logDates: true, progress: nil, runId: runId)
        return (report, results)
    }

    private func beginRun(command: String, dates: [CalendarDate], database: VixShieldDatabase) throws -> Int64 {
        let pipeline = settings.pipeline
        return try database.beginRun(RunRecord(
            command: command, asOfFrom: dates.first?.isoString, asOfTo: dates.last?.isoString,
            pipelineName: pipeline.name, pipelineSha256: pipeline.sha256, version: VixShieldVersion.current,
            offline: settings.offline, startedAt: Timestamps.iso8601(settings.now())))
    }

    private func run(command: String, dates requested: [CalendarDate], database: VixShieldDatabase, jobs: Int,
                     selection: DateSelection, phases: RunPhases, logDates: Bool,
                     progress: (@Sendable (Int, Int, DateOutcome) -> Void)?, runId existingRun: Int64? = nil) throws -> RunReport {
        let pipeline = settings.pipeline
        let requested = requested.sorted()
        var dates = phases == .crossDateOnly ? [] : requested
        var skipped: [CalendarDate] = []
        if phases != .crossDateOnly, selection == .skipCompleted, let first = requested.first, let last = requested.last {
            let done = Set(try database.dateCompletions(underlying: pipeline.underlying, from: first, through: last)
                .filter { !$0.retry && $0.pipelineSha256 == pipeline.sha256 }.map(\.asOf))
            dates = requested.filter { !done.contains($0.isoString) }
            skipped = requested.filter { done.contains($0.isoString) }
            if !skipped.isEmpty { logger.info("resuming: \(skipped.count) date(s) already complete") }
        }
        let runId = try existingRun ?? beginRun(command: command, dates: requested, database: database)
        let loader = PayloadLoader(database: database, fetcher: CurlFetcher(policy: pipeline.fetchPolicy),
                                   dataDir: settings.dataDir, offline: settings.offline, now: settings.now, logger: logger,
                                   secrets: pipeline.secrets, fileRoots: pipeline.allowedFileRoots)
        let list = stages(loader)
        let daily = DayRunner(stages: list, config: pipeline, database: database, runId: runId, control: control, now: settings.now)

        // Phase 1: per-date stages, dates in parallel. Phase 2, the cross-date stages in date order over
        // every completed date from the first requested one on (a later date's cross-date results depend on
        // the earlier dates this run may have changed), runs beside it on a thread of its own: a date once
        // every earlier date of phase 1 has finished.
        let total = dates.count
        let logger = self.logger
        let control = self.control
        let frontier = DateFrontier(dates)
        let worker = phases == .perDateOnly || list.crossDate.isEmpty ? nil : requested.first.map { first in
            CrossDateWorker(pass: CrossDatePass(stages: list.crossDate, config: pipeline, database: database, runId: runId),
                            first: first, frontier: frontier, underlying: pipeline.underlying, control: control)
        }
        worker?.start()
        var outcomes = Self.parallelMap(dates, jobs: jobs, stop: { control.stopRequested }) { date, finished in
            let outcome = daily.run(date)
            frontier.finish(date)
            if logDates { Self.log(outcome, logger: logger) }
            progress?(finished(), total, outcome)
            return outcome
        }.compactMap { $0 }
        frontier.end()
        let started = Set(outcomes.map(\.date))
        let notStarted = dates.filter { !started.contains($0) }

        var crossDateCount = 0
        if let worker {
            try worker.join()
            var nights = worker.pass.nights.map { ($0.date, $0.night) }
            // A later date's history files restated history a night had already read: the pass again from
            // that night, with fresh stages (their caches held the old values).
            if !control.stopRequested, let redo = worker.pass.firstDateToRedo(changes: database.historyChanges.changes()) {
                logger.info("cross-date stages again from \(redo): history read by them changed after")
                let again = CrossDatePass(stages: stages(loader).crossDate, config: pipeline, database: database, runId: runId)
                _ = try again.runCompleted(underlying: pipeline.underlying, from: redo, through: .distantFuture,
                                           stop: { control.stopRequested })
                nights = nights.filter { $0.0 < redo } + again.nights.map { ($0.date, $0.night) }
            }
            outcomes = CrossDatePass.merge(nights, into: outcomes)
            crossDateCount = nights.count
        }

        let status: RunStatus = control.stopRequested ? .interrupted
            : outcomes.contains { $0.status == .failed } ? .failed : .ok
        try finish(runId: runId, status: status, outcomes: outcomes, skipped: skipped, notStarted: notStarted, database: database)
        return RunReport(runId: runId, outcomes: outcomes, skipped: skipped, notStarted: notStarted, status: status,
                         stopSignal: control.stopSignal, crossDateCount: crossDateCount)
    }

    private func finish(runId: Int64, status: RunStatus, outcomes: [DateOutcome], skipped: [CalendarDate],
                        notStarted: [CalendarDate], database: VixShieldDatabase, error runError: String? = nil) throws {
        let failed = outcomes.filter { $0.status == .failed }
        var totals: [String: Int] = [:]
        for o in outcomes { totals.merge(o.counts) { $0 + $1 } }
        totals["dates"] = outcomes.count
        totals["dates_failed"] = failed.count
        totals["dates_no_trade"] = outcomes.filter { $0.status == .noTrade }.count
        let kept = outcomes.filter { $0.status == .keptPrevious }.count
        if kept > 0 { totals["dates_kept_previous"] = kept }
        if !skipped.isEmpty { totals["dates_skipped"] = skipped.count }
        if status == .interrupted { totals["dates_not_started"] = notStarted.count + outcomes.filter { $0.status == .interrupted }.count }
        let countsJSON = "{" + totals.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        let error: String? = runError ?? (status == .interrupted
            ? "interrupted by signal \(control.stopSignal ?? 0) after \(outcomes.filter { $0.status != .interrupted }.count) date(s)"
            : failed.first.map { "\($0.date): \($0.reason ?? "failed")" })
        try database.finishRun(
            id: runId, status: status, finishedAt: Timestamps.iso8601(settings.now()), countsJSON: countsJSON, error: error,
            diagnostics: outcomes.flatMap { o in o.diagnostics.map { (o.date.isoString, $0.stage.rawValue, $0.diagnostic) } },
            stageTimings: outcomes.flatMap { o in
                o.stageMilliseconds.map { RunStageTimingRecord(runId: runId, asOf: o.date.isoString, stage: $0.stage.rawValue,
                                                               elapsedMs: ($0.milliseconds * 1000).rounded() / 1000) }
            })
    }

    private static func log(_ outcome: DateOutcome, logger: Logger) {
        let date = outcome.date
        switch outcome.status {
        case .ok: logger.info("\(date): \(outcome.counts["trades"] ?? 0) trade row(s), \(outcome.counts["option_quotes"] ?? 0) quotes")
        case .noTrade: logger.warning("\(date): no trade: \(outcome.reason ?? "")")
        case .failed: logger.error("\(date): failed: \(outcome.reason ?? "")")
        case .interrupted: logger.warning("\(date): \(outcome.reason ?? "interrupted")")
        case .keptPrevious: logger.warning("\(date): kept the earlier complete result; this attempt: \(outcome.reason ?? "")")
        }
    }

    /// Maps `items` on `jobs` threads of its own (never the Swift concurrency pool), keeping the order.
    /// `body` gets the item and a function that counts it as finished and returns how many are. Once
    /// `stop` says so no new item starts; the slots of items never started are nil.
    static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, stop: @escaping @Sendable () -> Bool = { false },
                                                      _ body: @escaping @Sendable (T, () -> Int) -> R) -> [R?] {
        let state = ParallelState<R>(count: items.count)
        let workers = max(1, min(jobs, items.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                while !stop(), let i = state.claim() {
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

    func results() -> [R?] { lock.withLock { slots } }
}
