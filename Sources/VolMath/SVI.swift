import Foundation

/// Raw SVI parameters (Gatheral 2004) for one expiry's total implied variance as a function of
/// log-moneyness k = ln(K/F):
///
///     w(k) = a + b · (ρ (k − m) + √((k − m)² + σ²))
///
/// Constraints for a valid slice: b ≥ 0, |ρ| < 1, σ > 0, and a + b σ √(1 − ρ²) ≥ 0 (w ≥ 0 everywhere).
public struct SVIParameters: Hashable, Sendable, Codable {
    public var a: Double
    public var b: Double
    public var rho: Double
    public var m: Double
    public var sigma: Double

    public init(a: Double, b: Double, rho: Double, m: Double, sigma: Double) {
        self.a = a
        self.b = b
        self.rho = rho
        self.m = m
        self.sigma = sigma
    }

    /// Total implied variance w(k) = σ_BS(k)² T.
    @inline(__always)
    public func totalVariance(atLogMoneyness k: Double) -> Double {
        let x = k - m
        return a + b * (rho * x + (x * x + sigma * sigma).squareRoot())
    }

    /// `totalVariance(atLogMoneyness:)` at four log-moneyness values at once, lane by lane the same IEEE
    /// operations (so the same results bit for bit); the SVI fit's error loop runs on it.
    @inline(__always)
    public func totalVariance(atLogMoneyness k: SIMD4<Double>) -> SIMD4<Double> {
        let x = k - m
        return a + b * (rho * x + (x * x + sigma * sigma).squareRoot())
    }

    /// Black volatility at log-moneyness k for a slice `timeToExpiryYears` long.
    public func volatility(atLogMoneyness k: Double, timeToExpiryYears t: Double) -> Double {
        (max(totalVariance(atLogMoneyness: k), 0) / t).squareRoot()
    }

    /// True when the parameters satisfy the basic validity constraints.
    public var isAdmissible: Bool {
        b >= 0 && abs(rho) < 1 && sigma > 0 && a + b * sigma * (1 - rho * rho).squareRoot() >= 0
    }
}
