import Foundation
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
    /// Archives a payload unless the same bytes are already archived for that source and date. Returns the
    /// stored row and whether it was new.
    ///
    /// The gzip bytes go to `payload_bodies` once per distinct payload (migration 011); the row points at them
    /// by sha256. `isIntact` says whether stored gzip bytes still decompress to this payload: stored bytes that
    /// no longer do (bit rot, a bad copy) are replaced by `payload.body`, which mends every date sharing them.
    @discardableResult
    public func archive(_ payload: RawPayloadRecord, isIntact: (Data) -> Bool) throws -> (record: RawPayloadRecord, inserted: Bool) {
        try write { db in
            // Bytes equal to the new ones are intact without decompressing them: the same payload gzips the same way.
            func needsMending(_ stored: Data) -> Bool { stored != payload.body && !isIntact(stored) }
            func mendSharedBytes() throws {
                try db.execute(sql: "UPDATE payload_bodies SET body = ? WHERE sha256 = ?", arguments: [payload.body, payload.sha256])
            }
            if let existing = try RawPayloadRecord.fetchOne(db, sql: """
                SELECT \(Self.payloadColumns) FROM raw_payloads r LEFT JOIN payload_bodies b ON b.sha256 = r.sha256
                WHERE r.source = ? AND r.as_of = ? AND r.sha256 = ?
                """, arguments: [payload.source, payload.asOf, payload.sha256]) {
                if needsMending(existing.body) {
                    // Inline bytes (archived before migration 011) are mended in place, shared ones where they are.
                    try db.execute(sql: "UPDATE raw_payloads SET body = ? WHERE payload_id = ? AND length(body) > 0",
                                   arguments: [payload.body, existing.payloadId])
                    if db.changesCount == 0 { try mendSharedBytes() }
                }
                return (existing, false)
            }
            if let stored = try Data.fetchOne(db, sql: "SELECT body FROM payload_bodies WHERE sha256 = ?", arguments: [payload.sha256]) {
                if needsMending(stored) { try mendSharedBytes() }
            } else {
                try db.execute(sql: "INSERT INTO payload_bodies (sha256, compression, body) VALUES (?, ?, ?)",
                               arguments: [payload.sha256, payload.compression, payload.body])
            }
            var row = payload
            row.body = Data()
            try row.insert(db)
            row.body = payload.body
            return (row, true)
        }
    }

    /// Every archived payload of one source and as-of date, newest first (offline replay takes the newest
    /// that parses), with its gzip bytes (inline in rows archived before migration 011, else shared).
    public func payloads(source: String, asOf: CalendarDate) throws -> [RawPayloadRecord] {
        try read { db in
            try RawPayloadRecord.fetchAll(db, sql: """
                SELECT \(Self.payloadColumns) FROM raw_payloads r LEFT JOIN payload_bodies b ON b.sha256 = r.sha256
                WHERE r.source = ? AND r.as_of = ?
                ORDER BY r.fetched_at DESC, r.payload_id DESC
                """, arguments: [source, asOf.isoString])
        }
    }

    /// A `raw_payloads r` row with its bytes resolved through `payload_bodies b` (empty when missing, which
    /// replay reports as a payload that cannot be decompressed).
    private static let payloadColumns = """
        r.payload_id, r.source, r.kind, r.url, r.as_of, r.fetched_at, r.http_status, r.byte_count, r.sha256,
        CASE WHEN length(r.body) > 0 THEN r.compression ELSE coalesce(b.compression, r.compression) END AS compression,
        CASE WHEN length(r.body) > 0 THEN r.body ELSE coalesce(b.body, X'') END AS body, r.run_id
        """
}
