import GRDB

/// A row of `runs`: one invocation of the pipeline.
public struct RunRecord: SnakeCaseRecord, Sendable, Equatable, MutablePersistableRecord {
    public static let databaseTableName = "runs"

    public var runId: Int64?
    public var command: String
    public var asOfFrom: String?
    public var asOfTo: String?
    public var pipelineName: String?
    public var pipelineSha256: String?
    public var version: String
    public var offline: Bool
    public var startedAt: String
    public var finishedAt: String?
    public var status: String
    public var countsJson: String?
    public var error: String?

    public init(command: String, asOfFrom: String?, asOfTo: String?, pipelineName: String?, pipelineSha256: String?,
                version: String, offline: Bool, startedAt: String) {
        self.command = command
        self.asOfFrom = asOfFrom
        self.asOfTo = asOfTo
        self.pipelineName = pipelineName
        self.pipelineSha256 = pipelineSha256
        self.version = version
        self.offline = offline
        self.startedAt = startedAt
        self.status = "running"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { runId = inserted.rowID }
}
