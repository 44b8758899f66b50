import Foundation
import VixShieldCore
import VolMath

/// The condor's P&L over a grid of SPX moves and implied-vol shocks, next day and at expiry.
///
/// Next day: each leg is repriced with Black-76 on the moved forward F·(1 + move) one calendar day closer
/// to expiry, at the smile's volatility for the leg's new moneyness (sticky-moneyness: the smile moves with
/// the forward) plus the shock in vol points. At expiry: the settlement payoff (`CondorSettlement`), the
/// shock does not matter. P&L per position in dollars against the entry credit.
public enum CondorScenarios {
    public enum Horizon: String, Sendable, Hashable, CaseIterable { case nextDay = "next_day", expiry }

    public struct Point: Sendable, Hashable {
        public var horizon: Horizon
        public var spxMovePercent: Double
        public var volShockPoints: Double
        public var condorPnlUSD: Double
    }

    /// SPX moves from −10 % to +5 % and vol shocks from −5 to +15 points (the grid).
    public static let spxMovesPercent: [Double] = [-10, -7.5, -5, -3, -2, -1, 0, 1, 2, 3, 5]
    public static let volShocksPoints: [Double] = [-5, 0, 5, 10, 15]

    /// - Parameters:
    ///   - smile: total variance at log-moneyness k for the condor's expiry (the fitted slice), today.
    ///   - forward, timeToExpiryYears, discount: the expiry's, today.
    public static func grid(condor c: IronCondor, forward: Double, timeToExpiryYears: Double, discount: Double,
                            smile: (Double) -> Double, multiplierUSD: Double = 100,
                            moves: [Double] = spxMovesPercent, shocks: [Double] = volShocksPoints) -> [Point] {
        let legs: [(option: PricedOption, sign: Double)] = [(c.longPut, 1), (c.shortPut, -1), (c.shortCall, -1), (c.longCall, 1)]
        let scale = multiplierUSD * Double(c.contracts)
        let tNext = max(timeToExpiryYears - 1.0 / 365, 0)
        var out: [Point] = []
        for move in moves {
            let f = forward * (1 + move / 100)
            for shock in shocks {
                var value = 0.0
                for leg in legs {
                    let k = log(leg.option.strike / f)
                    let base = tNext > 0 ? (max(smile(k), 0) / timeToExpiryYears).squareRoot() : 0
                    let vol = max(base + shock / 100, 0.0001)
                    value += leg.sign * Black76.price(right: leg.option.contract.right, forward: f, strike: leg.option.strike,
                                                      stdDev: vol * tNext.squareRoot(), discount: discount)
                }
                // Closing costs −value; the credit was received at entry.
                out.append(Point(horizon: .nextDay, spxMovePercent: move, volShockPoints: shock,
                                 condorPnlUSD: (c.creditPoints + value) * scale))
            }
            let settle = CondorSettlement.pnlPoints(longPut: c.longPut.strike, shortPut: c.shortPut.strike, shortCall: c.shortCall.strike,
                                                    longCall: c.longCall.strike, credit: c.creditPoints, settlement: f)
            for shock in shocks {
                out.append(Point(horizon: .expiry, spxMovePercent: move, volShockPoints: shock, condorPnlUSD: settle * scale))
            }
        }
        return out
    }
}
