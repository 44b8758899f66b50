import Foundation
import Store
import VixShieldCore

// MARK: - The stage contract

/// What a stage's `run` returns: its output, what it noticed, and any reason the date cannot trade.
struct StageResult<Output: Sendable>: Sendable {
    var output: Output
    var diagnostics: [Diagnostic] = []
    /// Reasons this date must not trade (the runner collects them and owns the no-trade decision).
    var noTrade: [NoTradeReason] = []
    /// Row counts for the run summary.
    var counts: [String: Int] = [:]
}

/// A hard error of one stage on one date: the date fails and none of its partitions is written.
struct StageFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// A per-date stage: a function of one as-of date, the declared outputs of earlier stages and the
/// history stored before the date. `run` computes (no writes); `write` replaces the stage's own partition
/// inside the date's single transaction, so a date lands whole or not at all.
protocol DailyStage: Sendable {
    associatedtype Output: Sendable
    static var name: StageName { get }
    /// Earlier stages whose outputs `run` reads through `DayContext.output(of:)`.
    static var inputs: [StageName] { get }
    func run(_ day: DayContext) throws(StageFailure) -> StageResult<Output>
    func write(_ output: Output, day: DayContext, to tx: StoreTransaction) throws
}

/// A cross-date stage: runs one date at a time in date order, each date once the per-date stages of every
/// date up to it have finished (beside the per-date stages of later dates), and reads only stored state
/// dated up to its date (yesterday's positions, settlements since a recommendation) plus the event
/// calendar, whose changes the store logs like history's.
protocol CrossDateStage: Sendable {
    associatedtype Output: Sendable
    static var name: StageName { get }
    /// Stages (per-date, or earlier cross-date ones) whose stored results `run` reads.
    static var inputs: [StageName] { get }
    /// `runId` is the ledger row of the run, for output rows that record it.
    func run(date: CalendarDate, config: PipelineConfig, store: VixShieldDatabase, runId: Int64) throws(StageFailure) -> StageResult<Output>
    func write(_ output: Output, date: CalendarDate, config: PipelineConfig, to tx: StoreTransaction) throws
}

// MARK: - What a per-date stage sees

/// One as-of date in flight: its identity, the outputs of the stages that ran so far, and the reasons
/// collected against trading it. Stages read earlier outputs only through `output(of:)`, and only those
/// they declared.
struct DayContext: Sendable {
    let date: CalendarDate
    /// The trading day the recommendations are for (the next session).
    let forDate: CalendarDate
    let config: PipelineConfig
    let runId: Int64
    /// Stored state; a stage reads history through its typed reads.
    let store: VixShieldDatabase
    fileprivate(set) var noTradeReasons: [NoTradeReason] = []
    fileprivate var outputs: [StageName: any Sendable] = [:]
    fileprivate var reading: (stage: StageName, inputs: [StageName])?

    init(date: CalendarDate, config: PipelineConfig, runId: Int64, store: VixShieldDatabase) {
        self.date = date
        self.forDate = TradingCalendar.nyse.nextTradingDay(after: date)
        self.config = config
        self.runId = runId
        self.store = store
    }

    /// The output of an earlier stage this stage declared as an input.
    func output<S: DailyStage>(of stage: S.Type) -> S.Output {
        if let reading {
            precondition(reading.inputs.contains(S.name), "stage \(reading.stage) reads \(S.name) without declaring it")
        }
        guard let value = outputs[S.name] as? S.Output else {
            preconditionFailure("stage \(S.name) has not run before \(reading?.stage.rawValue ?? "the caller")")
        }
        return value
    }
}

// MARK: - The stage list

/// A per-date stage with its types erased, so the runner can hold an ordered list.
struct AnyDailyStage: Sendable {
    let name: StageName
    let inputs: [StageName]
    /// Runs the stage and stores its output in the context; returns what the runner records.
    let run: @Sendable (inout DayContext) throws(StageFailure) -> (diagnostics: [Diagnostic], counts: [String: Int])
    let write: @Sendable (DayContext, StoreTransaction) throws -> Void

    init<S: DailyStage>(_ stage: S) {
        name = S.name
        inputs = S.inputs
        run = { (day: inout DayContext) throws(StageFailure) in
            day.reading = (S.name, S.inputs)
            defer { day.reading = nil }
            let result = try stage.run(day)
            day.outputs[S.name] = result.output
            day.noTradeReasons += result.noTrade
            return (result.diagnostics, result.counts)
        }
        write = { day, tx in
            guard let output = day.outputs[S.name] as? S.Output else { return }
            try stage.write(output, day: day, to: tx)
        }
    }
}

/// A cross-date stage with its types erased.
struct AnyCrossDateStage: Sendable {
    let name: StageName
    let inputs: [StageName]
    let runAndWrite: @Sendable (CalendarDate, PipelineConfig, VixShieldDatabase, Int64) throws -> (diagnostics: [Diagnostic], counts: [String: Int])

    init<S: CrossDateStage>(_ stage: S) {
        name = S.name
        inputs = S.inputs
        runAndWrite = { date, config, store, runId in
            let result = try stage.run(date: date, config: config, store: store, runId: runId)
            try store.transaction { tx in try stage.write(result.output, date: date, config: config, to: tx) }
            return (result.diagnostics, result.counts)
        }
    }
}

/// The ordered stages of a run: per-date stages (dates in parallel) and cross-date stages (dates in order,
/// each after the per-date stages of every date up to it). Built once and checked, so no stage can read an input that has not been produced.
struct StageList: Sendable {
    let perDate: [AnyDailyStage]
    let crossDate: [AnyCrossDateStage]

    init(perDate: [AnyDailyStage], crossDate: [AnyCrossDateStage] = []) throws(StageFailure) {
        var seen: [StageName] = []
        for stage in perDate {
            guard !seen.contains(stage.name) else { throw StageFailure("stage list: \(stage.name) appears twice") }
            for input in stage.inputs where !seen.contains(input) {
                throw StageFailure("stage list: \(stage.name) reads \(input), which does not run before it")
            }
            seen.append(stage.name)
        }
        for stage in crossDate {
            guard !seen.contains(stage.name) else { throw StageFailure("stage list: \(stage.name) appears twice") }
            for input in stage.inputs where !seen.contains(input) {
                throw StageFailure("stage list: cross-date stage \(stage.name) reads \(input), which does not run before it")
            }
            seen.append(stage.name)
        }
        self.perDate = perDate
        self.crossDate = crossDate
    }

    /// The nightly job: ingest → normalize → surface → signals → project → recommend per date, then the
    /// context, position advice, the layered hedge and the outcomes of expired recommendations in date order.
    static func standard(loader: PayloadLoader) -> StageList {
        // The standard list satisfies its own declarations; `try!` would only fire on a programming error
        // that every test run would hit first.
        let book = HistoryInputs.OpenBookMemo()
        return try! StageList(perDate: [
            AnyDailyStage(IngestStage(loader: loader)),
            AnyDailyStage(NormalizeStage()),
            AnyDailyStage(SurfaceStage()),
            AnyDailyStage(SignalsStage()),
            AnyDailyStage(ProjectStage()),
            AnyDailyStage(RecommendStage()),
        ], crossDate: [
            AnyCrossDateStage(ContextStage()),
            AnyCrossDateStage(PositionsStage(book: book)),
            AnyCrossDateStage(HedgeStage(book: book)),
            AnyCrossDateStage(OutcomeStage()),
        ])
    }
}
