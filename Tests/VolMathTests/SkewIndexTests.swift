import Foundation
import Testing
import VixShieldCore
@testable import VolMath

/// The Cboe SKEW computation (`ModelFreeVariance.skewness`) on chains priced off known smiles.
@Suite("Risk-neutral skewness (Cboe SKEW method)")
struct SkewIndexTests {
    /// One 30-day SPXW expiry priced off an SSVI smile with 1-point strikes, as a model-free term.
    static func term(rho: Double, eta: Double, atmVolatility: Double) throws -> ModelFreeTerm {
        let session = CalendarDate(iso: "2026-07-13")!
        var spec = SyntheticChain.Spec()
        spec.rho = rho
        spec.eta = eta
        spec.atmVolatility = atmVolatility
        spec.strikeStep = 1
        spec.stdDevsBelow = 9
        spec.stdDevsAbove = 9
        spec.halfSpreadMinimum = 0.005
        spec.halfSpreadFraction = 0
        spec.tick = 0.01
        let (chain, truth) = SyntheticChain.build(session: session, valuationTime: EasternTime.close(on: session),
                                                  expiries: [(session.adding(days: 30), "SPXW")], spec: spec)
        return try ModelFreeVariance.term(strikes: StrikeQuotes.table(from: chain.quotes), timeToExpiryYears: truth[0].timeToExpiryYears,
                                          rate: spec.rate)
    }

    @Test("a flat smile (lognormal prices, normal log return) has no skewness")
    func flatSmile() throws {
        // η → 0 flattens the SSVI smile to the ATM level: Black–Scholes prices, whose log return is normal.
        for vol in [0.10, 0.20, 0.40] {
            let s = ModelFreeVariance.skewness(try Self.term(rho: 0, eta: 1e-6, atmVolatility: vol))
            #expect(abs(s) < 0.02, "skewness \(s) at a flat \(vol) smile (tolerance 0.02: strike grid and tick rounding)")
        }
    }

    @Test("a steeper put wing gives a more negative skewness, i.e. a higher SKEW")
    func steeperSkew() throws {
        let skews = try [-0.2, -0.5, -0.8].map { ModelFreeVariance.skewness(try Self.term(rho: $0, eta: 1.2, atmVolatility: 0.15)) }
        #expect(skews[0] < 0 && skews[1] < skews[0] && skews[2] < skews[1], "\(skews)")
        let t = try Self.term(rho: -0.5, eta: 1.2, atmVolatility: 0.15)
        // One term both sides of 30 days: the interpolation returns that term's SKEW.
        #expect(abs(ModelFreeVariance.skewIndex(near: t, nearMinutes: 40_000, next: t, nextMinutes: 50_000, targetMinutes: 43_200)
                    - (100 - 10 * skews[1])) < 1e-9)
    }
}
