import Foundation
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

@Suite("Outcomes of expired recommendations")
struct OutcomePipelineTests {
    @Test("a backfill across an expiry scores each expired condor at its settlement, AM at the open and PM at the close")
    func scoresExpiredCondors() async throws {
        let yaml = pipelineYAML().replacingOccurrences(of: "strategy:\n  capital_usd: 2000000\n  max_risk_fraction: 0.05", with: """
            strategy:
              capital_usd: 2000000
              max_risk_fraction: 0.05
              profiles:
                - {name: am_short, dte_min: 1, dte_max: 4, short_delta: 0.2, long_delta: 0.05, monthly_only: true}
                - {name: pm_short, dte_min: 1, dte_max: 2, short_delta: 0.2, long_delta: 0.05, monthly_only: false}
            """)
        #expect(yaml.contains("am_short"), "the strategy block was not replaced")
        let h = try Harness(yaml: yaml)
        let dates = TradingCalendar.nyse.tradingDays(from: SharedMarket.from, through: SharedMarket.to)
        let report = try await h.run(dates, jobs: 2)
        #expect(report.status == .ok)
        let db = try h.database()
        let traded = try db.recommendations(from: dates[0], through: dates[4]).filter {
            $0.status == "trade" && ($0.expiry ?? "9") <= SharedMarket.to.isoString
        }
        #expect(!traded.isEmpty, "no recommendation expires inside the range")
        let outcomes = try db.outcomes(from: nil, through: SharedMarket.to)
        #expect(outcomes.count == traded.count, "\(outcomes.count) outcomes for \(traded.count) expired trades")
        let spx = Dictionary(uniqueKeysWithValues: try db.indexHistory(symbol: "SPX", through: SharedMarket.to).map { ($0.date, $0) })
        for r in traded {
            let o = try #require(outcomes.first { $0.asOf == r.asOf && $0.profile == r.profile && $0.rank == r.rank })
            let bar = try #require(spx[o.expiry])
            let am = r.root == "SPX"
            #expect(o.settlementSource == (am ? "opening_value" : "close"))
            #expect(o.settlementPrice == (am ? bar.open! : bar.close))
            let s = o.settlementPrice
            let expected = r.credit! - (max(0, r.shortPut! - s) - max(0, r.longPut! - s)) - (max(0, s - r.shortCall!) - max(0, s - r.longCall!))
            #expect(abs(o.condorPnlPoints - expected) < 1e-4)
            #expect(abs(o.condorPnlUsd - expected * 100 * Double(r.contracts!)) < 1)
        }
        print("outcomes: \(outcomes.count), roots \(Set(traded.compactMap(\.root)).sorted())")
        #expect(Set(traded.compactMap(\.root)) == ["SPX", "SPXW"], "both settlement styles are exercised")
        // Rerunning the same range gives the same outcomes (scoring is a function of stored rows).
        let before = try h.dataFingerprint()
        _ = try await h.run(dates, jobs: 1)
        #expect(try h.dataFingerprint() == before)
        let table = try PerformanceReport.table(store: db, from: nil, through: nil, profile: nil)
        #expect(table.columns.first == "profile" && !table.rows.isEmpty)
    }
}
