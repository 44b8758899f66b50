import GRDB

/// A row of `event_reactions`: how the market reacted to one past event.
/// Column names with digits (`rsi_14`, `rv_cc_21`, `vx_30d`) are spelled out: the snake_case strategy
/// cannot place their underscores.
public struct EventReactionRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "event_reactions"

    public var kind: String
    public var eventDate: String
    public var label: String
    public var session: String
    public var previousSession: String
    public var spxLogReturn: Double
    public var spxAbsMove: Double
    public var vixChangePoints: Double?
    public var atmVolChange: Double?
    public var impliedAbsMove: Double?

    enum CodingKeys: String, CodingKey {
        case kind = "kind", eventDate = "event_date", label = "label", session = "session", previousSession = "previous_session", spxLogReturn = "spx_log_return", spxAbsMove = "spx_abs_move", vixChangePoints = "vix_change_points", atmVolChange = "atm_vol_change", impliedAbsMove = "implied_abs_move"
    }

    public init(kind: String, eventDate: String, label: String, session: String, previousSession: String, spxLogReturn: Double, spxAbsMove: Double, vixChangePoints: Double? = nil, atmVolChange: Double? = nil, impliedAbsMove: Double? = nil) {
        self.kind = kind
        self.eventDate = eventDate
        self.label = label
        self.session = session
        self.previousSession = previousSession
        self.spxLogReturn = spxLogReturn
        self.spxAbsMove = spxAbsMove
        self.vixChangePoints = vixChangePoints
        self.atmVolChange = atmVolChange
        self.impliedAbsMove = impliedAbsMove
    }
}
