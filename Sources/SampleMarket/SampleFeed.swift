import Foundation
import Simulator
import VixShieldCore

/// The simulated market the embedded sample pipeline reads, kept under `<data dir>/simulated`.
///
/// The feed's path starts on a pinned history start (the warm-up before the sample's own first day), so
/// every day's files are the same whatever range was asked for: extending the feed to a backfill's range
/// writes only the chain days that are missing and rewrites the history files, and the result equals one
/// `simulate` over the whole range with that history start. Lives outside `Pipeline`: a run reads files,
/// it never generates them.
public enum SampleFeed {
    /// The sample's simulation as its pipeline file names it.
    public struct Spec: Sendable, Hashable {
        public var seed: UInt64
        /// The sample's own chain days; the history start is pinned to the warm-up before `from`.
        public var from: CalendarDate
        public var to: CalendarDate
        /// The small market (a few thousand contracts a day) instead of the full-size one: for tests.
        public var compact: Bool

        public init(seed: UInt64, from: CalendarDate, to: CalendarDate, compact: Bool = false) {
            self.seed = seed
            self.from = from
            self.to = to
            self.compact = compact
        }

        var simulator: MarketSimulator { MarketSimulator(config: compact ? .compact(seed: seed) : .standard(seed: seed)) }
    }

    public enum FeedError: Error, CustomStringConvertible {
        case beforeHistory(requested: CalendarDate, earliest: CalendarDate)
        case generation(String)

        public var description: String {
            switch self {
            case .beforeHistory(let requested, let earliest):
                return "the simulated market starts its history so that the first chain day it can give is \(earliest); \(requested) is earlier"
            case .generation(let message): return "simulated market: \(message)"
            }
        }
    }

    /// Trading days of history the earliest chain day needs before it (at most half the market's own
    /// warm-up, so the compact market can be extended backwards too).
    public static let minimumWarmUpTradingDays = 60

    /// Makes sure the feed in `directory` covers the sample's own days and `dates` (when given); returns
    /// the chain days it had to write (empty when nothing was missing).
    ///
    /// Blocking file I/O: call it from a plain thread. Generation happens in a temporary sibling that is
    /// swapped in, so an interrupted run never leaves half a feed.
    @discardableResult
    public static func ensure(_ spec: Spec, covering dates: ClosedRange<CalendarDate>? = nil, directory: URL) throws -> [CalendarDate] {
        let simulator = spec.simulator
        let historyStart = simulator.defaultHistoryStart(firstChainDay: spec.from)
        var earliest = historyStart
        for _ in 0..<min(minimumWarmUpTradingDays, simulator.config.warmUpTradingDays / 2) { earliest = TradingCalendar.nyse.nextTradingDay(after: earliest) }
        var from = spec.from, to = spec.to
        if let dates {
            guard dates.lowerBound >= earliest || dates.lowerBound >= spec.from else {
                throw FeedError.beforeHistory(requested: dates.lowerBound, earliest: earliest)
            }
            from = min(from, dates.lowerBound)
            to = max(to, dates.upperBound)
        }
        let stampURL = directory.appendingPathComponent(".generated")
        let existing = (try? String(contentsOf: stampURL, encoding: .utf8)).flatMap(Stamp.init(text:))
        let identity = Stamp(seed: spec.seed, historyStart: historyStart, from: from, to: to,
                             simulator: MarketSimulator.simulatorVersion + (spec.compact ? "-compact" : ""))
        var keep: Set<CalendarDate> = []
        if let existing, existing.sameMarket(as: identity) {
            if existing.from <= from && existing.to >= to { return [] }
            from = min(from, existing.from)
            to = max(to, existing.to)
            keep = Set(TradingCalendar.nyse.tradingDays(from: existing.from, through: existing.to))
        }
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let tmp = parent.appendingPathComponent("\(directory.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        try? fm.removeItem(at: tmp)
        do {
            try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
            // Chain days already generated are the same bytes: carry them over instead of rendering again.
            for day in keep.sorted() {
                for name in MarketSimulator.chainDayFiles(day) {
                    let target = tmp.appendingPathComponent(name)
                    try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try fm.copyItem(at: directory.appendingPathComponent(name), to: target)
                }
            }
            let manifest = try simulator.write(from: from, to: to, into: tmp, historyStart: historyStart, existingChainDays: keep)
            var stamp = identity
            (stamp.from, stamp.to) = (from, to)
            try stamp.text.write(to: tmp.appendingPathComponent(".generated"), atomically: true, encoding: .utf8)
            try? fm.removeItem(at: directory)
            try fm.moveItem(at: tmp, to: directory)
            return manifest.chainDays.filter { !keep.contains($0) }
        } catch {
            try? fm.removeItem(at: tmp)
            throw FeedError.generation("\(error)")
        }
    }

    /// What a generated feed is: which market (seed, history start, simulator version) and which days.
    struct Stamp: Equatable {
        var seed: UInt64
        var historyStart: CalendarDate
        var from: CalendarDate
        var to: CalendarDate
        var simulator: String

        init(seed: UInt64, historyStart: CalendarDate, from: CalendarDate, to: CalendarDate, simulator: String) {
            self.seed = seed
            self.historyStart = historyStart
            self.from = from
            self.to = to
            self.simulator = simulator
        }

        init?(text: String) {
            var fields: [String: String] = [:]
            for part in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                let kv = part.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
            }
            guard let seed = fields["seed"].flatMap({ UInt64($0) }), let h = fields["history_start"].flatMap({ CalendarDate(iso: $0) }),
                  let f = fields["from"].flatMap({ CalendarDate(iso: $0) }), let t = fields["to"].flatMap({ CalendarDate(iso: $0) }),
                  let sim = fields["simulator"] else { return nil }
            self.init(seed: seed, historyStart: h, from: f, to: t, simulator: sim)
        }

        var text: String { "seed=\(seed) history_start=\(historyStart) from=\(from) to=\(to) simulator=\(simulator)\n" }

        func sameMarket(as other: Stamp) -> Bool {
            seed == other.seed && historyStart == other.historyStart && simulator == other.simulator
        }
    }
}
