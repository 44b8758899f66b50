import Foundation
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

@Suite("Signals, context and projections in the nightly run")
struct SignalsPipelineTests {
    let dates = TradingCalendar.nyse.tradingDays(from: SharedMarket.from, through: SharedMarket.to)

    @Test("every date of a backfill writes indicators, the context, event statistics and projections")
    func everyDate() async throws {
        // The compact market has 60 sessions of history: a 20-session band window has warmed up by then.
        let h = try Harness(yaml: pipelineYAML() + "\nsignals: {rsi_band_window: 20}\n")
        let report = try await h.run(dates, jobs: 2)
        #expect(report.outcomes.allSatisfy { $0.status == .ok }, "\(report.outcomes.map { $0.reason ?? "" })")
        let db = try h.database()
        let spx = try db.indicators(symbol: "SPX", from: dates[0], through: dates[4])
        let vix = try db.indicators(symbol: "VIX", from: dates[0], through: dates[4])
        #expect(spx.map(\.date) == dates.map(\.isoString) && vix.map(\.date) == dates.map(\.isoString))
        for r in spx {
            let (rsi, low, high) = (try #require(r.rsi14), try #require(r.rsiBandLow), try #require(r.rsiBandHigh))
            #expect(rsi > 0 && rsi < 100 && low < high)
            #expect(r.macdHistogram.map { abs($0 - ((r.macdLine ?? .nan) - (r.macdSignal ?? .nan))) < 1e-9 } == true)
            #expect(try #require(r.rvCc21) > 0.02 && r.rvCc21! < 1.5)
            #expect(r.adLine != nil && r.adDivergence != nil && r.breadthUniverse == "SIM")
        }
        #expect(vix.allSatisfy { $0.adLine == nil && $0.rsi14 != nil })
        for d in dates {
            let context = try #require(try db.volContext(asOf: d, underlying: "SPX"), "no context on \(d)")
            #expect(context.vixOverVix3m != nil && context.vx30d != nil && context.termShape != nil)
            // The variance risk premium is the pipeline's own 30-day implied variance minus realized.
            let implied = try #require(context.impliedVariance30d), realized = try #require(context.realizedVariance21d)
            #expect(abs(try #require(context.vrpVariance) - (implied - realized)) < 1e-12)
            let summary = try #require(try db.surfaceSummary(asOf: d, underlying: "SPX")?.index30d)
            #expect(abs(implied - pow(summary / 100, 2)) < 1e-9)
            let projections = try db.projections(asOf: d, underlying: "SPX")
            let next = projections.filter { $0.horizon == "next_session" }
            #expect(Set(next.map(\.scenario)) == ["sticky_moneyness", "sticky_strike"], "\(d)")
            // Rolling forward removes variance: projected ATM total variance never exceeds today's.
            #expect(next.filter { $0.scenario == "sticky_moneyness" }.allSatisfy {
                $0.atmTotalVarianceProjected <= $0.atmTotalVarianceNow + 1e-12 && $0.yearsToExpiryProjected < $0.yearsToExpiryNow
            })
            #expect(projections.contains { $0.horizon.hasPrefix("after_") }, "no post-event projection on \(d)")
        }
        let summaries = try SQLiteProbe.rows(h.dbPath, "SELECT kind, count FROM event_reaction_summaries WHERE as_of = ? ORDER BY kind",
                                             [dates[4].isoString])
        #expect(summaries.map { $0[0] } == ["cpi", "fomc", "ppi"], "\(summaries)")  // the shipped calendar has PPI from 2025
        let timings = Set(try db.stageTimings(runId: report.runId).map(\.stage))
        #expect(timings.isSuperset(of: ["signals", "project", "context"]))
    }

    @Test("a date whose chain fails the gate still gets its indicators and context, and no projection")
    func gatedDateKeepsSignals() async throws {
        let h = try Harness(yaml: pipelineYAML(chain: "file://{data_dir}/cboe/options/_SPX_2026-07-15.json"))
        let day = dates[3]
        let report = try await h.run([day])
        #expect(report.outcomes[0].status == .noTrade)
        let db = try h.database()
        #expect(try db.indicators(symbol: "SPX", from: day, through: day).count == 1)
        #expect(try db.volContext(asOf: day, underlying: "SPX") != nil)
        #expect(try db.projections(asOf: day, underlying: "SPX").isEmpty)
    }

    @Test("a pipeline file sets the signal windows and the business-time clock; bad values name their key")
    func configuration() throws {
        let yaml = pipelineYAML() + """

            signals:
              rsi_band_window: 126
              rsi_band_low_percentile: 5
              rsi_band_high_percentile: 95
              divergence_lookback: 10
              breadth_universe: SIM
              business_time: {non_trading_day_weight: 0.05, overnight_share: 0.3}
            """
        let config = try PipelineConfig.parse(yaml: yaml, origin: "s.yaml", sha256: "x")
        #expect(config.signals.indicators.bandWindowSessions == 126 && config.signals.indicators.bandLowPercentile == 5)
        #expect(config.signals.businessTime.nonTradingDayWeight == 0.05 && config.signals.breadthUniverse == "SIM")
        for (bad, key) in [("rsi_band_window: 1", "signals.rsi_band_window"), ("business_time: {overnight_share: 2}", "signals.business_time.overnight_share"),
                           ("rsi_band_low_percentile: 95", "signals"), ("rsi_window: 3", "signals: unknown key 'rsi_window'")] {
            #expect {
                try PipelineConfig.parse(yaml: pipelineYAML() + "\nsignals:\n  \(bad)\n", origin: "s.yaml", sha256: "x")
            } throws: { error in "\(error)".hasPrefix("s.yaml: \(key)") }
        }
    }
}
