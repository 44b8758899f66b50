import Foundation
import Ingest
import Store
import VixShieldCore

/// Parses every payload with its vendor adapter, sets the quality flags and runs the chain's quality
/// gate. A malformed payload fails the date before anything is written; stale history and a failed gate
/// are reasons not to trade, and the flagged rows are still stored.
struct NormalizeStage: DailyStage {
    struct Output: Sendable {
        var day: NormalizedDay
        /// The underlying's chain to trade, when it passed the gate.
        var tradableChain: OptionChainSnapshot?
    }

    static let name = StageName.normalize
    static let inputs: [StageName] = [.ingest]

    func run(_ day: DayContext) throws(StageFailure) -> StageResult<Output> {
        let payloads = day.output(of: IngestStage.self).payloads
        var diagnostics: [Diagnostic] = []
        var normalized = NormalizedDay(date: day.date)
        for payload in payloads {
            do {
                try normalized.add(payload, diagnostics: { diagnostics.append($0) })
            } catch {
                throw StageFailure("source \(payload.source.name): \(error)")
            }
        }
        if !day.config.sources.contains(where: { $0.kind == SourceKind.eventsCSV.rawValue }) {
            do {
                normalized.addEvents(try ShippedEvents.events(), source: ShippedEvents.path)
            } catch {
                throw StageFailure("\(ShippedEvents.path): \(error)")
            }
        }
        let gate = normalized.gateChain(underlying: day.config.underlying)
        diagnostics += gate.diagnostics
        var reasons: [NoTradeReason] = []
        for stale in normalized.staleHistorySources() {
            let reason = NoTradeReason.staleInput(source: stale.source, lastDate: stale.lastDate, asOf: day.date)
            let required = day.config.sources.first { $0.name == stale.source }?.required ?? true
            diagnostics.append(Diagnostic(required ? .error : .warning, stale.source, reason.description))
            if required { reasons.append(reason) }
        }
        if let failure = gate.failure { reasons.append(.qualityGate(failure)) }
        if gate.chain == nil, reasons.isEmpty, day.noTradeReasons.isEmpty {
            reasons.append(.noChain(underlying: day.config.underlying))
        }
        return StageResult(output: Output(day: normalized, tradableChain: gate.chain), diagnostics: diagnostics,
                           noTrade: reasons, counts: normalized.counts)
    }

    func write(_ output: Output, day: DayContext, to tx: StoreTransaction) throws {
        try output.day.write(tx)
    }
}
