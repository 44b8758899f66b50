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
/// third-order Householder steps safeguarded by a bracket. b and its vega are evaluated through the
/// normal Mills ratio (`NormalisedBlack`), so one exponential serves both. The code is our own; only the
/// branch layout and the choice of objectives follow the paper.
///
/// Where s is small (short expiries, low vols: most of a real chain and of the benchmark grid) the price
/// is close to its Bachelier limit, and the initial guess comes from inverting that limit instead
/// (`bachelierLimitGuess`); it is close enough that one step usually converges.
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
        let s = normalisedStdDev(beta: beta, x: x, ex2: bMax)
        guard s.isFinite, s > 0 else { throw .noConvergence }
        return s
    }

    // MARK: - Unchecked core

    /// The s > 0 with b(x, s) = β, for x ≤ 0, `ex2` = e^{x/2} and 0 < β < e^{x/2} (unchecked); NaN if
    /// not converged.
    @inlinable
    static func normalisedStdDev(beta: Double, x: Double, ex2: Double) -> Double {
        let bMax = ex2
        // At the money (x = 0) b = erf(s/(2√2)) has its inflection at s_c = 0 with b_c = 0, so only the
        // upper half below applies.
        let sC = (-2 * x).squareRoot()
        // At s_c, h = x/s_c = −s_c/2 = −t, so Y(h + t) = Y(0) = √(π/2) and h² + t² = −x: the vega there
        // is e^{x/2}/√(2π), and b_c needs one Mills ratio.
        let vC = NormalisedBlack.inverseSqrtTwoPi * ex2
        let bC = ex2 * (0.5 - NormalisedBlack.inverseSqrtTwoPi * ScaledErfc.millsRatio(-sC))
        // Small s: the Bachelier-limit guess is good to ~1e-5 (s ≤ 0.3) or ~1e-2 (s ≤ 2), so neither the
        // branch end points b_l, b_h nor an interpolated guess are needed; β against b_c still picks the
        // objective and a bracket that surely holds the root.
        let guess = bachelierLimitGuess(beta: beta, u: -x)
        if guess > 0, guess < bachelierLimitMaximumStdDev {
            if beta < bC {
                return householderLower(s: min(guess, sC), lnBeta: log(beta), x: x, left: 0, right: sC)
            }
            return householderMiddle(s: max(guess, sC), beta: beta, x: x, ex2: ex2, left: sC, right: .infinity)
        }
        if beta < bC {
            let sL = sC - bC / vC
            // b is convex on [0, s_c], so b_l ≤ b_c s_l/s_c; numerically b_l/(b_c s_l/s_c) stays within
            // 0.22…0.31 for |x| ≤ 100. Below 0.15 of that chord value β is surely in the lowest branch and
            // b_l is not needed; a misjudged case still converges, the bracket guards it.
            if sL > 0, beta >= 0.15 * bC * sL / sC {
                let atL = NormalisedBlack.evaluate(x: x, s: sL, ex2: ex2)
                if beta >= atL.price {
                    let s = hermite(beta, b0: atL.price, b1: bC, s0: sL, s1: sC, ds0: 1 / atL.vega, ds1: 1 / vC)
                    return householderMiddle(s: s, beta: beta, x: x, ex2: ex2, left: sL, right: sC)
                }
            }
            let right = sL > 0 ? sL : sC
            let lnBeta = log(beta)
            let s = lowerGuess(lnBeta: lnBeta, x: x, sMax: right)
            return householderLower(s: s, lnBeta: lnBeta, x: x, left: 0, right: right)
        }
        let sH = vC > .leastNormalMagnitude ? sC + (bMax - bC) / vC : sC
        let atH = NormalisedBlack.evaluate(x: x, s: sH, ex2: ex2)
        if beta <= atH.price {
            let s = hermite(beta, b0: bC, b1: atH.price, s0: sC, s1: sH, ds0: 1 / vC, ds1: 1 / atH.vega)
            return householderMiddle(s: s, beta: beta, x: x, ex2: ex2, left: sC, right: sH)
        }
        let s = max(upperGuess(beta: beta, x: x, ex2: ex2), sH)
        if beta > 0.5 * bMax {
            return householderUpper(s: s, beta: beta, x: x, ex2: ex2, left: sH, right: .infinity)
        }
        return householderMiddle(s: s, beta: beta, x: x, ex2: ex2, left: sH, right: .infinity)
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

    /// Low-price tail: b ≈ φ(h) e^{−t²/2} · s³/x² (Mills ratio expansion, h = x/s → −∞, t = s/2), i.e.
    /// ln β ≈ −x²/(2s²) − s²/8 + ln(s³/x²) − ln√(2π), solved for s by one fixed-point pass from the
    /// leading term. Deep in the tail (|h| large) the map contracts by about 3/h² and one pass is within a
    /// few per cent; near s_l with |h| of 1 to 3 it does not contract and the guess can be off by a factor
    /// of three, which costs two more Householder steps. Used only above the Bachelier-limit range.
    @inlinable
    static func lowerGuess(lnBeta: Double, x: Double, sMax: Double) -> Double {
        let x2 = x * x
        let leading = min((x2 / (-2 * lnBeta)).squareRoot(), sMax)
        let rhs = log(leading * leading * leading / x2) - NormalisedBlack.logSqrtTwoPi - leading * leading / 8 - lnBeta
        guard rhs > 0 else { return leading }
        let refined = (x2 / (2 * rhs)).squareRoot()
        return refined.isFinite && refined > 0 ? min(refined, sMax) : leading
    }

    /// Guesses above this s go through the branch end points instead: beyond it the O(s⁴) terms the
    /// Bachelier-limit guess omits make it worse than the interpolated guesses (a maximum of 1, 2, 3, 5 all
    /// give the same bench figure within noise; 2 keeps the guess within about 5 %).
    @usableFromInline static let bachelierLimitMaximumStdDev = 2.0

    /// Small-s guess from the Bachelier limit: b(x, s) = s ψ(a) [1 + s² κ(a) + O(s⁴)] with a = u/s, u = −x,
    /// ψ(a) = φ(a) − a Φ(−a) the normalised Bachelier price. The leading term gives a from z = u/β = a/ψ(a)
    /// alone, so a one-variable rational fit inverts it; the s² term enters as s = s₀/(1 + s₀² ε(a)).
    /// The fits (`BachelierLimitFits`, from scripts/fit-implied-vol-guess.py) are good to a few 1e-6, so for
    /// s up to about 0.3 the guess is within about 1e-5 of the root and one Householder step converges.
    /// z = 0 (at the money) is region A's first point: s₀ = β/ψ(0) = √(2π) β. Far outside its range (large
    /// s) the correction's denominator can vanish or change sign: the result is then huge, negative or
    /// NaN, and the caller uses the other guesses.
    @inlinable
    static func bachelierLimitGuess(beta: Double, u: Double) -> Double {
        let z = u / beta
        let s0: Double, correction: (numerator: Double, denominator: Double)
        if z <= BachelierLimitFits.zSplit {
            let psi = BachelierLimitFits.psiOfZ(z)
            s0 = beta * psi.denominator / psi.numerator
            correction = BachelierLimitFits.correctionOfZ(z)
        } else {
            // z overflows for β near the smallest normal double with u above 1.
            let lnZ = z.isFinite ? log(z) : log(u) - log(beta)
            let w = (2 * lnZ + BachelierLimitFits.wOffset).squareRoot()
            let a = BachelierLimitFits.aOfW(w)
            s0 = u * a.denominator / a.numerator
            correction = BachelierLimitFits.correctionOfW(w)
        }
        return s0 * correction.denominator / (correction.denominator + s0 * s0 * correction.numerator)
    }

    /// Upper tail: b_max − b ≈ (e^{x/2} + e^{−x/2}) Φ(−s/2) for large s; Φ(−z) ≈ φ(z)/z solved for z.
    @inlinable
    static func upperGuess(beta: Double, x: Double, ex2: Double) -> Double {
        let y = (ex2 - beta) / (ex2 + 1 / ex2)
        let lnY = log(y)
        var z = max((-2 * lnY).squareRoot(), 0.5)
        for _ in 0..<3 {
            let rhs = -2 * (lnY + log(z) + NormalisedBlack.logSqrtTwoPi)
            guard rhs > 0 else { break }
            z = max(rhs.squareRoot(), 0.5)
        }
        return 2 * z
    }

    /// Third-order Householder step from ν = −g/g', h₂ = g''/g', h₃ = g'''/g'.
    @inline(__always) @usableFromInline
    static func householderStep(newton: Double, halley: Double, hh3: Double) -> Double {
        newton * (1 + 0.5 * halley * newton) / (1 + newton * (halley + hh3 * newton * (1.0 / 6)))
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
    static func householderMiddle(s start: Double, beta: Double, x: Double, ex2: Double,
                                  left: Double, right: Double) -> Double {
        var s = start, left = left, right = right
        for _ in 0..<maximumIterations {
            let at = NormalisedBlack.evaluate(x: x, s: s, ex2: ex2)
            let b = at.price, bp = at.vega
            if b > beta { right = min(right, s) } else if b < beta { left = max(left, s) } else { return s }
            guard bp > 0 else { s = safeguard(.nan, left: left, right: right, from: s); continue }
            let (b2, b3) = vegaDerivativeRatios(x: x, s: s)
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

    /// Lowest branch: objective g(s) = 1/ln b(s) − 1/ln β, nearly linear in s where b is tiny. ln b comes
    /// straight from the Mills ratios, so neither b nor its vega is formed (either may underflow here).
    @inlinable
    static func householderLower(s start: Double, lnBeta: Double, x: Double, left: Double, right: Double) -> Double {
        var s = start, left = left, right = right
        let inverseLnBeta = 1 / lnBeta
        for _ in 0..<maximumIterations {
            let at = NormalisedBlack.evaluateLog(x: x, s: s)
            let lnB = at.logPrice
            if lnB > lnBeta { right = min(right, s) } else if lnB < lnBeta { left = max(left, s) } else { return s }
            guard lnB.isFinite else { s = safeguard(.nan, left: left, right: right, from: s); continue }
            let q = at.vegaOverPrice
            let inverseLnB = 1 / lnB
            let (b2, b3) = vegaDerivativeRatios(x: x, s: s)
            let newton = (lnBeta - lnB) * lnB * inverseLnBeta / q
            let c = 1 + 2 * inverseLnB
            let halley = b2 - q * c
            let hh3 = b3 + 2 * q * q * (1 + 3 * inverseLnB * (1 + inverseLnB)) - 3 * b2 * q * c
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
    /// (no cancellation) from the Mills ratios.
    @inlinable
    static func householderUpper(s start: Double, beta: Double, x: Double, ex2: Double,
                                 left: Double, right: Double) -> Double {
        var s = start, left = left, right = right
        let gapBeta = ex2 - beta
        for _ in 0..<maximumIterations {
            let at = NormalisedBlack.evaluate(x: x, s: s, ex2: ex2)
            let gap = at.complement, bp = at.vega
            if gap < gapBeta { right = min(right, s) } else if gap > gapBeta { left = max(left, s) } else { return s }
            guard gap > 0, bp > 0 else { s = safeguard(.nan, left: left, right: right, from: s); continue }
            let p = bp / gap
            let (b2, b3) = vegaDerivativeRatios(x: x, s: s)
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

    /// b''/b' = h²/s − s/4 and b'''/b' = (b''/b')² − 3h²/s² − 1/4, with h = x/s and b' = φ(h + t) e^{x/2}.
    @inline(__always) @usableFromInline
    static func vegaDerivativeRatios(x: Double, s: Double) -> (second: Double, third: Double) {
        let inverseS = 1 / s
        let h = x * inverseS
        let hOverS = h * inverseS
        let second = h * hOverS - 0.25 * s
        return (second, second * second - 3 * hOverS * hOverS - 0.25)
    }
}

/// The normalised Black call b(x, s) = e^{x/2} Φ(h + t) − e^{−x/2} Φ(h − t), h = x/s, t = s/2 (the price
/// divided by √(FK), x ≤ 0), evaluated through the Mills ratio Y = Φ/φ. With
/// A = e^{−(h² + t²)/2}/√(2π), which is also the vega ∂b/∂s,
///   b = A [Y(h + t) − Y(h − t)]               while h + t ≤ 0 (s ≤ s_c), and
///   e^{x/2} − b = A [Y(−h − t) + Y(h − t)]    beyond,
/// so every Mills ratio has a non-positive argument (a rational function, no exponential) and one
/// exponential serves price and vega.
@usableFromInline
enum NormalisedBlack {
    /// 1/√(2π), the standard normal density at zero.
    @inlinable static var inverseSqrtTwoPi: Double { 0.398_942_280_401_432_7 }
    /// ln √(2π).
    @inlinable static var logSqrtTwoPi: Double { 0.918_938_533_204_672_7 }

    @usableFromInline
    struct Evaluation {
        /// b(x, s).
        @usableFromInline var price: Double
        /// e^{x/2} − b(x, s), accurate where b is close to its upper bound.
        @usableFromInline var complement: Double
        /// ∂b/∂s.
        @usableFromInline var vega: Double

        @inline(__always) @usableFromInline
        init(price: Double, complement: Double, vega: Double) {
            self.price = price
            self.complement = complement
            self.vega = vega
        }
    }

    @inline(__always) @usableFromInline
    static func evaluate(x: Double, s: Double, ex2: Double) -> Evaluation {
        let h = x / s, t = 0.5 * s
        let vega = NormalisedBlack.inverseSqrtTwoPi * exp(-0.5 * (h * h + t * t))
        if h + t <= 0 {
            let price = vega * (ScaledErfc.millsRatio(h + t) - ScaledErfc.millsRatio(h - t))
            return Evaluation(price: price, complement: ex2 - price, vega: vega)
        }
        let complement = vega * (ScaledErfc.millsRatio(-h - t) + ScaledErfc.millsRatio(h - t))
        return Evaluation(price: ex2 - complement, complement: complement, vega: vega)
    }

    /// ln b(x, s) and (∂b/∂s)/b for s ≤ s_c, without forming b (no underflow however far in the tail).
    @inline(__always) @usableFromInline
    static func evaluateLog(x: Double, s: Double) -> (logPrice: Double, vegaOverPrice: Double) {
        let h = x / s, t = 0.5 * s
        let difference = ScaledErfc.millsRatio(h + t) - ScaledErfc.millsRatio(h - t)
        // A difference lost to rounding gives −∞, which the caller brackets away.
        return (-0.5 * (h * h + t * t) - NormalisedBlack.logSqrtTwoPi + log(difference), 1 / difference)
    }
}
