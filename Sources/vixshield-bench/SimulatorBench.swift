import Foundation
import Simulator
import VixShieldCore

/// Times the simulated market: one full-size chain day on a short history (the per-day chain cost),
/// and one chain day on the default 400-session warm-up (what `vixshield simulate` does for one date).
func benchSimulator() throws {
    let day = CalendarDate(iso: "2026-07-14")!
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vixshield-bench-sim-\(getpid())")
    defer { try? FileManager.default.removeItem(at: directory) }

    var short = SimulationConfig.standard(seed: 42)
    short.warmUpTradingDays = 1
    let chainDay = try Timing.measure(repeats: 5) {
        _ = try MarketSimulator(config: short).write(from: day, to: day, into: directory)
    }
    let truth = try String(contentsOf: directory.appendingPathComponent("truth/\(day.isoString).json"), encoding: .utf8)
    let records = truth.split(separator: "\n").first { $0.hasPrefix("\"option_records\"") }?.dropFirst(17).dropLast() ?? "?"
    let chainPath = directory.appendingPathComponent("cboe/options/_SPX_\(day.isoString).json").path
    let bytes = (try FileManager.default.attributesOfItem(atPath: chainPath)[.size] as? Int) ?? 0
    Figures.record("simulator_chain_day_seconds", unit: "s", timing: chainDay)
    Figures.say("one full-size chain day (\(records) contracts, \(bytes / 1_000_000) MB JSON), 1-session history: \(chainDay.summary)")

    let standard = SimulationConfig.standard(seed: 42)
    var files = 0
    let withHistory = try Timing.measure(repeats: 3) {
        files = try MarketSimulator(config: standard).write(from: day, to: day, into: directory).files.count
    }
    Figures.say("one chain day + \(standard.warmUpTradingDays)-session history (\(files) files): \(withHistory.summary)")
}
