import Foundation
import Logging
import Pipeline
import SampleMarket
import VixShieldCore

/// The embedded sample pipeline (every source and profile: weekly and monthly scored, the cndr benchmark, the
/// hedge) over the simulated market, whose chains are full-size (~31k contracts a day).
struct SampleBench {
    let config: PipelineConfig
    let dataDir: URL
    let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Generates the simulated market for `dates` under a fresh folder (not timed by the callers).
    init(label: String, dates: [CalendarDate]) throws {
        config = try PipelineLoader.load("sample")
        dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("vixshield-bench-\(label)-\(getpid())")
        try? FileManager.default.removeItem(at: dataDir)
        let sim = config.simulation!
        _ = try SampleFeed.ensure(SampleFeed.Spec(seed: sim.seed, from: sim.from, to: sim.to), covering: dates.first!...dates.last!,
                                  directory: URLTemplate.simulatedDirectory(in: dataDir))
    }

    func run(_ dates: [CalendarDate], database name: String, jobs: Int) throws -> RunReport {
        let settings = RunSettings(pipeline: config, databasePath: path(database: name), dataDir: dataDir, offline: false)
        return try PipelineRunner(settings: settings, logger: logger).run(command: "bench", dates: dates, jobs: jobs)
    }

    /// The database's size on disk: the main file plus any write-ahead log left.
    func bytes(database name: String) -> Int {
        [name, name + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: path(database: file))[.size] as? Int) ?? 0)
        }
    }

    func path(database name: String) -> String { dataDir.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: dataDir) }
}

/// The nightly job end to end on one full-size simulated day (fetch over file://, archive, normalize, surface,
/// signals, projections, every profile's candidate search, scenarios, parity scan; then context, positions,
/// hedge and outcomes), a fresh database each repeat; and each stage's share from the run's own stage timings.
func benchPipeline() throws {
    let day = CalendarDate(iso: "2026-07-16")!
    let bench = try SampleBench(label: "pipeline", dates: [day])
    defer { bench.remove() }
    var run = 0
    var trades = 0
    var stageMs: [String: [Double]] = [:]
    let timing = try Timing.measure(repeats: 7) {
        run += 1
        let report = try bench.run([day], database: "db\(run).sqlite", jobs: 1)
        let outcome = report.outcomes.first
        trades = outcome?.counts["trades"] ?? 0
        for (stage, ms) in outcome?.stageMilliseconds ?? [] { stageMs[stage.rawValue, default: []].append(ms) }
    }
    Figures.record("nightly_run_seconds", unit: "s", timing: timing, target: "<= 2",
                   notes: ["workload": "embedded sample pipeline, one full-size day \(day), fresh database"])
    Figures.say("nightly run, one full-size chain day (\(day), every profile and the hedge, fresh database each time): \(timing.summary); trade rows \(trades)")
    // The warm-up run is not in `timing` but its stage times are: drop it so both cover the same runs.
    for (stage, all) in stageMs.sorted(by: { $0.key < $1.key }) {
        let ms = Timing(seconds: all.suffix(timing.seconds.count).map { $0 / 1000 })
        let figure = stage == "recommend" ? "candidate_scoring_seconds" : "stage_\(stage)_seconds"
        Figures.record(figure, unit: "s", timing: ms, target: stage == "recommend" ? "<= 0.1" : nil,
                       notes: stage == "recommend" ? ["workload": "the recommend stage: every candidate of every profile, scenarios, parity scan"] : [:])
        Figures.say("  stage \(stage): \(ms.summary)")
    }
}

/// A backfill of the sample market over `VIXSHIELD_BENCH_DAYS` trading days (default 20) with two jobs:
/// seconds per day, database bytes per day and the process's peak memory. The simulator's generation runs
/// first and is not timed (it is in the peak memory, which is an upper bound).
func benchBackfill() throws {
    let count = Int(ProcessInfo.processInfo.environment["VIXSHIELD_BENCH_DAYS"] ?? "") ?? 20
    let first = CalendarDate(iso: "2026-07-06")!
    let dates = Array(TradingCalendar.nyse.tradingDays(from: first, through: first.adding(days: count * 2 + 10)).prefix(count))
    let generation = Date()
    let bench = try SampleBench(label: "backfill", dates: dates)
    defer { bench.remove() }
    Figures.say(String(format: "simulated %d full-size days (%@ … %@) in %.1f s (not timed)", dates.count, dates.first!.isoString,
                       dates.last!.isoString, Date().timeIntervalSince(generation)))
    let started = DispatchTime.now().uptimeNanoseconds
    let report = try bench.run(dates, database: "backfill.sqlite", jobs: 2)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let completed = report.outcomes.filter { $0.status != .failed }.count
    let bytesPerDay = Double(bench.bytes(database: "backfill.sqlite")) / Double(dates.count)
    let workload = "\(dates.count) sample days, --jobs 2"
    Figures.record("backfill_seconds_per_day", unit: "s", median: seconds / Double(dates.count), target: "<= 0.238 (252 days in 60 s)",
                   notes: ["workload": workload])
    Figures.record("database_bytes_per_day", unit: "B", median: bytesPerDay, target: "<= 5e6", notes: ["workload": workload])
    Figures.record("peak_memory_bytes", unit: "B", median: peakResidentMiB() * 1_048_576, target: "< 1 GiB", notes: ["workload": workload])
    Figures.say(String(format: "backfill of %d days (--jobs 2): %.1f s, %.3f s/day; %d completed; %.2f MB of database per day; peak RSS %.0f MiB",
                       dates.count, seconds, seconds / Double(dates.count), completed, bytesPerDay / 1e6, peakResidentMiB()))
}
