import GRDB

/// A row of `event_reaction_summaries`: one event kind's reactions through an as-of date.
/// Column names with digits (`rsi_14`, `rv_cc_21`, `vx_30d`) are spelled out: the snake_case strategy
/// cannot place their underscores.
public struct EventReactionSummaryRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "event_reaction_summaries"

    public var asOf: String
    public var kind: String
    public var count: Int
    public var meanAbsMove: Double
    public var absMoveQ25: Double
    public var absMoveQ50: Double
    public var absMoveQ75: Double
    public var absMoveQ90: Double
    public var meanSquaredMove: Double
    public var normalSessionVariance: Double
    public var excessVariancePrior: Double
    public var meanVixChangePoints: Double?

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of", kind = "kind", count = "count", meanAbsMove = "mean_abs_move", absMoveQ25 = "abs_move_q25", absMoveQ50 = "abs_move_q50", absMoveQ75 = "abs_move_q75", absMoveQ90 = "abs_move_q90", meanSquaredMove = "mean_squared_move", normalSessionVariance = "normal_session_variance", excessVariancePrior = "excess_variance_prior", meanVixChangePoints = "mean_vix_change_points"
    }

    public init(asOf: String, kind: String, count: Int, meanAbsMove: Double, absMoveQ25: Double, absMoveQ50: Double, absMoveQ75: Double, absMoveQ90: Double, meanSquaredMove: Double, normalSessionVariance: Double, excessVariancePrior: Double, meanVixChangePoints: Double? = nil) {
        self.asOf = asOf
        self.kind = kind
        self.count = count
        self.meanAbsMove = meanAbsMove
        self.absMoveQ25 = absMoveQ25
        self.absMoveQ50 = absMoveQ50
        self.absMoveQ75 = absMoveQ75
        self.absMoveQ90 = absMoveQ90
        self.meanSquaredMove = meanSquaredMove
        self.normalSessionVariance = normalSessionVariance
        self.excessVariancePrior = excessVariancePrior
        self.meanVixChangePoints = meanVixChangePoints
    }
}
