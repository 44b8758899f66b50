import GRDB
import VixShieldCore

extension VixShieldDatabase {
    /// Records the start of a run and returns its id.
    public func beginRun(_ run: RunRecord) throws -> Int64 {
        try write { db in
            var r = run
            try r.insert(db)
            return r.runId!
        }
    }

    /// Records how a run ended, with its counts, every diagnostic collected on the way and the wall time
    /// of each stage of each date.
    public func finishRun(id: Int64, status: RunStatus, finishedAt: String, countsJSON: String?, error: String?,
                          diagnostics: [(asOf: String?, stage: String, diagnostic: Diagnostic)],
                          stageTimings: [RunStageTimingRecord] = []) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE runs SET status = ?, finished_at = ?, counts_json = ?, error = ? WHERE run_id = ?
                """, arguments: [status.rawValue, finishedAt, countsJSON, error, id])
            for t in stageTimings { try t.insert(db, onConflict: .replace) }
            for (i, d) in diagnostics.enumerated() {
                try RunDiagnosticRecord(runId: id, seq: i + 1, asOf: d.asOf, stage: d.stage,
                                        severity: d.diagnostic.severity.rawValue,
                                        location: d.diagnostic.location, message: d.diagnostic.message).insert(db)
            }
        }
    }

    public func runs(limit: Int = 50) throws -> [RunRecord] {
        try read { db in
            try RunRecord.fetchAll(db, sql: "SELECT * FROM runs ORDER BY run_id DESC LIMIT ?", arguments: [limit])
        }
    }

    public func stageTimings(runId: Int64) throws -> [RunStageTimingRecord] {
        try read { db in
            try RunStageTimingRecord.fetchAll(db, sql: "SELECT * FROM run_stage_timings WHERE run_id = ? ORDER BY as_of, stage",
                                              arguments: [runId])
        }
    }

    public func diagnostics(runId: Int64) throws -> [RunDiagnosticRecord] {
        try read { db in
            try RunDiagnosticRecord.fetchAll(db, sql: "SELECT * FROM run_diagnostics WHERE run_id = ? ORDER BY seq",
                                             arguments: [runId])
        }
    }
}

// MARK: - Raw archive

extension VixShieldDatabase {
    /// Archives a payload unless the same bytes are already archived for that source and date.
    /// Returns the stored row and whether it was new.
    @discardableResult
    public func archive(_ payload: RawPayloadRecord) throws -> (record: RawPayloadRecord, inserted: Bool) {
        try write { db in
            if let existing = try RawPayloadRecord.fetchOne(db, sql: """
                SELECT * FROM raw_payloads WHERE source = ? AND as_of = ? AND sha256 = ?
                """, arguments: [payload.source, payload.asOf, payload.sha256]) {
                return (existing, false)
            }
            var p = payload
            try p.insert(db)
            return (p, true)
        }
    }

    /// Every archived payload of one source and as-of date, newest first (offline replay takes the newest
    /// that parses).
    public func payloads(source: String, asOf: CalendarDate) throws -> [RawPayloadRecord] {
        try read { db in
            try RawPayloadRecord.fetchAll(db, sql: """
                SELECT * FROM raw_payloads WHERE source = ? AND as_of = ?
                ORDER BY fetched_at DESC, payload_id DESC
                """, arguments: [source, asOf.isoString])
        }
    }
}
