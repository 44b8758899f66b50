import Foundation
import Testing
import VixShieldCore
import VolMath
@testable import Strategy

@Suite("Scored condor search")
struct CondorSearchTests {
    let asOf = CalendarDate(iso: "2026-07-17")!
    let tradeDate = CalendarDate(iso: "2026-07-20")!
    let weekly = CalendarDate(iso: "2026-07-27")!
    let monthly = CalendarDate(iso: "2026-08-21")!

    /// A real-world density with less variance than the quotes imply (the variance risk premium): the
    /// smile's volatility times `scale`.
    func expiry(_ chain: ExpiryChain, volScale: Double = 0.8, events: [MarketEvent] = []) -> CandidateExpiry {
        CandidateExpiry(chain: chain, realWorld: FlatLognormal(forward: chain.forward, stdDev: 0.16 * volScale * chain.timeToExpiryYears.squareRoot()),
                        expectedMovePoints: chain.forward * 0.16 * chain.timeToExpiryYears.squareRoot(), events: events)
    }

    func ranked(_ profile: ScoredCondorProfile, _ expiries: [CandidateExpiry]) throws -> [ScoredCondor] {
        try CondorSearch.rank(tradeDate: tradeDate, expiries: expiries, profile: profile, sizing: SizingPolicy()).get()
    }

    @Test("every recommendation meets the condor invariants")
    func invariants() throws {
        let chains = [syntheticChain(expiry: weekly, root: "SPXW", asOf: asOf), syntheticChain(expiry: monthly, root: "SPX", asOf: asOf)]
        for profile in [ScoredCondorProfile.weekly(), .monthly(), ScoredCondorProfile(name: "wide", dteRange: 1...60)] {
            let list = try ranked(profile, chains.map { expiry($0) })
            #expect(!list.isEmpty && list.count <= profile.alternates + 1, "\(profile.name)")
            for s in list {
                let c = s.condor
                let listed = Set(chains.filter { $0.expiry == c.expiry }.flatMap { $0.options.map(\.contract) })
                #expect([c.longPut, c.shortPut, c.shortCall, c.longCall].allSatisfy { listed.contains($0.contract) })
                #expect(c.longPut.strike < c.shortPut.strike && c.shortPut.strike < c.shortCall.strike && c.shortCall.strike < c.longCall.strike)
                let putWing = c.shortPut.strike - c.longPut.strike, callWing = c.longCall.strike - c.shortCall.strike
                #expect(c.creditPoints > 0 && c.creditPoints < min(putWing, callWing))
                #expect(abs(c.maxLossPoints - (max(putWing, callWing) - c.creditPoints)) < 1e-9)
                #expect(abs(c.breakevenLow - (c.shortPut.strike - c.creditPoints)) < 1e-9 && abs(c.breakevenHigh - (c.shortCall.strike + c.creditPoints)) < 1e-9)
                #expect(c.probabilityOfProfit > 0 && c.probabilityOfProfit < 1)
                #expect(c.maxLossPoints * 100 * Double(c.contracts) <= 100_000 + 1e-6)
                #expect(profile.admits(root: c.root, expiry: c.expiry, tradeDate: tradeDate))
                #expect(s.annualizedReturn >= profile.hurdleRate && c.expectedPnlUSD > 0 && c.netVegaUSD < 0 && c.netThetaUSD > 0)
                #expect(!c.rationale.isEmpty)
            }
            #expect(zip(list, list.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
    }

    @Test("the delta rule keeps shorts in range and the SD rule keeps them at 1.2-2 projected moves")
    func strikeRules() throws {
        let chain = syntheticChain(expiry: monthly, root: "SPX", asOf: asOf)
        for s in try ranked(.monthly(), [expiry(chain)]) {
            #expect((0.10...0.20).contains(abs(s.condor.shortPut.greeks.delta)) && (0.10...0.20).contains(abs(s.condor.shortCall.greeks.delta)))
        }
        let e = expiry(syntheticChain(expiry: weekly, root: "SPXW", asOf: asOf))
        for s in try ranked(.weekly(), [e]) {
            for k in [s.condor.shortPut.strike, s.condor.shortCall.strike] {
                #expect((1.2...2.0).contains(abs(e.chain.forward - k) / e.expectedMovePoints!))
            }
        }
    }

    @Test("without a variance risk premium the expected P&L is the slippage: nothing clears the hurdle")
    func noPremiumNoTrade() {
        let chain = syntheticChain(expiry: monthly, root: "SPX", asOf: asOf)
        let result = CondorSearch.rank(tradeDate: tradeDate, expiries: [expiry(chain, volScale: 1.25)], profile: .monthly(), sizing: SizingPolicy())
        guard case .failure(let reason) = result else { Issue.record("a condor sold below fair value was recommended"); return }
        #expect(reason.code == "no_candidate" || reason.code == "hurdle_not_met", "\(reason)")
    }

    @Test("the hurdle rejects a low-return trade and says so")
    func hurdle() {
        let chain = syntheticChain(expiry: monthly, root: "SPX", asOf: asOf)
        var profile = ScoredCondorProfile.monthly()
        profile.hurdleRate = 50  // 5,000 % a year: nothing clears it
        let result = CondorSearch.rank(tradeDate: tradeDate, expiries: [expiry(chain)], profile: profile, sizing: SizingPolicy())
        guard case .failure(.hurdleNotMet(let r, let h)) = result else { Issue.record("expected hurdleNotMet, got \(result)"); return }
        #expect(r < h && h == 50)
    }

    @Test("an event inside the life costs score; the search is at least as good as a single-strike rule; order is deterministic")
    func eventsAndSearchBreadth() throws {
        let chain = syntheticChain(expiry: monthly, root: "SPX", asOf: asOf)
        let fomc = MarketEvent(kind: .fomc, date: CalendarDate(iso: "2026-07-29")!, label: "FOMC")!
        let calm = try ranked(.monthly(), [expiry(chain)])[0]
        let eventful = try ranked(.monthly(), [expiry(chain, events: [fomc])])[0]
        #expect(abs(eventful.score - (calm.score - 0.05)) < 1e-12 && eventful.condor.rationale.contains("fomc 2026-07-29"))
        var narrow = ScoredCondorProfile.monthly()
        narrow.wingWidthsPoints = [100]
        narrow.shortStrikes = .delta(0.13...0.17)
        let single = try ranked(narrow, [expiry(chain)])[0]
        #expect(calm.score >= single.score)
        let again = try ranked(.monthly(), [expiry(chain)]).map(\.condor)
        #expect(again == (try ranked(.monthly(), [expiry(chain)]).map(\.condor)))
    }

    @Test("the variance adjustment scales the slice's total variance")
    func varianceAdjustment() {
        let p = SVIParameters(a: 0.002, b: 0.05, rho: -0.6, m: 0.01, sigma: 0.1)
        let d = CondorSearch.varianceAdjusted(parameters: p, forward: 6000, realizedOverImpliedVarianceRatio: 0.7)
        for k in [-0.2, 0.0, 0.1] { #expect(abs(d.parameters.totalVariance(atLogMoneyness: k) - 0.7 * p.totalVariance(atLogMoneyness: k)) < 1e-15) }
        #expect(CondorSearch.varianceAdjusted(parameters: p, forward: 6000, realizedOverImpliedVarianceRatio: 0.01).parameters.a == 0.3 * p.a)
    }
}
