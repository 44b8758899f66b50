import Foundation
import Simulator
import Testing
import VixShieldTestSupport
@testable import SampleMarket

@Suite("Sample feed outside the pipeline")
struct SampleFeedTests {
    let spec = SampleFeed.Spec(seed: 11, from: CalendarDate(iso: "2026-07-15")!, to: CalendarDate(iso: "2026-07-17")!, compact: true)

    /// Every file under `dir` with its bytes, keyed by relative path.
    func files(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        let base = dir.standardizedFileURL.path
        for case let url as URL in fm.enumerator(at: dir, includingPropertiesForKeys: nil)! where !url.hasDirectoryPath {
            out[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }

    @Test("extending the feed to a longer range writes only what is missing and equals one simulation of the whole range")
    func extendsToAnyRange() async throws {
        try await offPool { try self.extendsToAnyRangeBody() }
    }

    /// Generation is blocking file work: it runs off the concurrency pool (an HTTP test shares it).
    func extendsToAnyRangeBody() throws {
        let root = try TestPaths.temporaryDirectory("sample-feed")
        defer { try? FileManager.default.removeItem(at: root) }
        let feed = root.appendingPathComponent("simulated")
        let first = try SampleFeed.ensure(spec, directory: feed)
        #expect(first.map(\.isoString) == ["2026-07-15", "2026-07-16", "2026-07-17"])
        #expect(try SampleFeed.ensure(spec, covering: spec.from...spec.to, directory: feed).isEmpty)
        let wider = CalendarDate(iso: "2026-07-08")!...CalendarDate(iso: "2026-07-21")!
        let added = try SampleFeed.ensure(spec, covering: wider, directory: feed)
        #expect(added.map(\.isoString) == ["2026-07-08", "2026-07-09", "2026-07-10", "2026-07-13", "2026-07-14", "2026-07-20", "2026-07-21"])

        let whole = root.appendingPathComponent("whole")
        let simulator = MarketSimulator(config: .compact(seed: 11))
        _ = try simulator.write(from: wider.lowerBound, to: wider.upperBound, into: whole,
                                historyStart: simulator.defaultHistoryStart(firstChainDay: spec.from))
        var extended = try files(feed)
        extended.removeValue(forKey: ".generated")
        let reference = try files(whole)
        #expect(extended.keys.sorted() == reference.keys.sorted())
        let differing = reference.keys.filter { extended[$0] != reference[$0] }.sorted()
        #expect(differing.isEmpty, "files that differ from one whole-range simulation: \(differing.prefix(5))")
    }

    @Test("a range before the market's history is a one-line error and leaves the feed alone")
    func beforeHistory() async throws {
        try await offPool { try self.beforeHistoryBody() }
    }

    func beforeHistoryBody() throws {
        let root = try TestPaths.temporaryDirectory("sample-feed-early")
        defer { try? FileManager.default.removeItem(at: root) }
        let feed = root.appendingPathComponent("simulated")
        try SampleFeed.ensure(spec, directory: feed)
        let before = try files(feed)
        let early = CalendarDate(iso: "2025-01-02")!...CalendarDate(iso: "2025-01-10")!
        #expect(throws: SampleFeed.FeedError.self) { try SampleFeed.ensure(spec, covering: early, directory: feed) }
        #expect(try files(feed) == before)
    }
}
