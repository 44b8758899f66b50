import Foundation
import Testing
import VixShieldCore
import VolMath
@testable import Strategy

/// A chain whose mids obey parity exactly (Black-76 on one forward and discount), with bid and ask rounded
/// outward to the tick, so no conversion, reversal or box pays after the spread.
func parityChain(expiry: CalendarDate, forward: Double, rate: Double, t: Double, vol: Double, step: Double,
                 halfSpread: Double) -> ExpiryChain {
    let discount = exp(-rate * t)
    var options: [PricedOption] = []
    for k in stride(from: (forward * 0.8 / step).rounded() * step, through: forward * 1.2, by: step) {
        for right in OptionRight.allCases {
            let price = Black76.price(right: right, forward: forward, strike: k, stdDev: vol * t.squareRoot(), discount: discount)
            let bid = max(((price - halfSpread) / 0.05).rounded(.down) * 0.05, 0)
            let ask = max(((price + halfSpread) / 0.05).rounded(.up) * 0.05, 0.05)
            options.append(PricedOption(contract: OptionContract(root: "SPX", expiry: expiry, right: right, strikeMilli: Int((k * 1000).rounded())),
                                        bid: bid, ask: ask, impliedVolatility: vol,
                                        greeks: Greeks(delta: 0, gamma: 0, vegaPerVolPoint: 0, thetaPerDay: 0), openInterest: 100))
        }
    }
    return ExpiryChain(expiry: expiry, root: "SPX", timeToExpiryYears: t, forward: forward, discount: discount, options: options)
}

/// Every box by brute force over all strike pairs: the reference for the scan's linear-time search.
func bruteForceBoxes(_ chain: ExpiryChain) -> (long: Double, short: Double) {
    var calls: [Double: PricedOption] = [:], puts: [Double: PricedOption] = [:]
    for o in chain.options { if o.contract.right == .call { calls[o.strike] = o } else { puts[o.strike] = o } }
    let strikes = calls.keys.filter { puts[$0] != nil }.sorted()
    var bestLong = -Double.infinity, bestShort = -Double.infinity
    for (i, k1) in strikes.enumerated() {
        for k2 in strikes[(i + 1)...] {
            let c1 = calls[k1]!, p1 = puts[k1]!, c2 = calls[k2]!, p2 = puts[k2]!
            let value = chain.discount * (k2 - k1)
            if c2.bid > 0 && p1.bid > 0 { bestLong = max(bestLong, value - (c1.ask - c2.bid + p2.ask - p1.bid)) }
            if c1.bid > 0 && p2.bid > 0 { bestShort = max(bestShort, (c1.bid - c2.ask + p2.bid - p1.ask) - value) }
        }
    }
    return (bestLong, bestShort)
}

@Suite("Parity scan")
struct ParityScanTests {
    let expiry = CalendarDate(iso: "2026-08-21")!

    @Test("clean chains have no findings over seeded random markets")
    func cleanChains() {
        var state: UInt64 = 0xB0C5_2026
        func uniform() -> Double { Double(SplitMix64.mix(&state) >> 11) / Double(1 << 53) }
        for trial in 0..<25 {
            let seedState = state
            let chain = parityChain(expiry: expiry, forward: 4000 + 3000 * uniform(), rate: 0.08 * uniform(), t: 0.02 + uniform(),
                                    vol: 0.08 + 0.5 * uniform(), step: [5.0, 10, 25][trial % 3], halfSpread: 0.05 + 0.5 * uniform())
            let findings = ParityScan.scan([chain])
            #expect(findings.isEmpty, "trial \(trial) (SplitMix64 state \(seedState)): \(findings.prefix(3))")
            // The brute-force boxes agree there is nothing to take.
            let boxes = bruteForceBoxes(chain)
            #expect(boxes.long < 0 && boxes.short < 0, "trial \(trial) (state \(seedState)): boxes \(boxes)")
        }
    }

    @Test("an injected put-call parity violation is found with its edge after costs, and as a box")
    func injectedConversion() throws {
        var chain = parityChain(expiry: expiry, forward: 6300, rate: 0.04, t: 0.09, vol: 0.16, step: 25, halfSpread: 0.2)
        // Mark the 6300 put two points too cheap: sell the call at the bid, buy the put at the ask, long the forward.
        let i = try #require(chain.options.firstIndex { $0.contract.right == .put && $0.strike == 6300 })
        chain.options[i].bid -= 2
        chain.options[i].ask -= 2
        let call = try #require(chain.options.first { $0.contract.right == .call && $0.strike == 6300 })
        let put = chain.options[i]
        let expected = call.bid - put.ask - chain.discount * (chain.forward - 6300)
        #expect(expected > 1, "injected edge \(expected)")

        let findings = ParityScan.scan([chain])
        let conversions = findings.filter { $0.kind == .conversion }
        #expect(conversions.count == 1)
        let c = try #require(conversions.first)
        #expect(c.lowerStrike == 6300 && c.upperStrike == 6300 && c.expiry == expiry && c.root == "SPX")
        #expect(abs(c.edgePoints - expected) < 1e-9, "edge \(c.edgePoints) expected \(expected)")
        #expect(findings.filter { $0.kind == .reversal }.isEmpty)
        // The cheap put also makes a long box with 6300 as its upper strike pay; it matches the brute force.
        let box = try #require(findings.first { $0.kind == .longBox })
        #expect(box.upperStrike == 6300 && box.lowerStrike < 6300)
        #expect(abs(box.edgePoints - bruteForceBoxes(chain).long) < 1e-9, "box \(box.edgePoints) brute force \(bruteForceBoxes(chain))")
        // A threshold above the edge silences the conversion.
        #expect(ParityScan.scan([chain], minimumEdgePoints: expected + 0.01).allSatisfy { $0.kind != .conversion })
    }

    @Test("an injected reversal is found; untradeable quotes and bad chains are skipped without traps")
    func injectedReversalAndBadInput() throws {
        var chain = parityChain(expiry: expiry, forward: 6300, rate: 0.04, t: 0.09, vol: 0.16, step: 25, halfSpread: 0.2)
        let i = try #require(chain.options.firstIndex { $0.contract.right == .call && $0.strike == 6200 })
        chain.options[i].bid -= 3
        chain.options[i].ask -= 3
        let findings = ParityScan.scan([chain])
        let r = try #require(findings.first { $0.kind == .reversal })
        let put = try #require(chain.options.first { $0.contract.right == .put && $0.strike == 6200 })
        #expect(r.lowerStrike == 6200 && abs(r.edgePoints - (chain.discount * (chain.forward - 6200) - chain.options[i].ask + put.bid)) < 1e-9)
        let box = try #require(findings.first { $0.kind == .shortBox })
        #expect(abs(box.edgePoints - bruteForceBoxes(chain).short) < 1e-9)

        var bad = chain
        bad.options[i].ask = .nan
        bad.forward = .infinity
        var crossed = parityChain(expiry: expiry, forward: 6300, rate: 0.04, t: 0.09, vol: 0.16, step: 25, halfSpread: 0.2)
        for j in crossed.options.indices { crossed.options[j].bid = crossed.options[j].ask + 5 }
        #expect(ParityScan.scan([bad, crossed], minimumEdgePoints: .nan).isEmpty)
    }
}
