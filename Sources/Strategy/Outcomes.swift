import VixShieldCore

/// What an iron condor paid at expiry, from the settlement price.
///
/// Per condor in index points: credit − max(0, short put − S) + max(0, long put − S)
///                                      − max(0, S − short call) + max(0, S − long call),
/// bounded by [credit − wider wing, credit].
public enum CondorSettlement {
    public static func pnlPoints(longPut: Double, shortPut: Double, shortCall: Double, longCall: Double, credit: Double,
                                 settlement s: Double) -> Double {
        let puts = max(0, shortPut - s) - max(0, longPut - s)
        let calls = max(0, s - shortCall) - max(0, s - longCall)
        return credit - puts - calls
    }

    /// Where an AM-settled `SPX` option settles (the special opening quotation on the expiry morning) and a
    /// PM-settled `SPXW` option (the close of the expiry day).
    public enum Source: String, Sendable, Hashable {
        /// The expiry day's opening value, standing in for the special opening quotation (the SOQ is computed
        /// from each component's opening trade; the index's first print is its usual proxy in public data).
        case openingValue = "opening_value"
        case close
    }

    public static func source(root: String) -> Source { root == "SPX" ? .openingValue : .close }
}

/// Summary statistics of a series of closed trades, in dollars, in the order they closed.
public struct PerformanceSummary: Sendable, Hashable {
    public var trades: Int
    public var winRate: Double?
    public var meanPnlUSD: Double?
    public var worstPnlUSD: Double?
    public var totalPnlUSD: Double
    /// Largest fall of cumulative P&L from its running peak (a positive number of dollars).
    public var maxDrawdownUSD: Double
    /// Mean over standard deviation of per-trade P&L (sample, n − 1), scaled by √(trades per year) when the
    /// trades span more than a day; nil with fewer than two trades or no dispersion.
    public var sharpe: Double?

    public init(pnlsUSD: [Double], years: Double? = nil) {
        trades = pnlsUSD.count
        totalPnlUSD = pnlsUSD.reduce(0, +)
        winRate = trades > 0 ? Double(pnlsUSD.filter { $0 > 0 }.count) / Double(trades) : nil
        meanPnlUSD = trades > 0 ? totalPnlUSD / Double(trades) : nil
        worstPnlUSD = pnlsUSD.min()
        var peak = 0.0, equity = 0.0, drawdown = 0.0
        for p in pnlsUSD {
            equity += p
            peak = max(peak, equity)
            drawdown = max(drawdown, peak - equity)
        }
        maxDrawdownUSD = drawdown
        if trades >= 2, let mean = meanPnlUSD {
            let variance = pnlsUSD.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(trades - 1)
            if variance > 0 {
                let perTrade = mean / variance.squareRoot()
                if let years, years > 1.0 / 365 { sharpe = perTrade * (Double(trades) / years).squareRoot() } else { sharpe = perTrade }
            }
        }
    }
}
