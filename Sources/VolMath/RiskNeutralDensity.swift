import Foundation

/// A payoff at expiry that is linear between kinks, e.g. an iron condor's P&L per unit.
public struct PiecewiseLinearPayoff: Hashable, Sendable {
    /// Kink prices, strictly increasing.
    public let kinks: [Double]
    /// Payoff values at the kinks.
    public let values: [Double]
    /// Slopes below the first and above the last kink.
    public let slopeBelow: Double
    public let slopeAbove: Double

    /// - Precondition: at least one kink, strictly increasing, values of the same count.
    public init(kinks: [Double], values: [Double], slopeBelow: Double = 0, slopeAbove: Double = 0) {
        precondition(!kinks.isEmpty && kinks.count == values.count, "one value per kink")
        precondition(zip(kinks, kinks.dropFirst()).allSatisfy { $0 < $1 }, "kinks must increase")
        self.kinks = kinks
        self.values = values
        self.slopeBelow = slopeBelow
        self.slopeAbove = slopeAbove
    }

    /// The payoff of a short iron condor opened for `credit` per unit (index points): long put, short
    /// put, short call, long call strikes in increasing order.
    public static func shortIronCondor(longPut: Double, shortPut: Double, shortCall: Double, longCall: Double,
                                       credit: Double) -> PiecewiseLinearPayoff {
        PiecewiseLinearPayoff(kinks: [longPut, shortPut, shortCall, longCall],
                              values: [credit - (shortPut - longPut), credit, credit, credit - (longCall - shortCall)])
    }

    /// The payoff at an expiry price.
    public func value(at price: Double) -> Double {
        if price <= kinks[0] { return values[0] + slopeBelow * (price - kinks[0]) }
        if price >= kinks[kinks.count - 1] { return values[values.count - 1] + slopeAbove * (price - kinks[kinks.count - 1]) }
        var i = 1
        while kinks[i] < price { i += 1 }
        let w = (price - kinks[i - 1]) / (kinks[i] - kinks[i - 1])
        return values[i - 1] + w * (values[i] - values[i - 1])
    }

    /// Slope on each segment: below, between consecutive kinks, above.
    var slopes: [Double] {
        var out: [Double] = [slopeBelow]
        for i in 1..<kinks.count {
            let rise: Double = values[i] - values[i - 1]
            let run: Double = kinks[i] - kinks[i - 1]
            out.append(rise / run)
        }
        out.append(slopeAbove)
        return out
    }
}

/// The risk-neutral distribution of the underlying at one expiry implied by an SVI slice.
///
/// With w(k) the total variance and d₋(k) = −k/√w − √w/2, the undiscounted call is
/// C(K) = F[N(d₊) − e^k N(d₋)]; differentiating in K (Breeden–Litzenberger) gives the closed forms
/// P(F_T < K) = N(−d₋) + φ(d₋) w'(k)/(2√w) and the density of k = ln(F_T/F):
/// p(k) = g(k)/√(2πw) · exp(−d₋²/2) (Gatheral & Jacquier 2014), with g the butterfly function.
public struct RiskNeutralDistribution: Hashable, Sendable {
    public let parameters: SVIParameters
    public let forward: Double

    public init(parameters: SVIParameters, forward: Double) {
        self.parameters = parameters
        self.forward = forward
    }

    @inline(__always)
    func dMinus(_ k: Double, _ w: Double) -> Double { -k / w.squareRoot() - w.squareRoot() / 2 }

    /// Density of the log-moneyness ln(F_T/F) at k (negative values mean butterfly arbitrage).
    public func density(atLogMoneyness k: Double) -> Double {
        let w = parameters.totalVariance(atLogMoneyness: k)
        guard w > 0 else { return 0 }
        let d = dMinus(k, w)
        return parameters.butterflyFunction(atLogMoneyness: k) / (2 * Double.pi * w).squareRoot() * exp(-d * d / 2)
    }

    /// Density of F_T at `price` (per index point).
    public func density(atPrice price: Double) -> Double {
        density(atLogMoneyness: log(price / forward)) / price
    }

    /// P(F_T < price) under the slice.
    public func probabilityBelow(_ price: Double) -> Double {
        guard price > 0 else { return 0 }
        let k = log(price / forward)
        let (w, dw, _) = parameters.totalVarianceDerivatives(atLogMoneyness: k)
        guard w > 0 else { return k >= 0 ? 1 : 0 }
        let d = dMinus(k, w)
        let p = Black76.normalCDF(-d) + Black76.normalPDF(d) * dw / (2 * w.squareRoot())
        return min(max(p, 0), 1)
    }

    /// Undiscounted call value E[(F_T − K)^+] on the smile.
    public func undiscountedCall(strike: Double) -> Double {
        let w = parameters.totalVariance(atLogMoneyness: log(strike / forward))
        return Black76.undiscountedPrice(right: .call, forward: forward, strike: strike, stdDev: max(w, 0).squareRoot())
    }

    /// Expected payoff E[f(F_T)] (undiscounted). Writes f = f(K₁) + s₀(F_T − K₁) + Σᵢ Δsᵢ (F_T − Kᵢ)^+ with
    /// s₀ the slope below the first kink and Δsᵢ the slope changes, so E[f] uses only calls on the smile:
    /// exact for the slice, no quadrature.
    public func expectedPayoff(_ payoff: PiecewiseLinearPayoff) -> Double {
        let slopes = payoff.slopes
        var value = payoff.values[0] + slopes[0] * (forward - payoff.kinks[0])
        for (i, k) in payoff.kinks.enumerated() {
            let change = slopes[i + 1] - slopes[i]
            if change != 0 { value += change * undiscountedCall(strike: k) }
        }
        return value
    }

    /// P(f(F_T) > threshold): the payoff is linear on each segment, so the set where it exceeds the
    /// threshold is a union of intervals whose ends are found exactly.
    public func probability(of payoff: PiecewiseLinearPayoff, above threshold: Double = 0) -> Double {
        // Breakpoints: kinks plus crossings of the threshold on each segment.
        var points: [Double] = []
        let slopes = payoff.slopes
        let k = payoff.kinks, v = payoff.values
        if slopes[0] != 0 { let x = k[0] + (threshold - v[0]) / slopes[0]; if x < k[0], x > 0 { points.append(x) } }
        for i in 0..<k.count {
            points.append(k[i])
            if i + 1 < k.count, (v[i] - threshold) * (v[i + 1] - threshold) < 0 {
                points.append(k[i] + (threshold - v[i]) / (v[i + 1] - v[i]) * (k[i + 1] - k[i]))
            }
        }
        if slopes.last! != 0 { let x = k.last! + (threshold - v.last!) / slopes.last!; if x > k.last! { points.append(x) } }
        points = points.filter { $0 > 0 }.sorted()
        // Evaluate the sign in the middle of each interval (0, p₁), (p₁, p₂), …, (p_n, ∞).
        var total = 0.0
        var lower = 0.0
        for upper in points + [Double.infinity] {
            let mid = upper.isFinite ? (lower + upper) / 2 : lower * 2 + 1
            if payoff.value(at: mid) > threshold {
                total += (upper.isFinite ? probabilityBelow(upper) : 1) - probabilityBelow(lower)
            }
            lower = upper
        }
        return min(max(total, 0), 1)
    }
}
