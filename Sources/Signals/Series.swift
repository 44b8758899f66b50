import VixShieldCore

// MARK: - Errors

/// Why a signal could not be computed from its inputs.
public enum SignalsError: Error, Hashable, Sendable {
    /// Dates must strictly increase; `date` is the first one that does not.
    case datesNotIncreasing(CalendarDate)
    /// A value that must be finite (and positive for prices) is not; `date` locates it.
    case invalidValue(CalendarDate, String)
    /// A parameter is out of its documented range (name and why).
    case invalidParameter(String)
    /// Too little data for the requested computation (what was missing).
    case insufficientData(String)
}

// MARK: - Dated series

/// One value per date, dates strictly increasing. Missing dates are absent, never filled.
public struct DatedSeries<Value: Sendable>: Sendable {
    public let dates: [CalendarDate]
    public let values: [Value]

    /// Checks that the dates strictly increase and the counts match.
    public init(dates: [CalendarDate], values: [Value]) throws(SignalsError) {
        guard dates.count == values.count else {
            throw .invalidParameter("dates (\(dates.count)) and values (\(values.count)) differ in length")
        }
        for i in dates.indices.dropFirst() where dates[i] <= dates[i - 1] { throw .datesNotIncreasing(dates[i]) }
        self.dates = dates
        self.values = values
    }

    /// From (date, value) pairs in increasing date order.
    public init(_ pairs: [(CalendarDate, Value)]) throws(SignalsError) {
        try self.init(dates: pairs.map(\.0), values: pairs.map(\.1))
    }

    /// Already-checked storage (internal: callers guarantee increasing dates).
    @usableFromInline
    init(unchecked dates: [CalendarDate], _ values: [Value]) {
        self.dates = dates
        self.values = values
    }

    public var count: Int { dates.count }
    public var isEmpty: Bool { dates.isEmpty }

    /// The value on `date`, or nil when the series has no observation then (binary search).
    public func value(on date: CalendarDate) -> Value? {
        let i = index(onOrAfter: date)
        return i < dates.count && dates[i] == date ? values[i] : nil
    }

    /// The last observation dated on or before `date`, or nil.
    public func last(onOrBefore date: CalendarDate) -> (date: CalendarDate, value: Value)? {
        let i = index(onOrAfter: date.adding(days: 1))
        return i > 0 ? (dates[i - 1], values[i - 1]) : nil
    }

    /// Index of the first date on or after `date` (`count` when none).
    public func index(onOrAfter date: CalendarDate) -> Int {
        var lo = 0, hi = dates.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if dates[mid] < date { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The observations dated `start` through `end` inclusive.
    public func slice(from start: CalendarDate, through end: CalendarDate) -> DatedSeries<Value> {
        let lo = index(onOrAfter: start), hi = max(lo, index(onOrAfter: end.adding(days: 1)))
        return DatedSeries(unchecked: Array(dates[lo..<hi]), Array(values[lo..<hi]))
    }

    /// The observations dated on or before `end`.
    public func slice(through end: CalendarDate) -> DatedSeries<Value> {
        let hi = index(onOrAfter: end.adding(days: 1))
        return DatedSeries(unchecked: Array(dates[..<hi]), Array(values[..<hi]))
    }
}

extension DatedSeries: Equatable where Value: Equatable {}
extension DatedSeries: Hashable where Value: Hashable {}

// MARK: - Indicator protocol

/// Input values an indicator can validate before it runs (finite numbers, positive prices).
public protocol IndicatorInput: Sendable {
    /// Nil when the value is usable, else why not.
    var invalidReason: String? { get }
}

extension Double: IndicatorInput {
    public var invalidReason: String? { isFinite ? nil : "not finite" }
}

/// A causal indicator over a sequence of observations, computed incrementally.
///
/// The contract every indicator here meets (and the shared test checks): the first `warmUpCount`
/// observations produce no value, every later one does (unless the output type documents a nil, as the
/// range estimators do for bars without a high and low), `reset()` returns to the freshly built state,
/// and `compute(over:)` is exactly a fold of `update` from that state.
public protocol StreamingIndicator: Sendable {
    associatedtype Input: IndicatorInput
    associatedtype Output: Sendable

    /// Observations consumed before the first output: the index of the first value.
    var warmUpCount: Int { get }
    /// Feeds the next observation (assumed valid: `compute(over:)` checks) and returns the value, if any.
    mutating func update(_ input: Input) -> Output?
    /// Forgets every observation, keeping the parameters.
    mutating func reset()
}

extension StreamingIndicator {
    /// The indicator over a whole series from a fresh state, one output per observation (nil before the
    /// warm-up). Throws `SignalsError.invalidValue` for the first unusable observation.
    @inlinable
    public func compute(over series: DatedSeries<Input>) throws(SignalsError) -> DatedSeries<Output?> {
        for (date, value) in zip(series.dates, series.values) {
            if let reason = value.invalidReason { throw .invalidValue(date, reason) }
        }
        var state = self
        state.reset()
        var out: [Output?] = []
        out.reserveCapacity(series.count)
        for value in series.values { out.append(state.update(value)) }
        return DatedSeries(unchecked: series.dates, out)
    }

    /// This indicator feeding its outputs into `next` (e.g. RSI into percentile bands): warm-ups add.
    public func then<Next: StreamingIndicator>(_ next: Next) -> Chained<Self, Next> where Next.Input == Output {
        Chained(first: self, second: next)
    }
}

/// Two indicators in series: the second sees only the first's values.
public struct Chained<First: StreamingIndicator, Second: StreamingIndicator>: StreamingIndicator
where Second.Input == First.Output, First.Output: IndicatorInput {
    public var first: First
    public var second: Second

    public var warmUpCount: Int { first.warmUpCount + second.warmUpCount }

    public mutating func update(_ input: First.Input) -> Second.Output? {
        guard let mid = first.update(input) else { return nil }
        return second.update(mid)
    }

    public mutating func reset() {
        first.reset()
        second.reset()
    }
}

extension DatedSeries where Value: Sendable {
    /// The observations whose value is non-nil, unwrapped (e.g. an indicator's output after warm-up).
    public func compacted<Wrapped>() -> DatedSeries<Wrapped> where Value == Wrapped? {
        var d: [CalendarDate] = [], v: [Wrapped] = []
        for (date, value) in zip(dates, values) { if let value { d.append(date); v.append(value) } }
        return DatedSeries<Wrapped>(unchecked: d, v)
    }
}
