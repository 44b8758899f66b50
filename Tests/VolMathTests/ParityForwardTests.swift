import Foundation
import Testing
import VixShieldTestSupport
import VixShieldCore
@testable import VolMath

@Suite("Forward and discount from put-call parity")
struct ParityForwardTests {
    /// Black-76 mids on a 5-point grid with noise inside the spread, plus optional outliers.
    static func pairs(forward: Double, discount: Double, t: Double, seed: UInt64, outliers: [Double: Double] = [:]) -> [ParityPair] {
        var rng = SeededGenerator(seed: seed)
        return stride(from: forward * 0.8, through: forward * 1.2, by: 5).map { raw in
            let k = (raw / 5).rounded() * 5
            let s = 0.2 * t.squareRoot()
            let spread = 0.2 + 0.02 * abs(k - forward)
            let c = Black76.price(right: .call, forward: forward, strike: k, stdDev: s, discount: discount) + rng.uniform(-0.25, 0.25) * spread
            let p = Black76.price(right: .put, forward: forward, strike: k, stdDev: s, discount: discount) + rng.uniform(-0.25, 0.25) * spread
            return ParityPair(strike: k, callMid: c + (outliers[k] ?? 0), putMid: p, combinedSpread: 2 * spread)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func recoversForwardAndDiscount(seed: UInt64) {
        let t = 0.25, forward = 5_012.37, discount = exp(-0.043 * t)
        let est = ParityForward.estimate(pairs: Self.pairs(forward: forward, discount: discount, t: t, seed: seed,
                                                           outliers: [5_000: 6.0, 4_990: -4.0]),
                                         timeToExpiryYears: t, fallbackRate: 0.01, spot: 5_000)
        #expect(est.method == .parityRegression, "seed \(seed): \(est)")
        #expect(abs(est.forward - forward) < 0.05, "seed \(seed): \(est)")
        #expect(abs(est.impliedRate(timeToExpiryYears: t) - 0.043) < 0.01, "seed \(seed): \(est)")
        #expect(!est.strikesUsed.contains(5_000) && !est.strikesUsed.contains(4_990), "seed \(seed): outliers kept \(est.strikesUsed)")
        #expect(est.strikesUsed.count >= 10)
    }

    @Test func exactDataGivesExactAnswer() {
        let t = 0.5, forward = 101.5, discount = 0.98
        let pairs = [90.0, 95, 100, 105, 110].map { k in
            ParityPair(strike: k, callMid: Black76.price(right: .call, forward: forward, strike: k, stdDev: 0.1, discount: discount),
                       putMid: Black76.price(right: .put, forward: forward, strike: k, stdDev: 0.1, discount: discount),
                       combinedSpread: 0.1)
        }
        let est = ParityForward.estimate(pairs: pairs, timeToExpiryYears: t, fallbackRate: 0.0, spot: 100)
        #expect(abs(est.forward - forward) < 1e-9 && abs(est.discount - discount) < 1e-12, "\(est)")
        #expect(est.residualRMS < 1e-9)
    }

    @Test func shortExpiryUsesCurveDiscount() {
        let t = 2.0 / 365, forward = 5_003.0
        let est = ParityForward.estimate(pairs: Self.pairs(forward: forward, discount: exp(-0.04 * t), t: t, seed: 9),
                                         timeToExpiryYears: t, fallbackRate: 0.04, spot: 5_000)
        #expect(est.method == .parityWithCurveDiscount)
        #expect(est.discount == exp(-0.04 * t))
        #expect(abs(est.forward - forward) < 0.05, "\(est)")
    }

    @Test func implausibleSlopeFallsBackToCurveDiscount() {
        // Parity data generated with a 40 % rate: the forward is still read, the discount is not believed.
        let t = 0.5, forward = 5_100.0
        let est = ParityForward.estimate(pairs: Self.pairs(forward: forward, discount: exp(-0.4 * t), t: t, seed: 11),
                                         timeToExpiryYears: t, fallbackRate: 0.04, spot: 5_000)
        #expect(est.method == .parityWithCurveDiscount, "\(est)")
        #expect(est.discount == exp(-0.04 * t))
        #expect(est.note != nil)
    }

    @Test func tooFewPairsFallsBackToSpotAndCurve() {
        let est = ParityForward.estimate(pairs: [ParityPair(strike: 100, callMid: 5, putMid: 4, combinedSpread: 0.2)],
                                         timeToExpiryYears: 1, fallbackRate: 0.05, spot: 100)
        #expect(est.method == .rateCurve)
        #expect(abs(est.forward - 100 * exp(0.05)) < 1e-12 && abs(est.discount - exp(-0.05)) < 1e-15)
        #expect(est.strikesUsed.isEmpty)
    }

    @Test func pairsFromQuotesSkipUnusableAndOneSided() {
        let expiry = CalendarDate(year: 2026, month: 8, day: 21)!
        func q(_ right: OptionRight, _ k: Int, _ bid: Double, _ ask: Double, _ flags: QuoteFlags = []) -> OptionQuote {
            OptionQuote(contract: OptionContract(root: "SPXW", expiry: expiry, right: right, strikeMilli: k * 1000),
                        bid: bid, ask: ask, flags: flags)
        }
        let quotes = [q(.call, 100, 5, 5.2), q(.put, 100, 4, 4.4), q(.call, 105, 2, 2.2), q(.put, 105, 0, 6.1, .zeroBid),
                      q(.call, 110, 1, 1.1), q(.put, 110, 10, 10.5, .crossed)]
        let pairs = ParityPair.pairs(from: quotes)
        #expect(pairs.count == 1 && pairs.first?.strike == 100, "\(pairs)")
        #expect(abs((pairs.first?.combinedSpread ?? 0) - 0.6) < 1e-12 && abs((pairs.first?.callMid ?? 0) - 5.1) < 1e-12)
    }
}
