import Testing
import VixShieldTestSupport
import VixShieldCore

@Suite struct QuoteQualityTests {
    static let session = CalendarDate(iso: "2026-07-14")!

    static func contract(_ root: String = "SPXW", expiry: String = "2026-08-21", _ right: OptionRight = .call,
                         strike: Int = 6000) -> OptionContract {
        OptionContract(root: root, expiry: CalendarDate(iso: expiry)!, right: right, strikeMilli: strike * 1000)
    }

    static func quote(_ bid: Double, _ ask: Double, contract: OptionContract = contract()) -> OptionQuote {
        OptionQuote(contract: contract, bid: bid, ask: ask, bidSize: 10, askSize: 10, volume: 0, openInterest: 0)
    }

    static func flags(_ q: OptionQuote, snapshotSession: CalendarDate = session) -> QuoteFlags {
        QuoteQuality.flags(of: q, snapshotSession: snapshotSession, session: session)
    }

    /// One row per rule; expected flags by their stable names.
    @Test(arguments: [
        (10.0, 10.5, ""),
        (10.5, 10.0, "crossed"),
        (10.0, 10.0, "locked"),
        (0.0, 0.10, "zero_bid"),
        (0.0, 0.0, "zero_bid"),               // no market at all
        (0.05, 0.10, ""),                     // one tick: under the 0.5-point floor
        (0.05, 0.60, "wide_spread"),          // 0.55 > max(0.5, 0.5 × 0.325)
        (10.0, 14.0, ""),                     // 4.0 ≤ 0.5 × 12
        (10.0, 17.0, "wide_spread"),          // 7.0 > 0.5 × 13.5
        (Double.nan, 1.0, "missing_field"),
        (1.0, Double.infinity, "non_finite"),
        (-1.0, 1.0, "non_finite"),
    ])
    func perQuoteRules(bid: Double, ask: Double, expected: String) {
        let got = Self.flags(Self.quote(bid, ask)).names.joined(separator: ",")
        #expect(got == expected, "bid \(bid) ask \(ask): got [\(got)] expected [\(expected)]")
    }

    @Test func missingSizeIsMissingButMissingOpenInterestIsNot() {
        var q = Self.quote(1, 1.1)
        q.openInterest = .nan
        #expect(Self.flags(q).isEmpty)
        q.bidSize = .nan
        #expect(Self.flags(q) == .missingField)
        q.bidSize = 1
        q.volume = -3
        #expect(Self.flags(q) == .nonFinite)
    }

    @Test func expiryRulesDependOnSettlementStyle() {
        let pmToday = Self.quote(1, 1.1, contract: Self.contract("SPXW", expiry: "2026-07-14"))
        let amToday = Self.quote(1, 1.1, contract: Self.contract("SPX", expiry: "2026-07-14"))
        let yesterday = Self.quote(1, 1.1, contract: Self.contract("SPXW", expiry: "2026-07-13"))
        #expect(Self.flags(pmToday).isEmpty)
        #expect(Self.flags(amToday) == .expired)
        #expect(Self.flags(yesterday) == .expired)
    }

    @Test func normalizeFlagsDuplicatesStaleSessionAndWritesOneDiagnosticPerFlaggedQuote() {
        let a = Self.quote(1, 1.1)
        let crossed = Self.quote(2, 1, contract: Self.contract(strike: 6100))
        let chain = OptionChainSnapshot(underlying: "^SPX", session: Self.session, capturedAt: "", spot: 6000,
                                        quotes: [a, crossed, a])
        let (out, diagnostics) = QuoteQuality.normalize(chain, session: Self.session, source: "t.json")
        #expect(out.quotes.map(\.flags) == [[], .crossed, .duplicate])
        #expect(diagnostics.map(\.description) == [
            "warning: t.json: SPXW260821C06100000: crossed (bid 2.00, ask 1.00)",
            "warning: t.json: SPXW260821C06000000: duplicate (bid 1.00, ask 1.10)",
        ])
        // Idempotent: a second pass gives the same flags, not accumulated ones.
        #expect(QuoteQuality.normalize(out, session: Self.session, source: "t.json").snapshot.quotes.map(\.flags) == out.quotes.map(\.flags))

        let stale = QuoteQuality.normalize(chain, session: Self.session.adding(days: 1), source: "t.json")
        #expect(stale.snapshot.quotes.allSatisfy { $0.flags.contains(.staleSession) })
        #expect(stale.diagnostics.last?.description == "warning: t.json: snapshot session 2026-07-14 is not the as-of session 2026-07-15")
    }

    /// A chain with `strikes` two-sided call/put pairs at one expiry `dte` days out.
    static func chain(strikes: Int, dte: Int, badQuotes: Int = 0, session: CalendarDate = session) -> OptionChainSnapshot {
        let expiry = session.adding(days: dte).isoString
        var quotes: [OptionQuote] = []
        for k in 0..<strikes {
            for right in [OptionRight.call, .put] {
                quotes.append(quote(5, 5.5, contract: contract(expiry: expiry, right, strike: 5000 + 5 * k)))
            }
        }
        for k in 0..<badQuotes { quotes.append(quote(3, 2, contract: contract(expiry: expiry, .call, strike: 9000 + 5 * k))) }
        return OptionChainSnapshot(underlying: "^SPX", session: session, capturedAt: "", spot: 5050, quotes: quotes)
    }

    static func gate(_ c: OptionChainSnapshot) -> QualityVerdict {
        QuoteQuality.gate(QuoteQuality.normalize(c, session: session, source: "t").snapshot, session: session)
    }

    @Test("an absurd or non-finite spot fails the gate; absurd prices and sizes are flagged non_finite")
    func gateRefusesAbsurdSpot() {
        for spot in [1e308, .infinity, .nan, 0, -5050, 5050e3] {
            var c = Self.chain(strikes: 20, dte: 30)
            c.spot = spot
            let verdict = Self.gate(c)
            #expect(!verdict.passed && (verdict.reason ?? "").contains("spot"), "spot \(spot): \(verdict)")
        }
        #expect(Self.flags(Self.quote(1e308, 1e308)).contains(.nonFinite))
        var big = Self.quote(5, 5.5)
        big.openInterest = 1e300
        #expect(Self.flags(big).contains(.nonFinite))
        #expect(!Self.flags(Self.quote(5, 5.5)).contains(.nonFinite))
    }

    @Test func gatePassesAHealthyChain() {
        #expect(Self.gate(Self.chain(strikes: 20, dte: 30)) == .pass)
    }

    @Test func gateFailsWithEveryReason() {
        #expect(Self.gate(Self.chain(strikes: 19, dte: 30)) == .fail(reasons: [
            "too few two-sided strikes in 7-60 DTE: fewer than 20 (best expiry 2026-08-13: 19)"]))
        #expect(Self.gate(Self.chain(strikes: 40, dte: 90)) == .fail(reasons: [
            "too few two-sided strikes in 7-60 DTE: fewer than 20 (no expiry in the window)"]))
        #expect(Self.gate(Self.chain(strikes: 20, dte: 30, badQuotes: 20)) == .fail(reasons: [
            "too many unusable quotes: 20 of 60 (33% > 25%)"]))
        let old = Self.chain(strikes: 20, dte: 31, session: Self.session.adding(days: -1))
        #expect(Self.gate(old) == .fail(reasons: [
            "wrong session: snapshot is of 2026-07-13, as-of is 2026-07-14",
            "too many unusable quotes: 40 of 40 (100% > 25%)",
            "too few two-sided strikes in 7-60 DTE: fewer than 20 (best expiry 2026-08-13: 0)"]))
        #expect(Self.gate(old).reason == "wrong session: snapshot is of 2026-07-13, as-of is 2026-07-14; too many unusable quotes: 40 of 40 (100% > 25%); too few two-sided strikes in 7-60 DTE: fewer than 20 (best expiry 2026-08-13: 0)")
        #expect(Self.gate(Self.chain(strikes: 20, dte: 30)).reason == nil)
        let empty = OptionChainSnapshot(underlying: "^SPX", session: Self.session, capturedAt: "", spot: 1, quotes: [])
        #expect(Self.gate(empty) == .fail(reasons: ["empty chain: no quotes"]))
    }

    /// Seeded property: flags never depend on quote order except which copy of a duplicate is flagged.
    @Test func flagCountsAreOrderIndependent() {
        var rng = SeededGenerator(seed: 20260714)
        let base = Self.chain(strikes: 30, dte: 20, badQuotes: 5)
        for round in 0..<20 {
            var shuffled = base
            shuffled.quotes.shuffle(using: &rng)
            let a = QuoteQuality.normalize(base, session: Self.session, source: "t").snapshot.quotes
            let b = QuoteQuality.normalize(shuffled, session: Self.session, source: "t").snapshot.quotes
            #expect(a.filter { !$0.flags.isEmpty }.count == b.filter { !$0.flags.isEmpty }.count,
                    "seed 20260714 round \(round)")
        }
    }
}


@Suite("Quote quality on absurd numbers")
struct AbsurdQuoteTests {
    @Test("an ask of 1e17 is a flagged quote with a readable diagnostic, never a trap")
    func hugeAsk() throws {
        let contract = try #require(OptionContract(symbol: "SPXW260821C05000000"))
        let quote = OptionQuote(contract: contract, bid: 1, ask: 1e17, bidSize: 1, askSize: 1, last: nil, volume: 0, openInterest: 0)
        let snapshot = OptionChainSnapshot(underlying: "SPX", session: CalendarDate(iso: "2026-07-16")!, capturedAt: "", spot: 6000, quotes: [quote])
        let (flagged, diagnostics) = QuoteQuality.normalize(snapshot, session: CalendarDate(iso: "2026-07-16")!, source: "t")
        // At or above QuoteQuality.absurdValue a price is non_finite (unusable), not merely a wide spread.
        #expect(flagged.quotes[0].flags.contains(.nonFinite))
        #expect(diagnostics.contains { $0.message.contains("1e+17") }, "\(diagnostics)")
    }
}
