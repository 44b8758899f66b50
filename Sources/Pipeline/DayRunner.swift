import Foundation
import Store
import VixShieldCore

/// How one as-of date ended.
public struct DateOutcome: Sendable {
    public var date: CalendarDate
    public var status: DateStatus
    /// Why the date has no trade (empty for a traded date or a failed one).
    public var reasons: [NoTradeReason]
    /// The hard error of a failed date.
    public var failure: String?
    public var counts: [String: Int]
    public var diagnostics: [(stage: StageName, diagnostic: Diagnostic)]
    /// Wall time of each stage's run and write, in milliseconds (ledger only).
    public var stageMilliseconds: [(stage: StageName, milliseconds: Double)]

    /// One line: why the date failed or why there is no trade.
    public var reason: String? { failure ?? (reasons.isEmpty ? nil : NoTradeReason.line(reasons)) }
}

/// Runs the per-date stages of one as-of date: every stage's `run` in order, then every stage's `write`
/// and the date's completion record in one transaction. A date therefore lands whole or not at all, and
/// a completion record always describes data that is there.
struct DayRunner: Sendable {
    let stages: StageList
    let config: PipelineConfig
    let database: VixShieldDatabase
    let runId: Int64
    let control: RunControl
    let now: @Sendable () -> Date

    func run(_ date: CalendarDate) -> DateOutcome {
        var outcome = DateOutcome(date: date, status: .ok, reasons: [], failure: nil, counts: [:], diagnostics: [],
                                  stageMilliseconds: [])
        var day = DayContext(date: date, config: config, runId: runId, store: database)
        var elapsed: [StageName: Double] = [:]
        for stage in stages.perDate {
            if control.stopRequested {
                outcome.status = .interrupted
                outcome.failure = "interrupted before \(stage.name): nothing of \(date) was written"
                return outcome
            }
            let started = DispatchTime.now()
            do {
                let result = try stage.run(&day)
                outcome.diagnostics += result.diagnostics.map { (stage.name, $0) }
                outcome.counts.merge(result.counts) { $1 }
            } catch {
                return failed(outcome, stage.name, error.message)
            }
            elapsed[stage.name] = Self.milliseconds(since: started)
        }
        outcome.reasons = day.noTradeReasons
        outcome.status = day.noTradeReasons.isEmpty ? .ok : .noTrade
        // Never worse than before: an attempt that could not decide the date leaves an earlier decision alone.
        if day.noTradeReasons.contains(where: \.isUndecided) {
            do {
                if let previous = try database.dateCompletion(asOf: date, underlying: config.underlying), !previous.retry {
                    outcome.status = .keptPrevious
                    let line = "\(NoTradeReason.line(day.noTradeReasons)); the complete result of run \(previous.runId) "
                        + "(\(previous.status), completed \(previous.completedAt)) is kept"
                    outcome.diagnostics.append((.ingest, Diagnostic(.warning, date.isoString, line)))
                    outcome.stageMilliseconds = stages.perDate.map { ($0.name, elapsed[$0.name] ?? 0) }
                    return outcome
                }
            } catch {
                return failed(outcome, .ingest, "reading the earlier completion of \(date): \(error)")
            }
        }
        let completion = DateCompletionRecord(
            asOf: date.isoString, underlying: config.underlying, status: outcome.status == .ok ? "ok" : "no_trade",
            reasonCodes: day.noTradeReasons.map(\.code).joined(separator: ","),
            reason: outcome.reasons.isEmpty ? nil : NoTradeReason.line(outcome.reasons),
            retry: day.noTradeReasons.contains(where: \.isInputProblem), pipelineSha256: config.sha256, runId: runId,
            completedAt: Timestamps.iso8601(now()))
        var writing = StageName.ingest
        do {
            try database.transaction { tx in
                for stage in stages.perDate {
                    writing = stage.name
                    let started = DispatchTime.now()
                    try stage.write(day, tx)
                    elapsed[stage.name, default: 0] += Self.milliseconds(since: started)
                }
                try tx.recordCompletion(completion)
            }
        } catch {
            return failed(outcome, writing, "storing \(writing): \(error)")
        }
        outcome.stageMilliseconds = stages.perDate.map { ($0.name, elapsed[$0.name] ?? 0) }
        return outcome
    }

    private func failed(_ outcome: DateOutcome, _ stage: StageName, _ message: String) -> DateOutcome {
        var o = outcome
        o.status = .failed
        o.failure = message
        o.reasons = []
        o.diagnostics.append((stage, Diagnostic(.error, o.date.isoString, message)))
        return o
    }

    static func milliseconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
    }
}

/// Lets a signal handler stop a run between dates and between stages (never inside a transaction).
public final class RunControl: @unchecked Sendable {
    private let lock = NSLock()
    private var signal: Int32?

    public init() {}

    /// Asks the run to stop; the first signal wins.
    public func requestStop(signal: Int32) { lock.withLock { if self.signal == nil { self.signal = signal } } }

    public var stopRequested: Bool { lock.withLock { signal != nil } }

    /// The signal that stopped the run (SIGINT or SIGTERM), if one did.
    public var stopSignal: Int32? { lock.withLock { signal } }
}

/// ISO-8601 timestamps with offset for the ledger (`fetched_at`, `started_at`, `completed_at`).
enum Timestamps {
    static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
