import VixShieldCore

/// Settings of the business-time clock (read from the pipeline file later; the defaults are documented
/// here and in the README).
public struct BusinessTimeConfig: Hashable, Sendable {
    /// Variance weight of a full trading session (the unit of business time).
    public var sessionWeight = 1.0
    /// Weight of a weekend day or an exchange holiday: news still arrives, little is priced. 0.1 is the
    /// usual desk figure (a weekend ≈ 0.2 sessions); variance swaps' weekend studies put it at 0.05–0.2.
    public var nonTradingDayWeight = 0.1
    /// Share of a session's weight that accrues overnight, before the 09:30 open (the close-to-open gap
    /// carries about a fifth of SPX daily variance); the rest accrues evenly over the session.
    public var overnightShare = 0.2
    /// Business days per year, to turn business days into years.
    public var sessionsPerYear = 252.0

    public init() {}

    /// Checks the ranges: weights finite and ≥ 0, the overnight share in [0, 1], sessions per year > 0.
    public func validated() throws(SignalsError) -> BusinessTimeConfig {
        guard sessionWeight.isFinite, sessionWeight > 0, nonTradingDayWeight.isFinite, nonTradingDayWeight >= 0,
              overnightShare >= 0, overnightShare <= 1, sessionsPerYear.isFinite, sessionsPerYear > 0 else {
            throw .invalidParameter("business-time config out of range: \(self)")
        }
        return self
    }
}

/// A variance jump at an instant, in units of a normal session's variance (an event's extra variance).
public struct VarianceJump: Hashable, Sendable {
    public var time: EasternTime
    public var sessionEquivalents: Double

    public init(time: EasternTime, sessionEquivalents: Double) {
        self.time = time
        self.sessionEquivalents = sessionEquivalents
    }
}

/// Business time: calendar time weighted by how much variance each stretch carries.
///
/// Daily weights: a full session `sessionWeight` (1); an early-close session the same times its
/// regular-hours share (13:00 close: 210/390 of the session part, plus the full overnight part); a
/// weekend day or holiday `nonTradingDayWeight`; and an event day adds its jumps' session equivalents
/// (an event day weighs 1 + event variance in session units).
///
/// Within a day (wall-clock minutes, Eastern): a trading day accrues `overnightShare` of its session
/// weight evenly over 00:00–09:30 and the rest evenly from the open to the close, nothing after the
/// close; a non-trading day accrues evenly over its 24 hours. A jump counts at its instant.
public struct BusinessClock: Sendable {
    public let config: BusinessTimeConfig
    public let calendar: TradingCalendar
    /// Jumps in time order.
    public let jumps: [VarianceJump]

    static let openMinute = 570
    static let regularSessionMinutes = 390.0

    public init(config: BusinessTimeConfig = BusinessTimeConfig(), calendar: TradingCalendar = .nyse,
                jumps: [VarianceJump] = []) throws(SignalsError) {
        self.config = try config.validated()
        self.calendar = calendar
        for j in jumps where !(j.sessionEquivalents.isFinite && j.sessionEquivalents >= 0) {
            throw .invalidValue(j.time.date, "jump of \(j.sessionEquivalents) session equivalents")
        }
        self.jumps = jumps.sorted { $0.time < $1.time }
    }

    /// This clock without its jumps (the base clock event variance is measured against).
    public var base: BusinessClock {
        // Jumps are already validated, so the throwing init cannot fail here.
        (try? BusinessClock(config: config, calendar: calendar)) ?? self
    }

    /// The variance weight of `date` without jumps.
    public func baseWeight(on date: CalendarDate) -> Double {
        guard let close = calendar.closeTime(on: date) else { return config.nonTradingDayWeight }
        let sessionShare = Double(close.minuteOfDay - Self.openMinute) / Self.regularSessionMinutes
        return config.sessionWeight * (config.overnightShare + (1 - config.overnightShare) * min(max(sessionShare, 0), 1))
    }

    /// The variance weight of `date`: its base weight plus the jumps dated that day.
    public func weight(on date: CalendarDate) -> Double {
        baseWeight(on: date) + jumps.lazy.filter { $0.time.date == date }.reduce(0) { $0 + $1.sessionEquivalents }
    }

    /// Business days from `start` to `end` (negative when `end` is earlier), jumps in (start, end] included.
    public func businessDays(from start: EasternTime, to end: EasternTime) -> Double {
        guard start <= end else { return -businessDays(from: end, to: start) }
        var total: Double
        if start.date == end.date {
            total = accrued(on: start.date, untilMinute: end.minuteOfDay) - accrued(on: start.date, untilMinute: start.minuteOfDay)
        } else {
            total = baseWeight(on: start.date) - accrued(on: start.date, untilMinute: start.minuteOfDay)
            var d = start.date.adding(days: 1)
            while d < end.date {
                total += baseWeight(on: d)
                d = d.adding(days: 1)
            }
            total += accrued(on: end.date, untilMinute: end.minuteOfDay)
        }
        for j in jumps where j.time > start && j.time <= end { total += j.sessionEquivalents }
        return total
    }

    /// Business time from `start` to `end` in years (`businessDays / sessionsPerYear`).
    public func businessYears(from start: EasternTime, to end: EasternTime) -> Double {
        businessDays(from: start, to: end) / config.sessionsPerYear
    }

    /// Base weight of `date` accrued from midnight to `minute` (0…1440).
    func accrued(on date: CalendarDate, untilMinute minute: Int) -> Double {
        let m = Double(min(max(minute, 0), 1440))
        guard let close = calendar.closeTime(on: date) else { return config.nonTradingDayWeight * m / 1440 }
        let open = Double(Self.openMinute), closeMinute = Double(close.minuteOfDay)
        let overnight = config.sessionWeight * config.overnightShare
        let session = baseWeight(on: date) - overnight
        if m <= open { return overnight * m / open }
        if m >= closeMinute { return overnight + session }
        return overnight + session * (m - open) / (closeMinute - open)
    }
}
