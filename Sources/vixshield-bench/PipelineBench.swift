import Foundation
import Logging
import Pipeline
import Simulator
import VixShieldCore

/// The nightly job end to end on one full-size simulated chain day: fetch over file://, archive,
/// normalize, surface, recommend, with the database on disk. Each repeat starts from a fresh database.
func benchPipeline() throws {
    let day = CalendarDate(iso: "2026-07-16")!
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("vixshield-bench-pipeline-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: root) }
    let market = root.appendingPathComponent("market")
    _ = try MarketSimulator(config: .standard(seed: 5)).write(from: day, to: day, into: market)
    let yaml = """
        name: bench
        sources:
          - {name: spx_chain, kind: cboe_options_json, url: "file://{data_dir}/cboe/options/_SPX_{date}.json"}
          - {name: vx_curve, kind: cfe_vx_curve, url: "file://{data_dir}/cfe/vx_curve/{date}.csv"}
          - {name: vix_history, kind: cboe_index_history, url: "file://{data_dir}/cboe/index/VIX_History.csv", options: {symbol: VIX}}
          - {name: dgs3mo, kind: fred_csv, url: "file://{data_dir}/rates/DGS3MO.csv"}
        """
    let config = try PipelineConfig.parse(yaml: yaml, origin: "bench", sha256: "bench")
    let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
    var run = 0
    var trades = 0
    let timing = try Timing.measure(repeats: 5) {
        run += 1
        let settings = RunSettings(pipeline: config, databasePath: root.appendingPathComponent("db\(run).sqlite").path,
                                   dataDir: market, offline: false)
        let report = try PipelineRunner(settings: settings, logger: logger).run(command: "bench", dates: [day])
        trades = report.outcomes.first?.counts["trades"] ?? 0
    }
    print("nightly run, one full-size chain day (\(day), fresh database each time): \(timing.summary); trade rows \(trades)")
}
