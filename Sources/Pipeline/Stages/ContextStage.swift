import Foundation
import Signals
import Store
import VixShieldCore
import VolMath

/// The volatility context (VIX term structure, VX curve, variance risk premium and their one-year ranks)
/// and the reactions to events released on the date. Cross-date: it reads the stored surfaces, VX curves
/// and event variances of earlier dates, so it runs after every date's per-date stages, in date order,
/// and a parallel backfill gives the same rows as a sequential one.
struct ContextStage: CrossDateStage {
    struct Output: Sendable {
        var context: VolContextRecord?
        var reactions: [EventReactionRecord]
    }

    static let name = StageName.context
    static let inputs: [StageName] = [.surface, .signals, .project]

    let indexHistory = PassHistory.indexHistory()
    let vxCurves = PassHistory.vixFutures()
    /// Before any stored bar: an index's history is read whole.
    static let historyStart = CalendarDate(year: 1, month: 1, day: 1)!

    func run(date: CalendarDate, config: PipelineConfig, store: VixShieldDatabase, runId: Int64) throws(StageFailure) -> StageResult<Output> {
        var result = StageResult(output: Output(context: nil, reactions: []))
        do {
            // Every index's whole history and 400 days of VX curves, kept across the pass (`PassHistory`).
            func closes(_ symbol: String) throws -> DatedSeries<Double>? {
                let stored = try indexHistory.ordered(store: store, series: symbol, from: Self.historyStart, through: date)
                return try HistoryInputs.closes(of: HistoryInputs.bars(symbol: symbol, through: date, stored: stored, today: []))
            }
            guard let spx = try closes("SPX") else {
                result.diagnostics.append(Diagnostic(.info, "context", "no SPX history through \(date): no context"))
                return result
            }
            let vix = try closes("VIX")
            let index30 = try DatedSeries(try store.surfaceSummaries(underlying: config.underlying, through: date).compactMap { s in
                s.index30d.flatMap { v in CalendarDate(iso: s.asOf).map { ($0, v) } }
            })
            if let vix, vix.dates.last == date {
                let futures = try vxCurves.ordered(store: store, series: "VX", from: date.adding(days: -400), through: date).joined()
                    .compactMap(HistoryInputs.settlement)
                let inputs = VolatilityContextInputs(
                    vix: vix, vix9D: try closes("VIX9D"), vix3M: try closes("VIX3M"),
                    futures: futures, modelFreeIndex30Day: index30.count > 0 ? index30 : nil, spxCloses: spx)
                if let today = try VolatilityContextBuilder.compute(inputs).last(where: { $0.date == date }) {
                    result.output.context = Self.record(today, underlying: config.underlying)
                }
            } else {
                result.diagnostics.append(Diagnostic(.info, "context", "no VIX close on \(date): no context"))
            }
            result.output.reactions = try reactions(on: date, spx: spx, vix: vix, config: config, store: store)
        } catch let e as StageFailure {
            throw e
        } catch {
            throw StageFailure("context: \(error)")
        }
        result.counts["vol_context"] = result.output.context == nil ? 0 : 1
        result.counts["event_reactions"] = result.output.reactions.count
        return result
    }

    func write(_ output: Output, date: CalendarDate, config: PipelineConfig, to tx: StoreTransaction) throws {
        try tx.replaceVolContext(asOf: date, underlying: config.underlying, row: output.context)
        try tx.replaceEventReactions(session: date, rows: output.reactions)
    }

    /// Reactions of the events whose reaction session is `date`, with the 30-day ATM vol change from the
    /// stored surfaces of the two sessions and the move the previous session's term structure had priced.
    private func reactions(on date: CalendarDate, spx: DatedSeries<Double>, vix: DatedSeries<Double>?, config: PipelineConfig,
                           store: VixShieldDatabase) throws -> [EventReactionRecord] {
        let events = try store.events().compactMap(HistoryInputs.event).filter {
            HistoryInputs.pricedEventKinds.contains($0.kind) && $0.firstSessionAfterRelease() == date
        }
        guard !events.isEmpty else { return [] }
        let previous = TradingCalendar.nyse.previousTradingDay(before: date)
        let atmByDate = try HistoryInputs.atmVolatility30Day(store: store, underlying: config.underlying, from: previous, through: date)
        let atm = [previous, date].compactMap { d in atmByDate[d].map { (d, $0) } }
        var implied: [MarketEvent: Double] = [:]
        for v in try store.eventVariances(asOf: previous, underlying: config.underlying) {
            if let w = v.totalVariance, let e = events.first(where: { $0.kind.name == v.kind && $0.label == v.label && $0.date.isoString == v.eventDate }) {
                implied[e] = w
            }
        }
        let study = try EventReactions.study(events: events, spxCloses: spx, vixCloses: vix, atmVolatility: try DatedSeries(atm),
                                             impliedEventTotalVariance: implied, asOf: date)
        return study.reactions.filter { $0.session == date }.map { r in
            EventReactionRecord(kind: r.event.kind.name, eventDate: r.event.date.isoString, label: r.event.label,
                                session: r.session.isoString, previousSession: r.previousSession.isoString,
                                spxLogReturn: r.spxLogReturn, spxAbsMove: r.spxAbsoluteMove, vixChangePoints: r.vixChangePoints,
                                atmVolChange: r.atmVolatilityChange, impliedAbsMove: r.impliedAbsoluteMove)
        }
    }

    static func record(_ c: VolatilityContext, underlying: String) -> VolContextRecord {
        VolContextRecord(
            asOf: c.date.isoString, underlying: underlying, vix9dOverVix: c.vix9DOverVIX, vixOverVix3m: c.vixOverVIX3M,
            vx1MinusVx2: c.frontSpreadPoints, vx30d: c.constantMaturityFuturePoints, rollYield30d: c.rollYield30Day,
            termShape: c.shape?.rawValue, impliedVariance30d: c.impliedVariance30Day, realizedVariance21d: c.realizedVariance21Day,
            vrpVariance: c.varianceRiskPremium, vrpVolPoints: c.varianceRiskPremiumVolPoints,
            vix9dOverVixRank1y: c.ranks[.vix9DOverVIX], vixOverVix3mRank1y: c.ranks[.vixOverVIX3M],
            vx1MinusVx2Rank1y: c.ranks[.frontSpreadPoints], vx30dRank1y: c.ranks[.constantMaturityFuturePoints],
            rollYield30dRank1y: c.ranks[.rollYield30Day], vrpVarianceRank1y: c.ranks[.varianceRiskPremium],
            vrpVolPointsRank1y: c.ranks[.varianceRiskPremiumVolPoints])
    }
}
