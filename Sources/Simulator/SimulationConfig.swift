import Foundation
import VixShieldCore

/// A scheduled macro event that moves the simulated market.
public struct SimulatedEvent: Hashable, Sendable, Comparable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// An FOMC-like rate decision, announced 14:00 ET.
        case fomc
        /// A CPI-like release, published 08:30 ET (before the open, so the day's return carries it).
        case cpi
    }

    public var kind: Kind
    public var date: CalendarDate

    public init(kind: Kind, date: CalendarDate) {
        self.kind = kind
        self.date = date
    }

    /// When the news lands, New York time.
    public var time: EasternTime {
        switch kind {
        case .fomc: return EasternTime(date: date, hour: 14)
        case .cpi: return EasternTime(date: date, hour: 8, minute: 30)
        }
    }

    public static func < (a: SimulatedEvent, b: SimulatedEvent) -> Bool { (a.date, a.kind.rawValue) < (b.date, b.kind.rawValue) }
}

/// The planted bad quotes per chain day (each on a different liquid contract).
public struct BadQuotePlan: Hashable, Sendable {
    /// Quotes written with bid above ask.
    public var crossed: Int
    /// Quotes written with bid equal to ask.
    public var locked: Int
    /// Quotes with an ask far beyond any sane spread.
    public var absurdSpread: Int
    /// Contracts written twice in the same snapshot (the second copy a tick away).
    public var duplicated: Int

    public init(crossed: Int = 2, locked: Int = 1, absurdSpread: Int = 1, duplicated: Int = 1) {
        self.crossed = crossed
        self.locked = locked
        self.absurdSpread = absurdSpread
        self.duplicated = duplicated
    }

    public var total: Int { crossed + locked + absurdSpread + duplicated }
}

/// Every knob of the simulated market. Units are in the names; variances are annualized (σ²).
///
/// `standard(seed:)` is the realistic default (a full-size ~28k-contract chain); `compact(seed:)` keeps
/// the same dynamics with a much smaller chain and history, for quick tests.
public struct SimulationConfig: Hashable, Sendable {
    public var seed: UInt64

    // MARK: - History
    /// Trading days simulated (and written to the history files) before the first chain day.
    public var warmUpTradingDays: Int
    /// SPX close on the first day of the warm-up history.
    public var spotStart: Double

    // MARK: - Stochastic variance (Heston-like, in trading-time years of 252 sessions)
    public var initialVariance: Double
    /// θ̄, the level the variance reverts to (0.028 ≈ 16.7 % vol).
    public var longRunVariance: Double
    /// κ per year: the half-life of a variance shock is ln 2 / κ years.
    public var meanReversionPerYear: Double
    /// ξ, the volatility of variance.
    public var volOfVariance: Double
    /// Correlation of spot and variance shocks (the leverage effect; negative).
    public var spotVarianceCorrelation: Double
    /// A floor on the variance so the full-truncation scheme never sits at zero (0.0025 = 5 % vol).
    public var minimumVariance: Double
    /// Implied total variance = (1 + premium) × expected realized variance.
    public var varianceRiskPremium: Double

    // MARK: - Jumps
    /// Standard deviation of the SPX move on an FOMC-like day.
    public var fomcMoveStdDev: Double
    /// Standard deviation of the SPX move on a CPI-like day.
    public var cpiMoveStdDev: Double
    /// Relative rise in variance per standard deviation of a negative event move (and half that fall
    /// after a positive one: the post-event vol crush).
    public var eventVarianceSensitivity: Double
    /// Probability of an unscheduled down-jump on any session.
    public var crashProbabilityPerDay: Double
    public var crashMeanReturn: Double
    public var crashReturnStdDev: Double
    /// Variance multiplier after an unscheduled jump (the spike that puts the VX curve in backwardation).
    public var crashVarianceMultiplier: Double
    /// Event days; nil means the synthetic schedule of `EventSchedule.synthetic` (8 FOMC-like
    /// Wednesdays a year and a monthly CPI-like day).
    public var eventDays: [SimulatedEvent]?

    // MARK: - Rates and carry
    public var initialRate: Double
    public var rateMean: Double
    public var rateMeanReversionPerYear: Double
    public var rateVolatilityPerYear: Double
    /// The short rate is kept inside this band (reflected at the edges).
    public var rateBounds: ClosedRange<Double>
    /// Continuous dividend yield q, so forward = S e^{(r−q)T}.
    public var dividendYield: Double

    // MARK: - Smile (SSVI, mapped to raw SVI per expiry)
    /// η of the SSVI power-law φ(θ) = η / (√θ √(1+θ)); η²(1+|ρ|) ≤ 4 keeps every slice butterfly-free.
    public var skewEta: Double
    /// ρ for the shortest expiries; it relaxes toward `rhoLongDated` over `rhoTimescaleYears`.
    public var rhoShortDated: Double
    public var rhoLongDated: Double
    public var rhoTimescaleYears: Double

    // MARK: - Chain size
    /// SPXW dailies (Mon–Fri) for this many trading days after the session.
    public var dailyExpiryTradingDays: Int
    /// SPXW Friday weeklies out to this many calendar days.
    public var weeklyHorizonDays: Int
    /// SPXW month-end expiries for this many months.
    public var monthEndHorizonMonths: Int
    /// SPX (AM) and SPXW (PM) standard monthly expiries for this many months.
    public var monthlyHorizonMonths: Int
    /// SPX quarterly (Mar/Jun/Sep/Dec) expiries out to this many months.
    public var quarterlyHorizonMonths: Int
    /// SPX December LEAPS out to this many years.
    public var leapsHorizonYears: Int
    /// Scales the listed strike range (1 = realistic; smaller for quick tests).
    public var strikeRangeScale: Double

    // MARK: - Quotes
    /// Full bid/ask spread of an at-the-money option a month out, in volatility points.
    public var atmSpreadVolPoints: Double
    /// Spread growth in the wings: × (1 + factor · z²/4) with z the strike's distance in ATM std devs.
    public var wingSpreadFactor: Double
    /// Spread growth near expiry: × (1 + factor / calendar days to expiry).
    public var nearExpirySpreadFactor: Double
    public var badQuotes: BadQuotePlan

    // MARK: - Futures, breadth
    /// Monthly VX contracts on each day's curve.
    public var vxMonthlyCount: Int
    /// Weekly VX contracts listed out to this many calendar days.
    public var vxWeeklyHorizonDays: Int
    /// Noise added to each VX settlement, in VIX points.
    public var vxSettleNoiseStdDev: Double
    /// Volatility of VIX (log) used for the futures convexity adjustment.
    public var vixVolatilityForConvexity: Double
    /// Issues in the breadth universe.
    public var breadthUniverse: Int

    // MARK: - VIX options (`_VIX.json`)
    /// Monthly VIX option expiries listed (one per monthly VX contract on the curve, nearest first).
    public var vixOptionExpiries = 6
    /// SSVI ρ of the VIX option smile: positive, the upward skew of options on volatility (calls rich).
    public var vixSkewRho = 0.55
    /// SSVI η of the VIX smile; η²(1 + |ρ|) ≤ 4 keeps every slice butterfly-free.
    public var vixSkewEta = 1.0
    /// Full bid/ask spread of an at-the-money VIX option, in volatility points (VIX options trade a few
    /// vol points wide, against a tenth of a point for SPX).
    public var vixSpreadVolPoints = 3.0

    /// The realistic default.
    public static func standard(seed: UInt64) -> SimulationConfig {
        SimulationConfig(
            seed: seed, warmUpTradingDays: 400, spotStart: 5800,
            initialVariance: 0.020, longRunVariance: 0.028, meanReversionPerYear: 4.0, volOfVariance: 0.50,
            spotVarianceCorrelation: -0.72, minimumVariance: 0.0025, varianceRiskPremium: 0.20,
            fomcMoveStdDev: 0.010, cpiMoveStdDev: 0.008, eventVarianceSensitivity: 0.12,
            crashProbabilityPerDay: 0.004, crashMeanReturn: -0.028, crashReturnStdDev: 0.012, crashVarianceMultiplier: 2.2,
            eventDays: nil,
            initialRate: 0.042, rateMean: 0.0425, rateMeanReversionPerYear: 0.5, rateVolatilityPerYear: 0.006,
            rateBounds: 0.035...0.050, dividendYield: 0.013,
            skewEta: 1.2, rhoShortDated: -0.78, rhoLongDated: -0.62, rhoTimescaleYears: 0.5,
            dailyExpiryTradingDays: 15, weeklyHorizonDays: 91, monthEndHorizonMonths: 12, monthlyHorizonMonths: 12,
            quarterlyHorizonMonths: 24, leapsHorizonYears: 3, strikeRangeScale: 1.0,
            atmSpreadVolPoints: 0.10, wingSpreadFactor: 0.35, nearExpirySpreadFactor: 1.5, badQuotes: BadQuotePlan(),
            vxMonthlyCount: 9, vxWeeklyHorizonDays: 42, vxSettleNoiseStdDev: 0.04, vixVolatilityForConvexity: 0.9,
            breadthUniverse: 2800)
    }

    /// The same market with a short warm-up and a small chain (a few hundred to a few thousand
    /// contracts), for quick tests.
    public static func compact(seed: UInt64) -> SimulationConfig {
        var c = standard(seed: seed)
        c.warmUpTradingDays = 60
        c.dailyExpiryTradingDays = 5
        c.weeklyHorizonDays = 35
        c.monthEndHorizonMonths = 2
        c.monthlyHorizonMonths = 4
        c.quarterlyHorizonMonths = 6
        c.leapsHorizonYears = 1
        c.strikeRangeScale = 0.5
        return c
    }

    /// Checks the knobs against the ranges the model needs.
    public func validate() throws(SimulationError) {
        func require(_ ok: Bool, _ what: String) throws(SimulationError) {
            if !ok { throw SimulationError.invalidConfig(what) }
        }
        try require(warmUpTradingDays >= 1, "warmUpTradingDays must be at least 1")
        try require(spotStart > 0 && spotStart.isFinite, "spotStart must be positive")
        try require(initialVariance > 0 && longRunVariance > 0 && minimumVariance > 0, "variances must be positive")
        try require(meanReversionPerYear > 0, "meanReversionPerYear must be positive")
        try require(volOfVariance >= 0, "volOfVariance must not be negative")
        try require(abs(spotVarianceCorrelation) < 1, "spotVarianceCorrelation must be inside (-1, 1)")
        try require(varianceRiskPremium > -1, "varianceRiskPremium must exceed -1")
        try require(fomcMoveStdDev >= 0 && cpiMoveStdDev >= 0 && crashReturnStdDev >= 0, "jump sizes must not be negative")
        try require((0...1).contains(crashProbabilityPerDay), "crashProbabilityPerDay must be a probability")
        try require(rateBounds.lowerBound > -0.05 && rateBounds.upperBound < 0.25 && rateBounds.contains(initialRate),
                    "initialRate must lie inside rateBounds")
        try require(abs(rhoShortDated) < 1 && abs(rhoLongDated) < 1, "rho must be inside (-1, 1)")
        try require(skewEta > 0 && skewEta * skewEta * (1 + max(abs(rhoShortDated), abs(rhoLongDated))) <= 4,
                    "skewEta² (1 + |rho|) must not exceed 4 (butterfly-arbitrage-free SSVI)")
        try require(rhoTimescaleYears > 0, "rhoTimescaleYears must be positive")
        try require(dailyExpiryTradingDays >= 0 && weeklyHorizonDays >= 0 && monthEndHorizonMonths >= 0
                    && monthlyHorizonMonths >= 4 && quarterlyHorizonMonths >= 0 && leapsHorizonYears >= 0,
                    "expiry horizons must not be negative, and monthlyHorizonMonths at least 4 (VIX3M needs a PM expiry beyond 93 days)")
        try require(strikeRangeScale > 0, "strikeRangeScale must be positive")
        try require(atmSpreadVolPoints > 0 && wingSpreadFactor >= 0 && nearExpirySpreadFactor >= 0, "spread knobs must be positive")
        try require(badQuotes.crossed >= 0 && badQuotes.locked >= 0 && badQuotes.absurdSpread >= 0 && badQuotes.duplicated >= 0,
                    "bad quote counts must not be negative")
        try require(vxMonthlyCount >= 1 && vxWeeklyHorizonDays >= 0 && vxSettleNoiseStdDev >= 0, "VX knobs out of range")
        try require(breadthUniverse >= 100, "breadthUniverse must be at least 100")
        try require(vixOptionExpiries >= 0 && vixOptionExpiries <= vxMonthlyCount, "vixOptionExpiries must be in 0...vxMonthlyCount")
        try require(abs(vixSkewRho) < 1 && vixSkewEta > 0 && vixSkewEta * vixSkewEta * (1 + abs(vixSkewRho)) <= 4,
                    "vixSkewEta² (1 + |vixSkewRho|) must not exceed 4 (butterfly-arbitrage-free SSVI)")
        try require(vixSpreadVolPoints > 0, "vixSpreadVolPoints must be positive")
    }
}

/// Why a simulation could not be written.
public enum SimulationError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidConfig(String)
    case invalidRange(from: CalendarDate, to: CalendarDate)
    case noTradingDays(from: CalendarDate, to: CalendarDate)
    /// The dates fall outside the years the trading calendar knows.
    case unsupportedYears(CalendarDate)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfig(let what): return "simulation config: \(what)"
        case .invalidRange(let from, let to): return "simulation range: --from \(from) is after --to \(to)"
        case .noTradingDays(let from, let to): return "simulation range \(from)...\(to) holds no NYSE trading day"
        case .unsupportedYears(let d): return "simulation date \(d) is outside the calendar's years \(TradingCalendar.supportedYears)"
        case .writeFailed(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}
