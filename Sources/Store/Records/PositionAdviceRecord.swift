import GRDB

/// A row of `position_advice`: one open condor's advice on one night.
public struct PositionAdviceRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "position_advice"

    public var asOf: String
    public var underlying: String
    public var profile: String
    public var openedAsOf: String
    public var rank: Int
    public var root: String?
    public var expiry: String
    public var contracts: Int
    public var entryCredit: Double
    public var closingDebit: Double?
    public var markPnlUsd: Double?
    public var shortPutDelta: Double?
    public var shortCallDelta: Double?
    public var daysToExpiry: Int
    public var action: String
    public var reason: String
    /// `paper` (filled at the recommended credit on its trade date) or `fill` (an imported real fill).
    public var source: String
    /// The `position_fills` row of a `fill` position.
    public var fillId: String?

    public init(asOf: String, underlying: String, profile: String, openedAsOf: String, rank: Int, root: String?, expiry: String,
                contracts: Int, entryCredit: Double, closingDebit: Double?, markPnlUsd: Double?, shortPutDelta: Double?,
                shortCallDelta: Double?, daysToExpiry: Int, action: String, reason: String, source: String = "paper",
                fillId: String? = nil) {
        self.source = source; self.fillId = fillId
        self.asOf = asOf; self.underlying = underlying; self.profile = profile; self.openedAsOf = openedAsOf; self.rank = rank
        self.root = root; self.expiry = expiry; self.contracts = contracts; self.entryCredit = entryCredit
        self.closingDebit = closingDebit; self.markPnlUsd = markPnlUsd; self.shortPutDelta = shortPutDelta
        self.shortCallDelta = shortCallDelta; self.daysToExpiry = daysToExpiry; self.action = action; self.reason = reason
    }
}
