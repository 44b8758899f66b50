import GRDB

/// A row of `chain_snapshots`: the underlying and the gate verdict for one chain.
public struct ChainSnapshotRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "chain_snapshots"

    public var asOf: String
    public var underlying: String
    public var quoteSet: String
    public var capturedAt: String
    public var spot: Double
    public var quoteCount: Int
    public var flaggedCount: Int
    public var gatePassed: Bool
    public var gateReason: String?
    /// `market`, `simulated` or `reconstructed` (`ChainOrigin`); the derived tables take it from here.
    public var chainOrigin: String

    public init(asOf: String, underlying: String, quoteSet: String, capturedAt: String, spot: Double,
                quoteCount: Int, flaggedCount: Int, gatePassed: Bool, gateReason: String?, chainOrigin: String = "market") {
        self.chainOrigin = chainOrigin
        self.asOf = asOf; self.underlying = underlying; self.quoteSet = quoteSet; self.capturedAt = capturedAt
        self.spot = spot; self.quoteCount = quoteCount; self.flaggedCount = flaggedCount
        self.gatePassed = gatePassed; self.gateReason = gateReason
    }
}
