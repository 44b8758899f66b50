import Foundation
import Ingest

/// Fetch-path figures on a Cboe-sized payload (~13 MB, the size of the SPX options JSON): the archive's zstd
/// and the gzip it replaced (migration 013) at a few levels, decoding both, SHA-256, and a `file://` fetch
/// through libcurl.
func benchFetch() throws {
    let (payload, origin) = benchPayload(targetBytes: 13_000_000)
    Figures.say(String(format: "payload: %.1f MB, ", Double(payload.count) / 1e6) + origin)

    func line(_ label: String, figure: String, _ timing: Timing, bytes: Int) {
        Figures.record(figure, unit: "B/s", timing: timing, value: { Double(bytes) / $0 })
        let rate = String(format: "~%.0f MB/s", Double(bytes) / 1e6 / timing.median)
        Figures.say(label.padding(toLength: 28, withPad: " ", startingAt: 0) + timing.summary + "  " + rate)
    }

    func ratio(_ packedCount: Int) -> String { String(format: "%.1f", Double(payload.count) / Double(packedCount)) }
    for level: Int32 in [1, 3, 6] {
        var packedCount = 0
        let timing = try Timing.measure(repeats: 5) { packedCount = try Zstd.compress(payload, level: level).count }
        line("zstd level \(level) (\(ratio(packedCount))x)", figure: "zstd_level\(level)_bytes_per_second", timing, bytes: payload.count)
    }
    for level in [1, 5, 9] {
        var packedCount = 0
        let timing = try Timing.measure(repeats: 5) { packedCount = try Zlib.gzip(payload, level: level).count }
        line("gzip level \(level) (\(ratio(packedCount))x)", figure: "gzip_level\(level)_bytes_per_second", timing, bytes: payload.count)
    }
    let zstdPacked = try Zstd.compress(payload)
    line("unzstd", figure: "unzstd_bytes_per_second", try Timing.measure(repeats: 5) { _ = try Zstd.decompress(zstdPacked) }, bytes: payload.count)
    let packed = try Zlib.gzip(payload)
    line("gunzip", figure: "gunzip_bytes_per_second", try Timing.measure(repeats: 5) { _ = try Zlib.gunzip(packed) }, bytes: payload.count)
    line("sha256", figure: "sha256_bytes_per_second", Timing.measure(repeats: 5) { _ = Checksum.sha256Hex(payload) }, bytes: payload.count)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vixshield-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let plainFile = directory.appendingPathComponent("payload.json")
    try payload.write(to: plainFile)
    let fetcher = CurlFetcher()
    line("file:// fetch", figure: "file_fetch_bytes_per_second", try Timing.measure(repeats: 5) { _ = try fetcher.fetch(plainFile) }, bytes: payload.count)
}


private let realChainPath = "data/options/spy_chain_2026-07-14_cboe-derived.json"

/// The real SPY chain JSON repeated up to `targetBytes`, or seeded synthetic quote JSON when it is absent.
private func benchPayload(targetBytes: Int) -> (Data, origin: String) {
    var unit: Data
    var origin = "real SPY chain JSON, repeated"
    if let shared = sharedDataDirectory(), let real = try? Data(contentsOf: shared.appendingPathComponent(realChainPath)), !real.isEmpty {
        unit = real
    } else {
        origin = "synthetic quote JSON (shared data absent)"
        var lines = [String]()
        var state: UInt64 = 42
        for index in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let price = Double(state >> 40) / Double(1 << 24) * 50
            lines.append(#"{"option":"SPXW260821C0\#(5000 + index % 2000)000","bid":\#(price),"ask":\#(price + 0.1),"iv":0.18}"#)
        }
        unit = Data(("[" + lines.joined(separator: ",\n") + "]").utf8)
    }
    var out = Data()
    out.reserveCapacity(targetBytes + unit.count)
    while out.count < targetBytes { out.append(unit) }
    return (out, origin)
}
