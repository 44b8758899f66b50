import Foundation
import Testing
import VixShieldTestSupport
@testable import VixShieldCore

@Suite("Rate curve")
struct RateCurveTests {
    func obs(_ iso: String, _ series: String, _ tenor: Double, _ rate: Double) -> RateObservation {
        RateObservation(date: day(iso), series: series, tenorYears: tenor, rate: rate)
    }

    /// Closed forms evaluated independently (Python `math`, double precision): BEY 2·ln(1 + y/2) beyond six
    /// months and ln(1 + y·T)/T up to six months; discount −ln(1 − d·T·365/360)/T; money market
    /// ln(1 + r·T·365/360)/T. Tolerance 1e-14 absolute.
    @Test("quote conventions to continuous compounding", arguments: [
        (RateQuoteConvention.bondEquivalent, 0.05, 1.0, 0.04938522518074283),
        (.bondEquivalent, 0.04, 0.25, 0.03980132341267237),
        (.bondEquivalent, 0.03, 0.5, 0.029777224987501117),  // both BEY branches agree at six months
        (.bankDiscount, 0.05, 91.0 / 365, 0.05101753035441975),
        (.moneyMarket, 0.0533, 1.0 / 365, 0.05403627769091124),
        (.continuous, 0.0421, 3.0, 0.0421),
    ] as [(RateQuoteConvention, Double, Double, Double)])
    func conversions(convention: RateQuoteConvention, quote: Double, tenor: Double, expected: Double) throws {
        let r = try #require(convention.continuouslyCompounded(quote, tenorYears: tenor))
        #expect(abs(r - expected) < 1e-14, "\(convention) quote \(quote) tenor \(tenor): \(r) vs \(expected)")
    }

    @Test("a bill discount rate round-trips to its price")
    func discountRoundTrip() throws {
        let seed: UInt64 = 7
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<500 {
            let d = Double.random(in: -0.005...0.2, using: &rng), days = Double(Int.random(in: 1...364, using: &rng))
            let t = days / 365
            let r = try #require(RateQuoteConvention.bankDiscount.continuouslyCompounded(d, tenorYears: t))
            #expect(abs(exp(-r * t) - (1 - d * days / 360)) < 1e-14, "seed \(seed): d \(d) days \(days)")
        }
        #expect(RateQuoteConvention.bankDiscount.continuouslyCompounded(5, tenorYears: 1) == nil, "price would be negative")
        #expect(RateQuoteConvention.bondEquivalent.continuouslyCompounded(0.05, tenorYears: 0) == nil, "no tenor")
        #expect(RateQuoteConvention.moneyMarket.continuouslyCompounded(.infinity, tenorYears: 1) == nil)
    }

    @Test("linear in tenor between series, flat outside")
    func interpolation() throws {
        let curve = try RateCurve(observations: [
            obs("2024-03-01", "DGS3MO", 0.25, 0.04), obs("2024-03-01", "DGS1", 1, 0.05), obs("2024-03-01", "DGS10", 10, 0.045),
        ])
        let d = day("2024-03-01")
        #expect(abs(try curve.rate(on: d, tenorYears: 0.625) - 0.045) < 1e-15)
        #expect(abs(try curve.rate(on: d, tenorYears: 5.5) - 0.0475) < 1e-15)
        #expect(try curve.rate(on: d, tenorYears: 0.01) == 0.04)
        #expect(try curve.rate(on: d, tenorYears: 30) == 0.045)
        #expect(try curve.rate(on: d, tenorYears: 1) == 0.05)
        #expect(throws: RateCurveError.invalidQueryTenor(0)) { try curve.rate(on: d, tenorYears: 0) }
        #expect(curve.seriesIDs == ["DGS3MO", "DGS1", "DGS10"])
    }

    @Test("last observation on or before the date, within the staleness limit")
    func staleness() throws {
        let curve = try RateCurve(observations: [
            obs("2024-01-02", "A", 0.25, 0.04), obs("2024-01-12", "A", 0.25, 0.041), obs("2024-01-05", "B", 1, 0.05),
        ], maxStalenessDays: 10)
        // 2024-01-15: A from the 12th (3 days), B from the 5th (10 days: still counts).
        #expect(abs(try curve.rate(on: day("2024-01-15"), tenorYears: 0.625) - 0.0455) < 1e-15)
        // 2024-01-16: B is 11 days old and sits out; A alone gives a flat curve.
        #expect(try curve.rate(on: day("2024-01-16"), tenorYears: 1) == 0.041)
        #expect(curve.nodes(on: day("2024-01-16")).map(\.series) == ["A"])
        #expect(curve.nodes(on: day("2024-01-11")).first?.observedOn == day("2024-01-02"))
        #expect(throws: RateCurveError.noFreshObservation(date: day("2024-01-23"), maxStalenessDays: 10)) {
            try curve.rate(on: day("2024-01-23"), tenorYears: 1)
        }
        #expect(throws: RateCurveError.noFreshObservation(date: day("2024-01-01"), maxStalenessDays: 10)) {
            try curve.rate(on: day("2024-01-01"), tenorYears: 1)
        }
    }

    @Test("two series at one tenor: fresher wins, then series id")
    func sameTenor() throws {
        let curve = try RateCurve(observations: [
            obs("2024-01-10", "DTB3", 0.25, 0.052), obs("2024-01-09", "DGS3MO", 0.25, 0.054),
            obs("2024-01-10", "ZZZ", 0.25, 0.060),
        ])
        let nodes = curve.nodes(on: day("2024-01-10"))
        #expect(nodes.count == 1)
        #expect(nodes.first?.series == "DTB3", "DTB3 (10th) is fresher than DGS3MO (9th) and sorts before ZZZ")
        #expect(try curve.rate(on: day("2024-01-09"), tenorYears: 0.25) == 0.054)
    }

    @Test("mixed conventions combine in continuous compounding")
    func mixedConventions() throws {
        let curve = try RateCurve(observations: [obs("2024-01-10", "DFF", 1.0 / 365, 0.0533), obs("2024-01-10", "DGS1", 1, 0.05)],
                                  conventions: ["DFF": .moneyMarket])
        let d = day("2024-01-10")
        let short = try curve.continuousRate(on: d, tenorYears: 1.0 / 365)
        let long = try curve.continuousRate(on: d, tenorYears: 1)
        #expect(abs(short - 0.05403627769091124) < 1e-14)
        #expect(abs(long - 0.04938522518074283) < 1e-14)
        let mid = 0.5
        let w = (mid - 1.0 / 365) / (1 - 1.0 / 365)
        #expect(abs(try curve.continuousRate(on: d, tenorYears: mid) - (short + w * (long - short))) < 1e-15)
        #expect(abs(try curve.discountFactor(on: d, tenorYears: 1) - 1 / (1.025 * 1.025)) < 1e-14)
    }

    @Test("bad inputs are typed errors")
    func badInputs() {
        #expect(throws: RateCurveError.noObservations) { try RateCurve(observations: []) }
        #expect(throws: RateCurveError.inconsistentTenor(series: "X", tenorsYears: [0.25, 0.5])) {
            try RateCurve(observations: [obs("2024-01-02", "X", 0.25, 0.04), obs("2024-01-03", "X", 0.5, 0.04)])
        }
        #expect(throws: RateCurveError.invalidTenor(series: "X", tenorYears: 0)) {
            try RateCurve(observations: [obs("2024-01-02", "X", 0, 0.04)])
        }
        #expect(throws: RateCurveError.duplicateObservation(series: "X", date: day("2024-01-02"))) {
            try RateCurve(observations: [obs("2024-01-02", "X", 1, 0.04), obs("2024-01-02", "X", 1, 0.05)])
        }
        #expect(throws: RateCurveError.nonFiniteRate(series: "X", date: day("2024-01-02"))) {
            try RateCurve(observations: [obs("2024-01-02", "X", 1, .nan)])
        }
        #expect(throws: RateCurveError.unconvertible(series: "X", date: day("2024-01-02"), rate: 5)) {
            try RateCurve(observations: [obs("2024-01-02", "X", 1, 5)], defaultConvention: .bankDiscount)
        }
        #expect(RateCurveError.noFreshObservation(date: day("2024-01-02"), maxStalenessDays: 10).description
            == "rate curve: no series has an observation within 10 days on or before 2024-01-02")
    }

    @Test("random curves: input order is irrelevant and rates stay within the nodes")
    func randomCurves() throws {
        let seed: UInt64 = 42
        var rng = SeededGenerator(seed: seed)
        let tenors = [1.0 / 365, 1.0 / 12, 0.25, 0.5, 1, 2, 5, 10, 30]
        for trial in 0..<40 {
            var observations: [RateObservation] = []
            for (i, tenor) in tenors.enumerated() where Bool.random(using: &rng) || i == 0 {
                for offset in 0..<20 where Int.random(in: 0..<4, using: &rng) > 0 {
                    observations.append(RateObservation(date: day("2024-02-01").adding(days: offset), series: "S\(i)",
                                                        tenorYears: tenor, rate: Double.random(in: -0.01...0.1, using: &rng)))
                }
            }
            guard !observations.isEmpty else { continue }
            let a = try RateCurve(observations: observations)
            let b = try RateCurve(observations: observations.shuffled(using: &rng))
            for _ in 0..<20 {
                let date = day("2024-02-01").adding(days: Int.random(in: 0..<35, using: &rng))
                let t = Double.random(in: 0.001...40, using: &rng)
                let nodes = a.nodes(on: date)
                guard let lo = nodes.map(\.rate).min(), let hi = nodes.map(\.rate).max() else {
                    #expect(throws: RateCurveError.self, "seed \(seed) trial \(trial)") { try a.rate(on: date, tenorYears: t) }
                    continue
                }
                let r = try a.rate(on: date, tenorYears: t)
                #expect(r == (try b.rate(on: date, tenorYears: t)), "seed \(seed) trial \(trial) \(date) t \(t)")
                #expect(r >= lo - 1e-15 && r <= hi + 1e-15, "seed \(seed) trial \(trial) \(date) t \(t): \(r) outside [\(lo), \(hi)]")
            }
        }
    }
}
