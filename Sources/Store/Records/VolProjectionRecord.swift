import GRDB

/// A row of `vol_projections`: one expiry of a projected surface.
/// Column names with digits (`rsi_14`, `rv_cc_21`, `vx_30d`) are spelled out: the snake_case strategy
/// cannot place their underscores.
public struct VolProjectionRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "vol_projections"

    public var asOf: String
    public var underlying: String
    public var horizon: String
    public var targetTime: String
    public var scenario: String
    public var expiryTime: String
    public var yearsToExpiryNow: Double
    public var yearsToExpiryProjected: Double
    public var forwardNow: Double
    public var forwardProjected: Double
    public var atmVolNow: Double
    public var atmVolProjected: Double
    public var atmTotalVarianceNow: Double
    public var atmTotalVarianceProjected: Double
    public var eventTotalVariance: Double
    public var expectedMovePoints: Double
    public var expectedAbsMovePoints: Double

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of", underlying = "underlying", horizon = "horizon", targetTime = "target_time", scenario = "scenario", expiryTime = "expiry_time", yearsToExpiryNow = "years_to_expiry_now", yearsToExpiryProjected = "years_to_expiry_projected", forwardNow = "forward_now", forwardProjected = "forward_projected", atmVolNow = "atm_vol_now", atmVolProjected = "atm_vol_projected", atmTotalVarianceNow = "atm_total_variance_now", atmTotalVarianceProjected = "atm_total_variance_projected", eventTotalVariance = "event_total_variance", expectedMovePoints = "expected_move_points", expectedAbsMovePoints = "expected_abs_move_points"
    }

    public init(asOf: String, underlying: String, horizon: String, targetTime: String, scenario: String, expiryTime: String, yearsToExpiryNow: Double, yearsToExpiryProjected: Double, forwardNow: Double, forwardProjected: Double, atmVolNow: Double, atmVolProjected: Double, atmTotalVarianceNow: Double, atmTotalVarianceProjected: Double, eventTotalVariance: Double, expectedMovePoints: Double, expectedAbsMovePoints: Double) {
        self.asOf = asOf
        self.underlying = underlying
        self.horizon = horizon
        self.targetTime = targetTime
        self.scenario = scenario
        self.expiryTime = expiryTime
        self.yearsToExpiryNow = yearsToExpiryNow
        self.yearsToExpiryProjected = yearsToExpiryProjected
        self.forwardNow = forwardNow
        self.forwardProjected = forwardProjected
        self.atmVolNow = atmVolNow
        self.atmVolProjected = atmVolProjected
        self.atmTotalVarianceNow = atmTotalVarianceNow
        self.atmTotalVarianceProjected = atmTotalVarianceProjected
        self.eventTotalVariance = eventTotalVariance
        self.expectedMovePoints = expectedMovePoints
        self.expectedAbsMovePoints = expectedAbsMovePoints
    }
}
