import Foundation
import Testing
import VixShieldTestSupport
@testable import VolMath

@Suite("SVI slices: fit, butterfly and calendar checks")
struct SVIFitTests {
    /// Axel Vogt's raw SVI slice from Gatheral & Jacquier, "Arbitrage-free SVI volatility surfaces"
    /// (Quantitative Finance 2014), §5.1: a = −0.0410, b = 0.1331, ρ = 0.3060, m = 0.3586, σ = 0.4153, T = 1;
    /// its g(k) is negative on part of k ∈ [−1.5, 1.5] (their Figure 1).
    static let vogt = SVIParameters(a: -0.0410, b: 0.1331, rho: 0.3060, m: 0.3586, sigma: 0.4153)

    @Test func vogtSliceHasButterflyArbitrage() {
        let grid = logMoneynessGrid(from: -1.5, to: 1.5, count: 601)
        let worst = Self.vogt.minimumButterfly(over: grid)
        #expect(Self.vogt.isAdmissible)
        #expect(worst.value < 0, "min g = \(worst)")
        // A standard well-behaved slice has none.
        let good = SVIParameters(a: 0.02, b: 0.1, rho: -0.5, m: 0.0, sigma: 0.2)
        #expect(good.minimumButterfly(over: grid).value > 0)
    }

    static var vogtPoints: [SVIPoint] {
        stride(from: -1.0, through: 1.0, by: 0.05).map {
            SVIPoint(logMoneyness: $0, totalVariance: Self.vogt.totalVariance(atLogMoneyness: $0), weight: 1)
        }
    }

    /// The penalized refit removes the arbitrage and replaces the first fit.
    @Test func fitToVogtSliceIsRepaired() throws {
        let slice = try SVIFit.fit(points: Self.vogtPoints, timeToExpiryYears: 1)
        #expect(slice.repaired, "\(slice)")
        #expect(slice.minimumButterfly >= -1e-6, "\(slice)")
        // Repair costs some fit quality but stays close: the arbitrage is a small wiggle.
        #expect(slice.rmseVolPoints < 2, "\(slice)")
    }

    /// The constrained refit always replaces an arbitrageable fit; whether the quotes themselves carry the
    /// arbitrage is judged on their bid/ask: exact Vogt data (a known butterfly arbitrage, Gatheral &
    /// Jacquier 2014 §4) with tight bands cannot be met arbitrage-free; with wide bands it can.
    @Test(arguments: [(0.05, true), (5.0, false)])
    func arbitrageInTheQuotesIsJudgedOnBidAsk(halfBandVolPoints: Double, flagged: Bool) throws {
        let points = Self.vogtPoints.map { p -> SVIPoint in
            let vol = p.totalVariance.squareRoot()
            let lo = max(vol - halfBandVolPoints / 100, 0), hi = vol + halfBandVolPoints / 100
            return SVIPoint(logMoneyness: p.logMoneyness, totalVariance: p.totalVariance, weight: 1,
                            totalVarianceBid: lo * lo, totalVarianceAsk: hi * hi)
        }
        // Either way the arbitrage-free refit replaces the first fit; with tight bands it leaves them by
        // more than `bandExcessToleranceVolPoints` (flagged), with wide bands it stays inside (not flagged).
        // Vogt's arbitrage is a small wiggle (the refit costs ~0.45 vol points RMS outside 0.05-point bands),
        // so the tolerance is set below it here.
        var config = SVIFitConfig()
        config.bandExcessToleranceVolPoints = 0.2
        let slice = try SVIFit.fit(points: points, timeToExpiryYears: 1, config: config)
        #expect(slice.firstFitHadButterflyArbitrage, "\(slice)")
        #expect(slice.repaired && slice.minimumButterfly >= 0, "\(slice)")
        #expect(slice.quotesImplyArbitrage == flagged,
                "half band \(halfBandVolPoints): band excess \(slice.bandExcessVolPoints) vs \(slice.unconstrainedBandExcessVolPoints)")
    }

    /// Exact points from a known SVI are fitted back to the same parameters.
    @Test(arguments: [
        (SVIParameters(a: 0.04, b: 0.4, rho: -0.4, m: 0.05, sigma: 0.1), 1.0),
        (SVIParameters(a: 0.002, b: 0.08, rho: -0.7, m: 0.01, sigma: 0.03), 0.08),
        (SVIParameters(a: 0.0001, b: 0.02, rho: -0.2, m: 0.002, sigma: 0.01), 2.0 / 365),
    ])
    func roundTripKnownSlice(truth: SVIParameters, t: Double) throws {
        let width = 4 * truth.totalVariance(atLogMoneyness: 0).squareRoot()
        let points = logMoneynessGrid(from: -1.5 * width, to: width, count: 60).map {
            SVIPoint(logMoneyness: $0, totalVariance: truth.totalVariance(atLogMoneyness: $0), weight: 1)
        }
        let slice = try SVIFit.fit(points: points, timeToExpiryYears: t)
        let p = slice.parameters
        #expect(slice.rmseVolPoints < 1e-3, "\(slice) vs \(truth)")
        #expect(abs(p.rho - truth.rho) < 1e-3 && abs(p.m - truth.m) < 1e-3 * max(width, 0.01) * 10
                && abs(p.sigma - truth.sigma) / truth.sigma < 1e-2 && abs(p.b - truth.b) / truth.b < 1e-2, "\(p) vs \(truth)")
        #expect(!slice.hasButterflyArbitrage && !slice.repaired)
    }

    /// Noisy points (seeded): the fit's RMSE is at the noise level.
    @Test func noisyFit() throws {
        let seed: UInt64 = 99
        var rng = SeededGenerator(seed: seed)
        let truth = SVIParameters(a: 0.01, b: 0.15, rho: -0.6, m: 0.02, sigma: 0.08)
        let t = 0.25
        let points = logMoneynessGrid(from: -0.6, to: 0.3, count: 80).map { k -> SVIPoint in
            let vol = truth.volatility(atLogMoneyness: k, timeToExpiryYears: t) + rng.uniform(-0.002, 0.002)
            return SVIPoint(logMoneyness: k, totalVariance: vol * vol * t, weight: 1)
        }
        let slice = try SVIFit.fit(points: points, timeToExpiryYears: t)
        // Uniform noise of ±0.2 vol points has an RMS of 0.115.
        #expect(slice.rmseVolPoints < 0.13 && slice.maxErrorVolPoints < 0.3, "seed \(seed): \(slice)")
    }

    @Test func calendarCheckAndRepair() throws {
        let short = SVIParameters(a: 0.01, b: 0.1, rho: -0.5, m: 0, sigma: 0.1)
        // A later slice that dips below the short one on the downside wing.
        let long = SVIParameters(a: 0.0125, b: 0.06, rho: -0.2, m: 0, sigma: 0.1)
        let grid = logMoneynessGrid(from: -1, to: 1, count: 201)
        let found = CalendarCheck.violations(slices: [(0.1, short), (0.2, long)], grid: grid)
        #expect(found.count == 1 && found.first?.laterIndex == 1 && (found.first?.logMoneyness ?? 0) < 0, "\(found)")
        #expect(CalendarCheck.violations(slices: [(0.1, short), (0.2, short)], grid: grid).isEmpty)
        // Later-expiry data = the short slice + 0.002 except a dip of 0.005 around the money that crosses
        // below it; the unbounded fit follows the dip, the bounded fit must stay above the short slice.
        let points = logMoneynessGrid(from: -0.8, to: 0.5, count: 40).map { k in
            SVIPoint(logMoneyness: k, totalVariance: short.totalVariance(atLogMoneyness: k) + 0.002 - (abs(k) < 0.1 ? 0.005 : 0), weight: 1)
        }
        let unbounded = try SVIFit.fit(points: points, timeToExpiryYears: 0.2)
        let bounded = try SVIFit.fit(points: points, timeToExpiryYears: 0.2, lowerBound: short)
        // Calendar spreads are checked where the later slice has quotes.
        let quoted = logMoneynessGrid(from: -0.8, to: 0.5, count: 131)
        let before = CalendarCheck.violations(slices: [(0.1, short), (0.2, unbounded.parameters)], grid: quoted).first?.totalVarianceShortfall ?? 0
        let after = CalendarCheck.violations(slices: [(0.1, short), (0.2, bounded.parameters)], grid: quoted).first?.totalVarianceShortfall ?? 0
        #expect(before > 1e-3, "unbounded fit should cross: \(unbounded)")
        #expect(bounded.repaired)
        #expect(after < 0.05 * before, "shortfall \(after) vs \(before)")
    }

    @Test func errors() {
        #expect(throws: SVIFitError.tooFewPoints(2)) {
            try SVIFit.fit(points: [SVIPoint(logMoneyness: 0, totalVariance: 0.01, weight: 1),
                                    SVIPoint(logMoneyness: 0.1, totalVariance: 0.01, weight: 1)], timeToExpiryYears: 1)
        }
        #expect(throws: SVIFitError.nonPositiveTimeToExpiry) { try SVIFit.fit(points: [], timeToExpiryYears: 0) }
    }

    /// w', w'' against finite differences.
    @Test func derivatives() {
        let p = Self.vogt
        for k in stride(from: -1.0, through: 1.0, by: 0.1) {
            let h = 1e-5
            let d = p.totalVarianceDerivatives(atLogMoneyness: k)
            let fd1 = (p.totalVariance(atLogMoneyness: k + h) - p.totalVariance(atLogMoneyness: k - h)) / (2 * h)
            let fd2 = (p.totalVariance(atLogMoneyness: k + h) - 2 * d.w + p.totalVariance(atLogMoneyness: k - h)) / (h * h)
            #expect(abs(d.dw - fd1) < 1e-8 && abs(d.d2w - fd2) < 1e-4, "k=\(k): \(d) vs \(fd1), \(fd2)")
        }
    }
}
