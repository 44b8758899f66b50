#if canImport(Glibc)
import Glibc  // log, exp: the C math library only, no Foundation
#elseif canImport(Darwin)
import Darwin
#endif
import VixShieldCore
import VolMath

/// A slice's total variance as a function of log-moneyness k = ln(K/F).
public enum SliceShape: Sendable {
    /// Raw SVI (the surface stage's fits and the stored `surface_slices` rows).
    case svi(SVIParameters)
    /// Any other function of k (tests, interpolated or refitted slices).
    case function(@Sendable (Double) -> Double)

    public func totalVariance(atLogMoneyness k: Double) -> Double {
        switch self {
        case .svi(let p): return p.totalVariance(atLogMoneyness: k)
        case .function(let f): return f(k)
        }
    }
}

/// The light per-expiry input of a projection.
public struct ProjectionSlice: Sendable {
    public var expiryTime: EasternTime
    public var timeToExpiryYears: Double
    public var forward: Double
    public var shape: SliceShape

    public init(expiryTime: EasternTime, timeToExpiryYears: Double, forward: Double, shape: SliceShape) {
        self.expiryTime = expiryTime
        self.timeToExpiryYears = timeToExpiryYears
        self.forward = forward
        self.shape = shape
    }

    /// The fitted expiries of a surface, in settlement order (unfitted ones are skipped).
    public static func slices(from surface: VolatilitySurface) -> [ProjectionSlice] {
        surface.expiries.compactMap { e in
            e.slice.map { ProjectionSlice(expiryTime: e.expiryTime, timeToExpiryYears: e.timeToExpiryYears, forward: e.forward.forward, shape: .svi($0.parameters)) }
        }
    }
}

/// How the smile moves with the underlying in a projection.
public enum StickinessRule: String, Hashable, Sendable {
    /// Total variance is a function of k = ln(K/F): the smile moves with the forward (the default).
    case stickyMoneyness = "sticky_moneyness"
    /// Implied variance stays with the strike: after a move of ln(F'/F) = m, w'(k) reads w at k + m.
    case stickyStrike = "sticky_strike"
}

/// A projection scenario: the stickiness rule and an optional move of the underlying.
public struct ProjectionScenario: Hashable, Sendable {
    public var rule: StickinessRule
    /// ln(F'/F) applied to every forward (0: the forwards stay).
    public var forwardLogMove: Double

    public init(rule: StickinessRule = .stickyMoneyness, forwardLogMove: Double = 0) {
        self.rule = rule
        self.forwardLogMove = forwardLogMove
    }
}

/// An event variance the projection removes when the event passes (from `EventVarianceEstimate`).
public struct EventTotalVariance: Hashable, Sendable {
    public var time: EasternTime
    public var totalVariance: Double

    public init(time: EasternTime, totalVariance: Double) {
        self.time = time
        self.totalVariance = totalVariance
    }

    /// The estimates that have a value.
    public static func from(_ estimates: [EventVarianceEstimate]) -> [EventTotalVariance] {
        estimates.compactMap { e in e.totalVariance.map { EventTotalVariance(time: e.event.time, totalVariance: $0) } }
    }
}

/// One expiry now and projected.
public struct ProjectedExpiry: Sendable {
    public var expiryTime: EasternTime
    public var timeToExpiryYearsNow: Double
    public var timeToExpiryYearsProjected: Double
    public var forwardNow: Double
    public var forwardProjected: Double
    /// √(w(0)/T) now and on the projected slice at its own forward.
    public var atmVolatilityNow: Double
    public var atmVolatilityProjected: Double
    public var atmTotalVarianceNow: Double
    public var atmTotalVarianceProjected: Double
    /// Event variance still inside the projected slice (events after the projection time, by expiry).
    public var eventTotalVariance: Double
    /// One standard deviation of the move to expiry in index points, F'·√w'(0).
    public var expectedMovePoints: Double
    /// Expected absolute move F'·√(2w'(0)/π) ≈ 0.8·F'·σ√T, what the ATM straddle prices.
    public var expectedAbsoluteMovePoints: Double
    /// Projected total variance at k = ln(K/F').
    let projected: @Sendable (Double) -> Double

    public func totalVariance(atLogMoneyness k: Double) -> Double { projected(k) }

    /// The projected slice on a grid, to store or refit (`SVIFit`).
    public func totalVariances(on grid: [Double]) -> [Double] { grid.map(projected) }
}

/// A later projected slice below an earlier one at some k (the largest shortfall on the grid).
public struct ProjectedCalendarViolation: Hashable, Sendable {
    public var earlierIndex: Int
    public var laterIndex: Int
    public var logMoneyness: Double
    public var totalVarianceShortfall: Double
}

/// A projected surface and its calendar check.
public struct ProjectedSurface: Sendable {
    public var from: EasternTime
    public var to: EasternTime
    public var scenario: ProjectionScenario
    /// Expiries after `to`, in order.
    public var expiries: [ProjectedExpiry]
    /// Places where a later projected slice's total variance falls below an earlier one's (indices into
    /// `expiries`), on the check grid: empty when the projection kept calendar no-arbitrage.
    public var calendarViolations: [ProjectedCalendarViolation]
}

/// Settings of the projection.
public struct ProjectionConfig: Hashable, Sendable {
    /// Log-moneyness grid of the calendar check.
    public var checkGrid = logMoneynessGrid(from: -1, to: 0.5, count: 151)
    /// Shortfalls below this are rounding, not arbitrage.
    public var calendarTolerance = 1e-12

    public init() {}
}

/// Rolls a surface through time (business time, event variance) — the project stage's math.
///
/// Keep forward variances: every expiry's slice loses the same elapsed total variance e(k), the
/// variance the current surface assigns to (now, target]:
///
///     w'_j(k) = w_j(k) − e(k),   e(k) = W(k, target)
///
/// where W(k, t) interpolates the current surface in *base business time* after taking out event
/// variance (linear in base total variance between slices, from 0 now; Gatheral's calendar-safe linear
/// interpolation), then adds back the events in (now, t]. So an event that passes takes its variance
/// with it, and w'_{j+1} − w'_j = w_{j+1} − w_j: forward variances, and hence calendar no-arbitrage,
/// are kept. e(k) is capped at the first remaining slice's w(k) so nothing goes negative (only an event
/// estimate larger than that slice's variance can trigger the cap), and the output is checked anyway.
/// The scenario then moves the forward and reads the slice at k (sticky moneyness) or k + ln(F'/F)
/// (sticky strike).
public enum SurfaceProjection {
    public static func project(_ slices: [ProjectionSlice], from now: EasternTime, to target: EasternTime,
                               events: [EventTotalVariance] = [], clock: BusinessClock,
                               scenario: ProjectionScenario = ProjectionScenario(),
                               config: ProjectionConfig = ProjectionConfig()) throws(SignalsError) -> ProjectedSurface {
        guard target >= now else { throw .invalidParameter("projection target \(target) before \(now)") }
        guard scenario.forwardLogMove.isFinite, abs(scenario.forwardLogMove) < 5 else {
            throw .invalidParameter("forward log move \(scenario.forwardLogMove)")
        }
        for s in slices where !(s.forward.isFinite && s.forward > 0 && s.timeToExpiryYears.isFinite && s.timeToExpiryYears > 0) {
            throw .invalidValue(s.expiryTime.date, "slice with forward \(s.forward), T \(s.timeToExpiryYears)")
        }
        for e in events where !(e.totalVariance.isFinite && e.totalVariance >= 0) {
            throw .invalidValue(e.time.date, "event variance \(e.totalVariance)")
        }
        let ordered = slices.filter { $0.expiryTime > now }.sorted { $0.expiryTime < $1.expiryTime }
        guard let last = ordered.last, last.expiryTime > target else {
            throw .insufficientData("no expiry after the projection target \(target)")
        }
        let base = clock.base
        func eventVariance(after a: EasternTime, through b: EasternTime) -> Double {
            events.lazy.filter { $0.time > a && $0.time <= b }.reduce(0) { $0 + $1.totalVariance }
        }
        let targetDays = base.businessDays(from: now, to: target)
        // The bracket of the target: the last slice settling at or before it (or "now") and the next one.
        let nextIndex = ordered.firstIndex { $0.expiryTime > target }!
        let previous: (slice: ProjectionSlice, days: Double, events: Double)? = nextIndex > 0
            ? (ordered[nextIndex - 1], base.businessDays(from: now, to: ordered[nextIndex - 1].expiryTime),
               eventVariance(after: now, through: ordered[nextIndex - 1].expiryTime)) : nil
        let next = ordered[nextIndex]
        let nextDays = base.businessDays(from: now, to: next.expiryTime)
        let nextEvents = eventVariance(after: now, through: next.expiryTime)
        let targetEvents = eventVariance(after: now, through: target)
        let fraction = nextDays > (previous?.days ?? 0) ? (targetDays - (previous?.days ?? 0)) / (nextDays - (previous?.days ?? 0)) : 1
        let nextShape = next.shape, previousShape = previous?.slice.shape
        let previousEvents = previous?.events ?? 0

        /// e(k): the current surface's total variance from now to the target at log-moneyness k.
        let elapsed: @Sendable (Double) -> Double = { k in
            let wNext = nextShape.totalVariance(atLogMoneyness: k)
            let basePrev = previousShape.map { max($0.totalVariance(atLogMoneyness: k) - previousEvents, 0) } ?? 0
            let baseNext = max(wNext - nextEvents, basePrev)
            let e = basePrev + (baseNext - basePrev) * fraction + targetEvents
            return min(e, wNext)
        }

        let shift = scenario.rule == .stickyStrike ? scenario.forwardLogMove : 0
        let elapsedYears = Double(target.minutes(since: now)) / ModelFreeVariance.minutesPerYear
        var out: [ProjectedExpiry] = []
        for s in ordered[nextIndex...] {
            let shape = s.shape
            let projected: @Sendable (Double) -> Double = { k in
                max(shape.totalVariance(atLogMoneyness: k + shift) - elapsed(k + shift), 0)
            }
            let tNew = s.timeToExpiryYears - elapsedYears
            guard tNew > 0 else { continue }
            let wNow = shape.totalVariance(atLogMoneyness: 0), wNew = projected(0)
            let forwardNew = s.forward * exp(scenario.forwardLogMove)
            out.append(ProjectedExpiry(
                expiryTime: s.expiryTime, timeToExpiryYearsNow: s.timeToExpiryYears, timeToExpiryYearsProjected: tNew,
                forwardNow: s.forward, forwardProjected: forwardNew,
                atmVolatilityNow: (max(wNow, 0) / s.timeToExpiryYears).squareRoot(), atmVolatilityProjected: (wNew / tNew).squareRoot(),
                atmTotalVarianceNow: wNow, atmTotalVarianceProjected: wNew,
                eventTotalVariance: eventVariance(after: target, through: s.expiryTime),
                expectedMovePoints: forwardNew * wNew.squareRoot(),
                expectedAbsoluteMovePoints: forwardNew * (2 * wNew / Double.pi).squareRoot(),
                projected: projected))
        }
        return ProjectedSurface(from: now, to: target, scenario: scenario, expiries: out,
                                calendarViolations: calendarViolations(out, config: config))
    }

    /// The surface at the close of the next trading day after `now`'s date.
    public static func rollOneTradingDay(_ slices: [ProjectionSlice], from now: EasternTime, events: [EventTotalVariance] = [],
                                         clock: BusinessClock, scenario: ProjectionScenario = ProjectionScenario(),
                                         config: ProjectionConfig = ProjectionConfig()) throws(SignalsError) -> ProjectedSurface {
        let day = clock.calendar.nextTradingDay(after: now.date)
        let close = clock.calendar.closeTime(on: day) ?? EasternTime.close(on: day)
        return try project(slices, from: now, to: close, events: events, clock: clock, scenario: scenario, config: config)
    }

    /// For every event released in (now, horizon]: the surface at the close of the first session after
    /// the release (the earliest close at which the event is past; the event day itself for CPI or FOMC).
    public static func projectThroughEvents(_ slices: [ProjectionSlice], from now: EasternTime, horizon: EasternTime,
                                            events: [EventVarianceEstimate], clock: BusinessClock,
                                            scenario: ProjectionScenario = ProjectionScenario(),
                                            config: ProjectionConfig = ProjectionConfig()) throws(SignalsError) -> [(event: MarketEvent, surface: ProjectedSurface)] {
        let variances = EventTotalVariance.from(events)
        var out: [(event: MarketEvent, surface: ProjectedSurface)] = []
        for e in events where e.event.time > now && e.event.time <= horizon {
            let session = e.event.firstSessionAfterRelease(in: clock.calendar)
            let close = clock.calendar.closeTime(on: session) ?? EasternTime.close(on: session)
            out.append((e.event, try project(slices, from: now, to: close, events: variances, clock: clock, scenario: scenario, config: config)))
        }
        return out
    }

    /// Calendar check between consecutive projected slices on the grid.
    static func calendarViolations(_ expiries: [ProjectedExpiry], config: ProjectionConfig) -> [ProjectedCalendarViolation] {
        var out: [ProjectedCalendarViolation] = []
        for i in expiries.indices.dropFirst() {
            var worst: (k: Double, shortfall: Double)? = nil
            for k in config.checkGrid {
                let shortfall = expiries[i - 1].totalVariance(atLogMoneyness: k) - expiries[i].totalVariance(atLogMoneyness: k)
                if shortfall > config.calendarTolerance && shortfall > (worst?.shortfall ?? 0) { worst = (k, shortfall) }
            }
            if let worst {
                out.append(ProjectedCalendarViolation(earlierIndex: i - 1, laterIndex: i, logMoneyness: worst.k, totalVarianceShortfall: worst.shortfall))
            }
        }
        return out
    }
}
