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
        var reasons: [NoTradeReason] = []
        // A daily curve file with a header and no contracts parses as an empty payload (valid for a
        // per-contract history); for the night's curve it is an input that did not arrive.
        let curveKinds: Set<String> = [SourceKind.cfeVXCurve.rawValue, SourceKind.cfeSettlementCSV.rawValue]
        for payload in payloads where curveKinds.contains(payload.source.kind)
            && !normalized.futures.contains(where: { $0.source == payload.source.name && !$0.rows.isEmpty }) {
            let detail = "the VX curve has no contracts (header only or empty); refused"
            diagnostics.append(Diagnostic(payload.source.required ? .error : .warning, payload.source.name, detail))
            if payload.source.required { reasons.append(.missingInput(source: payload.source.name, detail: detail)) }
        }
        do {
            for refused in try Self.curvesCopiedFromOtherDates(normalized, day: day) {
                normalized.dropFutures(source: refused.source)
                let required = day.config.sources.first { $0.name == refused.source }?.required ?? true
                let detail = "the VX curve is identical to the one archived for \(refused.otherDate): the endpoint answered with another day's curve; refused"
                diagnostics.append(Diagnostic(required ? .error : .warning, refused.source, detail))
                if required { reasons.append(.missingInput(source: refused.source, detail: detail)) }
            }
        } catch {
            throw StageFailure("checking the VX curve against stored curves: \(error)")
        }
        let gate = normalized.gateChain(underlying: day.config.underlying)
        diagnostics += gate.diagnostics
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

    /// Sources whose VX curve for the as-of date equals, price for price, a curve stored for another trade
    /// date nearby: a rolling-window endpoint (Cboe's settlement CSV) answers an old date with a later file.
    static func curvesCopiedFromOtherDates(_ normalized: NormalizedDay, day: DayContext) throws -> [(source: String, otherDate: CalendarDate)] {
        var out: [(String, CalendarDate)] = []
        let nearby = try day.store.vixFutures(from: day.date.adding(days: -14), through: day.date.adding(days: 14))
        let stored = Dictionary(grouping: nearby.filter { $0.tradeDate != day.date.isoString }, by: { "\($0.source)|\($0.tradeDate)" })
        for f in normalized.futures {
            let today = f.rows.filter { $0.tradeDate == day.date }
            guard today.count >= 2 else { continue }
            let fingerprint = Adapters.curveFingerprint(today)
            for (key, rows) in stored.sorted(by: { $0.key < $1.key }) where key.hasPrefix("\(f.source)|") {
                let other = rows.compactMap(HistoryInputs.settlement)
                if Adapters.curveFingerprint(other) == fingerprint, let date = other.first?.tradeDate {
                    out.append((f.source, date))
                    break
                }
            }
        }
        return out
    }

    func write(_ output: Output, day: DayContext, to tx: StoreTransaction) throws {
        try output.day.write(tx)
    }
}
