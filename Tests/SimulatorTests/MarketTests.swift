import Foundation
import Testing
import Simulator
import VixShieldCore
import VolMath

@Suite("Determinism")
struct DeterminismTests {
    func simulate(seed: UInt64, name: String) throws -> (URL, SimulationManifest) {
        var config = SimulationConfig.compact(seed: seed)
        config.warmUpTradingDays = 20
        let directory = SimulatedMarket.temporaryDirectory(name)
        let manifest = try MarketSimulator(config: config)
            .write(from: CalendarDate(iso: "2026-07-16")!, to: CalendarDate(iso: "2026-07-17")!, into: directory)
        return (directory, manifest)
    }

    @Test func sameSeedGivesByteIdenticalFilesAndAnotherSeedDiffers() throws {
        let (a, manifestA) = try simulate(seed: 11, name: "det-a")
        let (b, manifestB) = try simulate(seed: 11, name: "det-b")
        let (c, _) = try simulate(seed: 12, name: "det-c")
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(at: d) } }
        #expect(manifestA == manifestB)
        #expect(manifestA.files.count > 20)
        for file in manifestA.files {
            let x = try Data(contentsOf: a.appendingPathComponent(file))
            let y = try Data(contentsOf: b.appendingPathComponent(file))
            #expect(x == y, "\(file) differs between two runs with seed 11")
        }
        for file in ["cboe/options/_SPX_2026-07-17.json", "cboe/index/VIX_History.csv", "breadth/advance_decline.csv"] {
            let x = try Data(contentsOf: a.appendingPathComponent(file))
            let z = try Data(contentsOf: c.appendingPathComponent(file))
            #expect(x != z, "\(file) is the same for seeds 11 and 12")
        }
    }

    /// Extending `to` leaves the days already simulated unchanged (the path is drawn forward and each
    /// chain has its own stream), so a feed can grow without rewriting its past.
    @Test func extendingTheRangeKeepsEarlierDays() throws {
        var config = SimulationConfig.compact(seed: 21)
        config.warmUpTradingDays = 15
        let short = SimulatedMarket.temporaryDirectory("extend-short"), long = SimulatedMarket.temporaryDirectory("extend-long")
        defer { try? FileManager.default.removeItem(at: short); try? FileManager.default.removeItem(at: long) }
        let from = CalendarDate(iso: "2026-07-15")!
        let manifest = try MarketSimulator(config: config).write(from: from, to: from, into: short)
        _ = try MarketSimulator(config: config).write(from: from, to: CalendarDate(iso: "2026-07-17")!, into: long)
        for file in manifest.files where file.hasSuffix(".json") && file != "manifest.json" || file.hasPrefix("cfe/vx_curve/") {
            let a = try Data(contentsOf: short.appendingPathComponent(file))
            let b = try Data(contentsOf: long.appendingPathComponent(file))
            #expect(a == b, "\(file) changed when the range grew (seed 21)")
        }
        // Histories only gain rows at the end.
        for file in manifest.files where file.hasPrefix("cboe/index/") || file.hasPrefix("breadth/") || file.hasPrefix("rates/") {
            let a = try String(contentsOf: short.appendingPathComponent(file), encoding: .utf8)
            let b = try String(contentsOf: long.appendingPathComponent(file), encoding: .utf8)
            #expect(b.hasPrefix(a) && b.count > a.count, "\(file) is not an extension of the shorter run (seed 21)")
        }
    }

    @Test func manifestListsEveryFileWritten() throws {
        let market = try SimulatedMarket.compact.get()
        let enumerator = FileManager.default.enumerator(at: market.directory, includingPropertiesForKeys: [.isRegularFileKey])!
        var found: [String] = []
        let base = market.directory.resolvingSymlinksInPath().path
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            found.append(String(url.resolvingSymlinksInPath().path.dropFirst(base.count + 1)))
        }
        #expect(found.sorted() == market.manifest.files)
        let manifest = try JSONSerialization.jsonObject(with: market.data("manifest.json")) as? [String: Any]
        #expect(manifest?["seed"] as? Int == Int(SimulatedMarket.seed))
        #expect(manifest?["history_start"] as? String == market.manifest.historyStart.isoString)
    }

    @Test func badInputsAreTypedErrors() {
        let simulator = MarketSimulator(config: .compact(seed: 1))
        let directory = SimulatedMarket.temporaryDirectory("bad")
        let jul18 = CalendarDate(iso: "2026-07-18")!, jul19 = CalendarDate(iso: "2026-07-19")!
        #expect(throws: SimulationError.invalidRange(from: jul19, to: jul18)) {
            try simulator.write(from: jul19, to: jul18, into: directory)
        }
        #expect(throws: SimulationError.noTradingDays(from: jul18, to: jul19)) {
            try simulator.write(from: jul18, to: jul19, into: directory)
        }
        var config = SimulationConfig.compact(seed: 1)
        config.skewEta = 2
        #expect(throws: SimulationError.self) { try config.validate() }
        config = .compact(seed: 1)
        config.spotVarianceCorrelation = -1
        #expect(throws: SimulationError.self) { try config.validate() }
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }
}

@Suite("Simulated indices, futures, breadth, rates")
struct MarketSeriesTests {
    let market: SimulatedMarket

    init() throws { market = try SimulatedMarket.compact.get() }

    @Test func indexHistoriesHaveCboeFormatAndCoverTheHistory() throws {
        let calendar = TradingCalendar.nyse
        let sessions = calendar.tradingDays(from: market.manifest.historyStart, through: SimulatedMarket.to)
        for file in ["SPX_History.csv", "VIX_History.csv", "VIX9D_History.csv", "VIX3M_History.csv"] {
            let text = try market.text("cboe/index/\(file)")
            #expect(!text.contains("\r"))
            let lines = text.split(separator: "\n")
            #expect(lines.first == "DATE,OPEN,HIGH,LOW,CLOSE")
            #expect(lines.count == sessions.count + 1)
            for (line, session) in zip(lines.dropFirst(), sessions) {
                let f = line.split(separator: ",")
                #expect(f.count == 5)
                #expect(f[0].count == 10 && CalendarDate(usSlashed: f[0]) == session, "\(file): \(line)")
                let v = f.dropFirst().map { Double($0)! }
                #expect(f[1].split(separator: ".").last?.count == 6)
                #expect(v[1] >= max(v[0], v[3]) && v[2] <= min(v[0], v[3]) && v[2] > 0, "\(file): \(line)")
            }
        }
    }

    /// The VIX file's close equals the Cboe formula applied to the truth file's SVI slices, computed here
    /// independently with a discrete strike sum (ΔK = 0.5 point, K₀ correction) rather than the
    /// simulator's log-moneyness quadrature. Tolerance 0.02 VIX points (the discretization).
    @Test func vixMatchesTheCboeFormulaOnTheTrueSurface() throws {
        let vixCloses = Dictionary(uniqueKeysWithValues: try market.indexCloses("VIX_History.csv"))
        for day in market.manifest.chainDays {
            let truth = try market.truth(day)
            let pm = truth.expiries.filter { $0.settlement == "pm" }
            let target = 30 * 1440
            let nextIndex = try #require(pm.firstIndex { $0.minutes_to_expiry > target })
            let near = pm[nextIndex - 1], next = pm[nextIndex]
            func cboeVariance(_ e: Truth.Expiry) -> Double {
                let t = e.time_to_expiry_years, f = e.forward, svi = e.svi.parameters
                let dk = 0.5
                let k0 = (f / dk).rounded(.down) * dk
                var sum = 0.0
                var k = max(dk, (f * 0.05 / dk).rounded() * dk)
                while k < f * 3 {
                    let w = svi.totalVariance(atLogMoneyness: log(k / f))
                    let right: OptionRight = k < k0 ? .put : .call
                    var q = Black76.price(right: right, forward: f, strike: k, stdDev: w.squareRoot(), discount: e.discount)
                    if k == k0 {
                        q = (q + Black76.price(right: .put, forward: f, strike: k, stdDev: w.squareRoot(), discount: e.discount)) / 2
                    }
                    sum += dk / (k * k) * q / e.discount
                    k += dk
                }
                return 2 / t * sum - 1 / t * pow(f / k0 - 1, 2)
            }
            let n1 = Double(near.minutes_to_expiry), n2 = Double(next.minutes_to_expiry), n30 = Double(target)
            let v1 = cboeVariance(near) * near.time_to_expiry_years, v2 = cboeVariance(next) * next.time_to_expiry_years
            let vix = 100 * (((v1 * (n2 - n30) + v2 * (n30 - n1)) / (n2 - n1)) * 525_600 / n30).squareRoot()
            let published = try #require(vixCloses[day])
            #expect(abs(published - vix) < 0.02, "\(day): VIX file \(published) vs Cboe formula \(vix)")
            #expect(abs(published - truth.vix) < 5e-7)
            // The skew makes the model-free index exceed the ATM vol of the same horizon.
            let atm30 = 100 * (near.atm_total_variance / near.time_to_expiry_years).squareRoot()
            #expect(published > atm30 && published < atm30 * 1.4, "VIX \(published), 30-day ATM \(atm30)")
            #expect(truth.vix9d > 5 && truth.vix3m > 5)
        }
    }

    @Test func vxCurvesAreSortedWithCboeSymbols() throws {
        let day = market.manifest.chainDays[1]
        let lines = try market.text("cfe/vx_curve/\(day.isoString).csv").split(separator: "\n")
        #expect(lines.first == "expiration_date,symbol,settlement")
        var previous = day
        var monthlies = 0
        let codes = Set("FGHJKMNQUVXZ")
        for line in lines.dropFirst() {
            let f = line.split(separator: ",")
            let expiry = try #require(CalendarDate(iso: f[0]))
            #expect(expiry > previous && TradingCalendar.nyse.isTradingDay(expiry), "\(line)")
            previous = expiry
            let symbol = f[1]
            #expect(symbol.hasPrefix("VX"))
            let parts = symbol.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false)
            #expect(parts.count == 2 && parts[1].count == 2 && codes.contains(parts[1].first!), "\(symbol)")
            if parts[0].isEmpty {
                monthlies += 1
                // Monthly: 30 days before the next month's third Friday (the business day before when
                // either day is a holiday).
                let (y, m) = expiry.month == 12 ? (expiry.year + 1, 1) : (expiry.year, expiry.month + 1)
                let friday = CalendarDate.nthWeekday(3, weekday: 5, year: y, month: m)
                let calendar = TradingCalendar.nyse
                let wednesday = friday.adding(days: -30)
                let rule = calendar.isTradingDay(friday) && calendar.isTradingDay(wednesday)
                    ? wednesday : calendar.previousTradingDay(before: wednesday)
                #expect(expiry == rule, "\(line)")
            } else {
                // Weekly: the two-digit ordinal of the expiry Wednesday in its year.
                let jan1 = CalendarDate(year: expiry.year, month: 1, day: 1)!
                let firstWednesday = jan1.adding(days: (3 - jan1.isoWeekday + 7) % 7)
                let week = try #require(Int(parts[0]))
                #expect(parts[0].count == 2)
                let wednesday = firstWednesday.adding(days: 7 * (week - 1))
                #expect(expiry == TradingCalendar.nyse.tradingDayOnOrBefore(wednesday), "\(line)")
                #expect(expiry.days(since: day) <= 42, "\(line)")
            }
            #expect((5.0...80).contains(Double(f[2])!))
        }
        #expect(monthlies == market.config.vxMonthlyCount)
    }

    /// In calm sessions (VIX below its median) the front of the VX curve slopes up (contango) on
    /// average and on most days; after the variance has spiked it inverts more often.
    @Test func vxCurveIsInContangoInCalmPeriods() throws {
        let long = try SimulatedMarket.longHistory.get()
        let vix = try long.indexCloses("VIX_History.csv")
        let calmLevel = median(vix.map(\.1))
        var calmSlopes: [Double] = [], stressedSlopes: [Double] = []
        for (day, level) in vix {
            let rows = try long.text("cfe/vx_curve/\(day.isoString).csv").split(separator: "\n").dropFirst()
            let monthly = rows.map { $0.split(separator: ",") }.filter { $0[1].hasPrefix("VX/") }.map { Double($0[2])! }
            let slope = monthly[2] - monthly[0]
            if level < calmLevel { calmSlopes.append(slope) } else { stressedSlopes.append(slope) }
        }
        let calmMean = calmSlopes.reduce(0, +) / Double(calmSlopes.count)
        let stressedMean = stressedSlopes.reduce(0, +) / Double(stressedSlopes.count)
        let contangoShare = Double(calmSlopes.filter { $0 > 0 }.count) / Double(calmSlopes.count)
        #expect(calmMean > 0.3, "calm VX3 − VX1 mean \(calmMean) (seed \(long.config.seed))")
        #expect(contangoShare > 0.8, "calm contango share \(contangoShare) (seed \(long.config.seed))")
        #expect(stressedMean < calmMean, "stressed slope \(stressedMean) vs calm \(calmMean)")
    }

    @Test func perContractFuturesHistoriesFollowTheCurve() throws {
        let files = market.manifest.files.filter { $0.hasPrefix("cfe/per_contract/") }
        #expect(files.count >= market.config.vxMonthlyCount)
        let day = market.manifest.chainDays[0]
        let curve = try market.text("cfe/vx_curve/\(day.isoString).csv").split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",") }.filter { $0[1].hasPrefix("VX/") }
        for row in curve {
            let symbol = row[1]  // VX/N6
            let code = symbol.dropFirst(3).first!
            let expiry = CalendarDate(iso: row[0])!
            let year = expiry.month == 12 && code == "F" ? expiry.year + 1 : expiry.year
            let name = "cfe/per_contract/CFE_\(code)\(year % 100)_VX.csv"
            let text = try market.text(name)
            let lines = text.split(separator: "\n")
            #expect(lines.first == "Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open Interest")
            let match = try #require(lines.first { $0.hasPrefix(day.isoString) }, "\(name) has no row for \(day)")
            let f = match.split(separator: ",", omittingEmptySubsequences: false)
            #expect(f.count == 11)
            #expect(f[1].hasPrefix("\(code) (") && f[1].hasSuffix("\(year))"))
            #expect(Double(f[6]) == Double(row[2]), "\(name): settle \(f[6]) vs curve \(row[2])")
        }
    }

    /// A monthly that expired inside the history ends with its final settlement: the VIX opening value
    /// of its expiry morning (June 2026 settles on 17 June).
    @Test func expiredContractsEndWithTheFinalSettlement() throws {
        let lines = try market.text("cfe/per_contract/CFE_M26_VX.csv").split(separator: "\n")
        let last = lines.last!.split(separator: ",", omittingEmptySubsequences: false)
        #expect(last[0] == "2026-06-17" && last[1] == "M (Jun 2026)")
        let vixLine = try #require(try market.text("cboe/index/VIX_History.csv").split(separator: "\n").first { $0.hasPrefix("06/17/2026") })
        let open = try #require(Double(vixLine.split(separator: ",")[1]))
        #expect(abs(Double(last[6])! - open) < 0.00005, "final settle \(last[6]) vs VIX open \(open)")
        #expect(lines.dropFirst().map { $0.prefix(10) } == lines.dropFirst().map { $0.prefix(10) }.sorted())
    }

    @Test func breadthCorrelatesWithReturns() throws {
        let long = try SimulatedMarket.longHistory.get()
        let spx = try long.indexCloses("SPX_History.csv")
        let rows = try long.text("breadth/advance_decline.csv").split(separator: "\n")
        #expect(rows.first == "date,advances,declines,unchanged")
        var net: [Double] = [], returns: [Double] = []
        for (i, line) in rows.dropFirst().enumerated() {
            let f = line.split(separator: ",")
            #expect(CalendarDate(iso: f[0]) == spx[i].0)
            let a = Int(f[1])!, d = Int(f[2])!, u = Int(f[3])!
            #expect(a + d + u == long.config.breadthUniverse && a >= 0 && d >= 0 && u >= 0)
            if i > 0 {
                net.append(Double(a - d))
                returns.append(log(spx[i].1 / spx[i - 1].1))
            }
        }
        let rho = correlation(net, returns)
        #expect(rho > 0.6, "breadth/return correlation \(rho) (seed \(long.config.seed))")
    }

    @Test func ratesFileUsesFredConventions() throws {
        let lines = try market.text("rates/DGS3MO.csv").split(separator: "\n")
        #expect(lines.first == "observation_date,DGS3MO")
        let calendar = TradingCalendar.nyse
        var sawHoliday = false
        for line in lines.dropFirst() {
            let f = line.split(separator: ",")
            let date = try #require(CalendarDate(iso: f[0]))
            #expect(!date.isWeekend)
            if calendar.isTradingDay(date) {
                let percent = try #require(Double(f[1]))
                #expect((3.5...5.0).contains(percent) && f[1].split(separator: ".").last?.count == 2, "\(line)")
            } else {
                #expect(f[1] == ".", "\(line)")
                sawHoliday = true
            }
        }
        #expect(sawHoliday)  // 19 June and 3 July 2026 fall inside the warm-up
        let truth = try market.truth(market.manifest.chainDays[0])
        #expect(lines.contains { $0 == "\(truth.session),\(String(format: "%.2f", truth.rate * 100))" })
    }
}

extension MarketSeriesTests {
    @Test func eventsFileListsTheTruthEvents() throws {
        let lines = try market.text("events/events.csv").split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.first == "date,time_et,kind,label,scheduled")
        let truth = try market.truth(market.manifest.chainDays[0])
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.allSatisfy { $0.count == 5 })
        #expect(rows.map { "\($0[0]) \($0[2])" } == truth.events.map { "\($0.date) \($0.kind)" })
        for r in rows { #expect(r[1] == (r[2] == "fomc" ? "14:00" : "08:30")) }
    }
}

@Suite("Model pieces")
struct ModelTests {
    @Test func syntheticEventScheduleFollowsItsRule() {
        let events = EventSchedule.synthetic(years: 2025...2027)
        let calendar = TradingCalendar.nyse
        for year in 2025...2027 {
            let inYear = events.filter { $0.date.year == year }
            #expect(inYear.filter { $0.kind == .fomc }.count == 8)
            #expect(inYear.filter { $0.kind == .cpi }.count == 12)
        }
        #expect(Set(events.map(\.date)).count == events.count, "an FOMC-like and a CPI-like day coincide")
        for e in events { #expect(calendar.isTradingDay(e.date), "\(e.kind) on \(e.date)") }
        #expect(events.contains(SimulatedEvent(kind: .fomc, date: CalendarDate(iso: "2026-01-28")!)))
    }

    /// Scheduled events add their variance to every expiry after them: the truth file's first expiry
    /// past an event carries a jump in ATM total variance.
    @Test func eventVarianceEntersExpiriesAfterTheEvent() throws {
        let market = try SimulatedMarket.compact.get()
        let truth = try market.truth(market.manifest.chainDays[0])
        let upcoming = try #require(truth.events.first { $0.upcoming })
        let spxw = truth.expiries.filter { $0.root == "SPXW" }
        let after = try #require(spxw.firstIndex { $0.expiry >= upcoming.date })
        try #require(after > 0)
        func forwardVariancePerDay(_ i: Int) -> Double {
            (spxw[i].atm_total_variance - (i > 0 ? spxw[i - 1].atm_total_variance : 0))
                / (Double(spxw[i].minutes_to_expiry - (i > 0 ? spxw[i - 1].minutes_to_expiry : 0)) / 1440)
        }
        #expect(forwardVariancePerDay(after) > 1.3 * forwardVariancePerDay(after - 1),
                "no event bump at \(spxw[after].expiry) for the \(upcoming.kind) on \(upcoming.date)")
    }

    @Test func warmUpLengthSetsTheHistoryStart() throws {
        var a = SimulationConfig.compact(seed: 3)
        a.warmUpTradingDays = 10
        var b = a
        b.warmUpTradingDays = 11
        let day = CalendarDate(iso: "2026-07-15")!
        let da = SimulatedMarket.temporaryDirectory("range-a"), db = SimulatedMarket.temporaryDirectory("range-b")
        defer { try? FileManager.default.removeItem(at: da); try? FileManager.default.removeItem(at: db) }
        let ma = try MarketSimulator(config: a).write(from: day, to: day, into: da)
        let mb = try MarketSimulator(config: b).write(from: day, to: day, into: db)
        #expect(mb.historyStart == TradingCalendar.nyse.previousTradingDay(before: ma.historyStart))
        let linesA = try String(contentsOf: da.appendingPathComponent("cboe/index/VIX_History.csv"), encoding: .utf8).split(separator: "\n")
        let linesB = try String(contentsOf: db.appendingPathComponent("cboe/index/VIX_History.csv"), encoding: .utf8).split(separator: "\n")
        #expect(linesA.count == 12 && linesB.count == 13)
    }
}
