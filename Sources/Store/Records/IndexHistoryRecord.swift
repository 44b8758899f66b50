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
}
