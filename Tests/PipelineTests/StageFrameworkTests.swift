import Foundation
import Ingest
import Store
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

/// A per-date stage that only reads an input it never declared or that runs too early: list checks.
private struct ReadsSurface: DailyStage {
    static let name = StageName.outcomes
    static let inputs: [StageName] = [.surface]
    func run(_ day: DayContext) throws(StageFailure) -> StageResult<Int> { StageResult(output: 0) }
    func write(_ output: Int, day: DayContext, to tx: StoreTransaction) throws {}
}

/// A per-date stage after recommend whose write always fails: the date must land whole or not at all.
private struct FailingWrite: DailyStage {
    struct Broken: Error {}
    static let name = StageName.hedge
    static let inputs: [StageName] = [.recommend]
    func run(_ day: DayContext) throws(StageFailure) -> StageResult<Int> { StageResult(output: 1) }
    func write(_ output: Int, day: DayContext, to tx: StoreTransaction) throws { throw Broken() }
}

/// Records, for each date it is run on, how many dates of the run up to it had their recommendations
/// stored: a cross-date stage must see every per-date result up to its date, and run in date order.
private final class CrossDateLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(CalendarDate, Int)] = []
    func add(_ date: CalendarDate, _ stored: Int) { lock.withLock { entries.append((date, stored)) } }
    var all: [(CalendarDate, Int)] { lock.withLock { entries } }
}

private struct PositionsProbe: CrossDateStage {
    static let name = StageName.positions
    static let inputs: [StageName] = [.recommend]
    let log: CrossDateLog
    let range: ClosedRange<CalendarDate>
    func run(date: CalendarDate, config: PipelineConfig, store: VixShieldDatabase, runId: Int64) throws(StageFailure) -> StageResult<Int> {
        do {
            let stored = Set(try store.recommendations(from: range.lowerBound, through: min(date, range.upperBound)).map(\.asOf)).count
            log.add(date, stored)
            return StageResult(output: stored, counts: ["positions_probe": 1])
        } catch {
            throw StageFailure("\(error)")
        }
    }
    func write(_ output: Int, date: CalendarDate, config: PipelineConfig, to tx: StoreTransaction) throws {}
}

@Suite("Stage framework")
struct StageFrameworkTests {
    let dates = TradingCalendar.nyse.tradingDays(from: SharedMarket.from, through: SharedMarket.to)

    func standard(_ loader: PayloadLoader) -> [AnyDailyStage] { StageList.standard(loader: loader).perDate }

    @Test("a stage list whose stage reads an input that does not run before it is refused")
    func listChecksInputs() throws {
        let loader = try Harness().loaderForListTests()
        #expect(throws: StageFailure.self) { try StageList(perDate: [AnyDailyStage(ReadsSurface())] + standard(loader)) }
        #expect(throws: StageFailure.self) { try StageList(perDate: standard(loader) + standard(loader)) }
        #expect(throws: StageFailure.self) {
            try StageList(perDate: [AnyDailyStage(IngestStage(loader: loader))],
                          crossDate: [AnyCrossDateStage(PositionsProbe(log: CrossDateLog(), range: dates[0]...dates[0]))])
        }
        _ = try StageList(perDate: standard(loader) + [AnyDailyStage(ReadsSurface())])
        // The standard list starts with the only stage that fetches and keeps the design's data flow.
        let defaults = StageList.standard(loader: loader)
        #expect(defaults.perDate.first?.name == .ingest)
        let order = defaults.perDate.map(\.name)
        #expect(order == order.sorted(), "per-date stages follow StageName's data-flow order: \(order)")
    }

    @Test("a date's cross-date stages run after the per-date stages of every date up to it, in date order, even with parallel dates")
    func crossDateAfterPerDate() async throws {
        let h = try Harness()
        let log = CrossDateLog()
        let range = dates[0]...dates[dates.count - 1]
        let report = try await h.run(dates, stages: { loader in
            try! StageList(perDate: StageList.standard(loader: loader).perDate,
                           crossDate: [AnyCrossDateStage(PositionsProbe(log: log, range: range))])
        }, jobs: 3)
        #expect(report.status == .ok)
        #expect(log.all.map(\.0) == dates)
        #expect(log.all.enumerated().allSatisfy { $0.element.1 == $0.offset + 1 }, "\(log.all)")
        #expect(report.outcomes.allSatisfy { $0.counts["positions_probe"] == 1 })
    }

    @Test("a date whose last write fails leaves its previous complete result untouched")
    func dateIsAtomic() async throws {
        let h = try Harness()
        let day = dates[2]
        _ = try await h.run([day])
        let before = try h.dataFingerprint()
        let report = try await h.run([day], stages: { loader in
            try! StageList(perDate: StageList.standard(loader: loader).perDate + [AnyDailyStage(FailingWrite())])
        })
        #expect(report.outcomes.map(\.status) == [.failed])
        #expect(report.outcomes[0].reason?.hasPrefix("storing hedge: ") == true, "\(report.outcomes[0].reason ?? "")")
        #expect(try h.dataFingerprint() == before)
        #expect(report.exitStatus == .failed)
    }

    @Test("per-stage timings are stored with the run")
    func timings() async throws {
        let h = try Harness()
        let report = try await h.run([dates[0]])
        let timings = try h.database().stageTimings(runId: report.runId)
        let list = StageList.standard(loader: try h.loaderForListTests())
        #expect(Set(timings.map(\.stage)) == Set((list.perDate.map(\.name) + list.crossDate.map(\.name)).map(\.rawValue)))
        #expect(timings.allSatisfy { $0.elapsedMs >= 0 && $0.asOf == dates[0].isoString })
    }

    @Test("an interrupted run closes as interrupted, starts no new date, and a resumed run converges")
    func interruptAndResume() async throws {
        let h = try Harness()
        let control = RunControl()
        let report = try await h.run(dates, jobs: 1, control: control, progress: { done, _, _ in
            if done == 2 { control.requestStop(signal: SIGTERM) }
        })
        #expect(report.status == .interrupted && report.exitStatus == .interruptedByTerm)
        #expect(report.outcomes.map(\.date) == Array(dates.prefix(2)))
        #expect(report.notStarted == Array(dates.dropFirst(2)))
        let run = try #require(try h.database().runs().first)
        #expect(run.status == "interrupted" && run.finishedAt != nil)
        #expect(Set(try h.database().dateCompletions(underlying: "SPX", from: dates[0], through: dates[4]).map(\.asOf))
                == Set(dates.prefix(2).map(\.isoString)))
        let resumed = try await h.run(dates, jobs: 2, selection: .skipCompleted)
        #expect(resumed.skipped == Array(dates.prefix(2)) && resumed.outcomes.map(\.date) == Array(dates.dropFirst(2)))
        let whole = try Harness()
        _ = try await whole.run(dates)
        #expect(try h.dataFingerprint() == whole.dataFingerprint())
    }

    @Test("a stop requested before the run starts no date at all")
    func stopBeforeStart() async throws {
        let h = try Harness()
        let control = RunControl()
        control.requestStop(signal: SIGINT)
        let report = try await h.run(dates, control: control)
        #expect(report.outcomes.isEmpty && report.notStarted == dates && report.exitStatus == .interruptedByInt)
        #expect(try h.database().tableCounts()["recommendations"] == 0)
    }

    @Test("resume retries a date that ended on a missing input and keeps decided ones")
    func resumeRetriesOutages() async throws {
        let market = try TestPaths.temporaryDirectory("outage")
        let dir = market.appendingPathComponent("m")
        try FileManager.default.copyItem(at: try SharedMarket.url(), to: dir)
        let curve = dir.appendingPathComponent("cfe/vx_curve/\(dates[1].isoString).csv")
        let saved = try Data(contentsOf: curve)
        try FileManager.default.removeItem(at: curve)
        let h = try Harness(marketDir: dir)
        let first = try await h.run(dates, selection: .skipCompleted)
        #expect(first.outcomes.map(\.status) == [.ok, .noTrade, .ok, .ok, .ok])
        #expect(first.exitStatus == .inputMissing)
        let completion = try #require(try h.database().dateCompletions(underlying: "SPX", from: dates[1], through: dates[1]).first)
        #expect(completion.retry && completion.reasonCodes == "missing_input")
        try saved.write(to: curve)
        let second = try await h.run(dates, selection: .skipCompleted)
        #expect(second.outcomes.map(\.date) == [dates[1]] && second.outcomes[0].status == .ok)
        #expect(second.skipped.count == 4 && second.exitStatus == .ok)
        let third = try await h.run(dates, selection: .all)
        #expect(third.outcomes.count == 5)
    }
}

extension Harness {
    /// A loader over this harness's settings, for building stage lists in tests.
    func loaderForListTests() throws -> PayloadLoader {
        let s = try settings()
        return PayloadLoader(database: try database(), fetcher: CurlFetcher(policy: s.pipeline.fetchPolicy), dataDir: s.dataDir,
                             offline: false, now: s.now, logger: Harness.logger)
    }
}
