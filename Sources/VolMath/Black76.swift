import Foundation
import VixShieldCore

/// The Black-76 kernel: every option price and greek in VixShield goes through here.
///
/// Inputs are the forward F, the strike K, the standard deviation of log-returns to expiry
/// s = σ√T (`stdDev`), and the discount factor D = e^{-rT}. Rates and carry are folded into F and D
/// before calling, so the same kernel prices index options, futures options and parity trades.
public enum Black76 {
    /// Discounted option price. For s = 0 it is the discounted intrinsic value.
    public static func price(right: OptionRight, forward: Double, strike: Double, stdDev: Double, discount: Double) -> Double {
        discount * undiscountedPrice(right: right, forward: forward, strike: strike, stdDev: stdDev)
    }

    /// Undiscounted price E[(F_T − K)^+] or E[(K − F_T)^+] under the lognormal forward.
    public static func undiscountedPrice(right: OptionRight, forward: Double, strike: Double, stdDev: Double) -> Double {
        if stdDev <= 0 {
            return right == .call ? max(forward - strike, 0) : max(strike - forward, 0)
        }
        let d1 = log(forward / strike) / stdDev + stdDev / 2
        let d2 = d1 - stdDev
        switch right {
        case .call: return forward * normalCDF(d1) - strike * normalCDF(d2)
        case .put: return strike * normalCDF(-d2) - forward * normalCDF(-d1)
        }
    }

    /// Standard normal cumulative distribution, via erfc for full relative accuracy in the far tail.
    @inline(__always)
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.squareRoot()) }

    /// Standard normal density.
    @inline(__always)
    public static func normalPDF(_ x: Double) -> Double { exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }
}

/// Price sensitivities of one option, with their units in the names.
public struct Greeks: Hashable, Sendable {
    /// ∂V/∂F (per point of the forward), discounted.
    public var delta: Double
    /// ∂²V/∂F² per point².
    public var gamma: Double
    /// Change in price for a one volatility point (0.01) rise in σ.
    public var vegaPerVolPoint: Double
    /// Change in price over one calendar day with everything else fixed (negative for a long option).
    public var thetaPerDay: Double
    /// ∂delta/∂σ for a one volatility point (0.01) rise in σ (equivalently ∂vega/∂F per point, scaled).
    public var vannaPerVolPoint: Double
    /// ∂²V/∂σ² for volatility moves in vol points: the change in `vegaPerVolPoint` per one vol point.
    public var volgaPerVolPointSquared: Double

    public init(delta: Double, gamma: Double, vegaPerVolPoint: Double, thetaPerDay: Double,
                vannaPerVolPoint: Double = 0, volgaPerVolPointSquared: Double = 0) {
        self.delta = delta
        self.gamma = gamma
        self.vegaPerVolPoint = vegaPerVolPoint
        self.thetaPerDay = thetaPerDay
        self.vannaPerVolPoint = vannaPerVolPoint
        self.volgaPerVolPointSquared = volgaPerVolPointSquared
    }
}

extension Black76 {
    /// Greeks with respect to the forward, for volatility σ over `timeToExpiryYears`, with the discount
    /// factor coming from a continuously compounded `rate` (theta includes the discounting drift).
    public static func greeks(right: OptionRight, forward: Double, strike: Double, volatility: Double,
                              timeToExpiryYears t: Double, rate: Double) -> Greeks {
        let discount = exp(-rate * t)
        guard t > 0, volatility > 0 else {
            let itm = right == .call ? forward > strike : strike > forward
            return Greeks(delta: itm ? (right == .call ? discount : -discount) : 0, gamma: 0, vegaPerVolPoint: 0, thetaPerDay: 0)
        }
        let sqrtT = t.squareRoot()
        let s = volatility * sqrtT
        let d1 = log(forward / strike) / s + s / 2
        let d2 = d1 - s
        let pdf = normalPDF(d1)
        let delta = right == .call ? discount * normalCDF(d1) : -discount * normalCDF(-d1)
        let gamma = discount * pdf / (forward * s)
        let vega = discount * forward * pdf * sqrtT
        let priceNow = price(right: right, forward: forward, strike: strike, stdDev: s, discount: discount)
        // dV/dt at fixed F: the variance term decays, and the discount factor accretes at rate r.
        let thetaPerYear = -discount * forward * pdf * volatility / (2 * sqrtT) + rate * priceNow
        // Same for calls and puts (parity differs by a volatility-free forward): ∂Δ/∂σ = −D φ(d1) d2/σ,
        // ∂²V/∂σ² = vega · d1 d2 / σ.
        let vanna = -discount * pdf * d2 / volatility
        let volga = vega * d1 * d2 / volatility
        return Greeks(delta: delta, gamma: gamma, vegaPerVolPoint: vega / 100, thetaPerDay: thetaPerYear / 365,
                      vannaPerVolPoint: vanna / 100, volgaPerVolPointSquared: volga / 10_000)
    }
}
