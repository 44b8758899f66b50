import Foundation
@_exported import VixShieldCore

/// Paths and golden-file checks shared by the test targets.
public enum TestPaths {
    /// The package root, found from this file's location (Tests/Support/TestSupport.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The real-data folder (`../shared` beside the clone, or $VIXSHIELD_SHARED), nil when absent:
    /// tests that need it skip cleanly on a user's clone.
    public static let shared: URL? = {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["VIXSHIELD_SHARED"] { candidates.append(URL(fileURLWithPath: env)) }
        candidates.append(packageRoot.deletingLastPathComponent().appendingPathComponent("shared"))
        return candidates.first { fm.fileExists(atPath: $0.appendingPathComponent("data").path) }
    }()

    /// A file under the real-data folder (e.g. `data/vix_indices/VIX_History.csv`), nil when absent.
    public static func sharedFile(_ relativePath: String) -> URL? {
        guard let url = shared?.appendingPathComponent(relativePath), FileManager.default.fileExists(atPath: url.path) else { return nil }
        return url
    }

    /// A fresh empty directory under this process's `temporaryRoot`.
    public static func temporaryDirectory(_ label: String) throws -> URL {
        let dir = temporaryRoot.appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// One folder per test process under the system temporary folder, holding every directory the tests
    /// ask for, and removed when the process exits. Tests share fixtures through statics, so no single
    /// test can delete its directories; a run that crashed or was killed leaves its root, and the first
    /// call in a later process removes the roots whose processes are gone.
    public static let temporaryRoot: URL = {
        let fm = FileManager.default
        let system = fm.temporaryDirectory
        for name in (try? fm.contentsOfDirectory(atPath: system.path)) ?? [] where name.hasPrefix(rootPrefix) {
            guard let pid = Int32(name.dropFirst(rootPrefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? fm.removeItem(at: system.appendingPathComponent(name)) }
        }
        let root = system.appendingPathComponent(rootName(pid: getpid()), isDirectory: true)
        try? fm.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent(TestPaths.rootName(pid: getpid()))) }
        return root
    }()

    private static let rootPrefix = "vixshield-tests-"
    private static func rootName(pid: Int32) -> String { "\(rootPrefix)\(pid)" }
}

/// Golden files: expected outputs committed under `Tests/Golden/`. Set `VIXSHIELD_RECORD_GOLDEN=1` to
/// rewrite them; a recording run reports a failure so it can never pass by accident.
public enum Golden {
    public enum Outcome: Equatable {
        case matches
        /// The first line that differs, with both versions of it (the whole files would drown the report).
        case differs(line: Int, expected: String, actual: String)
        case missing
        case recorded
    }

    public static func check(_ actual: String, name: String) throws -> Outcome {
        let url = TestPaths.packageRoot.appendingPathComponent("Tests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["VIXSHIELD_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return .recorded
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else { return .missing }
        if expected == actual { return .matches }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let index = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
        return .differs(line: index + 1, expected: index < e.count ? String(e[index]) : "<end of file>",
                        actual: index < a.count ? String(a[index]) : "<end of file>")
    }
}

/// Runs blocking work (curl, SQLite, big files) on its own thread, never on the Swift concurrency
/// pool, whose two threads an in-process HTTP server needs.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// The seeded generator of every random test (the project's SplitMix64), so a failure replays exactly
/// from the seed it prints.
public typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    /// Uniform on [lo, hi).
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { Double.random(in: lo..<hi, using: &self) }
    /// Log-uniform on [lo, hi).
    public mutating func logUniform(_ lo: Double, _ hi: Double) -> Double { exp(uniform(log(lo), log(hi))) }
}
