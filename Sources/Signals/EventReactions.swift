#if canImport(Glibc)
import Glibc  // log, exp: the C math library only, no Foundation
#elseif canImport(Darwin)
import Darwin
#endif
import VixShieldCore

/// How the market moved on one past event's session.
public struct EventReaction: Hashable, Sendable {
    public var event: MarketEvent
    /// The first session closing after the release (the event day for CPI at 08:30 or FOMC at 14:00).
    public var session: CalendarDate
    /// The session before it, whose close the move is measured from.
    public var previousSession: CalendarDate
    /// ln(close / previous close) of SPX: pre-open releases still count from the previous close.
    public var spxLogReturn: Double
    /// |spxLogReturn|.
    public var spxAbsoluteMove: Double { abs(spxLogReturn) }
    /// VIX close − previous close, in index points; nil without both closes.
    public var vixChangePoints: Double?
    /// ATM implied volatility change (decimal, 0.01 = one vol point); nil without both values.
    public var atmVolatilityChange: Double?
    /// The event variance implied before the event (total variance of the log return), when given.
    public var impliedEventTotalVariance: Double?
    /// The implied expected absolute move √(2v/π) (the mean of |N(0, v)|), when implied variance is given.
    public var impliedAbsoluteMove: Double? { impliedEventTotalVariance.map { (2 * max($0, 0) / Double.pi).squareRoot() } }
}

/// Why an event has no reaction.
public enum EventReactionSkip: Hashable, Sendable {
    /// No SPX close on the event's session.
    case noSessionClose
    /// No SPX close on the trading day before it (a gap in the series).
    case noPreviousClose
}

/// One event kind's reactions in summary.
public struct EventReactionSummary: Hashable, Sendable {
    public var kind: MarketEvent.Kind
    public var count: Int
    /// Mean |ln(C/C_prev)|.
    public var meanAbsoluteMove: Double
    /// Quantiles of |move| at 25, 50, 75 and 90 % (linear interpolation, type 7).
    public var absoluteMoveQuantiles: [Double]
    /// Mean squared log return on the event's sessions.
    public var meanSquaredMove: Double
    /// Mean squared log return on the series' sessions with no event of the studied kinds.
    public var normalSessionVariance: Double
    /// max(meanSquaredMove − normalSessionVariance, 0): the event's extra variance over a normal session,
    /// the historical prior (total variance of the log return) for `EventVarianceEstimator`.
    public var excessVariancePrior: Double
    /// Mean VIX change (points) over the events that have one, nil if none do.
    public var meanVIXChangePoints: Double?
    /// Mean ATM implied-vol change (decimal) over the events that have one.
    public var meanATMVolatilityChange: Double?
    /// Mean (implied absolute move − realized absolute move) over events with an implied variance; positive
    /// when options priced more movement than came.
    public var impliedMinusRealizedMove: Double?
    /// Events contributing to `impliedMinusRealizedMove`.
    public var impliedCount: Int

    public static let quantileProbabilities = [0.25, 0.5, 0.75, 0.9]
}

/// Reactions and their summaries.
public struct EventReactionStudy: Hashable, Sendable {
    public var reactions: [EventReaction]
    public var skipped: [MarketEvent: EventReactionSkip]
    /// Per kind with at least one reaction.
    public var summaries: [MarketEvent.Kind: EventReactionSummary]
}

/// Event reactions over passed-in series (pure).
public enum EventReactions {
    /// Every event of `kinds` whose reaction session is on or before `asOf`.
    ///
    /// - Parameters:
    ///   - spxCloses: SPX closes; a reaction needs the session's close and the previous *trading day's*
    ///     close (a gap skips the event rather than measuring a two-day move).
    ///   - vixCloses, atmVolatility: optional series; their changes use the same two sessions.
    ///   - impliedEventTotalVariance: the event variance estimated before each event, when known.
    public static func study(events: [MarketEvent], spxCloses: DatedSeries<Double>, vixCloses: DatedSeries<Double>? = nil,
                             atmVolatility: DatedSeries<Double>? = nil,
                             impliedEventTotalVariance: [MarketEvent: Double] = [:],
                             asOf: CalendarDate, kinds: Set<MarketEvent.Kind> = [.fomc, .cpi, .ppi],
                             calendar: TradingCalendar = .nyse) throws(SignalsError) -> EventReactionStudy {
        for (d, v) in zip(spxCloses.dates, spxCloses.values) where !(v.isFinite && v > 0) {
            throw .invalidValue(d, "SPX close \(v)")
        }
        func change(_ s: DatedSeries<Double>?, _ a: CalendarDate, _ b: CalendarDate) -> Double? {
            guard let s, let x = s.value(on: a), let y = s.value(on: b), x.isFinite, y.isFinite else { return nil }
            return y - x
        }
        var reactions: [EventReaction] = []
        var skipped: [MarketEvent: EventReactionSkip] = [:]
        var eventSessions = Set<CalendarDate>()
        for event in events.sorted() where kinds.contains(event.kind) {
            let session = event.firstSessionAfterRelease(in: calendar)
            eventSessions.insert(session)
            guard session <= asOf else { continue }
            let previous = calendar.previousTradingDay(before: session)
            guard let close = spxCloses.value(on: session) else { skipped[event] = .noSessionClose; continue }
            guard let prior = spxCloses.value(on: previous) else { skipped[event] = .noPreviousClose; continue }
            let implied = impliedEventTotalVariance[event].flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            reactions.append(EventReaction(event: event, session: session, previousSession: previous, spxLogReturn: log(close / prior),
                                           vixChangePoints: change(vixCloses, previous, session),
                                           atmVolatilityChange: change(atmVolatility, previous, session),
                                           impliedEventTotalVariance: implied))
        }

        // Normal sessions: consecutive trading days up to asOf, neither one an event session.
        var normalSum = 0.0, normalCount = 0
        for i in spxCloses.dates.indices.dropFirst() where spxCloses.dates[i] <= asOf {
            let d = spxCloses.dates[i]
            guard !eventSessions.contains(d), calendar.previousTradingDay(before: d) == spxCloses.dates[i - 1] else { continue }
            let r = log(spxCloses.values[i] / spxCloses.values[i - 1])
            normalSum += r * r
            normalCount += 1
        }
        let normalVariance = normalCount > 0 ? normalSum / Double(normalCount) : 0

        var summaries: [MarketEvent.Kind: EventReactionSummary] = [:]
        for kind in kinds {
            let mine = reactions.filter { $0.event.kind == kind }
            guard !mine.isEmpty else { continue }
            let moves = mine.map(\.spxAbsoluteMove).sorted()
            let meanSquared = Statistics.mean(mine.map { $0.spxLogReturn * $0.spxLogReturn })!
            let gaps = mine.compactMap { r in r.impliedAbsoluteMove.map { $0 - r.spxAbsoluteMove } }
            summaries[kind] = EventReactionSummary(
                kind: kind, count: mine.count, meanAbsoluteMove: Statistics.mean(moves)!,
                absoluteMoveQuantiles: EventReactionSummary.quantileProbabilities.map { Statistics.quantile(sorted: moves, probability: $0)! },
                meanSquaredMove: meanSquared, normalSessionVariance: normalVariance,
                excessVariancePrior: max(meanSquared - normalVariance, 0),
                meanVIXChangePoints: Statistics.mean(mine.compactMap(\.vixChangePoints)),
                meanATMVolatilityChange: Statistics.mean(mine.compactMap(\.atmVolatilityChange)),
                impliedMinusRealizedMove: Statistics.mean(gaps), impliedCount: gaps.count)
        }
        return EventReactionStudy(reactions: reactions, skipped: skipped, summaries: summaries)
    }
}
