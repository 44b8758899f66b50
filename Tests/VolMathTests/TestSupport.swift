import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator so every random test is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private(set) var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform on [lo, hi).
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { Double.random(in: lo..<hi, using: &self) }
    /// Log-uniform on [lo, hi).
    mutating func logUniform(_ lo: Double, _ hi: Double) -> Double { exp(uniform(log(lo), log(hi))) }
}

/// `/work/shared` as the tests see it: `VIXSHIELD_SHARED`, else `<package root>/../shared`, else `/work/shared`.
enum SharedData {
    static let root: URL? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["VIXSHIELD_SHARED"], fm.fileExists(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        // #filePath = <root>/Tests/VolMathTests/TestSupport.swift
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let sibling = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        if fm.fileExists(atPath: sibling.path) { return sibling }
        if fm.fileExists(atPath: "/work/shared") { return URL(fileURLWithPath: "/work/shared") }
        return nil
    }()

    static func file(_ relative: String) -> URL? {
        guard let url = root?.appendingPathComponent(relative), FileManager.default.fileExists(atPath: url.path) else {
            return nil
        }
        return url
    }
}
