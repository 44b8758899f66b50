import GRDB

/// A row of `position_fills`: one real fill of an iron condor, imported from a fills CSV.
public struct PositionFillRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "position_fills"

    public var fillId: String
    public var underlying: String
    /// The session the condor was filled (a recommendation's `for_date`).
    public var tradeDate: String
    public var profile: String
    public var expiry: String
    public var root: String
    public var longPut: Double
    public var shortPut: Double
    public var shortCall: Double
    public var longCall: Double
    public var contracts: Int
    /// Net credit received, index points per condor.
    public var fillCreditPoints: Double

    public init(fillId: String, underlying: String, tradeDate: String, profile: String, expiry: String, root: String, longPut: Double,
                shortPut: Double, shortCall: Double, longCall: Double, contracts: Int, fillCreditPoints: Double) {
        self.fillId = fillId; self.underlying = underlying; self.tradeDate = tradeDate; self.profile = profile; self.expiry = expiry
        self.root = root; self.longPut = longPut; self.shortPut = shortPut; self.shortCall = shortCall; self.longCall = longCall
        self.contracts = contracts; self.fillCreditPoints = fillCreditPoints
    }
}
