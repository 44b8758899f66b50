import GRDB

/// A row of `scenarios`: one cell of a recommended condor's SPX-move × vol-shock grid.
public struct ScenarioRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "scenarios"

    public var asOf: String
    public var underlying: String
    public var profile: String
    public var rank: Int
    public var horizon: String
    public var spxMovePct: Double
    public var volShockPoints: Double
    public var condorPnlUsd: Double
    public var hedgePnlUsd: Double?
    public var totalPnlUsd: Double

    public init(asOf: String, underlying: String, profile: String, rank: Int, horizon: String, spxMovePct: Double, volShockPoints: Double,
                condorPnlUsd: Double, hedgePnlUsd: Double?, totalPnlUsd: Double) {
        self.asOf = asOf; self.underlying = underlying; self.profile = profile; self.rank = rank; self.horizon = horizon
        self.spxMovePct = spxMovePct; self.volShockPoints = volShockPoints; self.condorPnlUsd = condorPnlUsd
        self.hedgePnlUsd = hedgePnlUsd; self.totalPnlUsd = totalPnlUsd
    }
}
