import GRDB

/// A row of `date_completions`: one as-of date whose per-date stages all landed, written last in the
/// date's transaction.
public struct DateCompletionRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "date_completions"

    public var asOf: String
    public var underlying: String
    /// `ok` or `no_trade`.
    public var status: String
    /// Comma-separated `NoTradeReason.code`s, in order.
    public var reasonCodes: String
    public var reason: String?
    /// True when the date was decided by a missing or stale input: a backfill runs it again.
    public var retry: Bool
    public var pipelineSha256: String?
    public var runId: Int64
    public var completedAt: String

    public init(asOf: String, underlying: String, status: String, reasonCodes: String, reason: String?, retry: Bool,
                pipelineSha256: String?, runId: Int64, completedAt: String) {
        self.asOf = asOf; self.underlying = underlying; self.status = status; self.reasonCodes = reasonCodes
        self.reason = reason; self.retry = retry; self.pipelineSha256 = pipelineSha256; self.runId = runId
        self.completedAt = completedAt
    }
}
