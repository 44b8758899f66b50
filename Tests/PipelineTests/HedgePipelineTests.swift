import Foundation
import Simulator
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

@Suite("The layered VIX hedge in the nightly run")
struct HedgePipelineTests {
    /// A compact simulated month (its own seed and dates), generated once per test process.
    static let month: Result<URL, Error> = Result {
        let dir = try TestPaths.temporaryDirectory("hedge-month")
        _ = try MarketSimulator(config: .compact(seed: 21)).write(from: CalendarDate(iso: "2026-06-15")!, to: CalendarDate(iso: "2026-07-17")!, into: dir)
        return dir
    }

    @Test("over a simulated month every open condor gets its layers each night, layers switch on and off, and the hedge helps when SPX falls and vol rises")
    func monthOfLayers() async throws {
        let market = try await offPool { try Self.month.get() }
        let yaml = pipelineYAML() + "\nsignals: {rsi_band_window: 20}\n"
        let h = try Harness(yaml: yaml, marketDir: market)
        let dates = TradingCalendar.nyse.tradingDays(from: CalendarDate(iso: "2026-06-15")!, through: CalendarDate(iso: "2026-07-17")!)
        let report = try await h.run(dates, jobs: 2)
        #expect(report.status == .ok, "\(report.outcomes.compactMap(\.failure))")
        let db = try h.database()
        var everActive: [String: Set<Bool>] = [:]
        var nightsWithLayers = 0, nightsWithCondors = 0
        for d in dates {
            let layers = try db.hedges(asOf: d, underlying: "SPX")
            let condors = Set(layers.map { "\($0.condorAsOf)|\($0.profile)|\($0.rank)" })
            let open = try db.recommendations(from: dates[0], through: d).filter {
                $0.status == "trade" && $0.rank == 1 && $0.asOf <= d.isoString && ($0.expiry ?? "") > d.isoString
            }
            let closed = try db.closedPositionKeys(underlying: "SPX", before: d)
            let held = open.filter { !closed.contains("\($0.asOf)|\($0.profile)|\($0.rank)") }
            #expect(condors.count == held.count, "\(d)")
            if !held.isEmpty { nightsWithCondors += 1 }
            for c in condors {
                let mine = layers.filter { "\($0.condorAsOf)|\($0.profile)|\($0.rank)" == c }
                #expect(mine.map(\.layer) == Array(0..<9), "\(d) \(c): layers \(mine.map(\.layer))")
                #expect(mine.allSatisfy { $0.quantity >= 0 && ($0.active || $0.quantity == 0) && $0.stateJson != nil })
                for l in mine where l.layer > 0 { everActive[l.layerName, default: []].insert(l.active) }
            }
            if !layers.isEmpty { nightsWithLayers += 1 }
            // The pass reads only the layer states of the night before: the same as the whole rows give.
            #expect(try db.hedgeLayerStates(asOf: d, underlying: "SPX")
                    == Dictionary(grouping: layers, by: { "\($0.condorAsOf)|\($0.profile)|\($0.rank)" }).mapValues { $0.map(\.stateJson) }, "\(d)")
        }
        // The histories kept across the pass equal a direct read over a window moving a session at a time, then
        // back, then forward past a gap, then widened; the index bars with two series read in turn.
        let atmHistory = PassHistory.atmVolatility(), vxHistory = PassHistory.vixFutures(), bars = PassHistory.indexHistory()
        let windows = dates.map { ($0.adding(days: -20), $0) }
            + [(dates[3].adding(days: -20), dates[3]), (dates[5].adding(days: -20), dates[dates.count - 1]), (dates[0], dates[dates.count - 1])]
        for (from, through) in windows {
            let direct = try HistoryInputs.atmVolatility30Day(store: db, underlying: "SPX", from: from, through: through)
            #expect(try atmHistory.values(store: db, series: "SPX", from: from, through: through) == direct, "\(from)...\(through)")
            #expect(Array(try vxHistory.ordered(store: db, series: "VX", from: from, through: through).joined())
                    == (try db.vixFutures(from: from, through: through)), "\(from)...\(through)")
            for symbol in ["SPX", "VIX"] {
                #expect(try bars.ordered(store: db, series: symbol, from: from, through: through)
                        == (try db.indexHistory(symbol: symbol, from: from, through: through)), "\(symbol) \(from)...\(through)")
            }
        }
        #expect(try vxHistory.ordered(store: db, series: "VX", from: dates[0], through: dates[dates.count - 1]).joined().count > dates.count)
        #expect(try HistoryInputs.atmVolatility30Day(store: db, underlying: "SPX", from: dates[0], through: dates[dates.count - 1]).count > dates.count / 2)
        #expect(nightsWithLayers == nightsWithCondors && nightsWithCondors >= dates.count / 2, "\(nightsWithLayers) of \(dates.count)")
        // Some signal layer was on on some night and off on another: the hedge adapts, it is not a constant.
        let switched = everActive.filter { $0.value == [true, false] }.keys.sorted()
        print("signal layers that switched: \(switched); seen: \(everActive.mapValues { $0.sorted { !$0 && $1 } })")
        #expect(!switched.isEmpty)
        // Tonight's condor: in the grid where SPX falls 3 % and vol rises 10 points, the hedge pays.
        let last = dates[dates.count - 1]
        let cell = try #require(try db.scenarios(asOf: last, underlying: "SPX").first {
            $0.horizon == "next_day" && $0.spxMovePct == -3 && $0.volShockPoints == 10
        })
        let hedge = try #require(cell.hedgePnlUsd)
        #expect(hedge > 0 && cell.totalPnlUsd > cell.condorPnlUsd, "hedge \(hedge), condor \(cell.condorPnlUsd), total \(cell.totalPnlUsd)")
        #expect(abs(cell.totalPnlUsd - (cell.condorPnlUsd + hedge)) < 0.01)
    }

    @Test("hedge settings in the pipeline file are validated with their YAML keys")
    func configuration() throws {
        let config = try PipelineConfig.parse(yaml: pipelineYAML() + "\nhedge: {base_fraction: 0.1, monthly_budget_usd: 5000}\n", origin: "h.yaml", sha256: "x")
        #expect(config.hedge.baseFraction == 0.1 && config.hedge.monthlyBudgetUSD == 5000)
        #expect {
            try PipelineConfig.parse(yaml: pipelineYAML() + "\nhedge: {base_fraction: 0.5}\n", origin: "h.yaml", sha256: "x")
        } throws: { "\($0)" == "h.yaml: hedge.base_fraction: must be in 0.1...0.15 (got 0.5)" }
        // Messages name the file's keys, never ALVHConfig's properties.
        #expect {
            try PipelineConfig.parse(yaml: pipelineYAML() + "\nhedge: {delta_on: 0.1}\n", origin: "h.yaml", sha256: "x")
        } throws: { "\($0)".hasPrefix("h.yaml: hedge.delta_on: ") && !"\($0)".contains("deltaO") }
        #expect {
            try PipelineConfig.parse(yaml: pipelineYAML() + "\nhedge: {minimum_hold_sessions: 99999999999}\n", origin: "h.yaml", sha256: "x")
        } throws: { "\($0)" == "h.yaml: hedge.minimum_hold_sessions: must be 0 to 250 (got 99999999999)" }
    }
}
