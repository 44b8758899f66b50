/// One VX futures settlement on one trade date.
public struct VIXFutureSettlement: Hashable, Sendable {
    public var tradeDate: CalendarDate
    /// Cboe's symbol, e.g. `VX/N6` (monthly) or `VX28/N6` (weekly, week 28).
    public var symbol: String
    public var expiry: CalendarDate
    public var settle: Double
    public var isWeekly: Bool

    public init(tradeDate: CalendarDate, symbol: String, expiry: CalendarDate, settle: Double, isWeekly: Bool) {
        self.tradeDate = tradeDate
        self.symbol = symbol
        self.expiry = expiry
        self.settle = settle
        self.isWeekly = isWeekly
    }
}

/// One daily bar of an index (VIX, VIX9D, VIX3M, SPX …). Single-series files give only `close`.
public struct IndexBar: Hashable, Sendable {
    public var symbol: String
    public var date: CalendarDate
    public var open: Double?
    public var high: Double?
    public var low: Double?
    public var close: Double

    public init(symbol: String, date: CalendarDate, open: Double? = nil, high: Double? = nil, low: Double? = nil, close: Double) {
        self.symbol = symbol
        self.date = date
        self.open = open
        self.high = high
        self.low = low
        self.close = close
    }
}

/// Something worth telling the operator about one item (a row, a file, a date), kept with the run.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case info, warning, error }
    public var severity: Severity
    /// Where: a source name, a file and line, a contract symbol, a stage.
    public var location: String
    public var message: String

    public init(_ severity: Severity, _ location: String, _ message: String) {
        self.severity = severity
        // Locations and messages quote payloads (a symbol, a field): stored and printed escaped.
        self.location = SafeText.escapingControlCharacters(location)
        self.message = SafeText.escapingControlCharacters(message)
    }

    public var description: String { "\(severity.rawValue): \(location): \(message)" }
}

/// Daily market breadth: counts of advancing, declining and unchanged issues.
public struct BreadthRow: Hashable, Sendable {
    public var date: CalendarDate
    /// Which universe the counts are for (e.g. `NYSE`).
    public var universe: String
    public var advances: Int
    public var declines: Int
    public var unchanged: Int?

    public init(date: CalendarDate, universe: String, advances: Int, declines: Int, unchanged: Int?) {
        self.date = date
        self.universe = universe
        self.advances = advances
        self.declines = declines
        self.unchanged = unchanged
    }
}

/// One observation of an interest-rate series, as a decimal (0.0525 for 5.25 %).
public struct RateObservation: Hashable, Sendable {
    public var date: CalendarDate
    /// The series identifier, e.g. FRED's `DGS3MO`.
    public var series: String
    /// The tenor the series quotes, in years (0.25 for 3 months; 1/365 for overnight).
    public var tenorYears: Double
    public var rate: Double

    public init(date: CalendarDate, series: String, tenorYears: Double, rate: Double) {
        self.date = date
        self.series = series
        self.tenorYears = tenorYears
        self.rate = rate
    }
}
