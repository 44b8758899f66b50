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
}
