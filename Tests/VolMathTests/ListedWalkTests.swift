import Foundation
import Testing
import VixShieldCore
@testable import VolMath

/// The Cboe walk over listed options only: a side that is not listed (or whose quote is unusable) is
/// neither used nor counted as a zero bid; two consecutive listed zero bids end the walk.
@Suite("Model-free variance: listed-only walk")
struct ListedWalkTests {
    /// Hand-worked strip (T = 0.1, R = 0). Sides, as (bid, ask); "-" = not listed:
    ///
    ///     K    call          put
    ///     65   -             0.05/0.10   beyond the stop
    ///     70   -             0/0.05      zero bid (2nd): stop
    ///     75   -             0/0         listed, no market: zero bid (1st)
    ///     80   -             0.10/0.20   used, mid 0.15
    ///     85   15.0/15.4     -           put absent: skipped, not a zero
    ///     90   10.0/10.4     1.00/0.80   crossed put (unusable): absent
    ///     95   5.9/6.1       0.9/1.1     put used, mid 1.0
    ///    100   2.9/3.1       2.9/3.1     min |C − P| = 0 → F = 100, K0 = 100, Q = 3.0
    ///    105   -             5.9/6.1     call absent
    ///    110   0.4/0.6       -           call used, mid 0.5
    ///    115   0/0.05        -           lone zero bid: skipped
    ///    120   0.05/0.15     -           used, mid 0.10
    ///    125   0/0.05        -           zero (1st)
    ///    130   0/0.05        -           zero (2nd): stop
    ///    135   0.05/0.10     -           beyond the stop
    ///
    /// Selected 80, 95, 100, 110, 120; ΔK = 15, 10, 7.5, 10, 10;
    /// σ² = 2/T Σ ΔK/K² Q − (F/K0 − 1)²/T = 20 (15·0.15/80² + 10·1.0/95² + 7.5·3.0/100² + 10·0.5/110² + 10·0.10/120²)
    ///    = 0.0838452665 (to 10 digits). Treating absent sides as zero bids would stop the put walk at 85
    /// and lose the 80 put.
    static func quotes() -> [OptionQuote] {
        let expiry = CalendarDate(year: 2026, month: 8, day: 21)!
        func q(_ k: Int, _ right: OptionRight, _ bid: Double, _ ask: Double, _ flags: QuoteFlags = []) -> OptionQuote {
            OptionQuote(contract: OptionContract(root: "SPX", expiry: expiry, right: right, strikeMilli: k * 1000),
                        bid: bid, ask: ask, flags: flags)
        }
        return [q(65, .put, 0.05, 0.10), q(70, .put, 0, 0.05), q(75, .put, 0, 0), q(80, .put, 0.10, 0.20),
                q(85, .call, 15.0, 15.4), q(90, .call, 10.0, 10.4), q(90, .put, 1.00, 0.80, .crossed),
                q(95, .call, 5.9, 6.1), q(95, .put, 0.9, 1.1), q(100, .call, 2.9, 3.1), q(100, .put, 2.9, 3.1),
                q(105, .put, 5.9, 6.1), q(110, .call, 0.4, 0.6), q(115, .call, 0, 0.05), q(120, .call, 0.05, 0.15),
                q(125, .call, 0, 0.05), q(130, .call, 0, 0.05), q(135, .call, 0.05, 0.10)]
    }

    @Test func handWorkedStripWithOneSidedStrikes() throws {
        let table = StrikeQuotes.table(from: Self.quotes())
        #expect(table.first { $0.strike == 90 }?.putBid == nil, "the crossed put is absent")
        #expect(table.first { $0.strike == 75 }?.putAsk == 0, "a listed 0/0 put is kept as a zero bid")
        let term = try ModelFreeVariance.term(strikes: table, timeToExpiryYears: 0.1, rate: 0)
        #expect(term.parityStrike == 100 && term.forward == 100 && term.k0 == 100)
        #expect(term.contributions.map(\.strike) == [80, 95, 100, 110, 120], "\(term.contributions.map(\.strike))")
        #expect(term.contributions.map(\.deltaStrike) == [15, 10, 7.5, 10, 10])
        #expect(term.contributions.map(\.kind) == [.put, .put, .putCallAverage, .call, .call])
        let expected = 20 * (15 * 0.15 / 6_400 + 10 * 1.0 / 9_025 + 7.5 * 3.0 / 10_000 + 10 * 0.5 / 12_100 + 10 * 0.10 / 14_400)
        #expect(abs(expected - 0.0838452665) < 1e-10)
        #expect(abs(term.variance - expected) < 1e-15, "σ² \(term.variance) vs hand-worked \(expected)")
    }

    /// K0 with only one side bid uses that side alone (the 2014 example always has both).
    @Test func k0WithOneSideUsesThatSide() throws {
        let rows = [StrikeQuotes(strike: 95, callBid: 6, callAsk: 6.2, putBid: 1, putAsk: 1.2),
                    StrikeQuotes(strike: 100, callBid: 3.4, callAsk: 3.6, putBid: 3.4, putAsk: 3.6),
                    StrikeQuotes(strike: 102, callBid: nil, callAsk: nil, putBid: 4.4, putAsk: 4.6),
                    StrikeQuotes(strike: 105, callBid: 1, callAsk: 1.2, putBid: 6, putAsk: 6.2)]
        // F = 100 (C = P at 100); K0 = 100, both sides; the call walk skips 102 (no call listed).
        let term = try ModelFreeVariance.term(strikes: rows, timeToExpiryYears: 0.1, rate: 0)
        #expect(term.contributions.map(\.strike) == [95, 100, 105])
        #expect(term.contributions[1].midPrice == 3.5)
    }
}
