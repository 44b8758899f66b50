import Foundation
import GRDB
import VixShieldCore

/// The pipeline's SQLite database: one `DatabaseQueue` per process, WAL journal, foreign keys on, and
/// every migration in `schemas/` (embedded in the binary) applied when it opens for writing.
///
/// Everything outside `Store` speaks to it through typed reads (`ReadModels.swift`), named reports
/// (`Reports.swift`), the ledger and `StoreTransaction`; the GRDB queue itself stays private.
///
/// All calls block the calling thread; callers on the Swift concurrency pool must hop to their own
/// thread first (the pipeline runs on threads of its own).
public final class VixShieldDatabase: Sendable {
    /// A pool (one writer, concurrent WAL readers) for a file opened for writing, so parallel dates read while
    /// another date writes; a queue for read-only and in-memory opens.
    private let queue: any DatabaseWriter
    public let path: String
    public let isReadOnly: Bool
    /// The shared history each committed transaction changed (see `HistoryChangeLog`).
    public let historyChanges = HistoryChangeLog()

    public enum OpenError: Error, CustomStringConvertible, Equatable {
        /// A read-only open found no database file.
        case missing(String)
        /// A read-only open found a schema older (or newer) than this binary's.
        case schemaMismatch(path: String, applied: String?, expected: String)

        public var description: String {
            switch self {
            case .missing(let path): return "no database at \(path) (run `vixshield run` first, or pass --db)"
            case .schemaMismatch(let path, let applied, let expected):
                return "\(path): schema at \(applied ?? "none"), this vixshield expects \(expected): run `vixshield migrate`"
            }
        }
    }

    /// Opens (creating if needed) the database at `path` and migrates it to the latest schema.
    /// `":memory:"` gives a private in-memory database for tests.
    ///
    /// With `readOnly`, the file is opened with `SQLITE_OPEN_READONLY`, never created, never migrated
    /// and never switched to WAL: its bytes are not changed, and a schema other than this binary's is an
    /// error that says to migrate.
    public init(path: String, readOnly: Bool = false) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        self.path = path
        self.isReadOnly = readOnly
        if readOnly {
            guard path == ":memory:" || FileManager.default.fileExists(atPath: path) else { throw OpenError.missing(path) }
            config.readonly = true
            queue = try DatabaseQueue(path: path, configuration: config)
            let expected = Self.migrationIdentifiers.last ?? "none"
            let applied = try queue.read { db in try Self.migrator().appliedIdentifiers(db).sorted() }
            guard applied == Self.migrationIdentifiers else {
                throw OpenError.schemaMismatch(path: path, applied: applied.last, expected: expected)
            }
            return
        }
        if path == ":memory:" {
            queue = try DatabaseQueue(configuration: config)
        } else {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            queue = try DatabasePool(path: path, configuration: config)
        }
        try Self.migrator().migrate(queue)
    }

    /// Migration identifiers this binary ships (file names of `schemas/` without extension), in order.
    static let migrationIdentifiers: [String] = EmbeddedSchemas.files.map {
        URL(fileURLWithPath: $0.path).deletingPathExtension().lastPathComponent
    }.sorted()

    /// One migration per embedded `schemas/NNN_name.sql`, in file-name order, identified by file name.
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for file in EmbeddedSchemas.files.sorted(by: { $0.path < $1.path }) {
            let id = URL(fileURLWithPath: file.path).deletingPathExtension().lastPathComponent
            migrator.registerMigration(id) { db in
                // 010 converts the former option_quotes with the writer's own encodings (QuoteStorage).
                for function in QuoteStorage.migrationFunctions() { db.add(function: function) }
                try db.execute(sql: file.text)
            }
        }
        return migrator
    }

    /// Identifiers of the migrations applied so far, oldest first.
    public func appliedMigrations() throws -> [String] {
        try queue.read { db in try Self.migrator().appliedIdentifiers(db).sorted() }
    }

    /// The journal mode SQLite reports (`wal` for a file database opened for writing).
    public func journalMode() throws -> String {
        try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// The schema as `sqlite_master` holds it (tables, indexes and views, ordered by name), for golden tests.
    public func schemaSQL() throws -> String {
        try queue.read { db in
            try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                ORDER BY type DESC, name
                """).joined(separator: ";\n\n") + ";\n"
        }
    }

    // MARK: - For the files of this module

    func read<T>(_ body: (Database) throws -> T) throws -> T { try queue.read(body) }

    func write<T>(_ body: (Database) throws -> T) throws -> T { try queue.write(body) }

    /// The connection outside any transaction (ATTACH cannot run inside one); `body` opens its own.
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T { try queue.writeWithoutTransaction(body) }
}
