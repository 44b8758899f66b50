import Testing
@testable import VixShieldCore

/// OCC option symbols: root (1–6 characters, a letter first), YYMMDD, C or P, strike × 1000 in 8 digits.
@Suite("OCC option symbols") struct OptionSymbolTests {
    @Test("seeded contracts print and parse back, bare and space-padded to OCC's 21 characters")
    func roundTrip() {
        var rng = SplitMix64(seed: 20_261_202)
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for _ in 0..<2_000 {
            let rootLength = 1 + Int(rng.next() % 6)
            var root = String(letters[Int(rng.next() % 26)])
            for _ in 1..<rootLength { root.append(rng.next() % 4 == 0 ? Character("\(rng.next() % 10)") : letters[Int(rng.next() % 26)]) }
            let expiry = CalendarDate(dayNumber: CalendarDate(year: 2000, month: 1, day: 1)!.dayNumber + Int(rng.next() % 36_500))
            let contract = OptionContract(root: root, expiry: expiry, right: rng.next() % 2 == 0 ? .call : .put,
                                          strikeMilli: Int(rng.next() % 100_000_000))
            #expect(OptionContract(symbol: contract.symbol) == contract, "\(contract.symbol)")
            let padded = root.padding(toLength: 6, withPad: " ", startingAt: 0) + contract.symbol.dropFirst(root.count)
            #expect(OptionContract(symbol: padded) == contract, "'\(padded)'")
            #expect(OptionContract(symbol: " \(contract.symbol) ") == contract)
        }
    }

    @Test("malformed symbols are refused", arguments: [
        "", "SPXW", "260821C05000000", "spxw260821C05000000", "1SPX260821C05000000", "SPXW261321C05000000",
        "SPXW260230C05000000", "SPXW260821X05000000", "SPXW260821C0500000A", "SPXWXYZ260821C05000000",
        "SPXW260821C050000000", "SPX-260821C05000000", "SPXW26082IC05000000", "SPXW260821C05000000 EXTRA",
    ])
    func refused(symbol: String) {
        #expect(OptionContract(symbol: symbol) == nil)
    }

    @Test("the fields of a known symbol")
    func fields() throws {
        let c = try #require(OptionContract(symbol: "SPXW260821P05012500"))
        #expect(c.root == "SPXW" && c.expiry == CalendarDate(iso: "2026-08-21") && c.right == .put && c.strikeMilli == 5_012_500)
        #expect(c.strike == 5012.5 && c.settlement == .pm)
        #expect(OptionContract(symbol: "VIX260722C00019000")?.settlement == .am)
    }
}
