import Foundation
import GRDB
import VixShieldCore

/// The pipeline's SQLite database: one `DatabaseQueue` per process, WAL journal, foreign keys on, and
/// every migration in `schemas/` (embedded in the binary) applied when it opens.
///
/// All calls block the calling thread; callers on the Swift concurrency pool must hop to their own
/// thread first (the pipeline runs synchronously on the CLI's main thread).
public final class VixShieldDatabase: Sendable {
    public let queue: DatabaseQueue
    public let path: String

    /// Opens (creating if needed) the database at `path` and migrates it to the latest schema.
    /// `":memory:"` gives a private in-memory database for tests.
    public init(path: String) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        if path == ":memory:" {
            queue = try DatabaseQueue(configuration: config)
        } else {
            config.journalMode = .wal
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            queue = try DatabaseQueue(path: path, configuration: config)
        }
        self.path = path
        try Self.migrator().migrate(queue)
    }

    /// One migration per embedded `schemas/NNN_name.sql`, in file-name order, identified by file name.
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for file in EmbeddedSchemas.files.sorted(by: { $0.path < $1.path }) {
            let id = URL(fileURLWithPath: file.path).deletingPathExtension().lastPathComponent
            migrator.registerMigration(id) { db in try db.execute(sql: file.text) }
        }
        return migrator
    }

    /// Identifiers of the migrations applied so far, oldest first.
    public func appliedMigrations() throws -> [String] {
        try queue.read { db in try Self.migrator().appliedIdentifiers(db).sorted() }
    }

    /// The schema as `sqlite_master` holds it (tables and indexes, ordered by name), for golden tests.
    public func schemaSQL() throws -> String {
        try queue.read { db in
            try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                ORDER BY type DESC, name
                """).joined(separator: ";\n\n") + ";\n"
        }
    }
}
