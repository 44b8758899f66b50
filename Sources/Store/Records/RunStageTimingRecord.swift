import GRDB

/// A row of `run_stage_timings`: how long one stage took on one date of a run.
public struct RunStageTimingRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "run_stage_timings"

    public var runId: Int64
    public var asOf: String
    public var stage: String
    public var elapsedMs: Double

    public init(runId: Int64, asOf: String, stage: String, elapsedMs: Double) {
        self.runId = runId; self.asOf = asOf; self.stage = stage; self.elapsedMs = elapsedMs
    }
}
