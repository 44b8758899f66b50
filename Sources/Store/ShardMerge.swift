import Foundation
import GRDB
import VixShieldCore

/// What describes a run rather than the market: the ledger's own tables and the columns that differ from
/// one run of the same dates to the next. A merge does not copy these, and comparisons of two databases
/// (a sharded backfill merged against one backfill) leave them out.
public enum RunBookkeeping {
    /// `runs`, `run_diagnostics`, `run_stage_timings`: each database keeps the ledger of its own runs.
    public static let tables: Set<String> = ["runs", "run_diagnostics", "run_stage_timings"]
    /// `run_id` (which run wrote a row), `payload_id` (the archive's surrogate key), and the wall-clock
    /// times `fetched_at` and `completed_at`.
    public static let columns: Set<String> = ["run_id", "payload_id", "fetched_at", "completed_at"]
    /// The column that makes a table per-date: its rows of one as-of date are one partition.
    public static let partitionColumn = "as_of"
    /// The column that records the run that wrote a row; a merge sets it to the merge's own run.
    static let runColumn = "run_id"
}

/// Why a shard cannot be merged. Every case is one line naming the shard.
public enum ShardMergeError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case notADatabase(path: String, reason: String)
    case schema(path: String, shard: String?, expected: String?)
    case pipeline(path: String, shard: [String], expected: String)

    public var description: String {
        switch self {
        case .missing(let path): return "\(path): no such shard database"
        case .notADatabase(let path, let reason): return "\(path): not a vixshield database (\(reason))"
        case .schema(let path, let shard, let expected):
            return "\(path): schema at \(shard ?? "none"), this database is at \(expected ?? "none"): migrate both with the same vixshield"
        case .pipeline(let path, let shard, let expected):
            return "\(path): made by pipeline sha256 \(shard.map { String($0.prefix(12)) }.joined(separator: ", ")), not \(expected.prefix(12)) (shards of different pipelines cannot be merged)"
        }
    }
}

/// What one shard contributed.
public struct ShardMergeResult: Sendable, Equatable {
    public var path: String
    /// The as-of partitions copied, in date order (one transaction each).
    public var partitions: [CalendarDate]
    /// Rows inserted per table (history tables count rows offered, including those already there).
    public var rows: [String: Int]
}

extension VixShieldDatabase {
    /// Checks that `path` can be merged into a database of this binary: a database at exactly its migrations
    /// (those every database it opens for writing is migrated to) whose every completed date was made by the
    /// pipeline with `pipelineSha256`. Reads the shard only, so every shard can be checked before the output
    /// database is created.
    public static func checkShard(_ path: String, pipelineSha256: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw ShardMergeError.missing(path) }
        let expected = migrationIdentifiers
        let shard: (migrations: [String], pipelines: [String])
        do {
            var config = Configuration()
            config.readonly = true
            config.busyMode = .timeout(30)  // a shard still being closed by its writer is waited for, not refused
            let queue = try DatabaseQueue(path: path, configuration: config)
            shard = try queue.read { db in
                guard try db.tableExists("grdb_migrations") else { return ([], []) }
                let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
                guard try db.tableExists("date_completions") else { return (migrations, []) }
                return (migrations, try String.fetchAll(db, sql: """
                    SELECT DISTINCT coalesce(pipeline_sha256, '') FROM date_completions ORDER BY 1
                    """))
            }
        } catch let e as ShardMergeError {
            throw e
        } catch {
            throw ShardMergeError.notADatabase(path: path, reason: "\(error)")
        }
        guard shard.migrations == expected else {
            throw ShardMergeError.schema(path: path, shard: shard.migrations.last, expected: expected.last)
        }
        guard shard.pipelines.allSatisfy({ $0 == pipelineSha256 }) else {
            throw ShardMergeError.pipeline(path: path, shard: shard.pipelines.filter { $0 != pipelineSha256 }, expected: pipelineSha256)
        }
    }

    /// Merges the shard database at `path` into this one (call `checkShard` first).
    ///
    /// Generic over the schema (tables and columns come from `sqlite_master`, so later migrations are
    /// merged too): the ledger tables are left out; a table with an `as_of` column is per-date, and each
    /// as-of date of the shard is one transaction that replaces that date's rows of every such table
    /// with the shard's (so merging the same shard twice changes nothing); a table whose key is a
    /// surrogate rowid (the raw archive) only gains the rows its unique constraints do not already hold, and
    /// so does a content-addressed one (`payload_bodies`: the date's archived bytes, copied first in its
    /// transaction because the archive rows point at them);
    /// every other table is shared history (index bars, rates, the event calendar) and is upserted by its
    /// primary key in one more transaction. `run_id` columns are set to `runId`, the merge's own run.
    ///
    /// Rows of other dates that reference a replaced partition through `ON DELETE CASCADE` (a hedge layer
    /// of a later night on a replaced condor) are deleted: the cross-date stages must run after a merge.
    public func merge(shard path: String, runId: Int64) throws -> ShardMergeResult {
        try writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS shard", arguments: [path])
            defer { try? db.execute(sql: "DETACH DATABASE shard") }
            let tables = try Self.userTables(db).filter { !RunBookkeeping.tables.contains($0) }.map { try MergeTable(db, name: $0) }
            let dated = tables.filter(\.isPerDate)
            var result = ShardMergeResult(path: path, partitions: [], rows: [:])

            let partitionSQL = dated.filter { $0.partitionOfRows == nil }
                .map { "SELECT \(RunBookkeeping.partitionColumn) FROM shard.\($0.quoted)" }.joined(separator: " UNION ")
            let partitions = dated.isEmpty ? [] : try String.fetchAll(db, sql: "SELECT * FROM (\(partitionSQL)) ORDER BY 1")
            for asOf in partitions {
                try db.inTransaction(.immediate) {
                    // References into the partition are checked at commit, once every table of it is in.
                    try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
                    for t in dated where !t.isAppendOnly {
                        try db.execute(sql: "DELETE FROM main.\(t.quoted) WHERE \(t.partitionCondition())", arguments: [asOf])
                    }
                    for t in dated.filter(\.isCopiedFirst) + dated.filter({ !$0.isCopiedFirst }) {
                        result.rows[t.name, default: 0] += try t.copy(db, runId: runId, asOf: asOf)
                    }
                    return .commit
                }
                if let d = CalendarDate(iso: asOf) { result.partitions.append(d) }
            }
            try db.inTransaction(.immediate) {
                for t in tables where !t.isPerDate { result.rows[t.name, default: 0] += try t.copy(db, runId: runId, asOf: nil) }
                return .commit
            }
            return result
        }
    }
}

/// One table as the merge sees it, from `PRAGMA table_info`.
private struct MergeTable {
    let name: String
    let columns: [String]
    /// The `INTEGER PRIMARY KEY` column (a rowid alias), when the table has one: not copied, SQLite numbers
    /// the rows again, and the table's UNIQUE constraints decide which rows are already there.
    let rowidAlias: String?

    /// For a table without an `as_of` column whose rows still belong to one date (`quote_rows`, whose rowid
    /// encodes it): the condition that picks one date's rows, the date given as the argument (`?` or a named
    /// parameter). Such a table's rowid is its key and is copied as it is.
    let partitionOfRows: ((_ argument: String) -> String)?

    init(_ db: Database, name: String) throws {
        self.name = name
        let info = try Row.fetchAll(db, sql: "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
        columns = info.map { $0["name"] }
        partitionOfRows = Self.partitionedByKey[name]
        let keys = info.filter { ($0["pk"] as Int) > 0 }
        let isWithoutRowid = try Bool.fetchOne(db, sql: "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = ?", arguments: [name]) ?? false
        let isRowidAlias = !isWithoutRowid && keys.count == 1 && (keys[0]["type"] as String).uppercased() == "INTEGER"
        rowidAlias = isRowidAlias && partitionOfRows == nil ? keys[0]["name"] : nil
    }

    static let partitionedByKey: [String: @Sendable (String) -> String] = [
        "quote_rows": QuoteStorage.rowsOfDate,
        // A date's archived bytes: those its raw_payloads rows point at (shared ones are already here after
        // an earlier date: the copy keeps what it has).
        "payload_bodies": { "sha256 IN (SELECT sha256 FROM shard.raw_payloads WHERE as_of = \($0) AND length(body) = 0)" },
    ]

    /// Content-addressed tables: a row with the same key has the same bytes, so a copy keeps what is there and
    /// a merge never deletes from them (other dates may share a row).
    static let contentAddressed: Set<String> = ["payload_bodies"]

    var quoted: String { "\"\(name)\"" }
    var isPerDate: Bool { columns.contains(RunBookkeeping.partitionColumn) || partitionOfRows != nil }
    var isAppendOnly: Bool { rowidAlias != nil || Self.contentAddressed.contains(name) }
    /// Copied before the date's other tables, whose rows point at it.
    var isCopiedFirst: Bool { Self.contentAddressed.contains(name) }

    /// The condition that picks one partition's rows, the as-of date given as `argument`.
    func partitionCondition(argument: String = "?") -> String {
        partitionOfRows?(argument) ?? "\"\(RunBookkeeping.partitionColumn)\" = \(argument)"
    }

    /// Copies the shard's rows of one as-of partition (or, for `nil`, all of them) with `INSERT … SELECT`;
    /// returns the number of rows written.
    func copy(_ db: Database, runId: Int64, asOf: String?) throws -> Int {
        let copied = columns.filter { $0 != rowidAlias }
        var arguments: [String: (any DatabaseValueConvertible)?] = [:]
        let values = copied.map { c -> String in
            guard c == RunBookkeeping.runColumn else { return "\"\(c)\"" }
            arguments["run_id"] = runId
            return ":run_id"
        }
        var condition = ""
        if let asOf {
            condition = " WHERE " + partitionCondition(argument: ":as_of")
            arguments["as_of"] = asOf
        }
        let verb = isAppendOnly ? "INSERT OR IGNORE" : isPerDate ? "INSERT" : "INSERT OR REPLACE"
        try db.execute(sql: """
            \(verb) INTO main.\(quoted) (\(copied.map { "\"\($0)\"" }.joined(separator: ", ")))
            SELECT \(values.joined(separator: ", ")) FROM shard.\(quoted)\(condition)
            """, arguments: StatementArguments(arguments))
        return db.changesCount
    }
}
