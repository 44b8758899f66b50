import GRDB

/// A row of `event_variances`: one upcoming event's variance as of a date.
/// Column names with digits (`rsi_14`, `rv_cc_21`, `vx_30d`) are spelled out: the snake_case strategy
/// cannot place their underscores.
public struct EventVarianceRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "event_variances"

    public var asOf: String
    public var underlying: String
    public var kind: String
    public var eventDate: String
    public var eventTime: String
    public var label: String
    public var firstExpiryAfter: String?
    public var baseVariancePerBusinessDay: Double?
    public var rawExcessTotalVariance: Double?
    public var priorTotalVariance: Double?
    public var termStructureWeight: Double
    public var totalVariance: Double?
    public var sessionEquivalents: Double?
    public var impliedAbsMove: Double?
    public var method: String
    public var notes: String

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of", underlying = "underlying", kind = "kind", eventDate = "event_date", eventTime = "event_time", label = "label", firstExpiryAfter = "first_expiry_after", baseVariancePerBusinessDay = "base_variance_per_business_day", rawExcessTotalVariance = "raw_excess_total_variance", priorTotalVariance = "prior_total_variance", termStructureWeight = "term_structure_weight", totalVariance = "total_variance", sessionEquivalents = "session_equivalents", impliedAbsMove = "implied_abs_move", method = "method", notes = "notes"
    }

    public init(asOf: String, underlying: String, kind: String, eventDate: String, eventTime: String, label: String, firstExpiryAfter: String? = nil, baseVariancePerBusinessDay: Double? = nil, rawExcessTotalVariance: Double? = nil, priorTotalVariance: Double? = nil, termStructureWeight: Double, totalVariance: Double? = nil, sessionEquivalents: Double? = nil, impliedAbsMove: Double? = nil, method: String, notes: String) {
        self.asOf = asOf
        self.underlying = underlying
        self.kind = kind
        self.eventDate = eventDate
        self.eventTime = eventTime
        self.label = label
        self.firstExpiryAfter = firstExpiryAfter
        self.baseVariancePerBusinessDay = baseVariancePerBusinessDay
        self.rawExcessTotalVariance = rawExcessTotalVariance
        self.priorTotalVariance = priorTotalVariance
        self.termStructureWeight = termStructureWeight
        self.totalVariance = totalVariance
        self.sessionEquivalents = sessionEquivalents
        self.impliedAbsMove = impliedAbsMove
        self.method = method
        self.notes = notes
    }
}
