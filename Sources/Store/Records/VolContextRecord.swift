import GRDB

/// A row of `vol_context`: the volatility context of one as-of date.
/// Column names with digits (`rsi_14`, `rv_cc_21`, `vx_30d`) are spelled out: the snake_case strategy
/// cannot place their underscores.
public struct VolContextRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "vol_context"

    public var asOf: String
    public var underlying: String
    public var vix9dOverVix: Double?
    public var vixOverVix3m: Double?
    public var vx1MinusVx2: Double?
    public var vx30d: Double?
    public var rollYield30d: Double?
    public var termShape: String?
    public var impliedVariance30d: Double?
    public var realizedVariance21d: Double?
    public var vrpVariance: Double?
    public var vrpVolPoints: Double?
    public var vix9dOverVixRank1y: Double?
    public var vixOverVix3mRank1y: Double?
    public var vx1MinusVx2Rank1y: Double?
    public var vx30dRank1y: Double?
    public var rollYield30dRank1y: Double?
    public var vrpVarianceRank1y: Double?
    public var vrpVolPointsRank1y: Double?

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of", underlying = "underlying", vix9dOverVix = "vix9d_over_vix", vixOverVix3m = "vix_over_vix3m", vx1MinusVx2 = "vx1_minus_vx2", vx30d = "vx_30d", rollYield30d = "roll_yield_30d", termShape = "term_shape", impliedVariance30d = "implied_variance_30d", realizedVariance21d = "realized_variance_21d", vrpVariance = "vrp_variance", vrpVolPoints = "vrp_vol_points", vix9dOverVixRank1y = "vix9d_over_vix_rank_1y", vixOverVix3mRank1y = "vix_over_vix3m_rank_1y", vx1MinusVx2Rank1y = "vx1_minus_vx2_rank_1y", vx30dRank1y = "vx_30d_rank_1y", rollYield30dRank1y = "roll_yield_30d_rank_1y", vrpVarianceRank1y = "vrp_variance_rank_1y", vrpVolPointsRank1y = "vrp_vol_points_rank_1y"
    }

    public init(asOf: String, underlying: String, vix9dOverVix: Double? = nil, vixOverVix3m: Double? = nil, vx1MinusVx2: Double? = nil, vx30d: Double? = nil, rollYield30d: Double? = nil, termShape: String? = nil, impliedVariance30d: Double? = nil, realizedVariance21d: Double? = nil, vrpVariance: Double? = nil, vrpVolPoints: Double? = nil, vix9dOverVixRank1y: Double? = nil, vixOverVix3mRank1y: Double? = nil, vx1MinusVx2Rank1y: Double? = nil, vx30dRank1y: Double? = nil, rollYield30dRank1y: Double? = nil, vrpVarianceRank1y: Double? = nil, vrpVolPointsRank1y: Double? = nil) {
        self.asOf = asOf
        self.underlying = underlying
        self.vix9dOverVix = vix9dOverVix
        self.vixOverVix3m = vixOverVix3m
        self.vx1MinusVx2 = vx1MinusVx2
        self.vx30d = vx30d
        self.rollYield30d = rollYield30d
        self.termShape = termShape
        self.impliedVariance30d = impliedVariance30d
        self.realizedVariance21d = realizedVariance21d
        self.vrpVariance = vrpVariance
        self.vrpVolPoints = vrpVolPoints
        self.vix9dOverVixRank1y = vix9dOverVixRank1y
        self.vixOverVix3mRank1y = vixOverVix3mRank1y
        self.vx1MinusVx2Rank1y = vx1MinusVx2Rank1y
        self.vx30dRank1y = vx30dRank1y
        self.rollYield30dRank1y = rollYield30dRank1y
        self.vrpVarianceRank1y = vrpVarianceRank1y
        self.vrpVolPointsRank1y = vrpVolPointsRank1y
    }
}
