import Foundation
import Testing
@testable import Simulator
import VixShieldCore
import VolMath

@Suite("Simulator internals")
struct InternalsTests {
    @Test func generatorIsReproducibleAndStreamsAreIndependent() {
        var a = SeededRandom(seed: 42, stream: 1), b = SeededRandom(seed: 42, stream: 1)
        var c = SeededRandom(seed: 42, stream: 2), d = SeededRandom(seed: 43, stream: 1)
        let xs = (0..<64).map { _ in a.next() }
        #expect(xs == (0..<64).map { _ in b.next() })
        #expect(xs != (0..<64).map { _ in c.next() })
        #expect(xs != (0..<64).map { _ in d.next() })
        #expect(Set(xs).count == 64)
    }

    /// xoshiro256** from state (1, 2, 3, 4): the first outputs of the authors' reference C code
    /// (prng.di.unimi.it/xoshiro256starstar.c), as tabulated in rand_xoshiro's tests.
    @Test func generatorMatchesTheReferenceXoshiro256StarStar() {
        var rng = SeededRandom(rawState: (1, 2, 3, 4))
        let expected: [UInt64] = [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360, 607_988_272_756_665_600]
        #expect((0..<6).map { _ in rng.next() } == expected)
    }

    /// Moments of 200k normal draws: mean within 5 standard errors of 0, variance within 5 of 1,
    /// and uniforms strictly inside (0, 1).
    @Test(arguments: [UInt64(1), 7, 20_260_713])
    func normalDrawsHaveStandardMoments(seed: UInt64) {
        var rng = SeededRandom(seed: seed, stream: 9)
        let n = 200_000
        var sum = 0.0, sumSquares = 0.0, sumFourth = 0.0
        for _ in 0..<n {
            let z = rng.normal()
            sum += z
            sumSquares += z * z
            sumFourth += z * z * z * z
        }
        let mean = sum / Double(n), variance = sumSquares / Double(n) - mean * mean
        #expect(abs(mean) < 5 / Double(n).squareRoot(), "seed \(seed): mean \(mean)")
        #expect(abs(variance - 1) < 5 * (2 / Double(n)).squareRoot(), "seed \(seed): variance \(variance)")
        #expect(abs(sumFourth / Double(n) - 3) < 0.1, "seed \(seed): kurtosis \(sumFourth / Double(n))")
        for _ in 0..<10_000 {
            let u = rng.uniform()
            #expect(u > 0 && u < 1)
        }
    }

    /// Number spelling, one row per case: (value, decimals, trim) → text.
    @Test(arguments: [
        (1.0, 0, true, "1.0"), (0.05, 2, true, "0.05"), (-0.00001, 4, true, "0.0"), (17.24, 6, false, "17.240000"),
        (1234.5, 2, true, "1234.5"), (-52.466, 2, true, "-52.47"), (0.10000000001, 4, true, "0.1"),
        (4.2, 2, false, "4.20"), (0, 2, true, "0.0"), (978192749, 0, true, "978192749.0"),
    ] as [(Double, Int, Bool, String)])
    func decimalsAreSpelledLikeTheVendor(value: Double, decimals: Int, trim: Bool, expected: String) {
        var b = TextBuffer()
        b.appendDecimal(value, decimals: decimals, trim: trim)
        #expect(String(decoding: b.bytes, as: UTF8.self) == expected, "value \(value), decimals \(decimals), trim \(trim)")
    }

    @Test func datesAndExactNumbersAreSpelledDeterministically() {
        var b = TextBuffer()
        b.appendUSDate(CalendarDate(iso: "2026-07-04")!)
        b.append(" ")
        b.appendExact(0.1)
        b.append(" ")
        b.appendExact(0)
        b.append(" ")
        b.appendInteger(-12)
        #expect(String(decoding: b.bytes, as: UTF8.self) == "07/04/2026 0.1 0.0 -12")
    }

    /// Tick grid (Cboe SPX: 0.05 below 3.00, 0.10 from 3.00), in cents.
    @Test(arguments: [
        (2.99, 295, 300), (3.01, 300, 310), (0.04, 0, 5), (0.051, 5, 10), (12.34, 1230, 1240), (2.95, 295, 295),
    ] as [(Double, Int, Int)])
    func pricesRoundToTheTickGrid(price: Double, floor: Int, ceiling: Int) {
        #expect(Tick.floorCents(price) == floor, "floor of \(price)")
        #expect(Tick.ceilCents(price) == ceiling, "ceiling of \(price)")
    }

    /// For a flat smile the log-contract replication gives back σ²T exactly (Demeterfi et al. 1999); the
    /// quadrature must reproduce it to 1e-7 relative, from a one-day to a three-year slice.
    @Test(arguments: [0.0001, 0.0025, 0.04, 0.2])
    func modelFreeVarianceOfAFlatSmileIsItsTotalVariance(totalVariance: Double) {
        let flat = SVIParameters(a: totalVariance, b: 0, rho: 0, m: 0, sigma: 0.1)
        let w = SurfaceModel.modelFreeTotalVariance(flat)
        #expect(abs(w / totalVariance - 1) < 1e-7, "flat total variance \(totalVariance): replication \(w)")
    }

    /// With skew the model-free variance exceeds the ATM variance, and more nodes change it by < 1e-7.
    @Test func modelFreeVarianceOfASkewedSmileConverges() {
        let model = SurfaceModel(session: CalendarDate(iso: "2026-07-14")!, spot: 6000, rate: 0.04, variance: 0.03,
                                 config: .standard(seed: 1), upcomingEvents: [])
        for days in [1, 9, 30, 93, 365] {
            let slice = model.slice(minutes: days * 1440, expiry: ListedExpiry(root: "SPXW", date: CalendarDate(iso: "2026-07-14")!))
            let coarse = SurfaceModel.modelFreeTotalVariance(slice.svi)
            let fine = SurfaceModel.modelFreeTotalVariance(slice.svi, points: 4000)
            #expect(abs(coarse / fine - 1) < 1e-7, "\(days) days: \(coarse) vs \(fine)")
            #expect(fine > slice.atmTotalVariance * 1.02, "\(days) days")
        }
    }

    @Test func slicesFollowTheVarianceTermStructure() {
        let session = CalendarDate(iso: "2026-07-14")!
        let config = SimulationConfig.standard(seed: 1)
        let calm = SurfaceModel(session: session, spot: 6000, rate: 0.04, variance: 0.01, config: config, upcomingEvents: [])
        let stressed = SurfaceModel(session: session, spot: 6000, rate: 0.04, variance: 0.09, config: config, upcomingEvents: [])
        func atmVol(_ m: SurfaceModel, _ days: Int) -> Double {
            let s = m.slice(minutes: days * 1440, expiry: ListedExpiry(root: "SPXW", date: session))
            return (s.atmTotalVariance / s.timeToExpiryYears).squareRoot()
        }
        // Mean reversion: upward-sloping when variance is low, inverted after a spike.
        #expect(atmVol(calm, 7) < atmVol(calm, 90) && atmVol(calm, 90) < atmVol(calm, 365))
        #expect(atmVol(stressed, 7) > atmVol(stressed, 90) && atmVol(stressed, 90) > atmVol(stressed, 365))
        // The premium: a 1-day implied variance is (1 + vrp) × the spot variance.
        let oneDay = calm.slice(minutes: 1440, expiry: ListedExpiry(root: "SPXW", date: session))
        #expect(abs(oneDay.atmTotalVariance / oneDay.timeToExpiryYears / (0.01 * (1 + config.varianceRiskPremium)) - 1) < 0.01)
        // An event adds its variance only to slices after it.
        let fomc = SimulatedEvent(kind: .fomc, date: CalendarDate(iso: "2026-07-29")!)
        let withEvent = SurfaceModel(session: session, spot: 6000, rate: 0.04, variance: 0.01, config: config, upcomingEvents: [fomc])
        let before = withEvent.slice(for: ListedExpiry(root: "SPXW", date: CalendarDate(iso: "2026-07-28")!))
        let after = withEvent.slice(for: ListedExpiry(root: "SPXW", date: CalendarDate(iso: "2026-07-29")!))
        let amBefore = withEvent.slice(for: ListedExpiry(root: "SPX", date: CalendarDate(iso: "2026-07-29")!))
        #expect(before.eventTotalVariance == 0 && amBefore.eventTotalVariance == 0)  // 09:30 settles before 14:00
        let expected = config.fomcMoveStdDev * config.fomcMoveStdDev * (1 + config.varianceRiskPremium)
        #expect(abs(after.eventTotalVariance - expected) < 1e-15)
    }

    @Test func vxScheduleMatchesPublishedContracts() {
        // Cboe's curve for 14 July 2026 (shared/data/vx_futures/vx_curve_settle_2026-07-14.csv) lists
        // VX28/N6 2026-07-15, VX/N6 2026-07-22, VX30/N6 2026-07-29, VX31/Q6 2026-08-05, VX32/Q6
        // 2026-08-12, VX/Q6 2026-08-19, VX34/Q6 2026-08-26, VX/U6 2026-09-16 … VX/H7 2027-03-17.
        var config = SimulationConfig.standard(seed: 1)
        config.vxWeeklyHorizonDays = 43
        let curve = VXSchedule.curve(on: CalendarDate(iso: "2026-07-14")!, config: config)
        let text = curve.map { "\($0.symbol) \($0.expiry)" }
        #expect(Array(text.prefix(8)) == ["VX28/N6 2026-07-15", "VX/N6 2026-07-22", "VX30/N6 2026-07-29", "VX31/Q6 2026-08-05",
                                           "VX32/Q6 2026-08-12", "VX/Q6 2026-08-19", "VX34/Q6 2026-08-26", "VX/U6 2026-09-16"])
        #expect(text.last == "VX/H7 2027-03-17")
        #expect(curve.first { $0.symbol == "VX/N6" }?.futuresLabel == "N (Jul 2026)")
        #expect(curve.first { $0.symbol == "VX/F7" }?.historyFileName == "CFE_F27_VX.csv")
    }
}
