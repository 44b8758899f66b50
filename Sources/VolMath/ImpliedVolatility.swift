import Foundation
import VixShieldCore

/// Why no implied volatility exists for a price; the caller flags the quote instead of inventing a number.
public enum ImpliedVolError: Error, Hashable, Sendable {
    /// An input is NaN or infinite (the associated value names it).
    case nonFiniteInput(String)
    /// An input that must be positive is zero or negative (the associated value names it).
    case nonPositiveInput(String)
    /// The undiscounted price is at or below intrinsic value max(±(F − K), 0): no positive volatility fits.
    case belowIntrinsic(undiscountedPrice: Double, intrinsic: Double)
    /// The undiscounted price reaches the no-arbitrage upper bound (F for a call, K for a put).
    case aboveUpperBound(undiscountedPrice: Double, bound: Double)
    /// The time value is too small relative to the moneyness to be represented in double precision.
    case timeValueUnderflow
    /// The iteration did not converge (a defect to report; not expected for valid inputs).
    case noConvergence
}

/// Black-76 implied volatility, in the spirit of Jäckel's "Let's Be Rational" (Wilmott 2015).
///
/// The price is reduced to the normalised out-of-the-money call
/// β = b(x, s) = e^{x/2} Φ(x/s + s/2) − e^{−x/2} Φ(x/s − s/2), with x = ln(F/K) ≤ 0 and s = σ√T
/// (an in-the-money price loses its intrinsic value by put-call parity and a put becomes a call by the
/// symmetry b_put(x) = b_call(−x)). The inflection point s_c = √(2|x|) and the tangents there split the
/// s axis into four branches; each has its own objective function, chosen so that it is close to linear
/// in s (1/ln b for the low-price tail, ln(b_max − b) near the upper bound b_max = e^{x/2}, b itself in
/// between), an initial guess from an asymptotic expansion or a cubic Hermite interpolation, and
/// third-order Householder steps safeguarded by a bracket. The code is our own; only the branch layout
/// and the choice of objectives follow the paper.
public enum ImpliedVolatility {
    /// Annualized implied volatility from a discounted option price.
    ///
    /// - Parameters:
    ///   - price: discounted option price (index points), e.g. a quote's mid.
    ///   - forward: the forward F for the option's expiry.
    ///   - strike: the strike K.
    ///   - timeToExpiryYears: T > 0.
    ///   - discount: discount factor D = e^{−rT} to expiry, > 0.
    /// - Throws: `ImpliedVolError` when the inputs are not finite/positive or the price is outside
    ///   (intrinsic, upper bound).
    public static func solve(price: Double, right: OptionRight, forward: Double, strike: Double,
                             timeToExpiryYears: Double, discount: Double) throws(ImpliedVolError) -> Double {
        guard timeToExpiryYears.isFinite else { throw .nonFiniteInput("timeToExpiryYears") }
        guard timeToExpiryYears > 0 else { throw .nonPositiveInput("timeToExpiryYears") }
        guard discount.isFinite else { throw .nonFiniteInput("discount") }
        guard discount > 0 else { throw .nonPositiveInput("discount") }
        guard price.isFinite else { throw .nonFiniteInput("price") }
        let s = try stdDev(undiscountedPrice: price / discount, right: right, forward: forward, strike: strike)
        return s / timeToExpiryYears.squareRoot()
    }

    /// Implied standard deviation s = σ√T from an undiscounted price E[(F_T − K)^+] or E[(K − F_T)^+].
    public static func stdDev(undiscountedPrice price: Double, right: OptionRight, forward: Double,
                              strike: Double) throws(ImpliedVolError) -> Double {
        guard price.isFinite else { throw .nonFiniteInput("price") }
        guard forward.isFinite else { throw .nonFiniteInput("forward") }
        guard strike.isFinite else { throw .nonFiniteInput("strike") }
        guard forward > 0 else { throw .nonPositiveInput("forward") }
        guard strike > 0 else { throw .nonPositiveInput("strike") }
        let intrinsic = right == .call ? max(forward - strike, 0) : max(strike - forward, 0)
        let bound = right == .call ? forward : strike
        guard price > intrinsic else { throw .belowIntrinsic(undiscountedPrice: price, intrinsic: intrinsic) }
        guard price < bound else { throw .aboveUpperBound(undiscountedPrice: price, bound: bound) }
        // Out-of-the-money side by parity: time value = price − intrinsic is the OTM option's price.
        let timeValue = price - intrinsic
        let x = -abs(log(forward / strike))
        let beta = timeValue / (forward * strike).squareRoot()
        let bMax = exp(0.5 * x)
        // e^{−x/2} overflows past |x| ≈ 1419; the time value then is far below anything quotable.
        guard beta > 0, beta.isNormal, x > -1400 else { throw .timeValueUnderflow }
        guard beta < bMax else { throw .aboveUpperBound(undiscountedPrice: price, bound: bound) }
        let s = normalisedStdDev(beta: beta, x: x)
        guard s.isFinite, s > 0 else { throw .noConvergence }
        return s
    }

    // MARK: - Unchecked core

    /// The s > 0 with b(x, s) = β, for x ≤ 0 and 0 < β < e^{x/2} (unchecked); NaN if not converged.
    @inlinable
    static func normalisedStdDev(beta: Double, x: Double) -> Double {
        let ex2 = exp(0.5 * x), emx2 = 1 / ex2
        let bMax = ex2
        // At the money (x = 0) b = erf(s/(2√2)) has its inflection at s_c = 0 with b_c = 0, so only the
        // upper half below applies.
        let sC = (-2 * x).squareRoot()
        // At s_c, h = x/s_c = −s_c/2 = −t, so Φ(h + t) = ½ and h² + t² = −x: b_c and b'(s_c) need one erfc.
        let bC = 0.5 * ex2 - emx2 * Black76.normalCDF(-sC)
        let vC = 0.398_942_280_401_432_7 * ex2
        var s: Double
        var left = 0.0, right = Double.infinity
        if beta < bC {
            let sL = sC - bC / vC
            // b is convex on [0, s_c], so b_l ≤ b_c s_l/s_c; numerically b_l/(b_c s_l/s_c) stays within
            // 0.22…0.31 for |x| ≤ 100. Below 0.15 of that chord value β is surely in the lowest branch and
            // b_l (two erfc) is not needed; a misjudged case still converges, the bracket guards it.
            let surelyLower = beta < 0.15 * bC * sL / sC
            let bL = sL > 0 && !surelyLower ? NormalisedBlack.call(x: x, s: sL, ex2: ex2, emx2: emx2) : 0
            if sL > 0, !surelyLower, beta >= bL {
                let vL = NormalisedBlack.vega(x: x, s: sL)
                s = hermite(beta, b0: bL, b1: bC, s0: sL, s1: sC, ds0: 1 / vL, ds1: 1 / vC)
                left = sL; right = sC
                return householderMiddle(s: s, beta: beta, x: x, ex2: ex2, emx2: emx2, left: left, right: right)
            }
            right = sL > 0 ? sL : sC
            s = lowerGuess(beta: beta, x: x, sMax: right)
            return householderLower(s: s, beta: beta, x: x, ex2: ex2, emx2: emx2, left: 0, right: right)
        }
        let sH = vC > .leastNormalMagnitude ? sC + (bMax - bC) / vC : sC
        let bH = NormalisedBlack.call(x: x, s: sH, ex2: ex2, emx2: emx2)
        if beta <= bH {
            let vH = NormalisedBlack.vega(x: x, s: sH)
            s = hermite(beta, b0: bC, b1: bH, s0: sC, s1: sH, ds0: 1 / vC, ds1: 1 / vH)
            return householderMiddle(s: s, beta: beta, x: x, ex2: ex2, emx2: emx2, left: sC, right: sH)
        }
        left = sH
        s = max(upperGuess(beta: beta, x: x, ex2: ex2, emx2: emx2), sH)
        if beta > 0.5 * bMax {
            return householderUpper(s: s, beta: beta, x: x, ex2: ex2, emx2: emx2, left: left, right: right)
        }
        return householderMiddle(s: s, beta: beta, x: x, ex2: ex2, emx2: emx2, left: left, right: right)
    }

    /// Cubic Hermite interpolation of s(b) between two points with known slopes ds/db = 1/vega.
    @inlinable
    static func hermite(_ b: Double, b0: Double, b1: Double, s0: Double, s1: Double, ds0: Double, ds1: Double) -> Double {
        let h = b1 - b0
        guard h > 0 else { return s0 }
        let t = (b - b0) / h
        let t2 = t * t, t3 = t2 * t
        let value = (2 * t3 - 3 * t2 + 1) * s0 + (t3 - 2 * t2 + t) * h * ds0 + (-2 * t3 + 3 * t2) * s1 + (t3 - t2) * h * ds1
        // The cubic may leave the bracket when the slopes are very unequal; fall back to the chord.
        if value > min(s0, s1), value < max(s0, s1) { return value }
        return s0 + t * (s1 - s0)
    }

    /// Low-price tail: b ≈ φ(h) e^{−t²/2} · s³/x² (Mills ratio expansion, h = x/s → −∞, t = s/2), solved
    /// for s by a short fixed-point iteration on ln β = −x²/(2s²) − s²/8 + ln(s³/x²) − ln√(2π).
    @inlinable
    static func lowerGuess(beta: Double, x: Double, sMax: Double) -> Double {
        let lnBeta = log(beta)
        let x2 = x * x
        var s = min((x2 / (-2 * lnBeta)).squareRoot(), sMax)
        for _ in 0..<3 {
            let rhs = log(s * s * s / x2) - 0.918_938_533_204_672_7 - s * s / 8 - lnBeta
            guard rhs > 0 else { break }
            let next = (x2 / (2 * rhs)).squareRoot()
            guard next.isFinite, next > 0 else { break }
            s = min(next, sMax)
        }
        return s
    }

    /// Upper tail: b_max − b ≈ (e^{x/2} + e^{−x/2}) Φ(−s/2) for large s; Φ(−z) ≈ φ(z)/z solved for z.
    @inlinable
    static func upperGuess(beta: Double, x: Double, ex2: Double, emx2: Double) -> Double {
        let y = (ex2 - beta) / (ex2 + emx2)
        let lnY = log(y)
        var z = max((-2 * lnY).squareRoot(), 0.5)
        for _ in 0..<3 {
            let rhs = -2 * (lnY + log(z) + 0.918_938_533_204_672_7)
            guard rhs > 0 else { break }
            z = max(rhs.squareRoot(), 0.5)
        }
        return 2 * z
    }

    /// Third-order Householder step from ν = −g/g', h₂ = g''/g', h₃ = g'''/g'.
    @inline(__always) @usableFromInline
    static func householderStep(newton: Double, halley: Double, hh3: Double) -> Double {
        newton * (1 + 0.5 * halley * newton) / (1 + newton * (halley + hh3 * newton / 6))
    }

    /// Keeps an iterate inside the bracket, bisecting (geometrically when unbounded) when a step leaves it.
    @inline(__always) @usableFromInline
    static func safeguard(_ candidate: Double, left: Double, right: Double, from s: Double) -> Double {
        if candidate >= left, candidate <= right, candidate > 0, candidate.isFinite { return candidate }
        if right.isFinite { return 0.5 * (max(left, 0) + right) }
        return candidate.isFinite && candidate > left ? candidate : 2 * max(s, left)
    }

    // The iteration stops once a step is below this relative size: Householder(3) converges with order
    // four, so the error after that step is of order C·(2e-4)⁴ ≈ C·1.6e-15 relative, with C of order one
    // for these transformed objectives (checked against the mpmath table and the seeded round trip).
    @usableFromInline static let relativeStepTolerance = 2e-4
    @usableFromInline static let maximumIterations = 12

    /// Middle branches: objective g(s) = b(s) − β.
    @inlinable
    static func householderMiddle(s start: Double, beta: Double, x: Double, ex2: Double, emx2: Double,
                                  left: Double, right: Double) -> Double {
        var s = start, left = left, right = right
        for _ in 0..<maximumIterations {
            let b = NormalisedBlack.call(x: x, s: s, ex2: ex2, emx2: emx2)
            let bp = NormalisedBlack.vega(x: x, s: s)
            if b > beta { right = min(right, s) } else if b < beta { left = max(left, s) } else { return s }
            guard bp > 0 else { s = safeguard(.nan, left: left, right: right, from: s); continue }
            let h = x / s
            let b2 = h * h / s - s / 4
            let b3 = b2 * b2 - 3 * (h / s) * (h / s) - 0.25
            let newton = (beta - b) / bp
            let ds = householderStep(newton: newton, halley: b2, hh3: b3)
            // A converged step is taken as is: the bracket ends are iterates, and a last correction of a
            // few ulps may legitimately land on one of them.
            if abs(ds) <= relativeStepTolerance * s { return s + ds }
            s = safeguard(s + ds, left: left, right: right, from: s)
        }
        // Not converged within the iteration budget (never seen in testing): no number is invented.
        return .nan
    }

    /// Lowest branch: objective g(s) = 1/ln b(s) − 1/ln β, nearly linear in s where b is tiny.
    @inlinable
    static func householderLower(s start: Double, beta: Double, x: Double, ex2: Double, emx2: Double,
                                 left: Double, right: Double) -> Double {
        var s = start, left = left, right = right
        let lnBeta = log(beta)
        for _ in 0..<maximumIterations {
            let b = NormalisedBlack.call(x: x, s: s, ex2: ex2, emx2: emx2)
            let bp = NormalisedBlack.vega(x: x, s: s)
            if b > beta { right = min(right, s) } else if b < beta { left = max(left, s) } else { return s }
            guard b > 0, bp > 0 else { s = safeguard(.nan, left: left, right: right, from: s); continue }
            let lnB = log(b)
            let q = bp / b
            let h = x / s
            let b2 = h * h / s - s / 4
            let b3 = b2 * b2 - 3 * (h / s) * (h / s) - 0.25
            let newton = (lnBeta - lnB) * lnB / lnBeta / q
            let c = 1 + 2 / lnB
            let halley = b2 - q * c
            let hh3 = b3 + 2 * q * q * (1 + 3 / lnB * (1 + 1 / lnB)) - 3 * b2 * q * c
            let ds = householderStep(newton: newton, halley: halley, hh3: hh3)
            // A converged step is taken as is: the bracket ends are iterates, and a last correction of a
            // few ulps may legitimately land on one of them.
            if abs(ds) <= relativeStepTolerance * s { return s + ds }
            s = safeguard(s + ds, left: left, right: right, from: s)
        }
        // Not converged within the iteration budget (never seen in testing): no number is invented.
        return .nan
    }

    /// Upper branch: objective g(s) = ln(b_max − β) − ln(b_max − b(s)), with b_max − b computed directly
    /// (no cancellation) as e^{x/2} Φ(−h − t) + e^{−x/2} Φ(h − t).
    @inlinable
    static func householderUpper(s start: Double, beta: Double, x: Double, ex2: Double, emx2: Double,
                                 left: Double, right: Double) -> Double {
        var s = start, left = left, right = right
        let gapBeta = ex2 - beta
        for _ in 0..<maximumIterations {
            let gap = NormalisedBlack.complement(x: x, s: s, ex2: ex2, emx2: emx2)
            let bp = NormalisedBlack.vega(x: x, s: s)
            if gap < gapBeta { right = min(right, s) } else if gap > gapBeta { left = max(left, s) } else { return s }
            guard gap > 0, bp > 0 else { s = safeguard(.nan, left: left, right: right, from: s); continue }
            let p = bp / gap
            let h = x / s
            let b2 = h * h / s - s / 4
            let b3 = b2 * b2 - 3 * (h / s) * (h / s) - 0.25
            let newton = log(gap / gapBeta) / p
            let halley = b2 + p
            let hh3 = b3 + p * (2 * p + 3 * b2)
            let ds = householderStep(newton: newton, halley: halley, hh3: hh3)
            // A converged step is taken as is: the bracket ends are iterates, and a last correction of a
            // few ulps may legitimately land on one of them.
            if abs(ds) <= relativeStepTolerance * s { return s + ds }
            s = safeguard(s + ds, left: left, right: right, from: s)
        }
        // Not converged within the iteration budget (never seen in testing): no number is invented.
        return .nan
    }
}

/// The normalised Black call b(x, s) = e^{x/2} Φ(x/s + s/2) − e^{−x/2} Φ(x/s − s/2) (price divided by
/// √(FK)) and its s-derivatives, for the implied-volatility iteration.
@usableFromInline
enum NormalisedBlack {
    /// b(x, s) given e^{±x/2}.
    @inline(__always) @usableFromInline
    static func call(x: Double, s: Double, ex2: Double, emx2: Double) -> Double {
        let h = x / s, t = 0.5 * s
        return ex2 * Black76.normalCDF(h + t) - emx2 * Black76.normalCDF(h - t)
    }

    /// e^{x/2} − b(x, s) computed without cancellation.
    @inline(__always) @usableFromInline
    static func complement(x: Double, s: Double, ex2: Double, emx2: Double) -> Double {
        let h = x / s, t = 0.5 * s
        return ex2 * Black76.normalCDF(-h - t) + emx2 * Black76.normalCDF(h - t)
    }

    /// ∂b/∂s = φ(h + t) e^{x/2} = exp(−(h² + t²)/2)/√(2π).
    @inline(__always) @usableFromInline
    static func vega(x: Double, s: Double) -> Double {
        let h = x / s, t = 0.5 * s
        return 0.398_942_280_401_432_7 * exp(-0.5 * (h * h + t * t))
    }
}
