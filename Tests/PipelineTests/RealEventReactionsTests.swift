import Foundation
import Logging
import Signals
import Store
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

/// Event reactions on the real SPX and VIX histories in `../shared/data` (skipped without them), against
/// moves worked out by hand from the files' own rows.
@Suite("Event reactions on real history")
struct RealEventReactionsTests {
    /// Closes of a CSV's date column and close column, read with no project code.
    static func closes(_ url: URL, dateColumn: Int, closeColumn: Int, date parse: (String) -> String?) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
            let cells = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > max(dateColumn, closeColumn), let d = parse(cells[dateColumn]), let c = Double(cells[closeColumn]) else { continue }
            out[d] = c
        }
        return out
    }

    @Test("FOMC, CPI and PPI reactions match moves worked from the raw SPX and VIX rows",
          .enabled(if: TestPaths.sharedFile("data/spx/SPX_ohlc_2025-10-10_to_2026-10-09.csv") != nil
                   && TestPaths.sharedFile("data/vix_indices/VIX_History.csv") != nil))
    func realReactions() async throws {
        let spxFile = try #require(TestPaths.sharedFile("data/spx/SPX_ohlc_2025-10-10_to_2026-10-09.csv"))
        let vixFile = try #require(TestPaths.sharedFile("data/vix_indices/VIX_History.csv"))
        let db = try TestPaths.temporaryDirectory("real-events").appendingPathComponent("h.sqlite").path
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        try await offPool {
            let loader = HistoryLoader(databasePath: db, logger: logger)
            let spx = try loader.load(.init(kind: "ohlc_csv", options: ["symbol": "SPX"]), inputs: [spxFile.path])
            let vix = try loader.load(.init(kind: "cboe_index_history", options: ["symbol": "VIX"]), inputs: [vixFile.path])
            #expect(spx.allSatisfy { $0.error == nil } && vix.allSatisfy { $0.error == nil })
        }
        let asOf = CalendarDate(iso: "2026-07-22")!
        let store = try VixShieldDatabase(path: db)
        let spxSeries = try #require(try HistoryInputs.closes(symbol: "SPX", through: asOf, store: store, today: []))
        let vixSeries = try HistoryInputs.closes(symbol: "VIX", through: asOf, store: store, today: [])
        let study = try EventReactions.study(events: try ShippedEvents.events(), spxCloses: spxSeries, vixCloses: vixSeries, asOf: asOf)

        // Worked by hand from the files: ln(close on the event day / close the session before), VIX in points.
        let spxRows = try Self.closes(spxFile, dateColumn: 0, closeColumn: 4) { $0 }
        let vixRows = try Self.closes(vixFile, dateColumn: 0, closeColumn: 4) { (mdy: String) -> String? in
            let p = mdy.split(separator: "/").map(String.init)
            return p.count == 3 ? p[2] + "-" + p[0] + "-" + p[1] : nil
        }
        let cases: [(kind: MarketEvent.Kind, day: String, previous: String)] = [
            (.fomc, "2025-12-10", "2025-12-09"),  // Dec 9-10 meeting, statement 14:00
            (.cpi, "2025-12-18", "2025-12-17"),   // November CPI, delayed by the shutdown
            (.ppi, "2026-01-14", "2026-01-13"),   // November PPI with October's data
        ]
        for c in cases {
            let reaction = try #require(study.reactions.first { $0.event.kind == c.kind && $0.event.date.isoString == c.day },
                                        "no reaction for \(c.kind) \(c.day)")
            let expected = log(try #require(spxRows[c.day]) / (try #require(spxRows[c.previous])))
            #expect(reaction.previousSession.isoString == c.previous && reaction.session.isoString == c.day)
            #expect(abs(reaction.spxLogReturn - expected) < 1e-12, "\(c.kind) \(c.day): \(reaction.spxLogReturn) vs \(expected)")
            let vixChange = try #require(vixRows[c.day]) - (try #require(vixRows[c.previous]))
            #expect(abs(try #require(reaction.vixChangePoints) - vixChange) < 1e-9, "\(c.kind) \(c.day) VIX")
        }
        // Every kind has statistics over the file's year, in a plausible range for index moves.
        for kind in [MarketEvent.Kind.fomc, .cpi] {
            let s = try #require(study.summaries[kind])
            #expect(s.count >= 6 && s.meanAbsoluteMove > 0.0005 && s.meanAbsoluteMove < 0.05, "\(kind): \(s)")
        }
    }
}
