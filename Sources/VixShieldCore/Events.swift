/// A scheduled (or announced) macro event that moves index volatility: an FOMC decision, a CPI or PPI
/// release, or anything else a user adds to the calendar file.
public struct MarketEvent: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// What kind of release it is. Known kinds carry their usual release time.
    public enum Kind: Hashable, Sendable, Comparable, CustomStringConvertible {
        case fomc
        case cpi
        case ppi
        /// Any other release, named by a lowercase identifier (`nfp`, `gdp`, `pce` …).
        case other(String)

        /// Parses the calendar-file spelling (`fomc`, `cpi`, `ppi`, or a lowercase `[a-z0-9_]+` name).
        public init?(name: String) {
            switch name {
            case "fomc": self = .fomc
            case "cpi": self = .cpi
            case "ppi": self = .ppi
            default:
                guard !name.isEmpty, name.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }) else { return nil }
                self = .other(name)
            }
        }

        /// The calendar-file spelling.
        public var name: String {
            switch self {
            case .fomc: return "fomc"
            case .cpi: return "cpi"
            case .ppi: return "ppi"
            case .other(let name): return name
            }
        }

        /// The usual release time: FOMC statements at 14:00 ET, BLS CPI and PPI at 08:30 ET; nil for others.
        public var usualTime: (hour: Int, minute: Int)? {
            switch self {
            case .fomc: return (14, 0)
            case .cpi, .ppi: return (8, 30)
            case .other: return nil
            }
        }

        public var description: String { name }

        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.name < rhs.name }
    }

    public var kind: Kind
    /// When the news is released, Eastern time (its `date` is the event day).
    public var time: EasternTime
    public var label: String
    /// False for unscheduled meetings and emergency announcements.
    public var isScheduled: Bool
    /// Where the date was taken from (a publisher page such as `bls.gov/schedule/news_release/cpi.htm`),
    /// or nil when the calendar file does not say.
    public var source: String?

    public init(kind: Kind, time: EasternTime, label: String, isScheduled: Bool = true, source: String? = nil) {
        self.kind = kind
        self.time = time
        self.label = label
        self.isScheduled = isScheduled
        self.source = source
    }

    /// An event at the kind's usual time; nil for `.other` kinds, which have none.
    public init?(kind: Kind, date: CalendarDate, label: String, isScheduled: Bool = true, source: String? = nil) {
        guard let usual = kind.usualTime else { return nil }
        self.init(kind: kind, time: EasternTime(date: date, hour: usual.hour, minute: usual.minute), label: label,
                  isScheduled: isScheduled, source: source)
    }

    /// The event day.
    public var date: CalendarDate { time.date }

    /// Ordered by release time, then kind and label, so sorting is deterministic.
    public static func < (lhs: MarketEvent, rhs: MarketEvent) -> Bool {
        if lhs.time != rhs.time { return lhs.time < rhs.time }
        if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
        return lhs.label < rhs.label
    }

    public var description: String { "\(kind.name) \(time.iso8601) \(label)" }
}

extension MarketEvent {
    /// The first trading session whose close comes after the release: the event day itself when the news
    /// lands before that day's close (CPI at 08:30, FOMC at 14:00), else the next trading day (CPI on Good
    /// Friday, the FOMC's Sunday announcement of 15 March 2020, anything after an early close).
    public func firstSessionAfterRelease(in calendar: TradingCalendar = .nyse) -> CalendarDate {
        if let close = calendar.closeTime(on: date), time < close { return date }
        return calendar.nextTradingDay(after: date)
    }
}

/// A set of market events with the lookups the signal and projection stages need.
///
/// Pure and immutable: built once from the calendar file (and any override the pipeline names) and
/// queried by date; it never reads the clock.
public struct EventCalendar: Sendable {
    /// Every event, ordered by release time.
    public let events: [MarketEvent]

    /// Builds a calendar from events in any order (the calendar file parser rejects duplicates).
    public init(_ events: [MarketEvent]) {
        self.events = events.sorted()
    }

    /// Events dated `start` through `end` inclusive, optionally only of the given kinds.
    public func events(from start: CalendarDate, through end: CalendarDate, kinds: Set<MarketEvent.Kind>? = nil) -> [MarketEvent] {
        guard start <= end else { return [] }
        var out: [MarketEvent] = []
        var i = firstIndex(onOrAfter: start)
        while i < events.count, events[i].date <= end {
            if kinds?.contains(events[i].kind) ?? true { out.append(events[i]) }
            i += 1
        }
        return out
    }

    /// Events dated `date`, optionally only of the given kinds.
    public func events(on date: CalendarDate, kinds: Set<MarketEvent.Kind>? = nil) -> [MarketEvent] {
        events(from: date, through: date, kinds: kinds)
    }

    /// Whether any event (of the given kinds, or of any kind) falls on `date`.
    public func isEventDay(_ date: CalendarDate, kinds: Set<MarketEvent.Kind>? = nil) -> Bool {
        !events(on: date, kinds: kinds).isEmpty
    }

    /// The first event of `kind` dated strictly after `date`, or nil when the calendar has none.
    public func nextEvent(of kind: MarketEvent.Kind, after date: CalendarDate) -> MarketEvent? {
        events[firstIndex(onOrAfter: date.adding(days: 1))...].first { $0.kind == kind }
    }

    /// The first event of `kind` released strictly after `time` (an event later the same day counts).
    public func nextEvent(of kind: MarketEvent.Kind, after time: EasternTime) -> MarketEvent? {
        events[firstIndex(onOrAfter: time.date)...].first { $0.kind == kind && $0.time > time }
    }

    /// The last event of `kind` dated strictly before `date`, or nil.
    public func previousEvent(of kind: MarketEvent.Kind, before date: CalendarDate) -> MarketEvent? {
        events[..<firstIndex(onOrAfter: date)].last { $0.kind == kind }
    }

    /// The last date with an event of `kind`: how far ahead the calendar is known for that kind.
    public func lastDate(of kind: MarketEvent.Kind) -> CalendarDate? {
        events.last { $0.kind == kind }?.date
    }

    /// The first date with an event of `kind`: where the calendar's knowledge of that kind begins (the
    /// shipped PPI rows start in 2025, so a window before that has no PPI data rather than no PPI events).
    public func firstDate(of kind: MarketEvent.Kind) -> CalendarDate? {
        events.first { $0.kind == kind }?.date
    }

    /// The kinds present in the calendar.
    public var kinds: Set<MarketEvent.Kind> { Set(events.map(\.kind)) }

    /// This calendar with `override`'s events replacing its own for every kind `override` contains
    /// (how a pipeline file's calendar overrides the shipped one, kind by kind).
    public func overridden(by override: EventCalendar) -> EventCalendar {
        let replaced = override.kinds
        return EventCalendar(events.filter { !replaced.contains($0.kind) } + override.events)
    }

    /// Index of the first event dated on or after `date` (binary search on the sorted events).
    private func firstIndex(onOrAfter date: CalendarDate) -> Int {
        var lo = 0, hi = events.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if events[mid].date < date { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
