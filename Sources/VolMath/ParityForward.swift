import Foundation
import VixShieldCore

/// One strike with a two-sided call and put quote, for the put-call parity regression.
public struct ParityPair: Hashable, Sendable {
    public var strike: Double
    public var callMid: Double
    public var putMid: Double
    /// Call ask − bid plus put ask − bid (index points): the noise scale of C − P at this strike.
    public var combinedSpread: Double

    public init(strike: Double, callMid: Double, putMid: Double, combinedSpread: Double) {
        self.strike = strike
        self.callMid = callMid
        self.putMid = putMid
        self.combinedSpread = combinedSpread
    }

    /// Pairs every strike that has a usable two-sided call and put among `quotes` (one expiry, one root
    /// or several roots sharing a settlement), sorted by strike.
    public static func pairs(from quotes: [OptionQuote]) -> [ParityPair] {
        var calls: [Int: OptionQuote] = [:], puts: [Int: OptionQuote] = [:]
        for q in quotes where q.flags.isDisjoint(with: .unusable) && q.isTwoSided && q.bid.isFinite && q.ask.isFinite {
            // Keep the tighter quote when two roots list the same strike.
            switch q.contract.right {
            case .call: if calls[q.contract.strikeMilli].map({ $0.spread > q.spread }) ?? true { calls[q.contract.strikeMilli] = q }
            case .put: if puts[q.contract.strikeMilli].map({ $0.spread > q.spread }) ?? true { puts[q.contract.strikeMilli] = q }
            }
        }
        return calls.keys.sorted().compactMap { key in
            guard let c = calls[key], let p = puts[key] else { return nil }
            return ParityPair(strike: c.contract.strike, callMid: c.mid, putMid: p.mid, combinedSpread: c.spread + p.spread)
        }
    }
}

/// How a forward and discount factor were obtained.
public enum ForwardMethod: String, Hashable, Sendable, Codable {
    /// Both from the regression C − P = D·(F − K).
    case parityRegression = "parity"
    /// F from parity with D fixed by the rate curve (the slope was implausible or too short-dated to trust).
    case parityWithCurveDiscount = "parity_curve_discount"
    /// No usable parity: D = e^{−rT} from the curve and F = spot·e^{rT} (ignores dividends).
    case rateCurve = "rate_curve"
}

/// Forward and discount for one expiry with the evidence behind them.
public struct ForwardEstimate: Hashable, Sendable {
    public var forward: Double
    public var discount: Double
    public var method: ForwardMethod
    /// Strikes whose pairs survived trimming and entered the final fit (empty for `.rateCurve`).
    public var strikesUsed: [Double]
    /// Weighted root-mean-square residual of C − P in index points over `strikesUsed`.
    public var residualRMS: Double
    /// Largest absolute residual (index points) over `strikesUsed`.
    public var maxAbsResidual: Double
    /// Why the regression was not used as is (nil for `.parityRegression`).
    public var note: String?

    /// The continuously compounded rate implied by `discount` over `timeToExpiryYears`.
    public func impliedRate(timeToExpiryYears t: Double) -> Double { -log(discount) / t }
}

/// Settings of the parity regression.
public struct ParityForwardConfig: Hashable, Sendable {
    /// Pairs nearest the rough forward (by |ln K/F|) that enter the regression.
    public var nearestPairs: Int = 24
    /// Fewest pairs for a regression (F only needs one but we want a residual check).
    public var minimumPairs: Int = 3
    /// A pair is trimmed when its residual exceeds this many combined spreads and this many robust
    /// standard deviations of the residuals.
    public var trimSpreads: Double = 0.5
    public var trimRobustSigmas: Double = 3.5
    /// Implied rates outside this band (continuously compounded) mean the slope is noise.
    /// The lower end allows slightly negative funding; a discount factor well above 1 is a biased slope
    /// (American exercise, dividends, stale quotes), not a rate.
    public var plausibleRates: ClosedRange<Double> = -0.005...0.15
    /// Below this time to expiry the slope D is not estimated (it is 1 to within the quote noise).
    public var minimumYearsForDiscount: Double = 14.0 / 365
    /// False for American-style options (`ExerciseStyle.american`): early-exercise premia bias the C − P
    /// slope, so the discount comes from the rate curve and only the forward from parity.
    public var discountFromParity = true

    public init() {}
}

/// Forward and discount per expiry from put-call parity, C − P = D·(F − K).
public enum ParityForward {
    /// Estimates forward and discount for one expiry.
    ///
    /// Regresses y = C − P on K by weighted least squares (weights 1/spread², the quote noise) over the
    /// two-sided pairs nearest the strike of min |C − P|, trims outliers and refits. Falls back to a
    /// curve discount (and then to spot·e^{rT}) when the pairs cannot support the fit.
    /// - Parameters:
    ///   - fallbackRate: continuously compounded rate from the rate curve for this expiry.
    ///   - spot: the underlying's spot, used only by the last-resort fallback.
    public static func estimate(pairs allPairs: [ParityPair], timeToExpiryYears t: Double, fallbackRate: Double,
                                spot: Double, config: ParityForwardConfig = ParityForwardConfig()) -> ForwardEstimate {
        let curveDiscount = exp(-fallbackRate * t)
        let pairs = allPairs.filter { $0.strike > 0 && $0.callMid.isFinite && $0.putMid.isFinite && $0.combinedSpread >= 0 }
        guard pairs.count >= config.minimumPairs,
              let anchor = pairs.min(by: { abs($0.callMid - $0.putMid) < abs($1.callMid - $1.putMid) }) else {
            return ForwardEstimate(forward: spot * exp(fallbackRate * t), discount: curveDiscount, method: .rateCurve,
                                   strikesUsed: [], residualRMS: .nan, maxAbsResidual: .nan,
                                   note: "only \(pairs.count) two-sided call/put pairs")
        }
        let roughForward = anchor.strike + (anchor.callMid - anchor.putMid) / curveDiscount
        let reference = roughForward > 0 ? roughForward : anchor.strike
        var selected = pairs.sorted { abs(log($0.strike / reference)) < abs(log($1.strike / reference)) }
        selected = Array(selected.prefix(config.nearestPairs))

        let estimateSlope = config.discountFromParity && t >= config.minimumYearsForDiscount
        var fit = weightedFit(selected, slope: estimateSlope ? nil : curveDiscount)
        for _ in 0..<5 {
            let kept = trim(selected, fit: fit, config: config)
            if kept.count == selected.count || kept.count < config.minimumPairs { break }
            selected = kept
            fit = weightedFit(selected, slope: estimateSlope ? nil : curveDiscount)
        }
        var method = ForwardMethod.parityRegression
        var note: String? = nil
        if !config.discountFromParity {
            method = .parityWithCurveDiscount
            note = "American-style exercise: discount from the rate curve, not parity"
        } else if !estimateSlope {
            method = .parityWithCurveDiscount
            note = "expiry too short to estimate the discount from parity"
        } else {
            let rate = -log(fit.discount) / t
            if !(fit.discount > 0) || !config.plausibleRates.contains(rate) {
                method = .parityWithCurveDiscount
                note = "parity-implied rate \(rate) outside \(config.plausibleRates)"
                fit = weightedFit(selected, slope: curveDiscount)
            }
        }
        guard fit.forward.isFinite, fit.forward > 0 else {
            return ForwardEstimate(forward: spot * exp(fallbackRate * t), discount: curveDiscount, method: .rateCurve,
                                   strikesUsed: [], residualRMS: .nan, maxAbsResidual: .nan,
                                   note: "parity regression gave a non-positive forward")
        }
        let residuals = selected.map { ($0.callMid - $0.putMid) - fit.discount * (fit.forward - $0.strike) }
        let rms = (residuals.reduce(0) { $0 + $1 * $1 } / Double(residuals.count)).squareRoot()
        return ForwardEstimate(forward: fit.forward, discount: fit.discount, method: method,
                               strikesUsed: selected.map(\.strike).sorted(), residualRMS: rms,
                               maxAbsResidual: residuals.map(abs).max() ?? .nan, note: note)
    }

    /// Convenience over the quotes of one expiry.
    public static func estimate(quotes: [OptionQuote], timeToExpiryYears t: Double, fallbackRate: Double, spot: Double,
                                config: ParityForwardConfig = ParityForwardConfig()) -> ForwardEstimate {
        estimate(pairs: ParityPair.pairs(from: quotes), timeToExpiryYears: t, fallbackRate: fallbackRate, spot: spot,
                 config: config)
    }

    // MARK: - Internals

    struct Fit { var forward: Double; var discount: Double }

    /// Weighted least squares of y = α − D·K (α = D·F); with `slope` given, only α is estimated.
    static func weightedFit(_ pairs: [ParityPair], slope fixedDiscount: Double?) -> Fit {
        // A floor on the spread keeps a locked or zero-width quote from taking all the weight.
        let spreads = pairs.map(\.combinedSpread).sorted()
        let floor = max(spreads[spreads.count / 2] * 0.25, 1e-4)
        var sw = 0.0, swk = 0.0, swy = 0.0, swkk = 0.0, swky = 0.0
        for p in pairs {
            let spread = max(p.combinedSpread, floor)
            let w = 1 / (spread * spread)
            let y = p.callMid - p.putMid
            sw += w; swk += w * p.strike; swy += w * y; swkk += w * p.strike * p.strike; swky += w * p.strike * y
        }
        if let d = fixedDiscount {
            // α = mean(y + D K) in the weighted sense.
            let alpha = (swy + d * swk) / sw
            return Fit(forward: alpha / d, discount: d)
        }
        let meanK = swk / sw, meanY = swy / sw
        let sxx = swkk / sw - meanK * meanK
        let sxy = swky / sw - meanK * meanY
        guard sxx > 0 else { return Fit(forward: .nan, discount: .nan) }
        let beta = sxy / sxx
        let d = -beta
        let alpha = meanY - beta * meanK
        return Fit(forward: alpha / d, discount: d)
    }

    /// Drops pairs whose residual is both large against their own spread and an outlier among the rest.
    static func trim(_ pairs: [ParityPair], fit: Fit, config: ParityForwardConfig) -> [ParityPair] {
        let residuals = pairs.map { ($0.callMid - $0.putMid) - fit.discount * (fit.forward - $0.strike) }
        let absSorted = residuals.map(abs).sorted()
        // 1.4826 · median absolute residual estimates σ for normal noise.
        let robustSigma = 1.4826 * absSorted[absSorted.count / 2]
        return zip(pairs, residuals).filter { pair, r in
            !(abs(r) > config.trimSpreads * pair.combinedSpread && abs(r) > config.trimRobustSigmas * robustSigma)
        }.map(\.0)
    }
}
