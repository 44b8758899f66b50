import Foundation
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

@Suite("Scenarios and the paper book")
struct RecommendationBookTests {
    let dates = TradingCalendar.nyse.tradingDays(from: SharedMarket.from, through: SharedMarket.to)

    @Test("each night advises every open rank-1 condor of earlier nights, and the recommended condor gets its scenario grid")
    func scenariosAndAdvice() async throws {
        let h = try Harness()
        let report = try await h.run(dates, jobs: 2)
        #expect(report.status == .ok)
        let db = try h.database()
        for (i, d) in dates.enumerated() {
            let open = try db.recommendations(from: dates[0], through: d).filter {
                $0.status == "trade" && $0.rank == 1 && $0.asOf < d.isoString && ($0.expiry ?? "") > d.isoString
            }
            let advice = try db.positionAdvice(asOf: d, underlying: "SPX")
            #expect(advice.count == open.count, "\(d): \(advice.count) advice rows for \(open.count) open condors")
            #expect(i == 0 || !advice.isEmpty)
            for a in advice {
                #expect(["hold", "roll", "widen", "close"].contains(a.action) && !a.reason.isEmpty)
                #expect(a.daysToExpiry == CalendarDate(iso: a.expiry)!.days(since: d))
                if let debit = a.closingDebit, let mark = a.markPnlUsd {
                    #expect(abs(mark - (a.entryCredit - debit) * 100 * Double(a.contracts)) < 0.01)
                }
            }
            let best = try #require(try db.recommendations(from: d, through: d).first { $0.rank == 1 && $0.status == "trade" })
            let grid = try db.scenarios(asOf: d, underlying: "SPX")
            #expect(grid.count == 11 * 5 * 2, "\(d): \(grid.count) cells")
            // At expiry the grid is the settlement payoff at the moved forward: unmoved, inside the shorts, the
            // whole credit; a 10 % fall loses, never more than the max loss.
            let flat = try #require(grid.first { $0.horizon == "expiry" && $0.spxMovePct == 0 && $0.volShockPoints == 0 })
            let creditUsd = try #require(best.creditUsd), maxLossUsd = try #require(best.maxLossUsd)
            #expect(abs(flat.condorPnlUsd - creditUsd) < 1, "\(flat.condorPnlUsd) vs \(creditUsd)")
            let crash = try #require(grid.first { $0.horizon == "expiry" && $0.spxMovePct == -10 && $0.volShockPoints == 0 })
            #expect(crash.condorPnlUsd < 0 && crash.condorPnlUsd >= -maxLossUsd - 1, "\(crash.condorPnlUsd)")
            // A vol rise the next day hurts a short-vega condor.
            let calm = try #require(grid.first { $0.horizon == "next_day" && $0.spxMovePct == 0 && $0.volShockPoints == 0 })
            let spike = try #require(grid.first { $0.horizon == "next_day" && $0.spxMovePct == 0 && $0.volShockPoints == 10 })
            #expect(spike.condorPnlUsd < calm.condorPnlUsd)
            #expect(best.eventsInLife != nil)
        }
    }
}

@Suite("Scored profiles in the pipeline")
struct ScoredProfileTests {
    @Test("scored and CNDR profiles parse side by side; bad values name their key")
    func parse() throws {
        let yaml = pipelineYAML().replacingOccurrences(of: "strategy:\n  capital_usd: 2000000\n  max_risk_fraction: 0.05", with: """
            strategy:
              capital_usd: 2000000
              max_risk_fraction: 0.05
              profiles:
                - {name: weekly, kind: scored, dte_min: 5, dte_max: 10, short_sd_min: 1.2, short_sd_max: 2.0, wing_widths: [25, 50]}
                - {name: monthly, kind: scored, dte_min: 30, dte_max: 45, short_delta_min: 0.1, short_delta_max: 0.2, hurdle_rate: 0.1}
                - {name: cndr, kind: cndr}
            """)
        let c = try PipelineConfig.parse(yaml: yaml, origin: "s.yaml", sha256: "x")
        #expect(c.profileNames == ["cndr", "weekly", "monthly"] && c.longestProfileDays == 45)
        #expect(c.scoredProfiles[0].shortStrikes == .standardDeviations(1.2...2.0) && c.scoredProfiles[0].wingWidthsPoints == [25, 50])
        #expect(c.scoredProfiles[1].hurdleRate == 0.1)
        for (bad, key) in [("{name: x, kind: scored, short_delta_min: 0.3, short_delta_max: 0.2}", "strategy.profiles[0]: need 0 < short_delta_min"),
                           ("{name: x, kind: scored, wing_widths: []}", "strategy.profiles[0].wing_widths"),
                           ("{name: x, kind: fancy}", "strategy.profiles[0].kind: unknown profile kind 'fancy'"),
                           ("{name: x, kind: scored, short_delta_min: 0.1, short_sd_min: 1}", "strategy.profiles[0]: short strikes by delta or")] {
            let text = pipelineYAML().replacingOccurrences(of: "strategy:\n  capital_usd: 2000000\n  max_risk_fraction: 0.05",
                                                           with: "strategy:\n  profiles:\n    - \(bad)")
            #expect { try PipelineConfig.parse(yaml: text, origin: "s.yaml", sha256: "x") } throws: { "\($0)".hasPrefix("s.yaml: \(key)") }
        }
    }

    @Test("a run with scored profiles writes a row per profile, trades that meet the invariants or a reason, and the premium it used")
    func run() async throws {
        let yaml = pipelineYAML().replacingOccurrences(of: "strategy:\n  capital_usd: 2000000\n  max_risk_fraction: 0.05", with: """
            strategy:
              capital_usd: 2000000
              max_risk_fraction: 0.05
              profiles:
                - {name: wide, kind: scored, dte_min: 1, dte_max: 60, short_delta_min: 0.05, short_delta_max: 0.30, hurdle_rate: -1}
                - {name: cndr, kind: cndr}
            """)
        let h = try Harness(yaml: yaml)
        let day = CalendarDate(iso: "2026-07-16")!
        let report = try await h.run([day])
        #expect(report.outcomes[0].diagnostics.contains { $0.diagnostic.message.hasPrefix("variance risk premium: forecast realized / implied") })
        let rows = try h.database().recommendations(from: day, through: day)
        #expect(Set(rows.map(\.profile)) == ["wide", "cndr"])
        for r in rows where r.profile == "wide" {
            if r.status == "trade" {
                #expect(r.longPut! < r.shortPut! && r.shortPut! < r.shortCall! && r.shortCall! < r.longCall!)
                #expect(r.score != nil && r.annualizedReturn != nil && (r.expectedPnl ?? 0) > 0)
            } else {
                #expect(r.reasonCode != nil && r.reason != nil)
            }
        }
    }
}
