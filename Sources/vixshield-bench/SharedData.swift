import Foundation

/// The real-data folder the benches read (`$VIXSHIELD_SHARED`, else `shared/` beside the package
/// root), or nil when absent: suites that need it say so and skip that figure.
func sharedDataDirectory() -> URL? {
    if let explicit = ProcessInfo.processInfo.environment["VIXSHIELD_SHARED"], !explicit.isEmpty {
        return URL(fileURLWithPath: explicit)
    }
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let beside = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    return FileManager.default.fileExists(atPath: beside.appendingPathComponent("data").path) ? beside : nil
}
