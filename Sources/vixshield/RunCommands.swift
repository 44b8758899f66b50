import ArgumentParser
import Foundation
import Logging
import Pipeline
import VixShieldCore

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the nightly job for one as-of date.",
        discussion: """
            Without --date: the pipeline's default_date if it has one (the sample pipeline pins its \
            simulated market's last day), else today in New York once the close has passed, else the \
            previous trading day. A date that is not a trading day is reported and exits 0.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var pipelineOptions: PipelineOptions

    @Option(help: "As-of session date (YYYY-MM-DD).")
    var date: String?

    func validate() throws {
        if let date { _ = try parseDate(date, flag: "--date") }
    }

    func run() throws {
        let logger = common.bootstrapLogging()
        let pipeline: PipelineConfig
        do { pipeline = try pipelineOptions.load() } catch { throw failure("\(error)") }
        let asOf = try date.map { try parseDate($0, flag: "--date") }
            ?? pipeline.defaultDate ?? AsOfDate.latestCompletedSession(now: Date())
        if let closure = AsOfDate.closure(asOf) {
            print("\(asOf) is not a trading day (\(closure)); nothing to do.")
            return
        }
        try Run.execute([asOf], command: "run", pipeline: pipeline, common: common, offline: pipelineOptions.offline, logger: logger)
    }

    /// Runs the dates and maps the outcome to the exit code; prints a one-line summary per date.
    static func execute(_ dates: [CalendarDate], command: String, pipeline: PipelineConfig, common: CommonOptions, offline: Bool,
                        logger: Logger, jobs: Int = 1, resume: Bool = false) throws {
        let settings = RunSettings(pipeline: pipeline, databasePath: common.databasePath, dataDir: common.dataDirectory, offline: offline)
        let report: RunReport
        // A progress line on a terminal only; logs and cron output stay line-oriented.
        var progress: (@Sendable (Int, Int, DateOutcome) -> Void)? = nil
        if isatty(STDERR_FILENO) == 1 && dates.count > 1 {
            progress = { done, total, outcome in
                let line = "[\(done)/\(total)] \(outcome.date) \(outcome.status.rawValue)\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        do {
            report = try PipelineRunner(settings: settings, logger: logger).run(command: command, dates: dates, jobs: jobs,
                                                                                skipDone: resume, progress: progress)
        } catch {
            FileHandle.standardError.write(Data("vixshield: \(error)\n".utf8))
            throw ExitCode(1)
        }
        for o in report.outcomes {
            let detail = o.reason.map { ": \($0)" } ?? ""
            print("\(o.date) \(o.status.rawValue) (run \(report.runId))\(detail)")
        }
        if let failed = report.outcomes.last(where: { $0.status == .failed }) {
            FileHandle.standardError.write(Data("vixshield: \(failed.date): \(failed.reason ?? "failed")\n".utf8))
            throw ExitCode(1)
        }
        if report.hasNoTradeForMissingInputs { throw ExitCode(3) }
    }
}

struct Backfill: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the nightly job for every trading day in a date range.",
        discussion: "Each date is independent: a failed date is recorded and the rest still run. Rerunning a range replaces its partitions; --resume skips the dates already done.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var pipelineOptions: PipelineOptions

    @Option(help: "First as-of date (YYYY-MM-DD).")
    var from: String

    @Option(help: "Last as-of date (YYYY-MM-DD).")
    var to: String

    @Option(help: "Dates processed at once.")
    var jobs: Int = 2

    @Flag(help: "Skip dates that already have recommendations (continue an interrupted backfill).")
    var resume = false

    func validate() throws {
        let a = try parseDate(from, flag: "--from"), b = try parseDate(to, flag: "--to")
        guard a <= b else { throw ValidationError("--from \(a) is after --to \(b)") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 64") }
    }

    func run() throws {
        let logger = common.bootstrapLogging()
        let pipeline: PipelineConfig
        do { pipeline = try pipelineOptions.load() } catch { throw failure("\(error)") }
        let dates = TradingCalendar.nyse.tradingDays(from: try parseDate(from, flag: "--from"), through: try parseDate(to, flag: "--to"))
        guard !dates.isEmpty else {
            print("no trading days between \(from) and \(to); nothing to do.")
            return
        }
        try Run.execute(dates, command: "backfill", pipeline: pipeline, common: common, offline: pipelineOptions.offline,
                        logger: logger, jobs: jobs, resume: resume)
    }
}

