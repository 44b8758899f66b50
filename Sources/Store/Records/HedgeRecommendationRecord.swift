import GRDB

/// A row of `hedge_recommendations`.
public struct HedgeRecommendationRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "hedge_recommendations"

    public var asOf: String
    public var forDate: String
    /// The condor this layer protects: (condor_as_of, underlying, profile, rank) of `recommendations`;
    /// `asOf` is the night the layer is decided.
    public var underlying: String
    public var profile: String
    public var condorAsOf: String
    public var rank: Int
    public var layer: Int
    public var layerName: String
    public var active: Bool
    public var activeSince: String?
    public var instrument: String
    public var contract: String
    public var side: String
    public var quantity: Int
    public var vegaOffset: Double
    public var trigger: String
    public var triggerValue: Double?
    public var carryCostUsd: Double?
    public var beta: Double?
    /// The layer's state for the next night (JSON of `HedgeLayerState`).
    public var stateJson: String?
    /// VIX points per call paid at entry (VIX_CALL layers; nil for futures and off layers).
    public var premium: Double?
    /// `quote` (the VIX option chain's ask) or `model` (Black-76 on the VX forward), for VIX_CALL layers.
    public var priceSource: String?
    public var rationale: String
    public var runId: Int64

    public init(asOf: String, forDate: String, underlying: String, profile: String, condorAsOf: String? = nil, rank: Int, layer: Int,
                layerName: String = "", active: Bool, activeSince: String? = nil, instrument: String, contract: String, side: String,
                quantity: Int, vegaOffset: Double, trigger: String, triggerValue: Double? = nil, carryCostUsd: Double? = nil,
                beta: Double? = nil, rationale: String, stateJson: String? = nil, premium: Double? = nil, priceSource: String? = nil,
                runId: Int64) {
        self.premium = premium; self.priceSource = priceSource
        self.asOf = asOf; self.forDate = forDate; self.underlying = underlying; self.profile = profile; self.rank = rank
        self.condorAsOf = condorAsOf ?? asOf; self.layerName = layerName; self.activeSince = activeSince
        self.triggerValue = triggerValue; self.carryCostUsd = carryCostUsd; self.beta = beta; self.stateJson = stateJson
        self.layer = layer; self.active = active; self.instrument = instrument; self.contract = contract; self.side = side
        self.quantity = quantity; self.vegaOffset = vegaOffset; self.trigger = trigger; self.rationale = rationale
        self.runId = runId
    }
}
