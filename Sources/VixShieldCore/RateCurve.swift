import Foundation

/// How a rate series is quoted, so a quote can be turned into a continuously compounded rate.
///
/// Year fractions are act/365 (`tenorYears` = days / 365), the clock the option models use.
public enum RateQuoteConvention: String, Sendable, Hashable, Codable, CaseIterable {
    /// US Treasury bond-equivalent yield (FRED `DGS*` constant-maturity yields, the Treasury par curve):
    /// simple interest on act/365 up to six months (the bill BEY), semiannual compounding beyond.
    case bondEquivalent
    /// Bank discount rate on a 360-day year (FRED `DTB*` bill rates): price = 1 − d · days / 360.
    case bankDiscount
    /// Money-market simple rate on act/360 (fed funds `DFF`, SOFR).
    case moneyMarket
    /// Already continuously compounded.
    case continuous

    /// The continuously compounded rate r with exp(−r·T) equal to the discount factor the quote implies.
    ///
    /// - Parameters:
    ///   - quote: the rate as a decimal (0.0525 for 5.25 %).
    ///   - tenorYears: the instrument's maturity T in act/365 years; must be positive.
    /// - Returns: r, or nil when the tenor is not positive and finite or the quote implies no positive
    ///   discount factor (a discount rate so large the price is not positive).
    public func continuouslyCompounded(_ quote: Double, tenorYears: Double) -> Double? {
        guard tenorYears > 0, tenorYears.isFinite, quote.isFinite else { return nil }
        let t = tenorYears
        let growth: Double  // 1 / discount factor
        switch self {
        case .continuous:
            return quote
        case .bondEquivalent:
            // Bills up to six months: BEY = (1/P − 1) · 365 / days. Longer: semiannual, (1 + y/2)^(2T).
            if t <= 0.5 { growth = 1 + quote * t } else { return 2 * log1p(quote / 2) }
        case .bankDiscount:
            let price = 1 - quote * t * 365 / 360
            guard price > 0 else { return nil }
            return -log(price) / t
        case .moneyMarket:
            growth = 1 + quote * t * 365 / 360
        }
        guard growth > 0 else { return nil }
        return log(growth) / t
    }
}

/// Why a rate could not be given or a curve could not be built.
public enum RateCurveError: Error, Equatable, Sendable, CustomStringConvertible {
    case noObservations
    /// One series id arrived with different tenors.
    case inconsistentTenor(series: String, tenorsYears: [Double])
    case invalidTenor(series: String, tenorYears: Double)
    case nonFiniteRate(series: String, date: CalendarDate)
    case duplicateObservation(series: String, date: CalendarDate)
    /// Every series' latest observation on or before `date` is missing or older than the staleness limit.
    case noFreshObservation(date: CalendarDate, maxStalenessDays: Int)
    case invalidQueryTenor(Double)
    /// The quote cannot be converted (a discount rate implying a non-positive price).
    case unconvertible(series: String, date: CalendarDate, rate: Double)

    public var description: String {
        switch self {
        case .noObservations: return "rate curve: no observations"
        case .inconsistentTenor(let s, let t): return "rate curve: series \(s) has several tenors \(t)"
        case .invalidTenor(let s, let t): return "rate curve: series \(s) has a non-positive tenor \(t)"
        case .nonFiniteRate(let s, let d): return "rate curve: series \(s) has a non-finite rate on \(d)"
        case .duplicateObservation(let s, let d): return "rate curve: series \(s) has two observations on \(d)"
        case .noFreshObservation(let d, let n): return "rate curve: no series has an observation within \(n) days on or before \(d)"
        case .invalidQueryTenor(let t): return "rate curve: tenor \(t) years is not positive and finite"
        case .unconvertible(let s, let d, let r): return "rate curve: \(s) quote \(r) on \(d) implies no positive discount factor"
        }
    }
}

/// A term structure of interest rates on any date, from daily observations of one or more series.
///
/// On a date, each series contributes its last observation on or before that date, unless that is older
/// than `maxStalenessDays` calendar days (then the series sits out: FRED's 1-month yield did not exist
/// before 2001, holidays leave gaps). Between the tenors of the contributing series the rate is linear
/// in tenor; beyond the shortest and longest it is flat. Two series at the same tenor: the more recent
/// observation wins, then the series id that sorts first, so results never depend on input order.
///
/// `rate` interpolates the quotes as they are (meaningful when all series share one convention);
/// `continuousRate` and `discountFactor` convert each node to continuous compounding first, so mixed
/// conventions (fed funds with Treasury yields) combine correctly.
public struct RateCurve: Sendable {
    /// One series' contribution on a date.
    public struct Node: Hashable, Sendable {
        public var series: String
        public var tenorYears: Double
        public var observedOn: CalendarDate
        /// The quote as a decimal, in the series' convention.
        public var rate: Double
        public var continuousRate: Double
    }

    public static let defaultMaxStalenessDays = 10

    public let maxStalenessDays: Int

    private struct Series: Sendable {
        let id: String
        let tenorYears: Double
        let convention: RateQuoteConvention
        let dayNumbers: [Int]  // ascending
        let rates: [Double]
    }

    private let series: [Series]

    /// Builds the curve.
    ///
    /// - Parameters:
    ///   - observations: any order; each series id must keep one tenor and one observation per date.
    ///   - conventions: quote convention per series id; series not listed use `defaultConvention`.
    ///   - maxStalenessDays: how old (calendar days) an observation may be and still count.
    /// - Throws: `RateCurveError` for an empty input, inconsistent or non-positive tenors, non-finite
    ///   rates, duplicate dates, or quotes that imply no positive discount factor.
    public init(observations: [RateObservation], conventions: [String: RateQuoteConvention] = [:],
                defaultConvention: RateQuoteConvention = .bondEquivalent,
                maxStalenessDays: Int = RateCurve.defaultMaxStalenessDays) throws(RateCurveError) {
        guard !observations.isEmpty else { throw .noObservations }
        var grouped: [String: [RateObservation]] = [:]
        for o in observations { grouped[o.series, default: []].append(o) }
        var built: [Series] = []
        for (id, obs) in grouped {
            let tenors = Set(obs.map(\.tenorYears))
            guard tenors.count == 1, let tenor = tenors.first else { throw .inconsistentTenor(series: id, tenorsYears: tenors.sorted()) }
            guard tenor > 0, tenor.isFinite else { throw .invalidTenor(series: id, tenorYears: tenor) }
            let convention = conventions[id] ?? defaultConvention
            let sorted = obs.sorted { $0.date < $1.date }
            for (i, o) in sorted.enumerated() {
                guard o.rate.isFinite else { throw .nonFiniteRate(series: id, date: o.date) }
                if i > 0, sorted[i - 1].date == o.date { throw .duplicateObservation(series: id, date: o.date) }
                guard convention.continuouslyCompounded(o.rate, tenorYears: tenor) != nil else {
                    throw .unconvertible(series: id, date: o.date, rate: o.rate)
                }
            }
            built.append(Series(id: id, tenorYears: tenor, convention: convention,
                                dayNumbers: sorted.map(\.date.dayNumber), rates: sorted.map(\.rate)))
        }
        self.series = built.sorted { ($0.tenorYears, $0.id) < ($1.tenorYears, $1.id) }
        self.maxStalenessDays = maxStalenessDays
    }

    /// The series ids in the curve, shortest tenor first.
    public var seriesIDs: [String] { series.map(\.id) }

    /// The nodes in force on `date`, one per tenor, shortest first (empty when every series is stale).
    public func nodes(on date: CalendarDate) -> [Node] {
        let day = date.dayNumber
        var out: [Node] = []
        for s in series {
            // Last observation on or before `day` (binary search).
            var lo = 0, hi = s.dayNumbers.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if s.dayNumbers[mid] <= day { lo = mid + 1 } else { hi = mid }
            }
            guard lo > 0, day - s.dayNumbers[lo - 1] <= maxStalenessDays else { continue }
            let quote = s.rates[lo - 1]
            // Convertibility was checked for every observation in init.
            let node = Node(series: s.id, tenorYears: s.tenorYears, observedOn: CalendarDate(dayNumber: s.dayNumbers[lo - 1]),
                            rate: quote, continuousRate: s.convention.continuouslyCompounded(quote, tenorYears: s.tenorYears)!)
            if let last = out.last, last.tenorYears == node.tenorYears {
                // Same tenor: the fresher observation wins; series are already in id order for ties.
                if node.observedOn > last.observedOn { out[out.count - 1] = node }
            } else {
                out.append(node)
            }
        }
        return out
    }

    /// Which tenors the curve actually spans on `date`, so a caller can say when a discount is an
    /// extrapolation (e.g. only the overnight fed funds rate is loaded and it would discount a two-year
    /// option flat).
    public func tenorCoverage(on date: CalendarDate) -> RateTenorCoverage {
        RateTenorCoverage(nodes: nodes(on: date))
    }

    /// The quoted rate (decimal) for `tenorYears` on `date`: linear in tenor between nodes, flat outside.
    public func rate(on date: CalendarDate, tenorYears: Double) throws(RateCurveError) -> Double {
        try interpolate(on: date, tenorYears: tenorYears, \.rate)
    }

    /// The continuously compounded rate for `tenorYears` on `date`, interpolated like `rate`.
    public func continuousRate(on date: CalendarDate, tenorYears: Double) throws(RateCurveError) -> Double {
        try interpolate(on: date, tenorYears: tenorYears, \.continuousRate)
    }

    /// exp(−r·T) with r the continuously compounded rate for T = `tenorYears` on `date`.
    public func discountFactor(on date: CalendarDate, tenorYears: Double) throws(RateCurveError) -> Double {
        exp(-(try continuousRate(on: date, tenorYears: tenorYears)) * tenorYears)
    }

    private func interpolate(on date: CalendarDate, tenorYears t: Double, _ value: KeyPath<Node, Double>) throws(RateCurveError) -> Double {
        guard t > 0, t.isFinite else { throw .invalidQueryTenor(t) }
        let nodes = nodes(on: date)
        guard let first = nodes.first, let last = nodes.last else {
            throw .noFreshObservation(date: date, maxStalenessDays: maxStalenessDays)
        }
        if t <= first.tenorYears { return first[keyPath: value] }
        if t >= last.tenorYears { return last[keyPath: value] }
        let upper = nodes.firstIndex { $0.tenorYears >= t }!
        let a = nodes[upper - 1], b = nodes[upper]
        let w = (t - a.tenorYears) / (b.tenorYears - a.tenorYears)
        return a[keyPath: value] + w * (b[keyPath: value] - a[keyPath: value])
    }
}

/// The tenors a `RateCurve` spans on one date (see `RateCurve.tenorCoverage(on:)`).
public struct RateTenorCoverage: Hashable, Sendable {
    /// Nodes at or below this tenor are overnight-to-one-week money-market rates (DFF, SOFR, EFFR).
    public static let overnightLimitYears = 7.0 / 365

    /// The series in force, shortest tenor first.
    public var seriesIDs: [String]
    /// Shortest and longest node tenors in years (nil when no series is fresh on the date).
    public var shortestTenorYears: Double?
    public var longestTenorYears: Double?

    public init(nodes: [RateCurve.Node]) {
        seriesIDs = nodes.map(\.series)
        shortestTenorYears = nodes.first?.tenorYears
        longestTenorYears = nodes.last?.tenorYears
    }

    /// No fresh series at all: every rate query throws `noFreshObservation`.
    public var isEmpty: Bool { seriesIDs.isEmpty }

    /// Only overnight-to-one-week series are in force: every longer tenor gets the overnight rate, flat.
    public var isOvernightOnly: Bool { longestTenorYears.map { $0 <= Self.overnightLimitYears } ?? false }

    /// True when `tenorYears` lies beyond the longest node, where the curve is extrapolated flat.
    public func isExtrapolated(tenorYears: Double) -> Bool {
        guard let longest = longestTenorYears else { return true }
        return tenorYears > longest
    }
}
