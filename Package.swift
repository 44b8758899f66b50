// swift-tools-version:6.1
import PackageDescription

// Dependency direction (a stray import is a compile error because targets only see what they list):
//   VixShieldCore  <- VolMath <- Signals, Strategy (pure: no I/O, no SQLite, no curl)
//   CCurl, CZlibShim <- Ingest                      (network, files, vendor formats)
//   GRDB           <- Store                       (SQLite)
//   all of them    <- Pipeline <- vixshield       (orchestration, thin CLI)
let package = Package(
    name: "VixShield",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vixshield", targets: ["vixshield"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
    ],
    targets: [
        // MARK: - Pure
        .target(name: "VixShieldCore"),
        .target(name: "VolMath", dependencies: ["VixShieldCore"]),
        .target(name: "Signals", dependencies: ["VixShieldCore", "VolMath"]),
        .target(name: "Strategy", dependencies: ["VixShieldCore", "VolMath"]),

        // MARK: - System libraries
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlibShim", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: - I/O
        .target(name: "Ingest", dependencies: [
            "VixShieldCore", "CCurl", "CZlibShim",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "Store", dependencies: [
            "VixShieldCore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Simulator", dependencies: ["VixShieldCore", "VolMath"]),
        .target(name: "Pipeline", dependencies: [
            "VixShieldCore", "VolMath", "Strategy", "Ingest", "Store", "Simulator",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "vixshield", dependencies: [
            "Pipeline", "VixShieldCore", "Store",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Benchmarks: `swift run -c release vixshield-bench [suite …]` prints figures (never timed tests).
        .executableTarget(name: "vixshield-bench", dependencies: [
            "VixShieldCore", "VolMath", "Strategy", "Ingest", "Store", "Simulator", "Pipeline",
        ]),

        // MARK: - Tests
        .target(name: "VixShieldTestSupport", dependencies: ["VixShieldCore", .product(name: "FlyingFox", package: "FlyingFox")], path: "Tests/Support"),
        .testTarget(name: "VixShieldCoreTests", dependencies: ["VixShieldTestSupport", "VixShieldCore"]),
        .testTarget(name: "VolMathTests", dependencies: ["VixShieldTestSupport", "VolMath", "VixShieldCore"]),
        .testTarget(name: "SignalsTests", dependencies: ["VixShieldTestSupport", "Signals", "VolMath", "VixShieldCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StrategyTests", dependencies: ["Strategy", "VolMath", "VixShieldCore"]),
        .testTarget(name: "IngestTests", dependencies: [
            "VixShieldTestSupport", "Ingest", "VixShieldCore", "CZlibShim",
            .product(name: "FlyingFox", package: "FlyingFox"),
        ], exclude: ["Adapters/Fixtures"]),
        .testTarget(name: "StoreTests", dependencies: [
            "VixShieldTestSupport", "Store", "VixShieldCore", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "VolMath", "VixShieldCore"]),
        .testTarget(name: "PipelineTests", dependencies: [
            "VixShieldTestSupport", "Pipeline", "Store", "Ingest", "Simulator", "VixShieldCore", "Strategy",
            .product(name: "FlyingFox", package: "FlyingFox"),
        ]),
        .testTarget(name: "CLITests", dependencies: ["VixShieldTestSupport", "vixshield"]),
    ]
)
