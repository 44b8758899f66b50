import GRDB

/// A row of `parity_signals`: a conversion, reversal or box violation beyond its bid/ask costs.
public struct ParitySignalRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "parity_signals"

    public var asOf: String
    public var underlying: String
    public var expiry: String
    public var root: String
    public var kind: String
    public var strikeLow: Double
    /// The upper strike of a box; equal to `strikeLow` for a conversion or reversal (a key column, never NULL).
    public var strikeHigh: Double
    public var edgePoints: Double
    /// What the columns do not say (empty when they say it all).
    public var detail: String

    public init(asOf: String, underlying: String, expiry: String, root: String, kind: String, strikeLow: Double, strikeHigh: Double,
                edgePoints: Double, detail: String = "") {
        self.asOf = asOf; self.underlying = underlying; self.expiry = expiry; self.root = root; self.kind = kind
        self.strikeLow = strikeLow; self.strikeHigh = strikeHigh; self.edgePoints = edgePoints; self.detail = detail
    }
}
