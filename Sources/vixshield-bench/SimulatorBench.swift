import Foundation
import Simulator
import VixShieldCore

/// Times one full-size simulated chain day (plus the default 400-day warm-up history) and prints what
/// it wrote.
func benchSimulator() throws {
    let day = CalendarDate(iso: "2026-07-14")!
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vixshield-bench-sim-\(getpid())")
    defer { try? FileManager.default.removeItem(at: directory) }
    let simulator = MarketSimulator(config: .standard(seed: 42))
    var manifest: SimulationManifest?
    let oneDay = try Timing.measure(repeats: 3, warmup: 0) {
        manifest = try simulator.write(from: day, to: day, into: directory)
    }
    let chain = directory.appendingPathComponent("cboe/options/_SPX_\(day.isoString).json")
    let bytes = (try? FileManager.default.attributesOfItem(atPath: chain.path)[.size] as? Int) ?? 0
    let truth = try Data(contentsOf: directory.appendingPathComponent("truth/\(day.isoString).json"))
    let records = String(decoding: truth, as: UTF8.self).split(separator: "\n")
        .first { $0.hasPrefix("\"option_records\"") } ?? "?"
    print("simulate 1 chain day + \(SimulationConfig.standard(seed: 42).warmUpTradingDays)-day history: \(oneDay.summary)")
    print("  \(records), chain file \(bytes) bytes, \(manifest?.files.count ?? 0) files")
    let fiveDays = try Timing.measure(repeats: 3, warmup: 0) {
        _ = try simulator.write(from: day, to: CalendarDate(iso: "2026-07-20")!, into: directory)
    }
    print("simulate 5 chain days + history: \(fiveDays.summary)")
    print("  per extra chain day ≈ \(String(format: "%.3f", (fiveDays.median - oneDay.median) / 4)) s")
}
