import Foundation
import Glibc

/// One writer per database file: an exclusive `flock` on `<database>.lock`, held for as long as the value
/// lives. A second `run`, `backfill`, `ingest` or `migrate` on the same database exits at once with a
/// clear message instead of interleaving its writes (SQLite would serialize them, but two runs of one date
/// would mix their inputs). Readers (`query`) take no lock.
public final class WriterLock: @unchecked Sendable {
    public struct Busy: Error, CustomStringConvertible, Equatable {
        public var databasePath: String
        public var description: String {
            "another vixshield process is writing \(databasePath) (lock \(databasePath).lock); nothing was done: try again when it finishes"
        }
    }

    private let fd: Int32

    /// Takes the lock of `databasePath`, waiting up to `waitSeconds` for another writer to finish.
    /// An in-memory database needs no lock.
    public init(databasePath: String, waitSeconds: Double = 0) throws {
        guard databasePath != ":memory:" else { fd = -1; return }
        let lockPath = databasePath + ".lock"
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: lockPath).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: lockPath])
        }
        let deadline = Date().addingTimeInterval(max(0, waitSeconds))
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(fd)
                throw Busy(databasePath: databasePath)
            }
            usleep(100_000)
        }
        self.fd = fd
    }

    deinit {
        if fd >= 0 {
            flock(fd, LOCK_UN)
            close(fd)
        }
    }
}
