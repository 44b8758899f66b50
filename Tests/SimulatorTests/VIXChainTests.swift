import Foundation
import Testing
import Simulator
import VixShieldCore
import VolMath

/// The simulated VIX option chain (`_VIX_<date>.json`), read back from the written files and checked against
/// the VX curve written beside it.
@Suite("VIX option chain")
struct VIXChainTests {
    typealias Option = CboeChain.Option

    func market() throws -> SimulatedMarket { try SimulatedMarket.compact.get() }

    func vixChain(_ m: SimulatedMarket, _ day: CalendarDate) throws -> CboeChain {
        try JSONDecoder().decode(CboeChain.self, from: m.data("cboe/options/_VIX_\(day.isoString).json"))
    }

    /// The day's VX curve file: expiry → (symbol, settle).
    func curve(_ m: SimulatedMarket, _ day: CalendarDate) throws -> [CalendarDate: (symbol: String, settle: Double)] {
        var out: [CalendarDate: (String, Double)] = [:]
        for line in try m.text("cfe/vx_curve/\(day.isoString).csv").split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            out[CalendarDate(iso: f[0])!] = (String(f[1]), Double(f[2])!)
        }
        return out
    }

    /// Options of the chain by expiry, each side sorted by strike.
    func byExpiry(_ chain: CboeChain) -> [CalendarDate: (calls: [(OptionContract, Option)], puts: [(OptionContract, Option)])] {
        var out: [CalendarDate: (calls: [(OptionContract, Option)], puts: [(OptionContract, Option)])] = [:]
        for o in chain.data.options {
            let c = OptionContract(symbol: o.option)!
            if c.right == .call { out[c.expiry, default: ([], [])].calls.append((c, o)) } else { out[c.expiry, default: ([], [])].puts.append((c, o)) }
        }
        return out.mapValues { ($0.calls.sorted { $0.0.strikeMilli < $1.0.strikeMilli }, $0.puts.sorted { $0.0.strikeMilli < $1.0.strikeMilli }) }
    }

    @Test func headerIsTheVIXIndexOfTheSession() throws {
        let m = try market()
        let closes = Dictionary(uniqueKeysWithValues: try m.indexCloses("VIX_History.csv"))
        for day in m.manifest.chainDays {
            let chain = try vixChain(m, day)
            #expect(chain.symbol == "_VIX" && chain.data.symbol == "^VIX")
            #expect(chain.data.last_trade_time.hasPrefix(day.isoString))
            let close = try #require(closes[day])
            #expect(abs(chain.data.current_price - close) < 0.006, "^VIX \(chain.data.current_price) vs VIX_History \(close) on \(day)")
            #expect(chain.data.options.count > 200, "\(chain.data.options.count) VIX options on \(day)")
        }
    }

    /// Every expiry is a monthly VX final settlement date on the day's curve: a Wednesday (or the business
    /// day before a holiday Wednesday), the root `VIX`, AM-settled.
    @Test func expiriesAreTheMonthlyVXSettlementWednesdays() throws {
        let m = try market()
        for day in m.manifest.chainDays {
            let curve = try curve(m, day)
            let expiries = Set(try vixChain(m, day).data.options.map { OptionContract(symbol: $0.option)!.expiry })
            #expect(expiries.count == m.config.vixOptionExpiries, "\(expiries.count) VIX expiries on \(day)")
            for expiry in expiries {
                let vx = try #require(curve[expiry], "VIX expiry \(expiry) on \(day) has no VX contract on the curve")
                #expect(vx.symbol.hasPrefix("VX/"), "\(expiry) matches the weekly \(vx.symbol), not a monthly")
                // A monthly's settlement (30 days before the next month's third Friday) falls in its own month.
                #expect(VXContracts.monthlyExpiry(year: expiry.year, month: expiry.month) == expiry, "\(expiry) is not a monthly VX settlement date")
                let wednesday = expiry.isoWeekday == 3
                #expect(wednesday || !TradingCalendar.nyse.isTradingDay(expiry.adding(days: (3 - expiry.isoWeekday + 7) % 7)),
                        "\(expiry) is neither a Wednesday nor the day before a holiday Wednesday")
            }
            for o in try vixChain(m, day).data.options {
                let c = OptionContract(symbol: o.option)!
                #expect(c.root == "VIX" && c.settlement == .am, "\(o.option)")
            }
        }
    }

    /// Put-call parity C − P = D (F − K) regressed over the two-sided pairs gives the VX settle of the same
    /// expiry to within 0.05 VIX points (one tick on quotes whose mids carry up to ±7.5 % of a half-spread
    /// of noise and are rounded to 0.05).
    @Test func parityForwardIsTheVXSettleOfTheExpiry() throws {
        let m = try market()
        for day in m.manifest.chainDays {
            let curve = try curve(m, day)
            let truth = try m.truth(day)
            for (expiry, sides) in byExpiry(try vixChain(m, day)) {
                let puts = Dictionary(uniqueKeysWithValues: sides.puts.map { ($0.0.strikeMilli, $0.1) })
                let pairs = sides.calls.compactMap { c, call -> ParityPair? in
                    guard let put = puts[c.strikeMilli], call.bid > 0, put.bid > 0 else { return nil }
                    return ParityPair(strike: c.strike, callMid: (call.bid + call.ask) / 2, putMid: (put.bid + put.ask) / 2,
                                      combinedSpread: call.ask - call.bid + put.ask - put.bid)
                }
                let minutes = EasternTime.open(on: expiry).minutes(since: EasternTime.close(on: day))
                let estimate = ParityForward.estimate(pairs: pairs, timeToExpiryYears: Double(minutes) / 525_600,
                                                      fallbackRate: truth.rate, spot: truth.vix)
                let settle = try #require(curve[expiry]?.settle)
                #expect(estimate.method != .rateCurve, "\(day) \(expiry): only \(pairs.count) pairs")
                #expect(abs(estimate.forward - settle) < 0.05,
                        "\(day) \(expiry): parity forward \(estimate.forward) vs VX settle \(settle) over \(pairs.count) pairs (seed \(SimulatedMarket.seed))")
            }
        }
    }

    /// Calls fall with the strike (theo strictly, quotes weakly), and the bid/ask quotes hold no static
    /// arbitrage (vertical spreads and butterflies, `QuoteScreen` removes nothing) on either side.
    @Test func callsDecreaseInStrikeAndNoStaticArbitrage() throws {
        let m = try market()
        for day in m.manifest.chainDays {
            for (expiry, sides) in byExpiry(try vixChain(m, day)) {
                for (a, b) in zip(sides.calls, sides.calls.dropFirst()) {
                    #expect(b.1.theo < a.1.theo, "\(day) \(expiry): call \(b.0.strike) theo \(b.1.theo) ≥ \(a.0.strike)'s \(a.1.theo)")
                    #expect(b.1.ask <= a.1.ask && b.1.bid <= a.1.bid, "\(day): \(b.1.option) quotes above \(a.1.option)")
                }
                let t = Double(EasternTime.open(on: expiry).minutes(since: EasternTime.close(on: day))) / 525_600
                let discount = exp(-(try m.truth(day)).rate * t)
                for (right, side) in [(OptionRight.call, sides.calls), (.put, sides.puts)] {
                    let quotes = side.map { QuoteScreen.Quote(strike: $0.0.strike, bid: $0.1.bid, ask: $0.1.ask) }
                    let removed = QuoteScreen.screenSide(quotes, right: right, discount: discount)
                    #expect(removed.isEmpty, "\(day) \(expiry) \(right): arbitrage at \(removed.sorted().map { quotes[$0].strike })")
                }
            }
        }
    }

    /// The smile slopes up (an out-of-the-money call at 1.5 F carries a higher vol than the money, a put at
    /// 0.8 F a lower one), front-month ATM vol sits in the 50–120 % range of real VIX options, and the front
    /// ATM call is quoted a few ticks wide.
    @Test func upwardSkewRealisticVolsAndSpreads() throws {
        let m = try market()
        let day = m.manifest.chainDays[0]
        let curve = try curve(m, day)
        let groups = byExpiry(try vixChain(m, day))
        let front = try #require(groups.keys.min())
        let f = try #require(curve[front]?.settle)
        let sides = try #require(groups[front])
        func nearest(_ side: [(OptionContract, Option)], _ k: Double) -> Option { side.min { abs($0.0.strike - k) < abs($1.0.strike - k) }!.1 }
        let atm = nearest(sides.calls, f), wingCall = nearest(sides.calls, 1.5 * f), wingPut = nearest(sides.puts, 0.8 * f)
        #expect(wingCall.iv > atm.iv && atm.iv > wingPut.iv, "iv put 0.8F \(wingPut.iv), ATM \(atm.iv), call 1.5F \(wingCall.iv)")
        #expect((0.5...1.2).contains(atm.iv), "front ATM vol \(atm.iv)")
        let spread = atm.ask - atm.bid
        #expect(spread >= 0.05 && spread <= 0.30, "front ATM call \(atm.option) \(atm.bid)/\(atm.ask)")
    }
}
