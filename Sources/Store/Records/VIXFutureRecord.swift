import GRDB

/// A row of `vix_futures`.
public struct VIXFutureRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "vix_futures"

    public var tradeDate: String
    public var symbol: String
    public var expiry: String
    public var settle: Double
    public var isWeekly: Bool
    public var source: String

    public init(tradeDate: String, symbol: String, expiry: String, settle: Double, isWeekly: Bool, source: String) {
        self.tradeDate = tradeDate; self.symbol = symbol; self.expiry = expiry; self.settle = settle
        self.isWeekly = isWeekly; self.source = source
    }

    // By column rather than through Codable: whole histories (thousands of rows) are read and written for
    // every date of a backfill. `HistoryRecordCodingTests` checks each property has its snake_case column.
    public init(row: Row) throws {
        tradeDate = row["trade_date"]; symbol = row["symbol"]; expiry = row["expiry"]; settle = row["settle"]; isWeekly = row["is_weekly"]; source = row["source"]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["trade_date"] = tradeDate
        container["symbol"] = symbol
        container["expiry"] = expiry
        container["settle"] = settle
        container["is_weekly"] = isWeekly
        container["source"] = source
    }
}
