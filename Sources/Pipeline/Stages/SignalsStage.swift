import Foundation
import Signals
import Store
import VixShieldCore

/// Indicators of SPX and the VIX and the per-kind event statistics, over the index history through the
/// as-of date. Independent of the option chain: a date whose chain is missing or gated still gets them.
struct SignalsStage: DailyStage {
    struct Output: Sendable {
        var indicators: [IndicatorRecord]
        var summaries: [EventReactionSummaryRecord]
        /// Per-kind statistics for the projection's event-variance priors.
        var study: EventReactionStudy?
    }

    static let name = StageName.signals
    static let inputs: [StageName] = [.normalize]
    /// The symbols indicators are computed for; breadth is measured against the first.
    static let symbols = ["SPX", "VIX"]

    func run(_ day: DayContext) throws(StageFailure) -> StageResult<Output> {
        let normalized = day.output(of: NormalizeStage.self).day
        let todayBars = normalized.bars.flatMap(\.rows)
        let settings = day.config.signals
        var result = StageResult(output: Output(indicators: [], summaries: [], study: nil))
        do {
            let universe = settings.breadthUniverse ?? normalized.breadth.flatMap(\.rows).first?.universe
            let breadth = try universe.map {
                try HistoryInputs.breadth(universe: $0, through: day.date, store: day.store, today: normalized.breadth.flatMap(\.rows))
            }
            for symbol in Self.symbols {
                let bars = try HistoryInputs.bars(symbol: symbol, through: day.date, store: day.store, today: todayBars)
                let withBreadth = symbol == Self.symbols[0] ? breadth : nil
                guard let row = try DailyIndicators.row(asOf: day.date, bars: bars, breadth: withBreadth, settings: settings.indicators) else {
                    result.diagnostics.append(Diagnostic(.info, symbol, "no \(symbol) bar on \(day.date): no indicators"))
                    continue
                }
                result.output.indicators.append(Self.record(row, symbol: symbol, close: bars.values.last!.close,
                                                            universe: withBreadth == nil ? nil : universe))
            }
            if let spx = try HistoryInputs.closes(symbol: "SPX", through: day.date, store: day.store, today: todayBars) {
                let vix = try HistoryInputs.closes(symbol: "VIX", through: day.date, store: day.store, today: todayBars)
                let events = normalized.events.flatMap(\.rows)
                let study = try EventReactions.study(events: events, spxCloses: spx, vixCloses: vix, asOf: day.date)
                result.output.study = study
                result.output.summaries = study.summaries.values.sorted { $0.kind < $1.kind }.compactMap { Self.record($0, asOf: day.date) }
            }
        } catch {
            throw StageFailure("signals: \(error)")
        }
        result.counts["indicators"] = result.output.indicators.count
        return result
    }

    func write(_ output: Output, day: DayContext, to tx: StoreTransaction) throws {
        try tx.replaceIndicators(date: day.date, rows: output.indicators)
        try tx.replaceEventReactionSummaries(asOf: day.date, rows: output.summaries)
    }

    static func record(_ row: IndicatorRow, symbol: String, close: Double, universe: String?) -> IndicatorRecord {
        let rv = row.realizedVolatility
        return IndicatorRecord(
            date: row.date.isoString, symbol: symbol, close: close, rsi14: row.rsi, rsiBandLow: row.rsiBandLow,
            rsiBandHigh: row.rsiBandHigh, macdLine: row.macd?.line, macdSignal: row.macd?.signal, macdHistogram: row.macd?.histogram,
            rvCc10: rv[.closeToClose]?[10], rvCc21: rv[.closeToClose]?[21], rvParkinson10: rv[.parkinson]?[10],
            rvParkinson21: rv[.parkinson]?[21], rvGk10: rv[.garmanKlass]?[10], rvGk21: rv[.garmanKlass]?[21],
            rvYz10: rv[.yangZhang]?[10], rvYz21: rv[.yangZhang]?[21], adLine: row.advanceDeclineLine,
            adDivergence: row.divergence?.rawValue, breadthUniverse: universe)
    }

    /// Nil for a kind without reactions yet (no quantiles to store).
    static func record(_ s: EventReactionSummary, asOf: CalendarDate) -> EventReactionSummaryRecord? {
        let q = s.absoluteMoveQuantiles
        guard s.count > 0, q.count == EventReactionSummary.quantileProbabilities.count else { return nil }
        return EventReactionSummaryRecord(
            asOf: asOf.isoString, kind: s.kind.name, count: s.count, meanAbsMove: s.meanAbsoluteMove,
            absMoveQ25: q[0], absMoveQ50: q[1], absMoveQ75: q[2], absMoveQ90: q[3], meanSquaredMove: s.meanSquaredMove,
            normalSessionVariance: s.normalSessionVariance, excessVariancePrior: s.excessVariancePrior,
            meanVixChangePoints: s.meanVIXChangePoints)
    }
}
