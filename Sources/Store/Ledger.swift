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
    /// The compressed bytes go to `payload_bodies` once per distinct payload (migration 011); the row points at
    /// them by sha256. `isIntact` says whether stored bytes (in the codec named with them: `gzip` before
    /// migration 013, `zstd` since) still decompress to this payload: stored bytes that no longer do (bit rot,
    /// a bad copy) are replaced by `payload.body` and its codec, which mends every date sharing them. Intact
    /// bytes in the older codec are kept as they are (an upgrade does not rewrite the archive).
    @discardableResult
    public func archive(_ payload: RawPayloadRecord,
                        isIntact: (_ stored: Data, _ compression: String) -> Bool) throws -> (record: RawPayloadRecord, inserted: Bool) {
        try write { db in
            // Bytes equal to the new ones are intact without decompressing them: the same payload compresses the same way.
            func needsMending(_ stored: Data, _ compression: String) -> Bool {
                (stored != payload.body || compression != payload.compression) && !isIntact(stored, compression)
            }
            func mendSharedBytes() throws {
                try db.execute(sql: "UPDATE payload_bodies SET body = ?, compression = ? WHERE sha256 = ?",
                               arguments: [payload.body, payload.compression, payload.sha256])
                // The rows that point at them name their codec too.
                try db.execute(sql: "UPDATE raw_payloads SET compression = ? WHERE sha256 = ? AND length(body) = 0",
                               arguments: [payload.compression, payload.sha256])
            }
            if let existing = try RawPayloadRecord.fetchOne(db, sql: """
                SELECT \(Self.payloadColumns) FROM raw_payloads r LEFT JOIN payload_bodies b ON b.sha256 = r.sha256
                WHERE r.source = ? AND r.as_of = ? AND r.sha256 = ?
                """, arguments: [payload.source, payload.asOf, payload.sha256]) {
                if needsMending(existing.body, existing.compression) {
                    // Inline bytes (archived before migration 011) are mended in place, shared ones where they are.
                    try db.execute(sql: "UPDATE raw_payloads SET body = ?, compression = ? WHERE payload_id = ? AND length(body) > 0",
                                   arguments: [payload.body, payload.compression, existing.payloadId])
                    if db.changesCount == 0 { try mendSharedBytes() }
                }
                return (existing, false)
            }
            // The row names the codec of the bytes it points at: intact shared bytes stay in theirs.
            var row = payload
            if let stored = try Row.fetchOne(db, sql: "SELECT body, compression FROM payload_bodies WHERE sha256 = ?",
                                             arguments: [payload.sha256]) {
                let (body, compression): (Data, String) = (stored["body"], stored["compression"])
                if needsMending(body, compression) { try mendSharedBytes() } else { (row.body, row.compression) = (body, compression) }
            } else {
                try db.execute(sql: "INSERT INTO payload_bodies (sha256, compression, body) VALUES (?, ?, ?)",
                               arguments: [payload.sha256, payload.compression, payload.body])
            }
            let bytes = row.body
            row.body = Data()
            try row.insert(db)
            row.body = bytes
            return (row, true)
        }
    }

    /// Every archived payload of one source and as-of date, newest first (offline replay takes the newest
    /// that parses), with its compressed bytes and their codec (inline in rows archived before migration 011,
    /// else shared).
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
