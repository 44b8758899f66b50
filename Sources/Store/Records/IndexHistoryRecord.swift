import GRDB

/// A row of `index_history`.
public struct IndexHistoryRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "index_history"

    public var symbol: String
    public var date: String
    public var open: Double?
    public var high: Double?
    public var low: Double?
    public var close: Double
    public var source: String

    public init(symbol: String, date: String, open: Double?, high: Double?, low: Double?, close: Double, source: String) {
        self.symbol = symbol; self.date = date; self.open = open; self.high = high; self.low = low
        self.close = close; self.source = source
    }

    // By column rather than through Codable: whole histories (thousands of rows) are read and written for
    // every date of a backfill. `HistoryRecordCodingTests` checks each property has its snake_case column.
    public init(row: Row) throws {
        symbol = row["symbol"]; date = row["date"]; open = row["open"]; high = row["high"]; low = row["low"]; close = row["close"]; source = row["source"]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["symbol"] = symbol
        container["date"] = date
        container["open"] = open
        container["high"] = high
        container["low"] = low
        container["close"] = close
        container["source"] = source
    }
}
