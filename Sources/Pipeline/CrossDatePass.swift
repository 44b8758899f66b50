import Foundation
import Store
import VixShieldCore

/// The cross-date stages over completed dates in date order, each stage one transaction per date. A stage
/// that fails stops for the later dates (they depend on it) and fails the dates it reaches.
final class CrossDatePass {
    /// What the pass did on one date, merged into the date's outcome: `failure` is the last stage error,
    /// else the first stage not run (a stage error replaces the date's earlier failure; a stage not run
    /// does not).
    struct Night {
        var failure: String?
        var stageFailed = false
        var diagnostics: [(stage: StageName, diagnostic: Diagnostic)] = []
        var counts: [String: Int] = [:]
        var stageMilliseconds: [(stage: StageName, milliseconds: Double)] = []
    }

    private let stages: [AnyCrossDateStage]
    private let config: PipelineConfig
    private let database: VixShieldDatabase
    private let runId: Int64
    private var broken: [StageName: String] = [:]
    /// The dates run so far, in order, each with the length of the history change log before its stages
    /// read anything (every change before that index was committed, so seen).
    private(set) var nights: [(date: CalendarDate, changesSeen: Int, night: Night)] = []

    init(stages: [AnyCrossDateStage], config: PipelineConfig, database: VixShieldDatabase, runId: Int64) {
        (self.stages, self.config, self.database, self.runId) = (stages, config, database, runId)
    }

    func run(_ date: CalendarDate) {
        let changesSeen = database.historyChanges.count
        var night = Night()
        for stage in stages {
            if let cause = broken[stage.name] ?? stage.inputs.compactMap({ broken[$0] }).first {
                night.failure = night.failure ?? "\(stage.name) not run: \(cause)"
                continue
            }
            let started = DispatchTime.now()
            do {
                let result = try stage.runAndWrite(date, config, database, runId)
                night.diagnostics += result.diagnostics.map { (stage.name, $0) }
                night.counts.merge(result.counts) { $1 }
            } catch {
                let message = "\(stage.name): \(error)"
                broken[stage.name] = "\(date): \(message)"
                night.failure = message
                night.stageFailed = true
                night.diagnostics.append((stage.name, Diagnostic(.error, date.isoString, message)))
            }
            night.stageMilliseconds.append((stage.name, DayRunner.milliseconds(since: started)))
        }
        nights.append((date, changesSeen, night))
    }

    /// Runs every date of `underlying` completed in the range, in date order, until `stop` says so; returns
    /// the last date run.
    func runCompleted(underlying: String, from: CalendarDate, through: CalendarDate, stop: () -> Bool) throws -> CalendarDate? {
        var last: CalendarDate? = nil
        let completed = try database.dateCompletions(underlying: underlying, from: from, through: through)
        for date in completed.compactMap({ CalendarDate(iso: $0.asOf) }).sorted() where !stop() {
            run(date)
            last = date
        }
        return last
    }

    /// The first date run that may have read history a later commit changed (`changes`: the log's
    /// earliest affected dates, in commit order), nil when the pass stands as a pass after every per-date
    /// stage would have made it. A redo starts no later than the first failed night, so the stages that
    /// broke there stay broken for the nights after it.
    func firstDateToRedo(changes: [CalendarDate]) -> CalendarDate? {
        var first: CalendarDate? = nil
        for (index, changed) in changes.enumerated() {
            // The change came after this night noted the log (it may not have seen it) and is dated in its reach.
            if let n = nights.first(where: { $0.date >= changed && $0.changesSeen <= index }) {
                first = min(first ?? n.date, n.date)
            }
        }
        guard let first else { return nil }
        return min(first, nights.first { $0.night.failure != nil }?.date ?? first)
    }

    /// The outcomes with each date's night merged in. A date the per-date phase did not run (a resumed
    /// date, or one completed outside the range) is reported only when its night failed.
    static func merge(_ nights: [(date: CalendarDate, night: Night)], into outcomes: [DateOutcome]) -> [DateOutcome] {
        var byDate = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.date, $0) })
        for (date, night) in nights {
            var outcome = byDate[date] ?? DateOutcome(date: date, status: .ok, reasons: [], failure: nil, counts: [:],
                                                      diagnostics: [], stageMilliseconds: [])
            let wasListed = byDate[date] != nil
            if let failure = night.failure {
                outcome.status = .failed
                outcome.failure = night.stageFailed ? failure : outcome.failure ?? failure
            }
            outcome.diagnostics += night.diagnostics
            outcome.counts.merge(night.counts) { $1 }
            outcome.stageMilliseconds += night.stageMilliseconds
            if wasListed || night.failure != nil { byDate[date] = outcome }
        }
        return byDate.values.sorted { $0.date < $1.date }
    }
}

/// How far the per-date phase has come in date order: the first of its dates not finished yet, nil once
/// every one finished or the phase ended. The cross-date pass runs every completed date before it.
final class DateFrontier: @unchecked Sendable {
    private let condition = NSCondition()
    private let dates: [CalendarDate]
    private var finished: Set<CalendarDate> = []
    private var next = 0
    private var ended = false

    init(_ dates: [CalendarDate]) { self.dates = dates.sorted() }

    func finish(_ date: CalendarDate) {
        condition.withLock {
            finished.insert(date)
            while next < dates.count, finished.contains(dates[next]) { next += 1 }
            condition.broadcast()
        }
    }

    /// The phase is over (every date ran, or the run was stopped).
    func end() { condition.withLock { ended = true; condition.broadcast() } }

    var boundary: CalendarDate? { condition.withLock { ended || next == dates.count ? nil : dates[next] } }

    /// Waits until the boundary is no longer `seen`, and returns it.
    func wait(past seen: CalendarDate) -> CalendarDate? {
        condition.withLock {
            while !ended, next < dates.count, dates[next] == seen { condition.wait() }
            return ended || next == dates.count ? nil : dates[next]
        }
    }
}

/// Runs a cross-date pass on a thread of its own (its stages block on SQLite) beside the per-date phase:
/// each completed date from `first` on once the frontier has passed it, then, once the phase is over,
/// every completed date left.
final class CrossDateWorker: @unchecked Sendable {
    let pass: CrossDatePass
    private let first: CalendarDate
    private let frontier: DateFrontier
    private let underlying: String
    private let control: RunControl
    private let done = DispatchSemaphore(value: 0)
    private var failure: (any Error)?

    init(pass: CrossDatePass, first: CalendarDate, frontier: DateFrontier, underlying: String, control: RunControl) {
        (self.pass, self.first, self.frontier, self.underlying, self.control) = (pass, first, frontier, underlying, control)
    }

    func start() {
        // The thread holds the worker (and so the database) only while it works: a database still held
        // when the process exits is never closed, and its write-ahead log is left behind.
        let done = self.done
        let thread = Thread { [weak self] in
            if let self {
                do { try work() } catch { failure = error }
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the pass to end; rethrows a failed read of the completed dates.
    func join() throws {
        done.wait()
        if let failure { throw failure }
    }

    private func work() throws {
        var last: CalendarDate? = nil
        var boundary = frontier.boundary
        while !control.stopRequested {
            last = try pass.runCompleted(underlying: underlying, from: last?.adding(days: 1) ?? first,
                                         through: boundary?.adding(days: -1) ?? .distantFuture,
                                         stop: { control.stopRequested }) ?? last
            guard let seen = boundary else { return }
            boundary = frontier.wait(past: seen)
        }
    }
}
