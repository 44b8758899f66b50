import Foundation
import Testing
import VixShieldCore
@testable import VolMath

/// The Cboe VIX white paper's worked examples (see `/work/shared/reference/vix-whitepaper/README.md`).
@Suite("Model-free variance (Cboe VIX method)")
struct ModelFreeVarianceTests {
    static let folder = "reference/vix-whitepaper"
    static var haveWhitePaper: Bool { SharedData.file("\(folder)/example-2014-near-term.csv") != nil }

    /// Reads `strike,call_bid,call_ask,put_bid,put_ask` rows (2014 example) or the 2009 layout
    /// `Expiration,Days,Strike,Call Bid,Call Ask,Put Bid,Put Ask` filtered to one expiration.
    static func load(_ name: String, expiration: String? = nil) throws -> [StrikeQuotes] {
        let url = try #require(SharedData.file("\(folder)/\(name)"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        return lines.compactMap { line in
            var cols = line.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            if let expiration {
                guard cols.first == expiration else { return nil }
                cols.removeFirst(2)
            }
            let v = cols.map { Double($0)! }
            return StrikeQuotes(strike: v[0], callBid: v[1], callAsk: v[2], putBid: v[3], putAsk: v[4])
        }
    }

    // MARK: - 2014 example (current method, minutes)

    @Test(.enabled(if: haveWhitePaper)) func whitePaper2014() throws {
        let nearMinutes = 854.0 + 510 + 34_560, nextMinutes = 854.0 + 900 + 44_640
        let near = try ModelFreeVariance.term(strikes: Self.load("example-2014-near-term.csv"),
                                              timeToExpiryYears: nearMinutes / 525_600, rate: 0.000305)
        let next = try ModelFreeVariance.term(strikes: Self.load("example-2014-next-term.csv"),
                                              timeToExpiryYears: nextMinutes / 525_600, rate: 0.000286)
        // Published: strike of min |C − P|, F, K0, options used, σ² (white paper, as in the README table).
        #expect(near.parityStrike == 1965 && next.parityStrike == 1960)
        #expect(abs(near.forward - 1962.8999562) < 5e-8, "near F \(near.forward)")
        #expect(abs(next.forward - 1962.4000606) < 5e-8, "next F \(next.forward)")
        #expect(near.k0 == 1960 && next.k0 == 1960)
        #expect(near.optionsUsed == 146, "near options \(near.optionsUsed)")
        #expect(next.optionsUsed == 122, "next options \(next.optionsUsed)")
        #expect(abs(near.variance - 0.0184629239) < 5e-11, "near σ² \(near.variance)")
        #expect(abs(next.variance - 0.0188210077) < 5e-11, "next σ² \(next.variance)")
        // Edge cases named in the README: put 1405 (lone zero bid) skipped, nothing at or below 1365.
        let putStrikes = near.contributions.filter { $0.kind == .put }.map(\.strike)
        #expect(!putStrikes.contains(1405) && putStrikes.contains(1400) && putStrikes.contains(1370))
        #expect(putStrikes.min() == 1370)
        #expect(!near.contributions.contains { $0.kind == .call && $0.strike >= 2150 })
        let vix = ModelFreeVariance.constantMaturityIndex(near: near, nearMinutes: nearMinutes, next: next,
                                                          nextMinutes: nextMinutes, targetMinutes: 43_200)
        #expect(abs(vix - 13.685821) < 5e-7, "VIX \(vix)")
    }

    // MARK: - 2009 example (older method, days)

    @Test(.enabled(if: haveWhitePaper)) func whitePaper2009() throws {
        let near = try ModelFreeVariance.term(strikes: Self.load("example-2009-options.csv", expiration: "20090110"),
                                              timeToExpiryYears: 9.0 / 365, rate: 0.0038)
        let next = try ModelFreeVariance.term(strikes: Self.load("example-2009-options.csv", expiration: "20090207"),
                                              timeToExpiryYears: 37.0 / 365, rate: 0.0038)
        #expect(abs(near.forward - 920.5000469) < 5e-8, "near F \(near.forward)")
        #expect(abs(next.forward - 921.0003853) < 5e-8, "next F \(next.forward)")
        #expect(near.k0 == 920 && next.k0 == 920)
        #expect(near.optionsUsed == 136, "near options \(near.optionsUsed)")
        #expect(next.optionsUsed == 110, "next options \(next.optionsUsed)")
        #expect(abs(near.variance - 0.4727672) < 5e-8, "near σ² \(near.variance)")
        #expect(abs(next.variance - 0.3668182) < 5e-8, "next σ² \(next.variance)")
        let vix = ModelFreeVariance.constantMaturityIndex(near: near, nearMinutes: 9 * 1440, next: next,
                                                          nextMinutes: 37 * 1440, targetMinutes: 43_200)
        #expect(abs(vix - 61.217999) < 5e-7, "VIX \(vix)")
    }

    // MARK: - Self-contained fixtures (no /work/shared needed)

    /// Quotes typed from the Cboe VIX white paper's near-term table (strikes 1950-1975, 2014 example) give
    /// the published forward 1962.8999562 and K0 = 1960: min |C − P| is at 1965 (mids 21.05 and 23.15).
    @Test func forwardAndK0FromTypedQuotes() throws {
        let rows = [(1950.0, 30.1, 32.1, 17.7, 18.8), (1955, 26.7, 28.5, 19, 20.5), (1960, 23.4, 25.1, 20.6, 22),
                    (1965, 20.3, 21.8, 22.3, 24), (1970, 17.4, 18.8, 24.3, 25.8), (1975, 14.6, 15.9, 26.5, 28.1)]
            .map { StrikeQuotes(strike: $0.0, callBid: $0.1, callAsk: $0.2, putBid: $0.3, putAsk: $0.4) }
        let term = try ModelFreeVariance.term(strikes: rows, timeToExpiryYears: 35_924.0 / 525_600, rate: 0.000305)
        #expect(term.parityStrike == 1965)
        #expect(abs(term.forward - 1962.8999562) < 5e-8, "F \(term.forward)")
        #expect(term.k0 == 1960)
        // ΔK is 5 inside, one-sided 5 at the ends; K0 uses the put/call average (23.4+25.1+20.6+22)/4.
        #expect(term.contributions.map(\.deltaStrike) == [5, 5, 5, 5, 5, 5])
        #expect(term.contributions.first { $0.strike == 1960 }?.midPrice == 22.775)
    }

    /// The published per-term σ² and minutes (white paper 2014 example) interpolate to VIX 13.685821.
    @Test func interpolationOfPublishedVariances() {
        func term(_ minutes: Double, _ variance: Double) -> ModelFreeTerm {
            ModelFreeTerm(timeToExpiryYears: minutes / 525_600, rate: 0, parityStrike: 0, forward: 0, k0: 0,
                          variance: variance, contributions: [])
        }
        let vix = ModelFreeVariance.constantMaturityIndex(near: term(35_924, 0.0184629239), nearMinutes: 35_924,
                                                          next: term(46_394, 0.0188210077), nextMinutes: 46_394,
                                                          targetMinutes: ModelFreeVariance.thirtyDayMinutes)
        #expect(abs(vix - 13.685821) < 5e-7, "VIX \(vix)")
    }

    /// Zero-bid rules on a hand-made strip: a lone zero bid is skipped, two in a row stop the walk.
    @Test func zeroBidCutOff() throws {
        // Strikes 60…140 by 10; forward 100 (C = P at 100).
        let bids: [Double: (Double, Double)] = [60: (0, 0.5), 70: (0, 0.5), 80: (0.5, 0.5), 90: (0, 0.5),
                                                100: (3, 3), 110: (0.5, 0), 120: (0.5, 0), 130: (0.5, 0.2), 140: (0.5, 0.1)]
        let rows = bids.map { k, b in
            // (call bid for calls above, put bid for puts below); asks 1 wider.
            StrikeQuotes(strike: k, callBid: k >= 100 ? b.1 : 5, callAsk: (k >= 100 ? b.1 : 5) + 1,
                         putBid: k <= 100 ? b.0 : 5, putAsk: (k <= 100 ? b.0 : 5) + 1)
        }
        let term = try ModelFreeVariance.term(strikes: rows, timeToExpiryYears: 0.1, rate: 0)
        #expect(term.k0 == 100)
        #expect(term.contributions.map(\.strike) == [80, 100], "\(term.contributions.map(\.strike))")
        #expect(term.contributions.first?.deltaStrike == 20)
    }

    @Test func errors() {
        #expect(throws: ModelFreeVarianceError.nonPositiveTimeToExpiry) {
            try ModelFreeVariance.term(strikes: [], timeToExpiryYears: 0, rate: 0)
        }
        #expect(throws: ModelFreeVarianceError.noParityStrike) {
            try ModelFreeVariance.term(strikes: [StrikeQuotes(strike: 1, callBid: 1, callAsk: 2, putBid: nil, putAsk: nil)],
                                       timeToExpiryYears: 0.1, rate: 0)
        }
    }
}
