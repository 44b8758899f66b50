import VixShieldCore

/// Constant-maturity at-the-money volatility from a term structure of ATM total variances.
public enum ConstantMaturity {
    /// ATM volatility at `targetYears`, interpolating total variance linearly in time between the two
    /// expiries that bracket it (total variance, not volatility, is what adds up over time); nil when no
    /// pair brackets the target or an input is unusable.
    public static func atmVolatility(points: [(years: Double, totalVariance: Double)], targetYears: Double) -> Double? {
        let usable = points.filter { $0.years > 0 && $0.years.isFinite && $0.totalVariance.isFinite && $0.totalVariance >= 0 }
            .sorted { $0.years < $1.years }
        guard targetYears > 0, let upper = usable.firstIndex(where: { $0.years >= targetYears }) else { return nil }
        let b = usable[upper]
        if b.years == targetYears { return (b.totalVariance / targetYears).squareRoot() }
        guard upper > 0 else { return nil }
        let a = usable[upper - 1]
        let w = a.totalVariance + (b.totalVariance - a.totalVariance) * (targetYears - a.years) / (b.years - a.years)
        return w >= 0 ? (w / targetYears).squareRoot() : nil
    }
}
