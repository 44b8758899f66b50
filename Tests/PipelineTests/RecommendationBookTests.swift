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
