import Foundation
import Testing
import VixShieldCore
@testable import VolMath

/// The real SPY chain of 2026-07-14 15:56 EDT (Cboe delayed quotes reshaped by daggerok/options-desk;
/// see `/work/shared/data/README.md`). Not a vendor format: converted here, only for engine tests.
@Suite("Real SPY chain")
struct SPYChainTests {
    static let path = "data/options/spy_chain_2026-07-14_cboe-derived.json"
    static var available: Bool { SharedData.file(path) != nil }

    /// Converts the JSON into a snapshot, flagging what normalize would flag (crossed, missing, zero bid).
    static func load() throws -> OptionChainSnapshot {
        let url = try #require(SharedData.file(path))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let spot = try #require(root["underlyingPrice"] as? Double)
        let rows = try #require(root["quotes"] as? [[String: Any]])
        let quotes = rows.compactMap { row -> OptionQuote? in
            guard let symbol = row["symbol"] as? String, let contract = OptionContract(symbol: symbol) else { return nil }
            let bid = row["bid"] as? Double, ask = row["ask"] as? Double
            var flags: QuoteFlags = []
            if bid == nil || ask == nil { flags.insert(.missingField) }
            if let b = bid, let a = ask {
                if b > a { flags.insert(.crossed) } else if b == a, b > 0 { flags.insert(.locked) }
            }
            if (bid ?? 0) == 0 { flags.insert(.zeroBid) }
            return OptionQuote(contract: contract, bid: bid ?? 0, ask: ask ?? 0, flags: flags)
        }
        return OptionChainSnapshot(underlying: "SPY", session: CalendarDate(year: 2026, month: 7, day: 14)!,
                                   capturedAt: "2026-07-14T15:56:03-04:00", spot: spot, quotes: quotes)
    }

    @Test(.enabled(if: available)) func everyTwoSidedOTMQuoteGetsAnIV() throws {
        let chain = try Self.load()
        let valuation = EasternTime(date: chain.session, hour: 15, minute: 56)
        let surface = SurfaceBuilder.build(chain: chain, valuationTime: valuation, fallbackRate: { _ in 0.04 })
        #expect(surface.expiries.count == 33)
        var otmTwoSided = 0
        for e in surface.expiries {
            let f = e.forward.forward
            let byContract = Dictionary(uniqueKeysWithValues: chain.quotes.map { ($0.contract, $0) })
            for o in e.options {
                let q = byContract[o.contract]!
                let otm = o.contract.right == .call ? o.contract.strike >= f : o.contract.strike < f
                guard otm, q.isTwoSided, q.flags.isDisjoint(with: .unusable) else { continue }
                otmTwoSided += 1
                #expect(o.impliedVolatility != nil, "\(o.contract) bid \(q.bid) ask \(q.ask) F \(f): \(String(describing: o.issue))")
            }
            let fit = e.slice.map { String(format: "RMSE %.3f max %.3f vol pts, %d points", $0.rmseVolPoints, $0.maxErrorVolPoints, $0.pointCount) } ?? "no slice"
            print(String(format: "SPY %@ %6d min F %.3f D %.5f (%@) %@ σ²_mf %@ flags %@", e.expiry.isoString, e.minutesToExpiry,
                         f, e.forward.discount, e.forward.method.rawValue, fit,
                         e.modelFree.map { String(format: "%.5f", $0.variance) } ?? "-", e.flags.map(\.rawValue).joined(separator: ",")))
            // SPY options are American with discrete dividends, so the Black-76 smile is not exactly SVI and
            // an accepted arbitrage repair may cost up to 1.5× + 0.2 vol points; beyond 3 vol points RMSE a
            // slice is a broken fit, not market texture.
            if let slice = e.slice, e.minutesToExpiry > 7 * 1_440 {
                #expect(slice.rmseVolPoints < 3, "\(e.expiry): \(slice)")
            }
        }
        #expect(otmTwoSided > 3_000, "only \(otmTwoSided) two-sided OTM quotes")
        print(String(format: "SPY 30-day model-free index %.3f (VIX close that day 16.50), 9-day %.3f",
                     surface.index30Day ?? .nan, surface.index9Day ?? .nan))
        #expect(abs((surface.index30Day ?? 0) - 16.5) < 3, "SPY 30-day index \(String(describing: surface.index30Day))")
    }
}
