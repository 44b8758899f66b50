import GRDB

/// A row of `surface_slices` (see schemas/002_surface.sql).
public struct SurfaceSliceRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "surface_slices"
    public var asOf: String
    public var underlying: String
    public var expiry: String
    public var settlement: String
    public var roots: String
    public var expiryTime: String
    public var minutesToExpiry: Int
    public var yearsToExpiry: Double
    public var forward: Double
    public var discount: Double
    public var forwardMethod: String
    public var forwardResidualRms: Double?
    public var sviA: Double?
    public var sviB: Double?
    public var sviRho: Double?
    public var sviM: Double?
    public var sviSigma: Double?
    public var fitPoints: Int?
    public var rmseVolPoints: Double?
    public var maxErrorVolPoints: Double?
    public var minButterflyG: Double?
    public var repaired: Bool
    public var flags: String
    public var modelFreeVariance: Double?
    public var modelFreeOptions: Int?
    public var diagnostics: String

    public init(asOf: String, underlying: String, expiry: String, settlement: String, roots: String, expiryTime: String,
                minutesToExpiry: Int, yearsToExpiry: Double, forward: Double, discount: Double, forwardMethod: String) {
        self.asOf = asOf; self.underlying = underlying; self.expiry = expiry; self.settlement = settlement
        self.roots = roots; self.expiryTime = expiryTime; self.minutesToExpiry = minutesToExpiry
        self.yearsToExpiry = yearsToExpiry; self.forward = forward; self.discount = discount
        self.forwardMethod = forwardMethod; self.repaired = false; self.flags = ""; self.diagnostics = ""
    }
}
