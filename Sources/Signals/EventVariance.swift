import VixShieldCore

/// One expiry's model-free total variance (σ²T of the log return to expiry), e.g. `ModelFreeTerm.variance
/// × timeToExpiryYears` from the surface stage.
public struct ExpiryTotalVariance: Hashable, Sendable {
    public var expiryTime: EasternTime
    public var totalVariance: Double

    public init(expiryTime: EasternTime, totalVariance: Double) {
        self.expiryTime = expiryTime
        self.totalVariance = totalVariance
    }
}

/// Historical prior for an event kind's extra variance (total variance of the log return).
public struct EventVariancePrior: Hashable, Sendable {
    public var totalVariance: Double
    /// Standard deviation of the prior, in the same units.
    public var standardDeviation: Double

    public init(totalVariance: Double, standardDeviation: Double) {
        self.totalVariance = totalVariance
        self.standardDeviation = standardDeviation
    }

    /// From a reaction summary: its excess variance, with an uncertainty of `relativeStdDev` of it.
    public init(_ summary: EventReactionSummary, relativeStdDev: Double = 0.75) {
        self.init(totalVariance: summary.excessVariancePrior, standardDeviation: relativeStdDev * summary.excessVariancePrior)
    }
}

/// How an event's variance was obtained.
public enum EventVarianceMethod: String, Hashable, Sendable {
    /// Term-structure excess shrunk toward the prior (weight `termStructureWeight` on the excess).
    case termStructure = "term_structure"
    /// The term structure could not separate the event; the prior alone.
    case prior
    /// Neither a usable excess nor a prior.
    case unavailable
}

/// Why the term structure could not separate an event.
public enum EventVarianceNote: String, Hashable, Sendable {
    case noExpiryAfterEvent = "no_expiry_after_event"
    case noEventFreeNeighbour = "no_event_free_neighbour"
    case nonPositiveExcess = "non_positive_excess"
    case sharedInterval = "shared_interval"
}

/// One upcoming event's variance.
public struct EventVarianceEstimate: Hashable, Sendable {
    public var event: MarketEvent
    /// The first expiry settling after the release (whose total variance carries the event).
    public var firstExpiryAfter: EasternTime?
    /// Base (event-free) variance per business day around the event, from its neighbours.
    public var baseVariancePerBusinessDay: Double?
    /// The interval's forward variance minus base rate × business time (split among its events), raw.
    public var rawExcessTotalVariance: Double?
    public var priorTotalVariance: Double?
    /// Weight λ on the raw excess: estimate = λ·excess + (1 − λ)·prior.
    public var termStructureWeight: Double
    /// The estimate (total variance of the log return over the event); nil when `unavailable`.
    public var totalVariance: Double?
    /// `totalVariance / baseVariancePerBusinessDay`: the event in normal sessions' worth of variance.
    public var sessionEquivalents: Double?
    public var method: EventVarianceMethod
    public var notes: [EventVarianceNote]
}

/// Settings of the estimator.
public struct EventVarianceConfig: Hashable, Sendable {
    /// Noise of a forward variance read off two model-free variances, as a fraction of it (quote noise
    /// and the strike grid make each model-free variance good to a few percent).
    public var relativeForwardNoise = 0.05
    /// Extra uncertainty of the base rate when only one side has an event-free neighbour, as a fraction
    /// of base rate × business time.
    public var oneSidedBaseUncertainty = 0.25
    /// Business days of event-free intervals pooled on each side for the base rate.
    public var neighbourSpanBusinessDays = 5.0

    public init() {}
}

/// Event variance from the term structure of model-free variance.
///
/// Model (Gatheral, "The Volatility Surface", 2006, ch. 9 on earnings: total variance = diffusive
/// variance + a jump variance per announcement; Dubinsky, Johannes, Kaeck & Seeger, "Option Pricing of
/// Earnings Announcement Risks", RFS 2019, who estimate the announcement variance from the jump of
/// the term structure between the expiries either side of it):
///
///     w(T_j) − w(T_{j−1}) = θ · B(T_{j−1}, T_j) + Σ_{events e in (T_{j−1}, T_j]} v_e
///
/// with B the base business time (`BusinessClock` without jumps) and θ a base variance per business
/// day that varies slowly along the term structure. For an event in the interval (T_{j−1}, T_j]:
/// 1. θ is pooled from the nearest event-free intervals on each side (up to `neighbourSpanBusinessDays`
///    of them per side): θ_side = Σ forward variance / Σ B; θ = B-weighted mean of the sides.
/// 2. Raw excess X = forward variance − θ·B, split among the interval's events in proportion to their
///    priors (equally without priors).
/// 3. Shrinkage (a precision-weighted mean, normal-normal): λ = s_p² / (s_p² + s_X²), with s_p the
///    prior's standard deviation and s_X² = (relativeForwardNoise · forward)² + (disagreement of the two
///    sides' θ, ½|θ_L − θ_R|·B, or oneSidedBaseUncertainty·θ·B with one side)². Estimate λX + (1 − λ)·prior.
/// 4. Prior alone (λ = 0) when the term structure cannot separate the event: no expiry after it, no
///    event-free neighbour to calibrate θ, or X ≤ 0. Without a prior, X alone (λ = 1) or unavailable.
public enum EventVarianceEstimator {
    public static func estimate(valuationTime: EasternTime, expiries: [ExpiryTotalVariance], events: [MarketEvent],
                                priors: [MarketEvent.Kind: EventVariancePrior], clock: BusinessClock,
                                config: EventVarianceConfig = EventVarianceConfig()) throws(SignalsError) -> [EventVarianceEstimate] {
        for e in expiries where !(e.totalVariance.isFinite && e.totalVariance >= 0) {
            throw .invalidValue(e.expiryTime.date, "total variance \(e.totalVariance)")
        }
        for (kind, p) in priors where !(p.totalVariance.isFinite && p.totalVariance >= 0 && p.standardDeviation.isFinite && p.standardDeviation >= 0) {
            throw .invalidParameter("prior for \(kind): \(p)")
        }
        let base = clock.base
        let sorted = expiries.filter { $0.expiryTime > valuationTime }.sorted { $0.expiryTime < $1.expiryTime }
        let upcoming = events.filter { $0.time > valuationTime }.sorted()

        // Intervals (previous expiry or now, expiry]: forward variance, business days, events inside.
        struct Interval { var start: EasternTime; var end: EasternTime; var forward: Double; var days: Double; var events: [MarketEvent] }
        var intervals: [Interval] = []
        var start = valuationTime, previous = 0.0
        for e in sorted {
            let inside = upcoming.filter { $0.time > start && $0.time <= e.expiryTime }
            intervals.append(Interval(start: start, end: e.expiryTime, forward: e.totalVariance - previous,
                                      days: base.businessDays(from: start, to: e.expiryTime), events: inside))
            start = e.expiryTime
            previous = e.totalVariance
        }
        let usable = intervals.indices.filter { intervals[$0].events.isEmpty && intervals[$0].days > 0 && intervals[$0].forward >= 0 }

        /// Pooled base rate of the event-free intervals nearest to `index` on one side.
        func sideRate(_ index: Int, leftward: Bool) -> (rate: Double, days: Double)? {
            var forward = 0.0, days = 0.0
            var i = leftward ? index - 1 : index + 1
            while i >= 0, i < intervals.count, days < config.neighbourSpanBusinessDays {
                guard usable.contains(i) else { if !intervals[i].events.isEmpty { break }; i += leftward ? -1 : 1; continue }
                forward += intervals[i].forward
                days += intervals[i].days
                i += leftward ? -1 : 1
            }
            return days > 0 ? (forward / days, days) : nil
        }

        var out: [EventVarianceEstimate] = []
        for event in upcoming {
            let prior = priors[event.kind]
            var estimate = EventVarianceEstimate(event: event, firstExpiryAfter: nil, baseVariancePerBusinessDay: nil, rawExcessTotalVariance: nil,
                                                 priorTotalVariance: prior?.totalVariance, termStructureWeight: 0, totalVariance: prior?.totalVariance,
                                                 sessionEquivalents: nil, method: prior == nil ? .unavailable : .prior, notes: [])
            defer { out.append(estimate) }
            guard let j = intervals.firstIndex(where: { $0.events.contains(event) }) else {
                estimate.notes.append(.noExpiryAfterEvent)
                continue
            }
            let interval = intervals[j]
            estimate.firstExpiryAfter = interval.end
            let left = sideRate(j, leftward: true), right = sideRate(j, leftward: false)
            guard left != nil || right != nil else { estimate.notes.append(.noEventFreeNeighbour); continue }
            let sides = [left, right].compactMap { $0 }
            let theta = sides.reduce(0) { $0 + $1.rate * $1.days } / sides.reduce(0) { $0 + $1.days }
            estimate.baseVariancePerBusinessDay = theta
            if let total = estimate.totalVariance, theta > 0 { estimate.sessionEquivalents = total / theta }

            let priorsInside = interval.events.map { priors[$0.kind]?.totalVariance }
            let share: Double
            if interval.events.count == 1 {
                share = 1
            } else {
                estimate.notes.append(.sharedInterval)
                let known = priorsInside.compactMap { $0 }
                let sum = known.reduce(0, +)
                share = known.count == priorsInside.count && sum > 0 ? (prior!.totalVariance / sum) : 1 / Double(interval.events.count)
            }
            let excess = (interval.forward - theta * interval.days) * share
            estimate.rawExcessTotalVariance = excess
            guard excess > 0 else { estimate.notes.append(.nonPositiveExcess); continue }

            let disagreement = left != nil && right != nil ? 0.5 * abs(left!.rate - right!.rate) * interval.days
                : config.oneSidedBaseUncertainty * theta * interval.days
            let noise = config.relativeForwardNoise * interval.forward * share
            let excessVariance = noise * noise + disagreement * share * disagreement * share
            let lambda: Double
            if let prior {
                let p2 = prior.standardDeviation * prior.standardDeviation
                lambda = p2 + excessVariance > 0 ? p2 / (p2 + excessVariance) : 0.5
            } else {
                lambda = 1
            }
            let value = lambda * excess + (1 - lambda) * (prior?.totalVariance ?? 0)
            estimate.termStructureWeight = lambda
            estimate.totalVariance = value
            estimate.sessionEquivalents = theta > 0 ? value / theta : nil
            estimate.method = .termStructure
        }
        return out
    }
}
