import Foundation
import VixShieldCore
@testable import Ingest

/// Paths the adapter tests read: their own fixtures (beside this file) and the optional real-data
/// folder (`VIXSHIELD_SHARED`, else `<package root>/../shared`, else `/work/shared`).
enum AdapterTestPaths {
    /// `Tests/IngestTests/Adapters`.
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageRoot = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = here.appendingPathComponent("Fixtures")

    static let shared: URL? = {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["VIXSHIELD_SHARED"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env))
        }
        candidates.append(packageRoot.deletingLastPathComponent().appendingPathComponent("shared"))
        candidates.append(URL(fileURLWithPath: "/work/shared"))
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("data").path) }
    }()

    static var hasShared: Bool { shared != nil }

    static func sharedData(_ relative: String) -> URL { shared!.appendingPathComponent("data").appendingPathComponent(relative) }
}

extension ParseOutcome {
    var chains: [OptionChainSnapshot] { if case .optionChains(let c) = payload { return c }; return [] }
    var futures: [VIXFutureSettlement] { if case .vixFutures(let f) = payload { return f }; return [] }
    var bars: [IndexBar] { if case .indexBars(let b) = payload { return b }; return [] }
}
