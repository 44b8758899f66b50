import Foundation
import Store
import Strategy
import VixShieldCore
import VolMath

/// Turns the strategy's decisions into `recommendations` rows.
enum RecommendStage {
    static func rows(asOf: CalendarDate, forDate: CalendarDate, underlying: String, profile: CondorProfile,
                     sizing: SizingPolicy, expiries: [(chain: ExpiryChain, distribution: RiskNeutralDistribution)],
                     runId: Int64) -> [RecommendationRecord] {
        var distributions: [String: RiskNeutralDistribution] = [:]
        for e in expiries { distributions["\(e.chain.root) \(e.chain.expiry)"] = e.distribution }
        let decisions = BaselineCondor.recommend(tradeDate: forDate, chains: expiries.map(\.chain), profile: profile, sizing: sizing,
                                                 distribution: { distributions["\($0.root) \($0.expiry)"]! })
        return decisions.enumerated().map { i, decision in
            var row = RecommendationRecord(asOf: asOf.isoString, forDate: forDate.isoString, underlying: underlying,
                                           profile: profile.name, rank: i + 1, status: "no_trade", reason: nil,
                                           rationale: "", runId: runId)
            switch decision {
            case .noTrade(let reason):
                row.reason = reason
                row.rationale = "No trade for \(forDate): \(reason)"
            case .trade(let c):
                row.status = "trade"
                row.expiry = c.expiry.isoString
                row.dte = c.daysToExpiry
                row.longPut = c.longPut.strike
                row.shortPut = c.shortPut.strike
                row.shortCall = c.shortCall.strike
                row.longCall = c.longCall.strike
                row.credit = rounded(c.creditPoints, 4)
                row.maxLoss = rounded(c.maxLossPoints, 4)
                row.breakevenLow = rounded(c.breakevenLow, 4)
                row.breakevenHigh = rounded(c.breakevenHigh, 4)
                row.pop = rounded(c.probabilityOfProfit, 6)
                row.expectedPnl = rounded(c.expectedPnlUSD, 2)
                row.netDelta = rounded(c.netDeltaUSD, 2)
                row.netGamma = rounded(c.netGammaUSD, 4)
                row.netVega = rounded(c.netVegaUSD, 2)
                row.netTheta = rounded(c.netThetaUSD, 2)
                row.contracts = c.contracts
                row.rationale = c.rationale
            }
            return row
        }
    }

    /// Rounds for storage so rows read cleanly; the same inputs still give the same digits.
    static func rounded(_ v: Double, _ digits: Int) -> Double {
        let scale = pow(10, Double(digits))
        return (v * scale).rounded() / scale
    }
}
