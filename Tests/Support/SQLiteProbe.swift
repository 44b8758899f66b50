import Foundation
import GRDB

/// Reads a test's database file with plain SQL, read-only, to check what the product stored without going
/// through the product's own read models.
public enum SQLiteProbe {
    /// The raw archive's tables: the fetch rows and the bytes they point at (migration 011). Tests whose
    /// archive rightly grows, or is tampered with, compare the other tables.
    public static let archiveTables: Set<String> = ["raw_payloads", "payload_bodies"]

    /// Waits for a lock as the product does (30 s): a connection the product just closed may still hold the
    /// WAL checkpoint's lock for a moment, and failing at once made tests flaky on a loaded machine.
    public static func configuration(readonly: Bool) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        config.busyMode = .timeout(30)
        return config
    }

    /// Every row of `sql` as text cells (NULL as nil), in order.
    public static func rows(_ path: String, _ sql: String, _ arguments: [String] = []) throws -> [[String?]] {
        let queue = try DatabaseQueue(path: path, configuration: configuration(readonly: true))
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                row.databaseValues.map { v -> String? in
                    switch v.storage {
                    case .null: return nil
                    case .int64(let i): return String(i)
                    case .double(let d): return "\(d)"
                    case .string(let s): return s
                    case .blob(let d): return "<\(d.count) bytes>"
                    }
                }
            }
        }
    }

    /// The single integer of a `SELECT COUNT(*)`-style query.
    public static func count(_ path: String, _ sql: String, _ arguments: [String] = []) throws -> Int {
        Int((try rows(path, sql, arguments).first?.first ?? nil) ?? "0") ?? 0
    }

    /// Runs statements on a database file outside the product (to build an old schema or corrupt a row).
    public static func execute(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path, configuration: configuration(readonly: false))
        try queue.write { db in try db.execute(sql: sql) }
    }

    /// Runs one statement with a single blob argument (to rewrite a stored payload as bit rot would).
    public static func execute(_ path: String, _ sql: String, blob: Data) throws {
        let queue = try DatabaseQueue(path: path, configuration: configuration(readonly: false))
        try queue.write { db in try db.execute(sql: sql, arguments: [blob]) }
    }

    /// Holds the product's writer lock on `path` (the `flock` of `<path>.lock`) until the value is released,
    /// as another vixshield process would.
    public static func holdWriterLock(_ path: String) throws -> LockHolder { try LockHolder(path + ".lock") }

    public final class LockHolder: @unchecked Sendable {
        let fd: Int32
        init(_ lockPath: String) throws {
            fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
            guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw CocoaError(.fileLocking) }
        }
        deinit { close(fd) }
    }
}
