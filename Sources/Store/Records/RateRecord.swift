import GRDB

/// A row of `rates` (decimal rate, as quoted by the series).
public struct RateRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "rates"
    public var series: String
    public var date: String
    public var tenorYears: Double
    public var rate: Double
    public var source: String

    public init(series: String, date: String, tenorYears: Double, rate: Double, source: String) {
        self.series = series; self.date = date; self.tenorYears = tenorYears; self.rate = rate; self.source = source
    }
}
