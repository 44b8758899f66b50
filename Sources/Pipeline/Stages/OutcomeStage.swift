import Foundation
import Store
import Strategy
import VixShieldCore

/// Scores every traded recommendation whose expiry is the date (and any earlier one left unscored) from the
/// stored SPX history: the opening value for AM-settled SPX, the close for PM-settled SPXW. Cross-date:
/// it reads recommendations of earlier dates.
struct OutcomeStage: CrossDateStage {
    static let name = StageName.outcomes
    static let inputs: [StageName] = [.recommend]

    func run(date: CalendarDate, config: PipelineConfig, store: VixShieldDatabase, runId: Int64) throws(StageFailure) -> StageResult<[OutcomeRecord]> {
        var result = StageResult<[OutcomeRecord]>(output: [])
        do {
            let due = try store.recommendationsToScore(underlying: config.underlying, expiringOnOrBefore: date)
            guard !due.isEmpty else { return result }
            var bars: [String: IndexHistoryRecord] = [:]
            for b in try store.indexHistory(symbol: config.underlying, from: due.compactMap { $0.expiry.flatMap(CalendarDate.init(iso:)) }.min(),
                                            through: date) {
                bars[b.date] = b
            }
            // A condor with an imported fill is scored at the fill's credit and size.
            let fills = try HistoryInputs.matchFills(try store.positionFills(underlying: config.underlying, tradedOnOrBefore: date),
                                                     store: store, underlying: config.underlying).byRecommendation
            for r in due {
                let fill = fills[HistoryInputs.BookPosition.key(r)]
                guard let expiry = r.expiry, let lp = r.longPut, let sp = r.shortPut, let sc = r.shortCall, let lc = r.longCall,
                      let credit = fill?.fillCreditPoints ?? r.credit, let contracts = fill?.contracts ?? r.contracts else { continue }
                let source = CondorSettlement.source(root: r.root ?? "SPX")
                let bar = bars[expiry]
                guard let price = source == .openingValue ? (bar?.open ?? nil) : bar?.close, price > 0 else {
                    result.diagnostics.append(Diagnostic(.warning, "\(r.profile) #\(r.rank) of \(r.asOf)",
                                                         "no \(config.underlying) \(source == .openingValue ? "opening value" : "close") for \(expiry): not scored"))
                    continue
                }
                let points = CondorSettlement.pnlPoints(longPut: lp, shortPut: sp, shortCall: sc, longCall: lc, credit: credit, settlement: price)
                let usd = RecommendStage.rounded(points * config.sizing.multiplierUSD * Double(contracts), 2)
                result.output.append(OutcomeRecord(
                    asOf: r.asOf, underlying: r.underlying, profile: r.profile, rank: r.rank, expiry: expiry, root: r.root,
                    settlementSource: source.rawValue, settlementPrice: price, contracts: contracts, credit: credit,
                    condorPnlPoints: RecommendStage.rounded(points, 4), condorPnlUsd: usd, hedgePnlUsd: nil, totalPnlUsd: usd,
                    source: fill == nil ? "paper" : "fill"))
            }
        } catch {
            throw StageFailure("outcomes: \(error)")
        }
        result.counts["outcomes"] = result.output.count
        return result
    }

    func write(_ output: [OutcomeRecord], date: CalendarDate, config: PipelineConfig, to tx: StoreTransaction) throws {
        try tx.replaceOutcomes(output)
    }
}
