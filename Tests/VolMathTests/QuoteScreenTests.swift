import Foundation
import Testing
import VixShieldCore
@testable import VolMath

/// The static-arbitrage screen flags the injected bad quotes, not their neighbours.
@Suite("Quote screen")
struct QuoteScreenTests {
    /// Hand-made call strip: 100 → 10.0/10.2, 105 → 6.0/6.2, 110 → 3.0/3.2, 115 → 1.2/1.4, 120 → 0.4/0.6.
    /// A 110 bid of 6.5 is above the 105 ask (vertical) and above the wings' ask chord (butterfly): only it
    /// is removed, though each neighbour shares a violation with it.
    @Test func singleBadBidIsTheCulprit() {
        var quotes = [(100.0, 10.0, 10.2), (105, 6.0, 6.2), (110, 3.0, 3.2), (115, 1.2, 1.4), (120, 0.4, 0.6)]
            .map { QuoteScreen.Quote(strike: $0.0, bid: $0.1, ask: $0.2) }
        #expect(QuoteScreen.screenSide(quotes, right: .call, discount: 1).isEmpty)
        quotes[2].bid = 6.5
        quotes[2].ask = 6.7
        #expect(QuoteScreen.screenSide(quotes, right: .call, discount: 1) == [2])
        // The same strip as puts is read the other way: an increasing price is then fine.
        let puts = [(100.0, 0.4, 0.6), (105, 1.2, 1.4), (110, 3.0, 3.2), (115, 6.0, 6.2), (120, 10.0, 10.2)]
            .map { QuoteScreen.Quote(strike: $0.0, bid: $0.1, ask: $0.2) }
        #expect(QuoteScreen.screenSide(puts, right: .put, discount: 1).isEmpty)
        // A vertical steeper than the discount: 5-wide spread bid 5.2 > D·5 = 4.95.
        let steep = [(100.0, 10.0, 10.2), (105, 4.6, 4.8), (110, 2.0, 2.2)].map { QuoteScreen.Quote(strike: $0.0, bid: $0.1, ask: $0.2) }
        let removed = QuoteScreen.screenSide(steep, right: .call, discount: 0.99)
        #expect(removed.count == 1 && removed.isSubset(of: [0, 1]), "\(removed)")
    }

    /// Seeded: a synthetic (arbitrage-free) chain with bad quotes injected at random strikes; the surface's
    /// screen flags exactly the injected ones.
    @Test(arguments: [11, 12, 13])
    func syntheticChainFlagsExactlyTheInjectedQuotes(seed: UInt64) {
        let session = CalendarDate(year: 2026, month: 7, day: 14)!
        let valuation = EasternTime.close(on: session)
        let expiries = [(CalendarDate(year: 2026, month: 8, day: 21)!, "SPXW"), (CalendarDate(year: 2026, month: 9, day: 18)!, "SPXW")]
        var (chain, _) = SyntheticChain.build(session: session, valuationTime: valuation, expiries: expiries)
        var rng = SeededGenerator(seed: seed)
        var injected = Set<OptionContract>()
        let candidates = chain.quotes.indices.filter { chain.quotes[$0].bid > 1 && chain.quotes[$0].ask < 200 }
        for _ in 0..<4 {
            let i = candidates[Int.random(in: 0..<candidates.count, using: &rng)]
            guard !injected.contains(chain.quotes[i].contract) else { continue }
            // A bid far above the fair price: no neighbour's ask can permit it.
            let lift = max(chain.quotes[i].ask, 2) * Double.random(in: 0.6...1.0, using: &rng)
            chain.quotes[i].bid += lift
            chain.quotes[i].ask += lift
            injected.insert(chain.quotes[i].contract)
        }
        let surface = SurfaceBuilder.build(chain: chain, valuationTime: valuation, fallbackRate: { _ in 0.04 })
        var screened = Set<OptionContract>()
        for e in surface.expiries { for o in e.options where o.arbitrageScreened { screened.insert(o.contract) } }
        #expect(screened == injected, "seed \(seed): extra \(screened.subtracting(injected).map(\.symbol).sorted()), missed \(injected.subtracting(screened).map(\.symbol).sorted())")
        #expect(surface.expiries.reduce(0) { $0 + $1.screenedQuotes } == injected.count, "seed \(seed)")
        let flagged = surface.flaggingScreened(chain)
        #expect(Set(flagged.quotes.filter { $0.flags.contains(.arbitrageScreen) }.map(\.contract)) == injected, "seed \(seed)")
        // Constrained fits of the clean remainder pass the checks.
        for e in surface.expiries where e.slice != nil {
            #expect(!e.flags.contains(.butterflyArbitrage) && !e.flags.contains(.calendarArbitrage), "seed \(seed) \(e.expiry): \(e.flags)")
        }
    }
}
