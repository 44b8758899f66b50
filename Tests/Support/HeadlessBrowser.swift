import Foundation

/// Debian's `chromium` (or `chromium-browser`) run headless: a page as the browser parsed it.
public enum HeadlessBrowser {
    /// The browser binary on PATH, nil when none is installed.
    public static let binary: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        return nil
    }()

    /// `VIXSHIELD_REQUIRE_BROWSER=1` (CI) turns a missing browser into a failure instead of a skip.
    public static let required = ProcessInfo.processInfo.environment["VIXSHIELD_REQUIRE_BROWSER"] == "1"

    /// Whether a browser test should run (and then fail if there is no browser).
    public static var shouldRun: Bool { binary != nil || required }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The DOM Chromium builds from `file`, serialized (`--dump-dom`). Blocking: call it off the pool.
    public static func dumpDOM(_ file: URL, timeoutSeconds: Double = 120) throws -> String {
        guard let binary else { throw Failure(description: "no chromium or chromium-browser on PATH (apt-get install chromium)") }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("vixshield-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage", "--no-first-run",
                             "--user-data-dir=\(profile.path)", "--dump-dom", file.absoluteString]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: watchdog)
        // Drain stderr beside stdout so a chatty browser never blocks on a full pipe.
        nonisolated(unsafe) var errBytes = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue(label: "chromium-stderr").async { errBytes = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let dom = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        watchdog.cancel()
        guard process.terminationStatus == 0, !dom.isEmpty else {
            throw Failure(description: "chromium exited \(process.terminationStatus): \(String(decoding: errBytes.suffix(2000), as: UTF8.self))")
        }
        return String(decoding: dom, as: UTF8.self)
    }
}
