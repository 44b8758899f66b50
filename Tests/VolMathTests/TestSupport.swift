import Foundation
@_exported import VixShieldTestSupport


/// The real-data folder (`TestPaths.shared`); tests that need it skip when it is absent.
enum SharedData {
    static let root: URL? = TestPaths.shared

    static func file(_ relative: String) -> URL? {
        guard let url = root?.appendingPathComponent(relative), FileManager.default.fileExists(atPath: url.path) else {
            return nil
        }
        return url
    }
}
