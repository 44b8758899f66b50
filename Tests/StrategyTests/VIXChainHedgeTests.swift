import Foundation
import Testing
@testable import Strategy
import VixShieldCore
import VolMath

/// VIX call layers priced on the VIX option chain when it is there, on the model when it is not.
@Suite("ALVH VIX option chain")
struct VIXChainHedgeTests {
    static let asOf = HedgeFixtures.date("2026-07-20")

    /// The event layer (a short-dated VIX call) on a day with an FOMC inside the trade's life.
    func eventLayer(market: HedgeMarket, config: ALVHConfig = ALVHConfig()) throws -> HedgeLayerDecision {
        let event = try #require(MarketEvent(kind: .fomc, date: HedgeFixtures.date("2026-07-24"), label: "FOMC"))
        let d = ALVH.decide(inputs: ALVHInputs(market: market, target: HedgeFixtures.target(), signals: HedgeSignals(eventsInLife: [event])),
                            config: config, previous: [])
        let layer = d[.event]
        #expect(layer.active && layer.instrument == .vixCall, "\(layer.rationale)")
        return layer
    }

    /// A quoted chain on the call expiry: calls every 2.5 points from 10 to 50, priced by Black-76 at `volatility`
    /// on `forward`, a 0.10 point bid/ask around it.
    static func quotes(expiry: CalendarDate, forward: Double, volatility: Double, days: Int) -> [VIXCallQuote] {
        stride(from: 10.0, through: 50, by: 2.5).map { k in
            let theo = Black76.undiscountedPrice(right: .call, forward: forward, strike: k, stdDev: volatility * (Double(days) / 365).squareRoot())
            let bid = max(((theo - 0.05) * 20).rounded(.down) / 20, 0.05)
            return VIXCallQuote(expiry: expiry, strike: k, bid: bid, ask: bid + 0.10)
        }
    }

    @Test("without a chain the call is priced by Black-76 on the VX forward and the rationale says so")
    func modelWithoutChain() throws {
        let market = HedgeFixtures.market(asOf: Self.asOf)
        let layer = try eventLayer(market: market)
        let forward = try #require(layer.forward), strike = try #require(layer.strike), expiry = try #require(layer.contractExpiry)
        let model = Black76.undiscountedPrice(right: .call, forward: forward, strike: strike,
                                              stdDev: 0.9 * (Double(expiry.days(since: Self.asOf)) / 365).squareRoot())
        #expect(layer.priceSource == .model)
        let paid = try #require(layer.state.entryPremium)
        #expect(abs(paid - model) < 1e-12)
        #expect(strike == (forward + 5).rounded(.up))
        #expect(layer.rationale.contains("model price: Black-76 on VX") && layer.rationale.contains("no VIX option quote"), "\(layer.rationale)")
    }

    @Test("with the chain the call is bought at the quoted ask (plus slippage), its delta from the IV of its mid")
    func quotedAsk() throws {
        var market = HedgeFixtures.market(asOf: Self.asOf)
        let model = try eventLayer(market: market)
        let expiry = try #require(model.contractExpiry), forward = try #require(model.forward)
        market.vixCallQuotes = Self.quotes(expiry: expiry, forward: forward, volatility: 1.1, days: expiry.days(since: Self.asOf))
        let layer = try eventLayer(market: market)
        // The lowest listed strike at or above F + 5 (the chain steps by 2.5).
        let strike = try #require(layer.strike)
        #expect(strike == ((forward + 5) / 2.5).rounded(.up) * 2.5, "strike \(strike), F \(forward)")
        let quote = try #require(market.vixCallQuotes.first { $0.strike == strike })
        #expect(layer.priceSource == .quote)
        #expect(layer.state.entryPremium == quote.ask, "paid \(String(describing: layer.state.entryPremium)), ask \(quote.ask)")
        #expect(layer.premium == quote.mid)
        // IV solved from the mid is near the 110 % the quotes were made at (the mid carries the rounding).
        let iv = try #require(layer.impliedVolatility)
        #expect(abs(iv - 1.1) < 0.1, "iv \(iv)")
        #expect(layer.rationale.contains("quoted ask \(hedgeFormat(quote.ask, 2))"), "\(layer.rationale)")

        var config = ALVHConfig()
        config.vixCallSlippagePoints = 0.05
        let slipped = try eventLayer(market: market, config: config)
        let slippedPaid = try #require(slipped.state.entryPremium)
        #expect(abs(slippedPaid - (quote.ask + 0.05)) < 1e-12)
    }

    /// Parity: C − P = D (F − K) on quotes made on a forward of 20 gives 20; a VX settle a point away is flagged.
    @Test func forwardCheckAgainstTheVXSettle() throws {
        let expiry = HedgeFixtures.date("2026-08-19")
        let days = expiry.days(since: Self.asOf)
        let sd = 0.8 * (Double(days) / 365).squareRoot()
        var quotes: [VIXOptionQuote] = []
        for k in stride(from: 12.0, through: 40, by: 1) {
            for right in [OptionRight.call, .put] {
                let theo = Black76.undiscountedPrice(right: right, forward: 20, strike: k, stdDev: sd)
                guard theo > 0.1 else { continue }
                quotes.append(VIXOptionQuote(expiry: expiry, right: right, strike: k, bid: theo - 0.05, ask: theo + 0.05, clean: true))
            }
        }
        // A flagged quote is never traded on.
        quotes.append(VIXOptionQuote(expiry: expiry, right: .call, strike: 41, bid: 9, ask: 8, clean: false))
        func curve(_ settle: Double) -> [VIXFutureSettlement] {
            [VIXFutureSettlement(tradeDate: Self.asOf, symbol: "VX/Q6", expiry: expiry, settle: settle, isWeekly: false)]
        }
        let good = VIXOptionMarket.hedgeQuotes(quotes, curve: curve(20), asOf: Self.asOf)
        let check = try #require(good.checks.first)
        let parity = try #require(check.parityForward)
        #expect(check.agrees && abs(parity - 20) < 0.02, "\(check)")
        #expect(!good.calls.contains { $0.strike == 41 } && good.calls.count == quotes.filter { $0.right == .call && $0.clean }.count)
        let off = VIXOptionMarket.hedgeQuotes(quotes, curve: curve(21), asOf: Self.asOf)
        #expect(off.checks.first?.agrees == false)
        // No VX settle for the expiry: its quotes are not used.
        #expect(VIXOptionMarket.hedgeQuotes(quotes, curve: [], asOf: Self.asOf).calls.isEmpty)
    }
}
