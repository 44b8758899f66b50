import GRDB
import VixShieldCore

extension VixShieldDatabase {
    /// Records the start of a run and returns its id.
    public func beginRun(_ run: RunRecord) throws -> Int64 {
        try queue.write { db in
            var r = run
            try r.insert(db)
            return r.runId!
        }
    }

    /// Records how a run ended, with its counts and every diagnostic collected on the way.
    public func finishRun(id: Int64, status: String, finishedAt: String, countsJSON: String?, error: String?,
                          diagnostics: [(asOf: String?, stage: String, diagnostic: Diagnostic)]) throws {
        try queue.write { db in
            try db.execute(sql: """
                UPDATE runs SET status = ?, finished_at = ?, counts_json = ?, error = ? WHERE run_id = ?
                """, arguments: [status, finishedAt, countsJSON, error, id])
            for (i, d) in diagnostics.enumerated() {
                try RunDiagnosticRecord(runId: id, seq: i + 1, asOf: d.asOf, stage: d.stage,
                                        severity: d.diagnostic.severity.rawValue,
                                        location: d.diagnostic.location, message: d.diagnostic.message).insert(db)
            }
        }
    }

    public func runs(limit: Int = 50) throws -> [RunRecord] {
        try queue.read { db in
            try RunRecord.fetchAll(db, sql: "SELECT * FROM runs ORDER BY run_id DESC LIMIT ?", arguments: [limit])
        }
    }

    public func diagnostics(runId: Int64) throws -> [RunDiagnosticRecord] {
        try queue.read { db in
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
        try queue.write { db in
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

    /// The most recently fetched payload of a source for an as-of date, for offline replay.
    public func latestPayload(source: String, asOf: String) throws -> RawPayloadRecord? {
        try queue.read { db in
            try RawPayloadRecord.fetchOne(db, sql: """
                SELECT * FROM raw_payloads WHERE source = ? AND as_of = ?
                ORDER BY fetched_at DESC, payload_id DESC LIMIT 1
                """, arguments: [source, asOf])
        }
    }
}

// MARK: - Queries

extension VixShieldDatabase {
    /// Recommendations with `as_of` in the closed range, ordered by date, underlying, profile, rank.
    public func recommendations(from: String, to: String) throws -> [RecommendationRecord] {
        try queue.read { db in
            try RecommendationRecord.fetchAll(db, sql: """
                SELECT * FROM recommendations WHERE as_of BETWEEN ? AND ?
                ORDER BY as_of, underlying, profile, rank
                """, arguments: [from, to])
        }
    }

    public func hedgeRecommendations(from: String, to: String) throws -> [HedgeRecommendationRecord] {
        try queue.read { db in
            try HedgeRecommendationRecord.fetchAll(db, sql: """
                SELECT * FROM hedge_recommendations WHERE as_of BETWEEN ? AND ? ORDER BY as_of, layer, instrument, contract
                """, arguments: [from, to])
        }
    }

    /// Row counts of every user table, for tests and `runs` summaries.
    public func tableCounts() throws -> [String: Int] {
        try queue.read { db in
            let names = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                """)
            var out: [String: Int] = [:]
            for n in names { out[n] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(n)\"") ?? 0 }
            return out
        }
    }

    /// Every row of a table as text, ordered by all columns: a stable fingerprint for idempotence tests.
    public func dump(table: String, excluding excluded: Set<String> = []) throws -> [String] {
        try queue.read { db in
            let columns = try db.columns(in: table).map(\.name).filter { !excluded.contains($0) }
            let list = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
            return try String.fetchAll(db, sql: "SELECT \(list) FROM \"\(table)\" ORDER BY \(columns.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
    }
}

/// A SQLite value as read back for display, without GRDB types leaking to callers.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Int)
}

extension VixShieldDatabase {
    /// Column names and rows of a read-only query, for the `query` command's table/CSV/JSON output.
    public func select(_ sql: String, arguments: [String]) throws -> (columns: [String], rows: [[SQLValue]]) {
        try queue.read { db in
            let statement = try db.makeStatement(sql: sql)
            let columns = statement.columnNames
            let rows = try Row.fetchAll(statement, arguments: StatementArguments(arguments)).map { row in
                columns.indices.map { i -> SQLValue in
                    switch row[i] as DatabaseValue? {
                    case .none: return .null
                    case .some(let v):
                        switch v.storage {
                        case .null: return .null
                        case .int64(let x): return .integer(x)
                        case .double(let x): return .real(x)
                        case .string(let s): return .text(s)
                        case .blob(let d): return .blob(d.count)
                        }
                    }
                }
            }
            return (columns, rows)
        }
    }
}

extension VixShieldDatabase {
    /// Rate observations dated in the closed range, by series then date.
    public func rates(from: String, to: String) throws -> [RateRecord] {
        try queue.read { db in
            try RateRecord.fetchAll(db, sql: "SELECT * FROM rates WHERE date BETWEEN ? AND ? ORDER BY series, date", arguments: [from, to])
        }
    }
}
