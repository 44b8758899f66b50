import GRDB

/// A row of `recommendations` (see the schema for units).
public struct RecommendationRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "recommendations"

    public var asOf: String
    public var forDate: String
    public var underlying: String
    public var profile: String
    public var rank: Int
    public var status: String
    public var reason: String?
    public var expiry: String?
    public var dte: Int?
    public var longPut: Double?
    public var shortPut: Double?
    public var shortCall: Double?
    public var longCall: Double?
    public var credit: Double?
    public var maxLoss: Double?
    public var breakevenLow: Double?
    public var breakevenHigh: Double?
    public var pop: Double?
    public var expectedPnl: Double?
    public var netDelta: Double?
    public var netGamma: Double?
    public var netVega: Double?
    public var netTheta: Double?
    public var contracts: Int?
    public var rationale: String
    public var runId: Int64
    /// The condor's option root (`SPX` AM-settled, `SPXW` PM-settled).
    public var root: String?
    /// OCC-style symbols of the four legs, e.g. `SPXW260821P05290000`.
    public var longPutSymbol: String?
    public var shortPutSymbol: String?
    public var shortCallSymbol: String?
    public var longCallSymbol: String?
    /// Whole position in dollars: points × 100 × contracts.
    public var creditUsd: Double?
    public var maxLossUsd: Double?
    /// `NoTradeReason.code` of the first reason, for no_trade rows.
    public var reasonCode: String?
    /// The ranking score, the annualized expected return on risk, the projected 1-SD move to expiry, and
    /// the events inside the trade's life (`fomc 2026-07-29, cpi 2026-08-12`).
    public var score: Double?
    public var annualizedReturn: Double?
    public var expectedMovePoints: Double?
    public var eventsInLife: String?

    public init(asOf: String, forDate: String, underlying: String, profile: String, rank: Int, status: String,
                reason: String?, rationale: String, runId: Int64) {
        self.asOf = asOf; self.forDate = forDate; self.underlying = underlying; self.profile = profile
        self.rank = rank; self.status = status; self.reason = reason; self.rationale = rationale; self.runId = runId
    }

    /// Columns in table order, for CSV and table output.
    public static let columnNames = [
        "as_of", "for_date", "underlying", "profile", "rank", "status", "reason", "expiry", "dte", "long_put",
        "short_put", "short_call", "long_call", "credit", "max_loss", "breakeven_low", "breakeven_high", "pop",
        "expected_pnl", "net_delta", "net_gamma", "net_vega", "net_theta", "contracts", "rationale", "run_id",
        "root", "long_put_symbol", "short_put_symbol", "short_call_symbol", "long_call_symbol", "credit_usd",
        "max_loss_usd", "reason_code", "score", "annualized_return", "expected_move_points", "events_in_life",
    ]
}
