import Foundation
import Testing
import Simulator
import VixShieldCore
import VolMath

@Suite("Simulated option chains")
struct ChainTests {
    let market: SimulatedMarket

    init() throws { market = try SimulatedMarket.compact.get() }

    var chainDays: [CalendarDate] { market.manifest.chainDays }

    @Test func chainDaysAreTheTradingDaysOfTheRange() {
        #expect(chainDays == TradingCalendar.nyse.tradingDays(from: SimulatedMarket.from, through: SimulatedMarket.to))
        for day in chainDays {
            #expect(market.manifest.files.contains("cboe/options/_SPX_\(day.isoString).json"))
            #expect(market.manifest.files.contains("truth/\(day.isoString).json"))
        }
    }

    @Test func snapshotHeaderHasCboeShape() throws {
        let day = chainDays[0]
        let chain = try market.chain(day)
        #expect(chain.symbol == "_SPX")
        #expect(chain.data.symbol == "^SPX")
        #expect(chain.timestamp == "\(day.adding(days: 1).isoString) 03:56:30")
        #expect(chain.data.last_trade_time == "\(day.isoString)T16:14:59")
        let truth = try market.truth(day)
        #expect(abs(chain.data.close - truth.spot) <= 0.005, "close \(chain.data.close) vs true spot \(truth.spot)")
        #expect(abs(chain.data.iv30 - truth.vix) <= 0.0005)
        // Cboe writes every number as a float: sizes `1.0`, never `1`.
        let text = try market.text("cboe/options/_SPX_\(day.isoString).json")
        #expect(text.hasPrefix("{\"timestamp\":"))
        #expect(!text.contains("\"bid_size\":1,"))
        #expect(text.contains("\"exchange_id\":5,"))
        #expect(!text.contains("-0.0,"))
        #expect(!text.contains("\n"))
    }

    @Test func everySymbolParsesAndMatchesATrueExpiry() throws {
        for day in chainDays {
            let chain = try market.chain(day)
            let truth = try market.truth(day)
            #expect(chain.data.options.count == truth.option_records)
            for option in chain.data.options {
                guard let contract = OptionContract(symbol: option.option) else {
                    Issue.record("\(day): symbol \(option.option) does not parse")
                    continue
                }
                #expect(contract.symbol == option.option)
                #expect(["SPX", "SPXW"].contains(contract.root))
                #expect(contract.expiry > day)
                #expect(truth.slice(for: contract) != nil, "\(option.option) has no true slice")
            }
        }
    }

    @Test func expiriesAreTradingDaysWithTheRightRoots() throws {
        let calendar = TradingCalendar.nyse
        for day in chainDays {
            let truth = try market.truth(day)
            for e in truth.expiries {
                let date = try #require(CalendarDate(iso: e.expiry))
                #expect(calendar.isTradingDay(date), "\(day): expiry \(e.expiry) is not a trading day")
                #expect(date > day)
                if e.root == "SPX" {
                    // AM-settled standard: the third Friday, or the trading day before it.
                    let thirdFriday = CalendarDate.nthWeekday(3, weekday: 5, year: date.year, month: date.month)
                    #expect(date == calendar.tradingDayOnOrBefore(thirdFriday), "SPX expiry \(e.expiry)")
                    #expect(e.settlement == "am")
                } else {
                    #expect(e.root == "SPXW")
                    #expect(e.settlement == "pm")
                }
            }
            // Both roots list the standard monthly dates; the first dailies are consecutive sessions.
            let spxw = truth.expiries.filter { $0.root == "SPXW" }.map(\.expiry)
            #expect(spxw.first == calendar.nextTradingDay(after: day).isoString)
            for spx in truth.expiries where spx.root == "SPX" {
                let date = CalendarDate(iso: spx.expiry)!
                if date.days(since: day) < 120 { #expect(spxw.contains(spx.expiry)) }
            }
        }
    }

    @Test func holidayExpiriesMoveToThePreviousTradingDay() throws {
        // Good Friday 2027 is 26 March: no expiry may fall on it; the weekly moves to Thursday 25 March.
        let directory = SimulatedMarket.temporaryDirectory("goodfriday")
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = SimulationConfig.compact(seed: 5)
        config.warmUpTradingDays = 5
        let day = CalendarDate(iso: "2027-03-15")!
        _ = try MarketSimulator(config: config).write(from: day, to: day, into: directory)
        let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: directory.appendingPathComponent("truth/2027-03-15.json")))
        let dates = Set(truth.expiries.map(\.expiry))
        #expect(!dates.contains("2027-03-26"))
        #expect(dates.contains("2027-03-25"))
    }

    @Test func bidNeverAboveAskExceptPlantedQuotes() throws {
        for day in chainDays {
            let chain = try market.chain(day)
            let truth = try market.truth(day)
            let plan = market.config.badQuotes
            #expect(truth.bad_quotes.count == plan.total)
            let planted = Dictionary(grouping: truth.bad_quotes, by: \.kind)
            let crossed = Set(planted["crossed", default: []].map(\.option))
            let locked = Set(planted["locked", default: []].map(\.option))
            #expect(crossed.count == plan.crossed && locked.count == plan.locked)
            var counts: [String: Int] = [:]
            for o in chain.data.options {
                counts[o.option, default: 0] += 1
                if crossed.contains(o.option) {
                    #expect(o.bid > o.ask)
                } else if locked.contains(o.option) {
                    #expect(o.bid == o.ask && o.bid > 0)
                } else {
                    #expect(o.bid < o.ask, "\(day) \(o.option): bid \(o.bid) ask \(o.ask)")
                }
                #expect(o.bid >= 0 && o.ask > 0)
                // Tick grid: 0.05 below 3.00, 0.10 from 3.00.
                for price in [o.bid, o.ask] where !crossed.contains(o.option) {
                    let cents = Int((price * 100).rounded())
                    #expect(cents % (cents < 300 ? 5 : 10) == 0, "\(o.option) price \(price) off the tick grid")
                }
            }
            let duplicated = Set(counts.filter { $0.value > 1 }.keys)
            #expect(duplicated == Set(planted["duplicated", default: []].map(\.option)))
            for absurd in planted["absurd_spread", default: []] {
                let o = try #require(chain.data.options.first { $0.option == absurd.option })
                #expect(o.ask - o.bid > 10 * max(0.5, o.theo * 0.05), "absurd spread \(o.bid)/\(o.ask) on theo \(o.theo)")
            }
        }
    }

    @Test func farOutOfTheMoneyOptionsHaveZeroBids() throws {
        let chain = try market.chain(chainDays[0])
        let zeroBids = chain.data.options.filter { $0.bid == 0 }
        #expect(!zeroBids.isEmpty)
        for o in zeroBids {
            #expect(abs(o.delta) < 0.05, "\(o.option) has a zero bid at delta \(o.delta)")
            #expect(o.theo < 0.5 && o.ask <= 1, "\(o.option): zero bid with theo \(o.theo), ask \(o.ask)")
        }
    }

    /// Spreads in volatility points (spread / vega per vol point) grow away from the money and toward expiry.
    @Test func spreadsWidenInTheWingsAndNearExpiry() throws {
        let day = chainDays[0]
        let chain = try market.chain(day)
        let bad = Set(try market.truth(day).bad_quotes.map(\.option))
        var atmNear: [Double] = [], atmMid: [Double] = [], wingMid: [Double] = []
        for o in chain.data.options where !bad.contains(o.option) && o.bid > 0 && o.vega > 0 {
            let contract = OptionContract(symbol: o.option)!
            let days = contract.expiry.days(since: day)
            let volPoints = (o.ask - o.bid) / o.vega
            let absDelta = abs(o.delta)
            if (0.4...0.6).contains(absDelta) {
                if days <= 3 { atmNear.append(volPoints) }
                if (20...60).contains(days) { atmMid.append(volPoints) }
            } else if (0.03...0.10).contains(absDelta), (20...60).contains(days) {
                wingMid.append(volPoints)
            }
        }
        try #require(!atmNear.isEmpty && !atmMid.isEmpty && !wingMid.isEmpty)
        #expect(median(wingMid) > 1.5 * median(atmMid), "wing \(median(wingMid)) vs ATM \(median(atmMid)) vol points")
        #expect(median(atmNear) > 1.5 * median(atmMid), "near expiry \(median(atmNear)) vs 20-60 days \(median(atmMid)) vol points")
    }

    /// The mid of every liquid quote implies the true volatility to within its half-spread, and `theo`
    /// is Black-76 of the truth file's forward, discount and SVI slice.
    @Test func liquidMidsRepriceToTheTrueVolatility() throws {
        for day in chainDays {
            let chain = try market.chain(day)
            let truth = try market.truth(day)
            let bad = Set(truth.bad_quotes.map(\.option))
            var checked = 0
            // Out-of-the-money side only, as the surface stage uses it: deep in-the-money mids carry
            // almost no volatility information.
            for o in chain.data.options where !bad.contains(o.option) && o.bid >= 0.5 {
                let contract = OptionContract(symbol: o.option)!
                let slice = try #require(truth.slice(for: contract))
                guard (contract.right == .call) == (contract.strike > slice.forward) else { continue }
                let k = log(contract.strike / slice.forward)
                let w = slice.svi.parameters.totalVariance(atLogMoneyness: k)
                let trueVol = (w / slice.time_to_expiry_years).squareRoot()
                let model = Black76.price(right: contract.right, forward: slice.forward, strike: contract.strike,
                                          stdDev: w.squareRoot(), discount: slice.discount)
                #expect(abs(model - o.theo) <= 0.00005 + 1e-9 * model, "\(o.option): theo \(o.theo) vs model \(model)")
                #expect(o.bid <= model && model <= o.ask, "\(o.option): model \(model) outside \(o.bid)/\(o.ask)")
                guard let midVol = impliedVolatility(price: (o.bid + o.ask) / 2, right: contract.right, forward: slice.forward,
                                                     strike: contract.strike, discount: slice.discount,
                                                     timeToExpiryYears: slice.time_to_expiry_years) else {
                    Issue.record("\(o.option): mid \((o.bid + o.ask) / 2) has no implied vol")
                    continue
                }
                let halfSpreadVol = (o.ask - o.bid) / 2 / (o.vega * 100)
                #expect(abs(midVol - trueVol) <= halfSpreadVol + 1e-6,
                        "\(day) \(o.option): mid vol \(midVol) vs true \(trueVol), half-spread \(halfSpreadVol)")
                if o.iv > 0 { #expect(abs(o.iv - trueVol) <= 0.00005 + 1e-12) }
                checked += 1
            }
            #expect(checked > 500)
        }
    }

    @Test func sizesOpenInterestAndVolumeDecayAwayFromTheMoney() throws {
        let chain = try market.chain(chainDays[0])
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(xs.count, 1)) }
        let byExpiry = Dictionary(grouping: chain.data.options) { String($0.option.dropLast(9)) }
        var compared = 0
        for (expiry, options) in byExpiry.sorted(by: { $0.key < $1.key }) {
            let atm = options.filter { (0.4...0.6).contains(abs($0.delta)) }
            let wings = options.filter { $0.delta != 0 && abs($0.delta) < 0.05 }
            guard atm.count >= 4, wings.count >= 4 else { continue }
            compared += 1
            #expect(mean(atm.map(\.open_interest)) > 1.5 * mean(wings.map(\.open_interest)), "\(expiry) open interest")
            #expect(mean(atm.map(\.volume)) > 1.5 * mean(wings.map(\.volume)), "\(expiry) volume")
            #expect(mean(atm.map(\.ask_size)) > 1.5 * mean(wings.map(\.ask_size)), "\(expiry) ask size")
        }
        #expect(compared >= 5)
        for o in chain.data.options {
            #expect((o.volume > 0) == (o.last_trade_time != nil), "\(o.option): volume \(o.volume), time \(o.last_trade_time ?? "nil")")
            if o.volume > 0 { #expect(o.last_trade_price > 0) }
        }
    }

    @Test func truthSlicesAreButterflyFreeAndCalendarOrdered() throws {
        let truth = try market.truth(chainDays[0])
        var previousATM = 0.0
        for e in truth.expiries where e.root == "SPXW" {
            let svi = e.svi.parameters
            #expect(svi.isAdmissible)
            #expect((-0.8 ... -0.6).contains(svi.rho))
            #expect(e.atm_total_variance >= previousATM, "ATM total variance falls at \(e.expiry)")
            previousATM = e.atm_total_variance
            #expect(abs(e.forward - truth.spot * exp((truth.rate - truth.dividend_yield) * e.time_to_expiry_years)) < 1e-6 * e.forward)
            #expect(abs(e.discount - exp(-truth.rate * e.time_to_expiry_years)) < 1e-12)
        }
        #expect((0.035...0.05).contains(truth.rate))
        #expect(truth.dividend_yield == 0.013)
    }
}

@Suite("Full-size chain")
struct FullSizeChainTests {
    @Test func standardChainHasRealisticSize() throws {
        var config = SimulationConfig.standard(seed: 99)
        config.warmUpTradingDays = 5  // the chain size does not depend on the history length
        let directory = SimulatedMarket.temporaryDirectory("full")
        defer { try? FileManager.default.removeItem(at: directory) }
        let day = CalendarDate(iso: "2026-07-14")!
        _ = try MarketSimulator(config: config).write(from: day, to: day, into: directory)
        let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: directory.appendingPathComponent("truth/2026-07-14.json")))
        #expect((25_000...31_000).contains(truth.option_records), "\(truth.option_records) contracts")
        #expect((45...70).contains(truth.expiries.count), "\(truth.expiries.count) expiries")
        let longest = try #require(truth.expiries.last)
        #expect(longest.root == "SPX" && longest.expiry.contains("-12-") && longest.time_to_expiry_years > 2.4, "last expiry \(longest.expiry)")
    }
}
