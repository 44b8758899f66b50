import ArgumentParser
import Foundation
import Logging
import Pipeline
import SampleMarket
import Store
import VixShieldCore

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the nightly job for one as-of date.",
        discussion: """
            Without --date: the pipeline's default_date if it has one (the sample pipeline pins its \
            simulated market's last day), else today in New York once the close has passed, else the \
            previous trading day. A date that is not a trading day is reported and exits 0. SIGINT or \
            SIGTERM lets the date in flight land or roll back whole, closes the run as interrupted and \
            exits 130 or 143.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var pipelineOptions: PipelineOptions

    @Option(help: "As-of session date (YYYY-MM-DD).")
    var date: CalendarDate?

    func run() throws {
        let logger = common.bootstrapLogging()
        let pipeline: PipelineConfig
        do { pipeline = try pipelineOptions.load() } catch { throw failure("\(error)") }
        let asOf: CalendarDate
        if let given = date ?? pipeline.defaultDate {
            if let problem = AsOfDate.unsupported(given, date == nil ? "default_date" : "--date") {
                throw failure(problem, code: ExitStatus.usage.rawValue)
            }
            asOf = given
        } else {
            switch AsOfDate.nightly(now: try Clock.now()) {
            case .session(let today): asOf = today
            case .notTradingDay(let today, let name):
                print("\(today) is not a trading day (\(name)); nothing to do.")
                return
            case .beforeClose(let today, let close, let now):
                let previous = TradingCalendar.nyse.previousTradingDay(before: today)
                throw failure("it is \(now.iso8601) in New York, before \(today)'s session is complete (close \(close.iso8601) plus 15 minutes); "
                              + "nothing was run. Pass --date \(previous) to run the previous session.", code: ExitStatus.beforeClose.rawValue)
            }
        }
        if let closure = AsOfDate.closure(asOf) {
            print("\(asOf) is not a trading day (\(closure)); nothing to do.")
            return
        }
        try RunExecution(pipeline: pipeline, common: common, offline: pipelineOptions.offline, logger: logger)
            .execute([asOf], command: "run", jobs: 1, selection: .all)
    }
}

struct Backfill: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the nightly job for every trading day in a date range.",
        discussion: """
            Each date is independent: a failed date is recorded and the rest still run. Dates that already \
            completed with this pipeline (a trade or a decided no_trade) are skipped; dates that ended on a \
            missing or stale input, or failed, run again. --force reruns every date. On the embedded sample \
            pipeline the simulated market is extended to the range first. SIGINT or SIGTERM stops after the \
            dates in flight (exit 130 or 143); running the same command again continues. On a terminal a \
            progress line shows dates done, rate, ETA and failures; otherwise one log line per date. \
            --shard K/N runs every N-th trading day of the range (per-date stages only) into its own \
            database; `vixshield merge OUT SHARD...` combines the shards and runs the cross-date stages.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var pipelineOptions: PipelineOptions

    @Option(help: "First as-of date (YYYY-MM-DD).")
    var from: CalendarDate

    @Option(help: "Last as-of date (YYYY-MM-DD).")
    var to: CalendarDate

    @Option(help: "Dates processed at once.")
    var jobs: Int = 2

    @Flag(help: "Rerun every date, including those already complete.")
    var force = false

    @Flag(help: "Skip dates already complete (the default; kept for older scripts).")
    var resume = false

    @Option(help: ArgumentHelp("Only shard K of N: the trading days at positions K-1, K-1+N, ... of the range, per-date stages only.",
                               valueName: "K/N"))
    var shard: String?

    @Flag(help: "Only the cross-date stages (context, positions, hedge, outcomes), over the completed dates from --from on.")
    var crossDateOnly = false

    func validate() throws {
        guard from <= to else { throw ValidationError("--from \(from) is after --to \(to)") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 64") }
        if force && resume { throw ValidationError("--force and --resume contradict each other") }
        if let shard {
            do { _ = try Shard(parsing: shard) } catch { throw ValidationError("--shard: \(error)") }
            if crossDateOnly { throw ValidationError("--shard runs the per-date stages only; --cross-date-only contradicts it") }
        }
    }

    func run() throws {
        let logger = common.bootstrapLogging()
        let pipeline: PipelineConfig
        for (date, name) in [(from, "--from"), (to, "--to")] {
            if let problem = AsOfDate.unsupported(date, name) { throw failure(problem, code: ExitStatus.usage.rawValue) }
        }
        do { pipeline = try pipelineOptions.load() } catch { throw failure("\(error)") }
        var dates = TradingCalendar.nyse.tradingDays(from: from, through: to)
        // validate() has parsed it already.
        if let shard = try shard.map(Shard.init(parsing:)) { dates = shard.select(dates) }
        guard !dates.isEmpty else {
            print("no trading days between \(from) and \(to)\(shard.map { " in shard \($0)" } ?? ""); nothing to do.")
            return
        }
        let phases: RunPhases = shard != nil ? .perDateOnly : crossDateOnly ? .crossDateOnly : .all
        try RunExecution(pipeline: pipeline, common: common, offline: pipelineOptions.offline, logger: logger)
            .execute(dates, command: "backfill", jobs: jobs, selection: force ? .all : .skipCompleted, phases: phases)
    }
}

/// The wall clock: the only place `vixshield` reads it. `VIXSHIELD_NOW` (an ISO-8601 instant with offset)
/// pins it, for tests and for replaying what the nightly job would have done at a given moment.
enum Clock {
    static func now() throws -> Date {
        guard let pinned = ProcessInfo.processInfo.environment["VIXSHIELD_NOW"] else { return Date() }
        guard let date = ISO8601DateFormatter().date(from: pinned) else {
            throw failure("VIXSHIELD_NOW: not an ISO-8601 instant with offset: '\(pinned)'", code: ExitStatus.usage.rawValue)
        }
        return date
    }
}

/// What `run` and `backfill` share: the sample feed, signal handling, the runner, the summary and the exit code.
struct RunExecution {
    let pipeline: PipelineConfig
    let common: CommonOptions
    let offline: Bool
    let logger: Logger

    func execute(_ dates: [CalendarDate], command: String, jobs: Int, selection: DateSelection, phases: RunPhases = .all) throws {
        if let sim = pipeline.simulation, !offline, phases != .crossDateOnly, let first = dates.first, let last = dates.last {
            do {
                let written = try SampleFeed.ensure(SampleFeed.Spec(seed: sim.seed, from: sim.from, to: sim.to), covering: first...last,
                                                    directory: URLTemplate.simulatedDirectory(in: common.dataDirectory))
                if !written.isEmpty {
                    logger.info("simulated market (seed \(sim.seed)): wrote \(written.count) chain day(s) in \(URLTemplate.simulatedDirectory(in: common.dataDirectory).path)")
                }
            } catch {
                throw failure("\(error)")
            }
        }
        let control = RunControl()
        let signals = SignalForwarder(control: control, logger: logger)
        defer { signals.restore() }
        let settings = RunSettings(pipeline: pipeline, databasePath: common.databasePath, dataDir: common.dataDirectory, offline: offline)
        // A progress line on a terminal only; logs and cron output stay line-oriented (one line per date).
        let line = isatty(STDERR_FILENO) == 1 && dates.count > 1 && phases != .crossDateOnly ? ProgressLine(total: dates.count) : nil
        let clock = ContinuousClock()
        let started = clock.now
        line?.start()
        var progress: (@Sendable (Int, Int, DateOutcome) -> Void)? = nil
        if let line { progress = { _, _, outcome in line.record(outcome) } }
        let report: RunReport
        do {
            report = try PipelineRunner(settings: settings, logger: logger, control: control)
                .run(command: command, dates: dates, jobs: jobs, selection: selection, phases: phases, logDates: line == nil,
                     progress: progress)
            line?.end()
        } catch let busy as WriterLock.Busy {
            line?.end()
            throw failure("\(busy)", code: ExitStatus.busy.rawValue)
        } catch {
            line?.end()
            throw failure("\(error)")
        }
        for o in report.outcomes where o.status != .interrupted {
            let detail = o.reason.map { ": \($0)" } ?? ""
            print("\(o.date) \(o.status.rawValue) (run \(report.runId))\(detail)")
        }
        if !report.skipped.isEmpty {
            print("\(report.skipped.count) date(s) already complete, skipped (--force reruns them)")
        }
        if phases == .crossDateOnly {
            print("cross-date stages over \(report.crossDateCount) completed date(s) (run \(report.runId))")
        } else if command == "backfill" {
            var meter = ProgressMeter(total: dates.count)
            for o in report.outcomes where o.status != .interrupted { meter.record(o.status) }
            meter.skipped = report.skipped.count
            logger.info("backfill\(phases == .perDateOnly ? " (per-date stages only)" : ""): \(meter.summary(elapsedSeconds: (clock.now - started).seconds))")
        }
        let exit = report.exitStatus
        switch exit {
        case .interruptedByInt, .interruptedByTerm:
            let done = report.outcomes.filter { $0.status != .interrupted }.count
            let left = report.notStarted.count + report.outcomes.filter { $0.status == .interrupted }.count
            FileHandle.standardError.write(Data("vixshield: interrupted: \(done) date(s) done, \(left) not run; run \(report.runId) closed as interrupted\n".utf8))
        case .failed:
            if let failed = report.outcomes.last(where: { $0.status == .failed }) {
                FileHandle.standardError.write(Data("vixshield: \(failed.date): \(failed.reason ?? "failed")\n".utf8))
            }
        case .inputMissing:
            if let missing = report.outcomes.last(where: { $0.reasons.contains(where: \.isInputProblem) }) {
                FileHandle.standardError.write(Data("vixshield: \(missing.date): \(missing.reason ?? "missing input")\n".utf8))
            }
        case .ok, .usage, .beforeClose, .busy: break
        }
        if exit != .ok { throw ExitCode(exit.rawValue) }
    }
}

/// The updating progress line on a terminal (stderr): redrawn after every date; a date that did not end
/// `ok` gets its own line above it, with its reason.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var meter: ProgressMeter
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant

    init(total: Int) {
        meter = ProgressMeter(total: total)
        started = clock.now
    }

    func start() { lock.withLock { draw(nil) } }

    func record(_ outcome: DateOutcome) {
        lock.withLock {
            meter.record(outcome.status)
            draw(outcome.status == .ok ? nil : "\(outcome.date) \(outcome.status.rawValue): \(outcome.reason ?? "")")
        }
    }

    /// Clears the line, so what follows starts on a clean one.
    func end() { lock.withLock { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }

    private func draw(_ note: String?) {
        var text = "\r\u{1B}[K"
        if let note { text += note + "\n" }
        text += meter.line(elapsedSeconds: (clock.now - started).seconds)
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension Duration {
    /// The duration in seconds, for rates and ETAs.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Turns the first SIGINT or SIGTERM into a stop request (the dates in flight finish or roll back whole);
/// a second one ends the process at once (SQLite rolls back any open transaction).
final class SignalForwarder: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(control: RunControl, logger: Logger) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if control.stopRequested { _exit(128 + sig) }
                control.requestStop(signal: sig)
                FileHandle.standardError.write(Data("vixshield: stopping after the date(s) in flight (signal \(sig) again to stop now)\n".utf8))
            }
            source.resume()
            sources.append(source)
        }
    }

    func restore() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
