import VixShieldCore

/// An OLS estimate of how many VX futures points move per SPX ATM implied-vol point.
public struct HedgeBetaEstimate: Hashable, Sendable {
    /// The slope: VX points per SPX ATM vol point.
    public var beta: Double
    /// The intercept, VX points per day: the fixed contract's drift (roll-down in contango).
    public var intercept: Double
    /// Standard error of the slope, from the residual variance with n − 2 degrees of freedom.
    public var standardError: Double
    /// Coefficient of determination of the fit with intercept (0…1).
    public var rSquared: Double
    public var observations: Int
}

/// The beta the hedge uses for one day, and where it came from.
public struct HedgeBetaChoice: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case estimated
        /// The documented fallback, with why the estimate was not used.
        case fallback(reason: String)
    }

    public var beta: Double
    public var source: Source
    /// The estimate when there was one (also when it was rejected, so the report can show it).
    public var estimate: HedgeBetaEstimate?

    /// `estimated` or `fallback`, for the rationale and the hedge rows.
    public var label: String {
        switch source {
        case .estimated: return "estimated"
        case .fallback: return "fallback"
        }
    }
}

/// The empirical beta of VX futures settle changes to SPX ATM implied-vol changes.
///
/// Regression with intercept: y = a + β·x + ε, where y is the daily change of one VX contract's settle
/// (matched tenor: the monthly contract whose expiry is nearest the condor's) and x the daily change of
/// SPX ATM implied vol in vol points. The intercept is kept on purpose: a fixed VX contract drifts
/// toward spot every day (roll-down in contango, roll-up in backwardation), and through the origin that
/// drift would leak into the slope on any sample whose mean vol change is not zero.
///
///   β = Sxy / Sxx,   a = ȳ − β·x̄,   s² = SSR / (n − 2),   se(β) = √(s² / Sxx),   R² = 1 − SSR / Syy
///
/// (any regression text, e.g. Greene, "Econometric Analysis", ch. 4).
public enum HedgeBeta {
    /// Fewer paired daily changes than this give no estimate.
    public static let minimumObservations = 20

    /// The fallback beta for a ~30-day tenor: 0.6 VX points per SPX ATM vol point. VX futures move less
    /// than spot implied vol (VX is the market's forecast of 30-day vol at its expiry, which mean-reverts)
    /// and the 30-day VX-to-ATM-vol slope sits around 0.5–0.7 in calm and stressed samples alike.
    public static let fallbackBeta = 0.6

    /// OLS with intercept of `vxChanges` on `atmVolChanges` (same length, same days, in order).
    ///
    /// - Returns: nil when the arrays differ in length, hold fewer than ``minimumObservations`` pairs or
    ///   a non-finite value, or when either series has no variance.
    public static func estimate(vxChanges: [Double], atmVolChanges: [Double]) -> HedgeBetaEstimate? {
        let n = vxChanges.count
        guard n == atmVolChanges.count, n >= minimumObservations,
              vxChanges.allSatisfy(\.isFinite), atmVolChanges.allSatisfy(\.isFinite) else { return nil }
        let count = Double(n)
        let meanX = atmVolChanges.reduce(0, +) / count
        let meanY = vxChanges.reduce(0, +) / count
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for i in 0..<n {
            let dx = atmVolChanges[i] - meanX
            let dy = vxChanges[i] - meanY
            sxx += dx * dx
            sxy += dx * dy
            syy += dy * dy
        }
        // Relative to the raw sum of squares, so identical changes that round to a tiny spread count as none.
        let sumSqX = atmVolChanges.reduce(0) { $0 + $1 * $1 }
        let sumSqY = vxChanges.reduce(0) { $0 + $1 * $1 }
        guard sxx > 1e-12 * sumSqX, syy > 1e-12 * sumSqY, sxx > 0, syy > 0 else { return nil }
        let beta = sxy / sxx
        let intercept = meanY - beta * meanX
        // Residuals summed directly, not as Syy − β·Sxy, which cancels to noise for a near-exact fit.
        var ssr = 0.0
        for i in 0..<n {
            let r = vxChanges[i] - intercept - beta * atmVolChanges[i]
            ssr += r * r
        }
        let residualVariance = ssr / (count - 2)
        return HedgeBetaEstimate(beta: beta, intercept: intercept, standardError: (residualVariance / sxx).squareRoot(),
                                 rSquared: min(max(1 - ssr / syy, 0), 1), observations: n)
    }

    /// The beta to use: the estimate when there is one with a positive slope, else `fallback`.
    /// A non-positive slope cannot size a long-volatility hedge, so it falls back too (and says so).
    public static func choose(estimate: HedgeBetaEstimate?, fallback: Double = fallbackBeta) -> HedgeBetaChoice {
        guard let estimate else {
            return HedgeBetaChoice(beta: fallback, source: .fallback(reason: "fewer than \(minimumObservations) daily changes or no variance"),
                                   estimate: nil)
        }
        guard estimate.beta > 0, estimate.beta.isFinite else {
            return HedgeBetaChoice(beta: fallback, source: .fallback(reason: "estimated slope \(estimate.beta) is not positive"),
                                   estimate: estimate)
        }
        return HedgeBetaChoice(beta: estimate.beta, source: .estimated, estimate: estimate)
    }

    /// The monthly VX contract of one trade date whose expiry is nearest `condorExpiry` (the matched
    /// tenor); ties go to the later contract (it outlives the condor). Contracts expiring on or before
    /// `tradeDate` and weeklies are skipped. Nil when none is left.
    public static func matchedContract(curve: [VIXFutureSettlement], tradeDate: CalendarDate,
                                       condorExpiry: CalendarDate) -> VIXFutureSettlement? {
        curve.filter { !$0.isWeekly && $0.expiry > tradeDate && $0.tradeDate == tradeDate }
            .min { a, b in
                let da = abs(a.expiry.days(since: condorExpiry)), db = abs(b.expiry.days(since: condorExpiry))
                return da != db ? da < db : a.expiry > b.expiry
            }
    }

    /// Paired daily changes for the regression: for each date present in both series whose previous
    /// observation is the same earlier date in both, the change of each. A date missing on one side
    /// breaks the pair instead of letting one change span two days on the other.
    ///
    /// - Parameters:
    ///   - vxSettles: one contract's settles by trade date (one contract, so a roll never shows as a move).
    ///   - atmVols: SPX ATM implied vol in vol points (20.0 for 20 %) by date.
    public static func pairedChanges(vxSettles: [CalendarDate: Double], atmVols: [CalendarDate: Double])
        -> (vxChanges: [Double], atmVolChanges: [Double]) {
        func previousDates(_ series: [CalendarDate: Double]) -> [CalendarDate: CalendarDate] {
            let sorted = series.keys.sorted()
            return Dictionary(uniqueKeysWithValues: zip(sorted.dropFirst(), sorted))
        }
        let vxPrevious = previousDates(vxSettles), volPrevious = previousDates(atmVols)
        var vx: [Double] = [], vol: [Double] = []
        for date in Set(vxSettles.keys).intersection(atmVols.keys).sorted() {
            guard let previous = vxPrevious[date], volPrevious[date] == previous,
                  let y1 = vxSettles[date], let y0 = vxSettles[previous],
                  let x1 = atmVols[date], let x0 = atmVols[previous] else { continue }
            vx.append(y1 - y0)
            vol.append(x1 - x0)
        }
        return (vx, vol)
    }
}
