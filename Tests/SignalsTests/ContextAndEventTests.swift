import Foundation
import Testing
import VixShieldTestSupport
@testable import Signals

private func date(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

@Suite("Volatility context")
struct VolatilityContextTests {
    /// 22 sessions of SPX closes alternating ×e^{+0.01}, ×e^{−0.01}: 21 returns, 11 of +0.01 and 10 of −0.01.
    /// Mean m = 0.01/21; Σ(r − m)² = 21e-4 − 21m² = (21 − 1/21)e-4; /20 = (22/21)e-4 per session;
    /// × 252 = 0.0264 annual variance, σ = 0.16248077.
    static func alternatingCloses(ending end: CalendarDate) throws -> DatedSeries<Double> {
        var d: [CalendarDate] = [], v: [Double] = [], x = 4000.0
        var day = end
        for _ in 0..<22 { d.insert(day, at: 0); day = TradingCalendar.nyse.previousTradingDay(before: day) }
        for i in 0..<22 { v.append(x); x *= exp(i % 2 == 0 ? 0.01 : -0.01) }
        return try DatedSeries(dates: d, values: v)
    }

    @Test("Ratios, VX spread, 30-day VX, roll yield, shape and VRP on a hand-worked day")
    func handWorked() throws {
        let d = date("2026-03-02")
        let one = { (x: Double) in try DatedSeries(dates: [d], values: [x]) }
        let futures = [
            VIXFutureSettlement(tradeDate: d, symbol: "VX/H6", expiry: d.adding(days: 10), settle: 21, isWeekly: false),
            VIXFutureSettlement(tradeDate: d, symbol: "VX/J6", expiry: d.adding(days: 45), settle: 23, isWeekly: false),
            VIXFutureSettlement(tradeDate: d, symbol: "VX10/H6", expiry: d.adding(days: 3), settle: 30, isWeekly: true),  // ignored
        ]
        let inputs = VolatilityContextInputs(vix: try one(20), vix9D: try one(18), vix3M: try one(22), futures: futures,
                                             modelFreeIndex30Day: try one(20), spxCloses: try Self.alternatingCloses(ending: d))
        let c = try #require(try VolatilityContextBuilder.compute(inputs).first)
        #expect(abs(c.vix9DOverVIX! - 0.9) < 1e-15)
        #expect(abs(c.vixOverVIX3M! - 20.0 / 22) < 1e-15)
        #expect(c.frontSpreadPoints == -2)
        // 21 + (23 − 21)·(30 − 10)/(45 − 10) = 22.142857142857; roll (22.142857 − 20)/20 = 0.107142857.
        #expect(abs(c.constantMaturityFuturePoints! - (21 + 2 * 20.0 / 35)) < 1e-12)
        #expect(abs(c.rollYield30Day! - (1 + 2 * 20.0 / 35) / 20) < 1e-12)
        #expect(c.shape == .contango)
        // Implied 0.2² = 0.04; realized 0.0264 (above); VRP 0.0136; in vol points 20 − 16.248077 = 3.751923.
        #expect(abs(c.realizedVariance21Day! - 0.0264) < 1e-12, "\(c.realizedVariance21Day!)")
        #expect(abs(c.varianceRiskPremium! - 0.0136) < 1e-12)
        #expect(abs(c.varianceRiskPremiumVolPoints! - (20 - 100 * 0.0264.squareRoot())) < 1e-10)
        #expect(c.ranks.isEmpty, "one observation is no year")
    }

    @Test("30-day VX with the front contract beyond 30 days uses spot VIX as the 0-day point; backwardation")
    func frontBeyondThirty() throws {
        let d = date("2026-03-19")
        let futures = [VIXFutureSettlement(tradeDate: d, symbol: "VX/J6", expiry: d.adding(days: 33), settle: 22, isWeekly: false),
                       VIXFutureSettlement(tradeDate: d, symbol: "VX/K6", expiry: d.adding(days: 61), settle: 21.5, isWeekly: false)]
        let c = try #require(try VolatilityContextBuilder.compute(VolatilityContextInputs(
            vix: try DatedSeries(dates: [d], values: [20.0]), futures: futures, spxCloses: try DatedSeries(dates: [d], values: [4000.0]))).first)
        // 20 + (22 − 20)·30/33 = 21.818181818.
        #expect(abs(c.constantMaturityFuturePoints! - (20 + 2 * 30.0 / 33)) < 1e-12)
        #expect(c.shape == .backwardation)  // VX2 − VX1 = −0.5 < −0.1
        #expect(c.varianceRiskPremium == nil, "no model-free index given")
    }

    @Test("One-year ranks: absent for 251 observations, then the mid-rank among the last 252")
    func ranks() throws {
        let days = TradingCalendar.nyse.tradingDays(from: date("2024-01-02"), through: date("2025-06-30"))
        // VIX/VIX3M rises every day for 300 days, then the last day drops to the window's minimum.
        let vix = days.indices.map { i in i == days.count - 1 ? 10.0 : 10 + Double(i) * 0.01 }
        let inputs = VolatilityContextInputs(vix: try DatedSeries(dates: days, values: vix),
                                             vix3M: try DatedSeries(dates: days, values: Array(repeating: 20.0, count: days.count)),
                                             spxCloses: try DatedSeries(dates: days, values: Array(repeating: 4000.0, count: days.count)))
        let out = try VolatilityContextBuilder.compute(inputs)
        #expect(out[250].ranks[.vixOverVIX3M] == nil)
        #expect(out[251].ranks[.vixOverVIX3M] == 1, "a new high ranks 1")
        // The last value (10/20 = 0.5) is below every other value in its window: rank 0.
        #expect(out.last!.ranks[.vixOverVIX3M] == 0)
        #expect(Statistics.percentRank(of: 2, among: [1, 2, 2, 3]) == 0.5)  // (1 + ½·1)/3
    }
}

@Suite("Event reactions")
struct EventReactionTests {
    static let closes: [(String, Double)] = [
        // SPX closes (S&P Dow Jones Indices): FOMC 31 Jan 2024 and CPI 13 Feb 2024 are real sessions.
        ("2020-03-13", 2711.02), ("2020-03-16", 2386.13),
        ("2024-01-30", 4924.97), ("2024-01-31", 4845.65),
        ("2024-02-12", 5021.84), ("2024-02-13", 4953.17),
        // Synthetic CPI days: +ln(1.01), ln(0.995), ln(1.002); then two normal sessions.
        ("2024-03-11", 5000), ("2024-03-12", 5050), ("2024-04-09", 5200), ("2024-04-10", 5174),
        ("2024-05-14", 5250), ("2024-05-15", 5260.5), ("2024-05-16", 5229), ("2024-05-17", 5229),
        ("2024-06-12", 5421),  // CPI day whose previous session (11 June) is missing
    ]

    static func event(_ kind: MarketEvent.Kind, _ d: String) -> MarketEvent { MarketEvent(kind: kind, date: date(d), label: "\(kind) \(d)")! }

    @Test("Moves from previous close to the event session's close, quantiles, excess variance, skips")
    func handChecked() throws {
        let spx = try DatedSeries(Self.closes.map { (date($0.0), $0.1) })
        let vix = try DatedSeries([(date("2024-01-30"), 13.31), (date("2024-01-31"), 14.35)])
        let sunday = MarketEvent(kind: .fomc, time: EasternTime(date: date("2020-03-15"), hour: 17), label: "emergency cut", isScheduled: false)
        let events = [sunday, Self.event(.fomc, "2024-01-31"), Self.event(.cpi, "2024-02-13"), Self.event(.cpi, "2024-03-12"),
                      Self.event(.cpi, "2024-04-10"), Self.event(.cpi, "2024-05-15"), Self.event(.cpi, "2024-06-12"),
                      Self.event(.ppi, "2026-01-15")]  // after asOf: not a past event
        let implied = [Self.event(.cpi, "2024-02-13"): 0.01 * 0.01]
        let study = try EventReactions.study(events: events, spxCloses: spx, vixCloses: vix, impliedEventTotalVariance: implied,
                                             asOf: date("2025-12-31"))
        #expect(study.skipped == [Self.event(.cpi, "2024-06-12"): .noPreviousClose])
        #expect(study.reactions.count == 6)
        // Sunday 15 March 2020 17:00: the first close after it is Monday 16 March; ln(2386.13/2711.02) = −0.12765.
        let cut = try #require(study.reactions.first { $0.event == sunday })
        #expect(cut.session == date("2020-03-16") && cut.previousSession == date("2020-03-13"))
        #expect(abs(cut.spxLogReturn - log(2386.13 / 2711.02)) < 1e-15)
        // FOMC 31 Jan 2024 (14:00): ln(4845.65/4924.97) = −0.016236788; VIX +1.04.
        let jan = try #require(study.reactions.first { $0.event == Self.event(.fomc, "2024-01-31") })
        #expect(abs(jan.spxLogReturn - -0.016236787963987382) < 1e-15)
        #expect(abs(jan.vixChangePoints! - 1.04) < 1e-12)

        let cpi = try #require(study.summaries[.cpi])
        // |moves| sorted: ln(1.002) = 0.0019980, |ln 0.995| = 0.0050125, ln(1.01) = 0.0099503, |ln(4953.17/5021.84)| = 0.0137686.
        // Type 7, n = 4: q25 at h = 0.75: 0.0019980 + 0.75·(0.0050125 − 0.0019980) = 0.0042589;
        // q50 at h = 1.5: 0.0074814; q75 at h = 2.25: 0.0109049; q90 at h = 2.7: 0.0126231. Mean 0.0076824.
        #expect(cpi.count == 4)
        let expectedQ = [0.00425891, 0.00748144, 0.0109049, 0.01262314]
        for (q, e) in zip(cpi.absoluteMoveQuantiles, expectedQ) { #expect(abs(q - e) < 5e-9, "\(cpi.absoluteMoveQuantiles)") }
        #expect(abs(cpi.meanAbsoluteMove - 0.0076823750251493825) < 1e-15)
        // Normal sessions: 16 May (ln(5229/5260.5)) and 17 May (0): mean r² = ln(5229/5260.5)²/2 = 1.7953e-5.
        let normal = log(5229 / 5260.5) * log(5229 / 5260.5) / 2
        #expect(abs(cpi.normalSessionVariance - normal) < 1e-18)
        let moves = [log(4953.17 / 5021.84), log(1.01), log(0.995), log(1.002)]
        #expect(abs(cpi.excessVariancePrior - (moves.map { $0 * $0 }.reduce(0, +) / 4 - normal)) < 1e-15)
        // Implied 1 % sd → √(2/π)·0.01 = 0.0079788 expected |move| vs 0.0137686 realized: gap −0.0057898.
        #expect(cpi.impliedCount == 1)
        #expect(abs(cpi.impliedMinusRealizedMove! - ((2 / Double.pi).squareRoot() * 0.01 - 0.013768624761212093)) < 1e-15)
        #expect(study.summaries[.ppi] == nil)
        #expect(study.summaries[.fomc]?.count == 2)
    }
}
