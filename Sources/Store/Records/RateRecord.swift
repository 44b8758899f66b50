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

    // By column rather than through Codable: whole histories (thousands of rows) are read and written for
    // every date of a backfill. `HistoryRecordCodingTests` checks each property has its snake_case column.
    public init(row: Row) throws {
        series = row["series"]; date = row["date"]; tenorYears = row["tenor_years"]; rate = row["rate"]; source = row["source"]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["series"] = series
        container["date"] = date
        container["tenor_years"] = tenorYears
        container["rate"] = rate
        container["source"] = source
    }
}
