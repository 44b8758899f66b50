import GRDB

/// A row of `run_diagnostics`.
public struct RunDiagnosticRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "run_diagnostics"

    public var runId: Int64
    public var seq: Int
    public var asOf: String?
    public var stage: String
    public var severity: String
    public var location: String
    public var message: String

    public init(runId: Int64, seq: Int, asOf: String?, stage: String, severity: String, location: String, message: String) {
        self.runId = runId
        self.seq = seq
        self.asOf = asOf
        self.stage = stage
        self.severity = severity
        self.location = location
        self.message = message
    }
}
