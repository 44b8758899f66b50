import VixShieldCore

/// Whether the VIX futures curve slopes up, down or neither.
public enum TermStructureShape: String, Hashable, Sendable {
    /// Later contracts above earlier ones: the calm-market norm, long volatility pays carry.
    case contango
    case flat
    /// Front above the back: stress.
    case backwardation
}

/// The metrics that get one-year percentile ranks.
public enum VolatilityContextMetric: String, Hashable, Sendable, CaseIterable {
    case vix9DOverVIX = "vix9d_over_vix"
    case vixOverVIX3M = "vix_over_vix3m"
    case frontSpreadPoints = "vx1_minus_vx2"
    case constantMaturityFuturePoints = "vx_30d"
    case rollYield30Day = "roll_yield_30d"
    case varianceRiskPremium = "vrp_variance"
    case varianceRiskPremiumVolPoints = "vrp_vol_points"
}

/// The volatility context of one date. Every field is nil when its inputs are missing.
public struct VolatilityContext: Hashable, Sendable {
    public var date: CalendarDate
    /// VIX9D / VIX: above 1 when the next week is priced hotter than the month (event or stress ahead).
    public var vix9DOverVIX: Double?
    /// VIX / VIX3M: above 1 is an inverted (backwardated) index term structure.
    public var vixOverVIX3M: Double?
    /// VX1 − VX2: settles of the front two monthly VX futures (expiring after `date`), in points.
    public var frontSpreadPoints: Double?
    /// Constant 30-calendar-day VX price: linear in days to expiry between the two monthly contracts that
    /// bracket 30 days; when even the front contract is beyond 30 days, VIX spot stands in as the 0-day
    /// point (VX settles to the VIX at expiry).
    public var constantMaturityFuturePoints: Double?
    /// (VX30 − VIX) / VIX: what a constant-maturity 30-day VX position rolls down (if positive) per 30
    /// days were spot to stay put. Positive in contango.
    public var rollYield30Day: Double?
    /// From VX2 − VX1 (or, without futures, VIX3M − VIX) against `flatBandPoints`.
    public var shape: TermStructureShape?
    /// (model-free 30-day index / 100)²: annualized implied variance from the pipeline's own surface.
    public var impliedVariance30Day: Double?
    /// Square of 21-session close-to-close realized volatility (trailing, annualized).
    public var realizedVariance21Day: Double?
    /// Implied − realized variance (annualized).
    public var varianceRiskPremium: Double?
    /// Index − 100·realized vol, in vol points.
    public var varianceRiskPremiumVolPoints: Double?
    /// One-year percentile rank in [0, 1] of each metric among its last `rankWindow` observations
    /// (including this one; mid-rank ties, `Statistics.percentRank`); absent until the window is full.
    public var ranks: [VolatilityContextMetric: Double]

    public func value(of metric: VolatilityContextMetric) -> Double? {
        switch metric {
        case .vix9DOverVIX: return vix9DOverVIX
        case .vixOverVIX3M: return vixOverVIX3M
        case .frontSpreadPoints: return frontSpreadPoints
        case .constantMaturityFuturePoints: return constantMaturityFuturePoints
        case .rollYield30Day: return rollYield30Day
        case .varianceRiskPremium: return varianceRiskPremium
        case .varianceRiskPremiumVolPoints: return varianceRiskPremiumVolPoints
        }
    }
}

/// Settings of the context computation.
public struct VolatilityContextConfig: Hashable, Sendable {
    /// Observations in a percentile-rank window (one year of sessions).
    public var rankWindow = 252
    /// |VX2 − VX1| at or below this many points is `flat` (two VX ticks).
    public var flatBandPoints = 0.1
    /// Realized-volatility window for the variance risk premium.
    public var realizedWindowSessions = 21

    public init() {}
}

/// The series the context is computed from; all dated by session.
public struct VolatilityContextInputs: Sendable {
    public var vix: DatedSeries<Double>
    public var vix9D: DatedSeries<Double>?
    public var vix3M: DatedSeries<Double>?
    /// VX settlements of any trade dates (weeklies and zero settles are ignored).
    public var futures: [VIXFutureSettlement]
    /// The pipeline's own 30-day model-free index (VIX-style, vol points) per session.
    public var modelFreeIndex30Day: DatedSeries<Double>?
    public var spxCloses: DatedSeries<Double>

    public init(vix: DatedSeries<Double>, vix9D: DatedSeries<Double>? = nil, vix3M: DatedSeries<Double>? = nil,
                futures: [VIXFutureSettlement] = [], modelFreeIndex30Day: DatedSeries<Double>? = nil, spxCloses: DatedSeries<Double>) {
        self.vix = vix
        self.vix9D = vix9D
        self.vix3M = vix3M
        self.futures = futures
        self.modelFreeIndex30Day = modelFreeIndex30Day
        self.spxCloses = spxCloses
    }
}

public enum VolatilityContextBuilder {
    /// The context for every date of `inputs.vix`, in order, with ranks over the preceding year.
    public static func compute(_ inputs: VolatilityContextInputs, config: VolatilityContextConfig = VolatilityContextConfig())
        throws(SignalsError) -> [VolatilityContext] {
        guard config.rankWindow >= 2 else { throw .invalidParameter("rankWindow \(config.rankWindow) < 2") }
        let realized = try RealizedVolatility(.closeToClose, windowSessions: config.realizedWindowSessions)
            .compute(over: DatedSeries(unchecked: inputs.spxCloses.dates, inputs.spxCloses.values.map { PriceBar(close: $0) }))
        var curves: [CalendarDate: [VIXFutureSettlement]] = [:]
        for f in inputs.futures where !f.isWeekly && f.settle.isFinite && f.settle > 0 && f.expiry > f.tradeDate {
            curves[f.tradeDate, default: []].append(f)
        }
        let metrics = VolatilityContextMetric.allCases
        var ranks = metrics.map { _ in RollingRank(window: config.rankWindow) }
        var out: [VolatilityContext] = []
        out.reserveCapacity(inputs.vix.count)
        for (date, vixLevel) in zip(inputs.vix.dates, inputs.vix.values) {
            let vix = positive(vixLevel)
            var c = VolatilityContext(date: date, ranks: [:])
            if let vix, let v9 = positive(inputs.vix9D?.value(on: date)) { c.vix9DOverVIX = v9 / vix }
            let v3 = positive(inputs.vix3M?.value(on: date))
            if let vix, let v3 { c.vixOverVIX3M = vix / v3 }
            let curve = (curves[date] ?? []).sorted { $0.expiry < $1.expiry }
            if curve.count >= 2 { c.frontSpreadPoints = curve[0].settle - curve[1].settle }
            c.constantMaturityFuturePoints = constantMaturity(curve: curve, date: date, spot: vix)
            if let vix, let vx30 = c.constantMaturityFuturePoints { c.rollYield30Day = (vx30 - vix) / vix }
            let slope: Double? = curve.count >= 2 ? curve[1].settle - curve[0].settle : (vix.flatMap { s in v3.map { $0 - s } })
            if let slope {
                c.shape = slope > config.flatBandPoints ? .contango : slope < -config.flatBandPoints ? .backwardation : .flat
            }
            if let index = positive(inputs.modelFreeIndex30Day?.value(on: date)) {
                c.impliedVariance30Day = (index / 100) * (index / 100)
                if let rv = realized.value(on: date).flatMap({ $0 }).flatMap({ $0 }) {
                    c.realizedVariance21Day = rv * rv
                    c.varianceRiskPremium = c.impliedVariance30Day! - rv * rv
                    c.varianceRiskPremiumVolPoints = index - 100 * rv
                }
            }
            for (i, metric) in metrics.enumerated() {
                guard let x = c.value(of: metric), x.isFinite else { continue }
                c.ranks[metric] = ranks[i].add(x)
            }
            out.append(c)
        }
        return out
    }

    /// Linear interpolation in calendar days to expiry at 30 days (see `constantMaturityFuturePoints`).
    static func constantMaturity(curve: [VIXFutureSettlement], date: CalendarDate, spot: Double?) -> Double? {
        var points = curve.map { (days: Double($0.expiry.days(since: date)), price: $0.settle) }
        if let spot { points.insert((0, spot), at: 0) }
        guard let next = points.firstIndex(where: { $0.days > 30 }), next > 0 else {
            return points.first { $0.days == 30 }?.price
        }
        let a = points[next - 1], b = points[next]
        return a.price + (b.price - a.price) * (30 - a.days) / (b.days - a.days)
    }

    private static func positive(_ x: Double?) -> Double? {
        guard let x, x.isFinite, x > 0 else { return nil }
        return x
    }
}

/// Percent rank of each new value among the last `window` values (itself included).
struct RollingRank: Sendable {
    private var recent: RollingWindow<Double>
    private var sorted: [Double] = []

    init(window: Int) { recent = RollingWindow(capacity: window) }

    /// Adds `x`; returns its rank once the window is full.
    mutating func add(_ x: Double) -> Double? {
        if let old = recent.append(x) { Statistics.remove(old, from: &sorted) }
        Statistics.insert(x, into: &sorted)
        guard recent.isFull else { return nil }
        return Statistics.percentRank(ofSorted: x, in: sorted)
    }
}

extension Statistics {
    /// `percentRank` for a value known to be in ascending `sorted` (binary searches, O(log n)).
    static func percentRank(ofSorted x: Double, in sorted: [Double]) -> Double? {
        var lo = 0, hi = sorted.count
        while lo < hi { let m = (lo + hi) / 2; if sorted[m] < x { lo = m + 1 } else { hi = m } }
        let less = lo
        hi = sorted.count
        while lo < hi { let m = (lo + hi) / 2; if sorted[m] <= x { lo = m + 1 } else { hi = m } }
        return midRank(less: less, equal: lo - less, count: sorted.count)
    }
}
