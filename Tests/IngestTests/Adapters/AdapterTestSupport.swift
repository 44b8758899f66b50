import Foundation
import VixShieldTestSupport
import VixShieldCore
@testable import Ingest

/// Paths the adapter tests read: their own fixtures (beside this file) and the optional real-data
/// folder (`TestPaths.shared`).
enum AdapterTestPaths {
    /// `Tests/IngestTests/Adapters`.
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageRoot = TestPaths.packageRoot
    static let fixtures = here.appendingPathComponent("Fixtures")

    static let shared: URL? = TestPaths.shared

    static var hasShared: Bool { shared != nil }

    static func sharedData(_ relative: String) -> URL { shared!.appendingPathComponent("data").appendingPathComponent(relative) }
}

extension ParseOutcome {
    var chains: [OptionChainSnapshot] { if case .optionChains(let c) = payload { return c }; return [] }
    var futures: [VIXFutureSettlement] { if case .vixFutures(let f) = payload { return f }; return [] }
    var bars: [IndexBar] { if case .indexBars(let b) = payload { return b }; return [] }
}
