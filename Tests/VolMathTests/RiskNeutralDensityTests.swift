import Foundation
import Testing
@testable import VolMath

@Suite("Risk-neutral density and probabilities from an SVI slice")
struct RiskNeutralDensityTests {
    /// An SSVI slice (θ = 0.16²·0.25, ρ = −0.7, φ = 1/√θ): butterfly-free.
    static let slice = SyntheticChain.ssvi(theta: 0.0064, rho: -0.7, phi: 1 / 0.08)
    static let rnd = RiskNeutralDistribution(parameters: slice, forward: 5_000)

    /// Trapezoid rule in k.
    static func integrate(from a: Double, to b: Double, steps: Int = 20_000, _ f: (Double) -> Double) -> Double {
        let h = (b - a) / Double(steps)
        var sum = 0.5 * (f(a) + f(b))
        for i in 1..<steps { sum += f(a + Double(i) * h) }
        return sum * h
    }

    @Test func densityIntegratesToOne() {
        let total = Self.integrate(from: -3, to: 2) { Self.rnd.density(atLogMoneyness: $0) }
        #expect(abs(total - 1) < 1e-6, "∫p = \(total)")
        // Its mean is the forward (martingale): E[F_T] = F ∫ e^k p(k) dk.
        let mean = Self.integrate(from: -3, to: 2) { exp($0) * Self.rnd.density(atLogMoneyness: $0) }
        #expect(abs(mean - 1) < 1e-6, "E[F_T]/F = \(mean)")
    }

    @Test(arguments: [4_000.0, 4_600, 4_900, 5_000, 5_100, 5_400])
    func cumulativeMatchesIntegratedDensity(strike: Double) {
        let k = log(strike / 5_000)
        let integrated = Self.integrate(from: -3, to: k) { Self.rnd.density(atLogMoneyness: $0) }
        #expect(abs(Self.rnd.probabilityBelow(strike) - integrated) < 1e-6, "K=\(strike)")
        // Breeden–Litzenberger: the density at K is the second strike derivative of the call.
        let h = 0.5
        let bl = (Self.rnd.undiscountedCall(strike: strike + h) - 2 * Self.rnd.undiscountedCall(strike: strike)
                  + Self.rnd.undiscountedCall(strike: strike - h)) / (h * h)
        #expect(abs(bl - Self.rnd.density(atPrice: strike)) < 1e-4 * max(bl, 1e-6) + 1e-9, "K=\(strike): \(bl)")
    }

    @Test func flatSmileIsLognormal() {
        let flat = RiskNeutralDistribution(parameters: SVIParameters(a: 0.04, b: 0, rho: 0, m: 0, sigma: 0.1), forward: 100)
        for k in [80.0, 100, 120] {
            let d2 = log(100 / k) / 0.2 - 0.1
            #expect(abs(flat.probabilityBelow(k) - Black76.normalCDF(-d2)) < 1e-15)
        }
    }

    @Test func expectedPayoffs() {
        // A call payoff reproduces the call value; a linear payoff the forward.
        let call = PiecewiseLinearPayoff(kinks: [5_100], values: [0], slopeBelow: 0, slopeAbove: 1)
        #expect(abs(Self.rnd.expectedPayoff(call) - Self.rnd.undiscountedCall(strike: 5_100)) < 1e-12)
        let linear = PiecewiseLinearPayoff(kinks: [4_000], values: [4_000], slopeBelow: 1, slopeAbove: 1)
        #expect(abs(Self.rnd.expectedPayoff(linear) - 5_000) < 1e-9)
        // An iron condor against quadrature over the density.
        let condor = PiecewiseLinearPayoff.shortIronCondor(longPut: 4_700, shortPut: 4_800, shortCall: 5_150, longCall: 5_250, credit: 25)
        let quadrature = Self.integrate(from: -3, to: 2, steps: 200_000) { k in
            condor.value(at: 5_000 * exp(k)) * Self.rnd.density(atLogMoneyness: k)
        }
        #expect(abs(Self.rnd.expectedPayoff(condor) - quadrature) < 1e-4, "\(Self.rnd.expectedPayoff(condor)) vs \(quadrature)")
        // Probability of profit: the mass where the payoff is positive, between the break-evens 4775 and 5175.
        let pop = Self.rnd.probability(of: condor)
        #expect(abs(pop - (Self.rnd.probabilityBelow(5_175) - Self.rnd.probabilityBelow(4_775))) < 1e-12)
        let popQuadrature = Self.integrate(from: -3, to: 2, steps: 200_000) { k in
            condor.value(at: 5_000 * exp(k)) > 0 ? Self.rnd.density(atLogMoneyness: k) : 0
        }
        #expect(abs(pop - popQuadrature) < 1e-4, "\(pop) vs \(popQuadrature)")
    }

    @Test func vogtSliceHasNegativeDensity() {
        let rnd = RiskNeutralDistribution(parameters: SVIFitTests.vogt, forward: 100)
        let negative = stride(from: -1.5, through: 1.5, by: 0.005).contains { rnd.density(atLogMoneyness: $0) < 0 }
        #expect(negative)
    }
}
