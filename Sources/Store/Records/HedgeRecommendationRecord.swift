import GRDB

/// A row of `hedge_recommendations`.
public struct HedgeRecommendationRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "hedge_recommendations"

    public var asOf: String
    public var forDate: String
    /// The condor this layer protects: (as_of, underlying, profile, rank) of `recommendations`.
    public var underlying: String
    public var profile: String
    public var rank: Int
    public var layer: Int
    public var active: Bool
    public var instrument: String
    public var contract: String
    public var side: String
    public var quantity: Int
    public var vegaOffset: Double
    public var trigger: String
    public var rationale: String
    public var runId: Int64

    public init(asOf: String, forDate: String, underlying: String, profile: String, rank: Int, layer: Int, active: Bool,
                instrument: String, contract: String, side: String, quantity: Int, vegaOffset: Double, trigger: String,
                rationale: String, runId: Int64) {
        self.asOf = asOf; self.forDate = forDate; self.underlying = underlying; self.profile = profile; self.rank = rank
        self.layer = layer; self.active = active; self.instrument = instrument; self.contract = contract; self.side = side
        self.quantity = quantity; self.vegaOffset = vegaOffset; self.trigger = trigger; self.rationale = rationale
        self.runId = runId
    }
}
