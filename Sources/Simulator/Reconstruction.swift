import Foundation
import VixShieldCore
import VolMath

// MARK: - Inputs

/// One VX futures settlement of the session a chain is reconstructed for.
public struct VXSettlementInput: Sendable, Hashable {
    public var symbol: String
    public var expiry: CalendarDate
    public var settle: Double

    public init(symbol: String, expiry: CalendarDate, settle: Double) {
        self.symbol = symbol
        self.expiry = expiry
        self.settle = settle
    }
}

/// The published closes of one session that a surface is fitted to (index levels in points).
public struct ReconstructionInputs: Sendable, Hashable {
    public var session: CalendarDate
    /// SPX close.
    public var spot: Double
    /// Short rate as a decimal (a 3-month bill yield); used as the continuously compounded rate.
    public var rate: Double
    public var vix: Double
    public var vix9d: Double?
    public var vix3m: Double?
    /// Cboe SKEW (100 − 10 × the 30-day risk-neutral skewness of the log return).
    public var skew: Double?
    public var vxCurve: [VXSettlementInput]

    public init(session: CalendarDate, spot: Double, rate: Double, vix: Double, vix9d: Double?, vix3m: Double?,
                skew: Double?, vxCurve: [VXSettlementInput]) {
        self.session = session
        self.spot = spot
        self.rate = rate
        self.vix = vix
        self.vix9d = vix9d
        self.vix3m = vix3m
        self.skew = skew
        self.vxCurve = vxCurve
    }
}

/// The fixed choices of the reconstruction model (documented in `ReconstructedSurface`).
public struct ReconstructionModel: Sendable, Hashable {
    /// SSVI power-law η: the smile's curvature. ρ is fitted to SKEW at this η; a SKEW beyond what ρ reaches
    /// raises η toward the butterfly bound.
    public var eta: Double = 1.2
    /// ρ searched over this range; SKEW outside what it reaches clamps ρ (with a diagnostic).
    public var rhoRange: ClosedRange<Double> = -0.95...0.3
    /// ρ when SKEW is missing.
    public var defaultRho: Double = -0.7
    /// SPX dividend yield (continuous) for the forwards; the pipeline's parity regression finds its own.
    public var dividendYield: Double = 0.018
    /// The lowest forward volatility between two knots of the term structure (keeps it calendar-free).
    public var minimumForwardVolatility: Double = 0.05
    /// A VX contract adds a knot only this many days beyond the last one (the indices win where both reach).
    public var vxKnotGapDays: Int = 14

    public init() {}
}

public enum ReconstructionError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidInput(String)

    public var description: String {
        switch self {
        case .invalidInput(let what): return "reconstruction: \(what)"
        }
    }
}

// MARK: - The fitted surface

/// An SPX implied-volatility surface fitted to one session's published volatility indices, SKEW and VX
/// settlements, for sessions where no option chain is at hand.
///
/// - Term structure: model-free total variance W(τ) (σ²_index · τ, τ in minutes after the 16:00 close)
///   has knots at 9, 30 and 93 days from VIX9D, VIX and VIX3M (the Cboe indices are 30-day-style
///   model-free variances), extended by the VX curve: a contract settling at the special opening quotation
///   on its expiry morning T₁ prices the forward 30-day variance, so W(T₁ + 30 d) = W(T₁) + (VX/100)² · 30/365.
///   Two effects are ignored: the convexity bias (E√V < √E V) puts VX below the square root of the
///   forward variance, and the futures' risk premium puts it above. W is linear in τ between
///   knots and beyond the last one continues at the last forward variance; every forward variance is at
///   least `minimumForwardVolatility`², so W rises (no calendar arbitrage in the model-free variance).
///   Without VIX9D (before 2011) the short end is flat at the VIX; without VIX3M (before 2009) the VX curve
///   takes over after 30 days; each says so in `diagnostics`.
/// - Smiles: SSVI (Gatheral & Jacquier 2014) with one ρ and the power-law φ(θ) = η / (√θ √(1+θ)) for every
///   expiry. With ρ constant and θ ↦ θφ(θ) increasing this is free of calendar arbitrage as soon as the ATM
///   variance θ rises with expiry (their Theorem 4.1), and η²(1+|ρ|) ≤ 4 rules out butterflies (Theorem 4.2).
/// - Fit: the ATM variance θ of each expiry is the one whose model-free variance (the continuum Cboe
///   formula on its SSVI smile) equals W at that expiry, so the skew's share of the index variance is not
///   counted as ATM variance; ρ is the one whose 30-day slice has the risk-neutral skewness of SKEW
///   (S = (100 − SKEW)/10), θ refitted at every trial ρ. Where ρ at its floor is not steep enough, η rises
///   toward the butterfly bound; beyond that both are clamped (`skewClamped`, with a diagnostic).
public struct ReconstructedSurface: Sendable {
    public struct Knot: Sendable, Hashable {
        public var minutes: Int
        public var totalVariance: Double
        /// `VIX9D`, `VIX`, `VIX3M` or the VX symbol that set it.
        public var source: String
    }

    public let session: CalendarDate
    public let spot: Double
    public let rate: Double
    public let dividendYield: Double
    public let rho: Double
    public let eta: Double
    public let knots: [Knot]
    /// The 30-day skewness SKEW asked for (nil without SKEW) and the one the fitted ρ gives.
    public let targetSkewness: Double?
    public let fittedSkewness: Double
    /// SKEW asked for more (or less) skewness than the model reaches: ρ (and η) sit at their bound.
    public let skewClamped: Bool
    /// What the fit had to fall back on or clamp, one line each.
    public let diagnostics: [String]
    /// The least forward variance per minute W keeps beyond its last knot.
    let floorPerMinute: Double

    static let minutesPerYear = SurfaceModel.minutesPerYear
    static let dayMinutes = 1440

    /// Fits the surface of one session.
    /// - Throws: `ReconstructionError.invalidInput` for a non-positive or non-finite spot, VIX or rate.
    public static func fit(_ inputs: ReconstructionInputs, model: ReconstructionModel = ReconstructionModel())
        throws(ReconstructionError) -> ReconstructedSurface {
        guard inputs.spot.isFinite, inputs.spot > 0 else { throw .invalidInput("\(inputs.session): SPX close \(inputs.spot)") }
        guard inputs.vix.isFinite, inputs.vix > 0 else { throw .invalidInput("\(inputs.session): VIX close \(inputs.vix)") }
        guard inputs.rate.isFinite, abs(inputs.rate) < 1 else { throw .invalidInput("\(inputs.session): rate \(inputs.rate)") }
        guard model.eta > 0, model.eta * model.eta * (1 + max(abs(model.rhoRange.lowerBound), abs(model.rhoRange.upperBound))) <= 4 else {
            throw .invalidInput("eta \(model.eta) admits butterfly arbitrage over rho \(model.rhoRange)")
        }
        var diagnostics: [String] = []
        let (knots, termNotes) = termStructure(inputs, model: model)
        diagnostics += termNotes
        let w30 = interpolate(knots, minutes: 30 * dayMinutes, floor: floorPerMinute(model))
        let skewnessAt: (Double, Double) -> Double = { rho, eta in
            let theta = atmTotalVariance(modelFree: w30, rho: rho, eta: eta)
            return SurfaceModel.logReturnSkewness(SurfaceModel.ssvi(atmTotalVariance: theta, rho: rho, eta: eta))
        }
        var rho = model.defaultRho, eta = model.eta, skewClamped = false
        let target = inputs.skew.flatMap { $0.isFinite && $0 > 0 ? (100 - $0) / 10 : nil }
        /// Bisection for the root of skewness(x) = target, skewness falling as x rises in `range`.
        func solve(_ range: ClosedRange<Double>, _ skewness: (Double) -> Double) -> Double {
            var lo = range.lowerBound, hi = range.upperBound
            for _ in 0..<50 where hi - lo > 1e-9 {
                let mid = (lo + hi) / 2
                if skewness(mid) > target! { lo = mid } else { hi = mid }
            }
            return (lo + hi) / 2
        }
        if let target {
            // Skewness falls as ρ falls (a steeper put wing); at the floor of ρ it falls further as η rises
            // (more curvature), up to the butterfly bound η²(1 + |ρ|) ≤ 4 (kept 0.1 % inside).
            let (rhoLow, rhoHigh) = (model.rhoRange.lowerBound, model.rhoRange.upperBound)
            let etaMax = max(model.eta, 0.999 * 2 / (1 + abs(rhoLow)).squareRoot())
            if target >= skewnessAt(rhoHigh, model.eta) {
                rho = rhoHigh
                skewClamped = true
                diagnostics.append(String(format: "SKEW input %.2f asks for a skewness of %.3f, above the model's %.3f at rho = %.2f: rho clamped",
                                          inputs.skew!, target, skewnessAt(rhoHigh, model.eta), rhoHigh))
            } else if target > skewnessAt(rhoLow, model.eta) {
                rho = -solve((-rhoHigh)...(-rhoLow)) { skewnessAt(-$0, model.eta) }
            } else {
                rho = rhoLow
                let steepest = skewnessAt(rhoLow, etaMax)
                if target <= steepest {
                    eta = etaMax
                    skewClamped = true
                    diagnostics.append(String(format: "SKEW input %.2f asks for a skewness of %.3f, beyond the model's %.3f at rho = %.2f, eta = %.3f: clamped",
                                              inputs.skew!, target, steepest, rhoLow, etaMax))
                } else {
                    eta = solve(model.eta...etaMax) { skewnessAt(rhoLow, $0) }
                }
            }
        } else {
            diagnostics.append("no SKEW on \(inputs.session): rho = \(model.defaultRho) (the model's default)")
        }
        return ReconstructedSurface(session: inputs.session, spot: inputs.spot, rate: inputs.rate, dividendYield: model.dividendYield,
                                    rho: rho, eta: eta, knots: knots, targetSkewness: target,
                                    fittedSkewness: skewnessAt(rho, eta), skewClamped: skewClamped, diagnostics: diagnostics,
                                    floorPerMinute: floorPerMinute(model))
    }

    /// The least forward variance per minute between knots (`ReconstructionModel.minimumForwardVolatility`).
    static func floorPerMinute(_ model: ReconstructionModel) -> Double {
        model.minimumForwardVolatility * model.minimumForwardVolatility / minutesPerYear
    }

    /// The knots of W(τ), in order, each at least the floor's forward variance above the one before.
    static func termStructure(_ inputs: ReconstructionInputs, model: ReconstructionModel) -> ([Knot], [String]) {
        var notes: [String] = []
        func knot(_ days: Int, _ level: Double?, _ name: String) -> Knot? {
            guard let level, level.isFinite, level > 0 else { return nil }
            let minutes = days * dayMinutes
            return Knot(minutes: minutes, totalVariance: level * level / 10_000 * Double(minutes) / minutesPerYear, source: name)
        }
        var knots: [Knot] = []
        if let k = knot(9, inputs.vix9d, "VIX9D") { knots.append(k) } else {
            notes.append("no VIX9D on \(inputs.session): the term structure is flat at the VIX inside 30 days")
        }
        knots.append(knot(30, inputs.vix, "VIX")!)
        if let k = knot(93, inputs.vix3m, "VIX3M") { knots.append(k) } else {
            notes.append("no VIX3M on \(inputs.session): the VX curve sets the term structure beyond 30 days")
        }
        let floor = floorPerMinute(model)
        var clamped: [String] = []
        func append(_ k: Knot) {
            var k = k
            if let last = knots.last, k.minutes > last.minutes {
                let least = last.totalVariance + floor * Double(k.minutes - last.minutes)
                if k.totalVariance < least { clamped.append(k.source); k.totalVariance = least }
            }
            knots.append(k)
        }
        // Re-apply the floor to the index knots in order.
        let indexKnots = knots
        knots = []
        for k in indexKnots { append(k) }
        let close = EasternTime.close(on: inputs.session)
        let window = 30 * dayMinutes
        var used = 0
        for vx in inputs.vxCurve.sorted(by: { ($0.expiry, $0.symbol) < ($1.expiry, $1.symbol) }) where vx.settle.isFinite && vx.settle > 0 {
            let start = EasternTime.open(on: vx.expiry).minutes(since: close)
            guard start > 0, start + window >= knots.last!.minutes + model.vxKnotGapDays * dayMinutes else { continue }
            let forwardVariance = vx.settle * vx.settle / 10_000 * Double(window) / minutesPerYear
            append(Knot(minutes: start + window, totalVariance: interpolate(knots, minutes: start, floor: floor) + forwardVariance,
                        source: vx.symbol))
            used += 1
        }
        if used == 0 { notes.append("no VX settlement beyond the indices on \(inputs.session): the last forward variance continues") }
        if !clamped.isEmpty {
            notes.append(String(format: "forward volatility raised to the %.0f %% floor before %@", model.minimumForwardVolatility * 100,
                                clamped.joined(separator: ", ")))
        }
        return (knots, notes)
    }

    /// W(τ): flat volatility to the first knot, linear between knots, then the last forward variance
    /// (never below `floor` per minute).
    static func interpolate(_ knots: [Knot], minutes: Int, floor: Double) -> Double {
        let m = Double(minutes)
        guard let first = knots.first else { return 0 }
        if minutes <= first.minutes { return first.totalVariance * max(m, 0) / Double(first.minutes) }
        for (a, b) in zip(knots, knots.dropFirst()) where minutes <= b.minutes {
            let x = (m - Double(a.minutes)) / Double(b.minutes - a.minutes)
            return a.totalVariance + x * (b.totalVariance - a.totalVariance)
        }
        let last = knots[knots.count - 1]
        let slope: Double
        if knots.count >= 2 {
            let before = knots[knots.count - 2]
            slope = (last.totalVariance - before.totalVariance) / Double(last.minutes - before.minutes)
        } else {
            slope = last.totalVariance / Double(last.minutes)
        }
        return last.totalVariance + max(slope, floor) * (m - Double(last.minutes))
    }

    /// The ATM total variance θ whose SSVI slice has model-free total variance `modelFree`.
    ///
    /// The model-free variance rises with θ at fixed ρ and η and is nearly proportional to it, so the root
    /// of f(x) = ln W_mf(eᵡ) − ln W is found by secant steps (slope ≈ 1) inside a bracket that every step
    /// narrows, with bisection when a step leaves it.
    static func atmTotalVariance(modelFree: Double, rho: Double, eta: Double) -> Double {
        guard modelFree > 0 else { return 0 }
        func f(_ x: Double) -> Double {
            log(SurfaceModel.modelFreeTotalVariance(SurfaceModel.ssvi(atmTotalVariance: exp(x), rho: rho, eta: eta))) - log(modelFree)
        }
        var lo = log(modelFree / 50), hi = log(modelFree * 2)
        var x = log(modelFree), fx = f(x)
        var previous: (x: Double, f: Double)? = nil
        for _ in 0..<60 {
            if abs(fx) < 1e-13 { break }
            if fx < 0 { lo = x } else { hi = x }
            var slope = 1.0
            if let p = previous, p.x != x, (fx - p.f) / (x - p.x) > 0 { slope = (fx - p.f) / (x - p.x) }
            var next = x - fx / slope
            if !(next > lo && next < hi) { next = (lo + hi) / 2 }
            previous = (x, fx)
            x = next
            fx = f(x)
            if hi - lo < 1e-12 { break }
        }
        return exp(x)
    }

    /// Model-free total variance σ²τ to `minutes` after the close.
    public func modelFreeTotalVariance(minutes: Int) -> Double {
        Self.interpolate(knots, minutes: minutes, floor: floorPerMinute)
    }

    /// The SSVI slice (as raw SVI) `minutes` after the close.
    public func svi(minutes: Int) -> SVIParameters {
        let theta = Self.atmTotalVariance(modelFree: modelFreeTotalVariance(minutes: minutes), rho: rho, eta: eta)
        return SurfaceModel.ssvi(atmTotalVariance: theta, rho: rho, eta: eta)
    }

    /// The index a Cboe-style calculation over `targetDays` gives on the continuous surface (×100).
    public func continuousIndex(targetDays: Int) -> Double {
        let minutes = targetDays * Self.dayMinutes
        let w = SurfaceModel.modelFreeTotalVariance(svi(minutes: minutes))
        return 100 * (w * Self.minutesPerYear / Double(minutes)).squareRoot()
    }
}

extension ReconstructedSurface: ChainSurface {
    func slice(minutes: Int, expiry: ListedExpiry) -> TrueSlice {
        let t = Double(minutes) / Self.minutesPerYear
        let svi = svi(minutes: minutes)
        return TrueSlice(expiry: expiry, minutesToExpiry: minutes, timeToExpiryYears: t,
                         forward: spot * exp((rate - dividendYield) * t), discount: exp(-rate * t),
                         atmTotalVariance: svi.totalVariance(atLogMoneyness: 0),
                         eventTotalVariance: 0, svi: svi)
    }
}
