import Foundation
import Testing
import VixShieldCore
import VolMath
@testable import Strategy

/// A lognormal terminal distribution with one volatility (enough to check the POP plumbing).
struct FlatLognormal: TerminalDistribution {
    let forward: Double, stdDev: Double
    func probabilityBelow(_ level: Double) -> Double {
        Black76.normalCDF((log(level / forward) + stdDev * stdDev / 2) / stdDev)
    }
}

/// A chain priced by Black-76 on a skewed smile, with quotes a spread around the model price.
func syntheticChain(expiry: CalendarDate, root: String, asOf: CalendarDate, forward: Double = 6300, rate: Double = 0.04,
                    atmVol: Double = 0.16, halfSpread: Double = 0.10) -> ExpiryChain {
    let t = Double(expiry.days(since: asOf)) / 365
    let discount = exp(-rate * t)
    var options: [PricedOption] = []
    for strike in stride(from: 4000.0, through: 8000.0, by: 25) {
        let k = log(strike / forward)
        let vol = max(atmVol - 0.25 * k + 0.4 * k * k, 0.05)  // put skew with some smile
        for right in OptionRight.allCases {
            let price = Black76.price(right: right, forward: forward, strike: strike, stdDev: vol * t.squareRoot(), discount: discount)
            let g = Black76.greeks(right: right, forward: forward, strike: strike, volatility: vol, timeToExpiryYears: t, rate: rate)
            let bid = max(price - halfSpread, 0), ask = price + halfSpread
            let contract = OptionContract(root: root, expiry: expiry, right: right, strikeMilli: Int(strike * 1000))
            options.append(PricedOption(contract: contract, bid: (bid * 20).rounded(.down) / 20, ask: (ask * 20).rounded(.up) / 20,
                                        impliedVolatility: vol, greeks: g, openInterest: 100))
        }
    }
    return ExpiryChain(expiry: expiry, root: root, timeToExpiryYears: t, forward: forward, discount: discount, options: options)
}

@Suite("Baseline CNDR condor")
struct BaselineCondorTests {
    let asOf = CalendarDate(iso: "2026-07-17")!
    let tradeDate = CalendarDate(iso: "2026-07-20")!
    let monthly = CalendarDate(iso: "2026-08-21")!   // third Friday, 32 DTE from the trade date
    let weekly = CalendarDate(iso: "2026-08-14")!

    func distribution(_ c: ExpiryChain) -> any TerminalDistribution {
        FlatLognormal(forward: c.forward, stdDev: 0.16 * c.timeToExpiryYears.squareRoot())
    }

    @Test("picks the standard monthly and strikes near 0.20 and 0.05 delta")
    func picksCNDRStrikes() throws {
        let chains = [syntheticChain(expiry: weekly, root: "SPXW", asOf: asOf), syntheticChain(expiry: monthly, root: "SPX", asOf: asOf)]
        let decisions = BaselineCondor.recommend(tradeDate: tradeDate, chains: chains, profile: CondorProfile(name: "m"),
                                                 sizing: SizingPolicy(), distribution: distribution)
        guard case .trade(let c) = try #require(decisions.first) else { Issue.record("expected a trade, got \(decisions)"); return }
        #expect(c.expiry == monthly && c.root == "SPX" && c.daysToExpiry == 32)
        // The chosen strikes are the ones with delta nearest the targets among the 25-point grid.
        let puts = chains[1].options.filter { $0.contract.right == .put && $0.strike < chains[1].forward }
        let best = puts.min { abs($0.greeks.delta + 0.20) < abs($1.greeks.delta + 0.20) }!
        #expect(c.shortPut.strike == best.strike)
        #expect(abs(c.shortPut.greeks.delta + 0.20) < 0.02, "short put delta \(c.shortPut.greeks.delta)")
        #expect(abs(c.shortCall.greeks.delta - 0.20) < 0.02, "short call delta \(c.shortCall.greeks.delta)")
        #expect(abs(c.longPut.greeks.delta + 0.05) < 0.01 && abs(c.longCall.greeks.delta - 0.05) < 0.01)
        #expect(c.longPut.strike < c.shortPut.strike && c.shortPut.strike < c.shortCall.strike && c.shortCall.strike < c.longCall.strike)
    }

    @Test("credit, max loss, break-evens and size follow from the legs")
    func economics() throws {
        let chain = syntheticChain(expiry: monthly, root: "SPX", asOf: asOf)
        let sizing = SizingPolicy(capitalUSD: 2_500_000, maxRiskFraction: 0.03)
        let decisions = BaselineCondor.recommend(tradeDate: tradeDate, chains: [chain], profile: CondorProfile(name: "m", slippageFraction: 1),
                                                 sizing: sizing, distribution: distribution)
        guard case .trade(let c) = try #require(decisions.first) else { Issue.record("expected a trade"); return }
        // Slippage 1 fills at the natural prices.
        let natural = c.shortPut.bid + c.shortCall.bid - c.longPut.ask - c.longCall.ask
        #expect(abs(c.creditPoints - natural) < 1e-12)
        #expect(c.midCreditPoints > c.creditPoints)
        let wing = max(c.shortPut.strike - c.longPut.strike, c.longCall.strike - c.shortCall.strike)
        #expect(abs(c.maxLossPoints - (wing - c.creditPoints)) < 1e-12)
        #expect(c.breakevenLow == c.shortPut.strike - c.creditPoints && c.breakevenHigh == c.shortCall.strike + c.creditPoints)
        #expect(c.contracts == Int((75_000 / (c.maxLossPoints * 100)).rounded(.down)))
        #expect(c.contracts >= 1 && Double(c.contracts) * c.maxLossPoints * 100 <= 75_000)
        // POP is the lognormal mass between the break-evens.
        let d = FlatLognormal(forward: chain.forward, stdDev: 0.16 * chain.timeToExpiryYears.squareRoot())
        #expect(abs(c.probabilityOfProfit - (d.probabilityBelow(c.breakevenHigh) - d.probabilityBelow(c.breakevenLow))) < 1e-12)
        #expect(c.probabilityOfProfit > 0.5 && c.probabilityOfProfit < 0.95)
        // Risk-neutral expected P&L is the slippage given away against the mid, carried to expiry.
        let expected = (c.creditPoints - c.midCreditPoints) / chain.discount * Double(c.contracts) * 100
        #expect(abs(c.expectedPnlUSD - expected) < 1e-9 && c.expectedPnlUSD < 0)
        // Short premium: negative vega and gamma, positive theta.
        #expect(c.netVegaUSD < 0 && c.netGammaUSD < 0 && c.netThetaUSD > 0)
        let perUnitVega = c.longPut.greeks.vegaPerVolPoint + c.longCall.greeks.vegaPerVolPoint
            - c.shortPut.greeks.vegaPerVolPoint - c.shortCall.greeks.vegaPerVolPoint
        #expect(abs(c.netVegaUSD - perUnitVega * Double(c.contracts) * 100) < 1e-9)
    }

    @Test("no expiry in the window gives one no_trade with the reason")
    func noExpiryInWindow() {
        let chains = [syntheticChain(expiry: weekly, root: "SPXW", asOf: asOf)]
        let decisions = BaselineCondor.recommend(tradeDate: tradeDate, chains: chains, profile: CondorProfile(name: "m"),
                                                 sizing: SizingPolicy(), distribution: distribution)
        #expect(decisions == [.noTrade(reason: "no standard monthly expiry with 25-45 days to expiry from 2026-07-20")])
    }

    @Test("a risk budget below one condor's max loss gives no_trade")
    func budgetTooSmall() {
        let chains = [syntheticChain(expiry: monthly, root: "SPX", asOf: asOf)]
        let decisions = BaselineCondor.recommend(tradeDate: tradeDate, chains: chains, profile: CondorProfile(name: "m"),
                                                 sizing: SizingPolicy(capitalUSD: 100_000, maxRiskFraction: 0.02), distribution: distribution)
        guard case .noTrade(let reason) = decisions.first else { Issue.record("expected no_trade, got \(decisions)"); return }
        #expect(reason.contains("risk budget $2000.00 is below one condor's max loss"), "\(reason)")
    }

    @Test("a chain without bids near the short delta gives no_trade")
    func noBids() {
        var chain = syntheticChain(expiry: monthly, root: "SPX", asOf: asOf)
        chain.options = chain.options.map { var o = $0; o.bid = 0; return o }
        let decisions = BaselineCondor.recommend(tradeDate: tradeDate, chains: [chain], profile: CondorProfile(name: "m"),
                                                 sizing: SizingPolicy(), distribution: distribution)
        #expect(decisions == [.noTrade(reason: "SPX 2026-08-21: no two-sided out-of-the-money quotes near 0.2 delta")])
    }

    @Test("alternates are other expiries in the window, nearest the window's middle first")
    func alternates() throws {
        let second = CalendarDate(iso: "2026-09-18")!  // 60 DTE: outside 25-45
        let chains = [syntheticChain(expiry: monthly, root: "SPX", asOf: asOf), syntheticChain(expiry: second, root: "SPX", asOf: asOf),
                      syntheticChain(expiry: weekly, root: "SPXW", asOf: asOf)]
        let profile = CondorProfile(name: "any", dteRange: 20...70, monthlyOnly: false, alternates: 2)
        let decisions = BaselineCondor.recommend(tradeDate: tradeDate, chains: chains, profile: profile, sizing: SizingPolicy(),
                                                 distribution: distribution)
        let expiries = decisions.compactMap { if case .trade(let c) = $0 { return c.expiry } else { return nil } }
        #expect(expiries == [monthly, second, weekly])  // 32, 60 and 25 DTE are 13, 15 and 20 days from 45
    }
}
