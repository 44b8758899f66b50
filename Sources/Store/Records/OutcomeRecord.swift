import GRDB

/// A row of `outcomes`: what one recommended condor paid at its expiry.
public struct OutcomeRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "outcomes"

    public var asOf: String
    public var underlying: String
    public var profile: String
    public var rank: Int
    public var expiry: String
    public var root: String?
    public var settlementSource: String
    public var settlementPrice: Double
    public var contracts: Int
    public var credit: Double
    public var condorPnlPoints: Double
    public var condorPnlUsd: Double
    public var hedgePnlUsd: Double?
    public var totalPnlUsd: Double
    /// `paper` (scored at the recommended credit and size) or `fill` (at an imported fill's).
    public var source: String

    public init(asOf: String, underlying: String, profile: String, rank: Int, expiry: String, root: String?, settlementSource: String,
                settlementPrice: Double, contracts: Int, credit: Double, condorPnlPoints: Double, condorPnlUsd: Double,
                hedgePnlUsd: Double?, totalPnlUsd: Double, source: String = "paper") {
        self.source = source
        self.asOf = asOf; self.underlying = underlying; self.profile = profile; self.rank = rank; self.expiry = expiry
        self.root = root; self.settlementSource = settlementSource; self.settlementPrice = settlementPrice
        self.contracts = contracts; self.credit = credit; self.condorPnlPoints = condorPnlPoints
        self.condorPnlUsd = condorPnlUsd; self.hedgePnlUsd = hedgePnlUsd; self.totalPnlUsd = totalPnlUsd
    }
}
