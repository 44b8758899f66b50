import Testing
import VixShieldCore
import VolMath
@testable import Strategy

@Suite("Position advice and scenarios")
struct PositionAndScenarioTests {
    let book = OpenCondor(openedAsOf: CalendarDate(iso: "2026-07-13")!, profile: "weekly", root: "SPXW", expiry: CalendarDate(iso: "2026-07-24")!,
                          longPut: 5900, shortPut: 6000, shortCall: 6400, longCall: 6500, contracts: 3, entryCreditPoints: 20)

    func marks(put: Double? = -0.10, call: Double? = 0.08, debit: Double? = 15, days: Int = 8, backwardation: Bool = false,
               events: [MarketEvent] = []) -> CondorMarks {
        CondorMarks(shortPutDelta: put, shortCallDelta: call, closingDebitPoints: debit, calendarDaysToExpiry: days,
                    backwardation: backwardation, eventsAhead: events)
    }

    @Test("hand-built books get the advice their rule says, with the reason")
    func advice() {
        let advisor = PositionAdvisor()
        let calm = advisor.advise(book, marks: marks())
        #expect(calm.action == .hold && calm.markPnlUSD == (20 - 15) * 100 * 3)
        let winner = advisor.advise(book, marks: marks(debit: 9))
        #expect(winner.action == .close && winner.reason.hasPrefix("profit target reached: 11.0 of 20.0"), "\(winner.reason)")
        let tested = advisor.advise(book, marks: marks(put: -0.27))
        #expect(tested.action == .roll && tested.reason.contains("short put 6000.0 tested"), "\(tested.reason)")
        let breached = advisor.advise(book, marks: marks(put: -0.12, call: 0.45, debit: 60))
        #expect(breached.action == .close && breached.reason.contains("short call 6400.0 breached"), "\(breached.reason)")
        #expect(advisor.advise(book, marks: marks(backwardation: true)).action == .widen)
        let fomc = MarketEvent(kind: .fomc, date: CalendarDate(iso: "2026-07-15")!, label: "FOMC")!
        #expect(advisor.advise(book, marks: marks(put: -0.2, events: [fomc])).action == .widen)
        #expect(advisor.advise(book, marks: marks(events: [fomc])).action == .hold)
        #expect(advisor.advise(book, marks: marks(days: 1)).action == .close)
    }

    @Test("scenario grid: at expiry the settlement payoff; next day a fall with a vol rise loses, a calm day gains theta")
    func scenarios() throws {
        func option(_ right: OptionRight, _ strike: Double) -> PricedOption {
            let contract = OptionContract(root: "SPXW", expiry: CalendarDate(iso: "2026-07-24")!, right: right, strikeMilli: Int(strike * 1000))
            return PricedOption(contract: contract, bid: 1, ask: 1.2, impliedVolatility: 0.16,
                                greeks: Black76.greeks(right: right, forward: 6200, strike: strike, volatility: 0.16, timeToExpiryYears: 11.0 / 365, rate: 0.04))
        }
        let t = 11.0 / 365, flat = { (_: Double) in 0.16 * 0.16 * t }
        let legs = (option(.put, 5900), option(.put, 6000), option(.call, 6400), option(.call, 6500))
        var price = 0.0
        for (o, sign) in [(legs.0, -1.0), (legs.1, 1.0), (legs.2, 1.0), (legs.3, -1.0)] {
            price += sign * Black76.price(right: o.contract.right, forward: 6200, strike: o.strike, stdDev: 0.16 * t.squareRoot(), discount: 1)
        }
        let condor = IronCondor(expiry: CalendarDate(iso: "2026-07-24")!, root: "SPXW", daysToExpiry: 11, longPut: legs.0, shortPut: legs.1,
                                shortCall: legs.2, longCall: legs.3, contracts: 2, creditPoints: price, midCreditPoints: price,
                                maxLossPoints: 100 - price, breakevenLow: 6000 - price, breakevenHigh: 6400 + price, probabilityOfProfit: 0.7,
                                expectedPnlUSD: 0, netDeltaUSD: 0, netGammaUSD: 0, netVegaUSD: 0, netThetaUSD: 0, rationale: "")
        let grid = CondorScenarios.grid(condor: condor, forward: 6200, timeToExpiryYears: t, discount: 1, smile: flat)
        #expect(grid.count == CondorScenarios.spxMovesPercent.count * CondorScenarios.volShocksPoints.count * 2)
        let crash = try #require(grid.first { $0.horizon == .expiry && $0.spxMovePercent == -10 })
        #expect(abs(crash.condorPnlUSD - (price - 100) * 200) < 1e-6)
        let calm = try #require(grid.first { $0.horizon == .nextDay && $0.spxMovePercent == 0 && $0.volShockPoints == 0 })
        #expect(calm.condorPnlUSD > 0, "a quiet day earns theta: \(calm.condorPnlUSD)")
        let stress = try #require(grid.first { $0.horizon == .nextDay && $0.spxMovePercent == -3 && $0.volShockPoints == 10 })
        #expect(stress.condorPnlUSD < calm.condorPnlUSD && stress.condorPnlUSD < 0)
    }
}
