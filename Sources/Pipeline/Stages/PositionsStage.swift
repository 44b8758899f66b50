import Foundation
import Store
import Strategy
import VixShieldCore

/// Nightly advice (hold, roll, widen, close) for every open condor of the book: each rank-1 trade, filled at
/// its recommended credit on its trade date (paper) or at an imported real fill's credit and size (fill; a
/// fill of an alternate adds it), until its expiry or a night that advised closing it.
/// Cross-date: it reads earlier nights' recommendations and advice, and tonight's stored quotes and context.
struct PositionsStage: CrossDateStage {
    static let name = StageName.positions
    static let inputs: [StageName] = [.recommend, .context]
    static let eventLookaheadSessions = 2

    let advisor = PositionAdvisor()
    /// The night's open book, shared with the hedge stage of the standard list.
    var book = HistoryInputs.OpenBookMemo()

    func run(date: CalendarDate, config: PipelineConfig, store: VixShieldDatabase, runId: Int64) throws(StageFailure) -> StageResult<[PositionAdviceRecord]> {
        var result = StageResult<[PositionAdviceRecord]>(output: [])
        do {
            let (open, notes) = try book.openBook(store: store, underlying: config.underlying, on: date)
            result.diagnostics += notes
            guard !open.isEmpty else { return result }
            let backwardation = try store.volContext(asOf: date, underlying: config.underlying)?.termShape == "backwardation"
            var horizon = date
            for _ in 0..<Self.eventLookaheadSessions { horizon = TradingCalendar.nyse.nextTradingDay(after: horizon) }
            let ahead = try store.events().compactMap(HistoryInputs.event).filter {
                $0.date > date && $0.date <= horizon && HistoryInputs.pricedEventKinds.contains($0.kind)
            }
            // Every leg of the book in one read (a query per condor was most of this stage).
            let quotes = try store.quotes(asOf: date, underlying: config.underlying, symbols: open.flatMap { p in
                let r = p.recommendation
                return [r.longPutSymbol, r.shortPutSymbol, r.shortCallSymbol, r.longCallSymbol].compactMap { $0 }
            })
            for position in open {
                let r = position.recommendation
                guard let book = Self.condor(r, fill: position.fill), let opened = CalendarDate(iso: r.asOf) else { continue }
                func q(_ s: String?) -> (bid: Double?, ask: Double?, delta: Double?)? { s.flatMap { quotes[$0] } }
                var debit: Double?
                if let sp = q(r.shortPutSymbol)?.ask, let sc = q(r.shortCallSymbol)?.ask, let lp = q(r.longPutSymbol)?.bid,
                   let lc = q(r.longCallSymbol)?.bid {
                    debit = sp + sc - lp - lc
                }
                let marks = CondorMarks(shortPutDelta: q(r.shortPutSymbol)?.delta ?? nil, shortCallDelta: q(r.shortCallSymbol)?.delta ?? nil,
                                        closingDebitPoints: debit, calendarDaysToExpiry: book.expiry.days(since: date),
                                        backwardation: backwardation, eventsAhead: ahead)
                if debit == nil {
                    result.diagnostics.append(Diagnostic(.info, "\(r.profile) of \(r.asOf)", "no two-sided quotes for every leg on \(date): no mark"))
                }
                let advice = advisor.advise(book, marks: marks)
                result.output.append(PositionAdviceRecord(
                    asOf: date.isoString, underlying: config.underlying, profile: r.profile, openedAsOf: opened.isoString, rank: r.rank,
                    root: r.root, expiry: book.expiry.isoString, contracts: book.contracts, entryCredit: book.entryCreditPoints,
                    closingDebit: debit.map { RecommendStage.rounded($0, 4) }, markPnlUsd: advice.markPnlUSD.map { RecommendStage.rounded($0, 2) },
                    shortPutDelta: marks.shortPutDelta, shortCallDelta: marks.shortCallDelta, daysToExpiry: marks.calendarDaysToExpiry,
                    action: advice.action.rawValue, reason: advice.reason, source: position.source, fillId: position.fill?.fillId))
            }
        } catch {
            throw StageFailure("positions: \(error)")
        }
        result.counts["position_advice"] = result.output.count
        return result
    }

    func write(_ output: [PositionAdviceRecord], date: CalendarDate, config: PipelineConfig, to tx: StoreTransaction) throws {
        try tx.replacePositionAdvice(asOf: date, underlying: config.underlying, rows: output)
    }

    /// The condor as booked: the recommendation's legs, at the fill's credit and size when there is one.
    static func condor(_ r: RecommendationRecord, fill: PositionFillRecord? = nil) -> OpenCondor? {
        guard let e = r.expiry.flatMap(CalendarDate.init(iso:)), let opened = CalendarDate(iso: r.asOf), let lp = r.longPut, let sp = r.shortPut,
              let sc = r.shortCall, let lc = r.longCall, let n = r.contracts, let credit = r.credit else { return nil }
        return OpenCondor(openedAsOf: opened, profile: r.profile, root: r.root ?? "SPX", expiry: e, longPut: lp, shortPut: sp,
                          shortCall: sc, longCall: lc, contracts: fill?.contracts ?? n, entryCreditPoints: fill?.fillCreditPoints ?? credit)
    }
}
