import Foundation
import VixShieldCore

// MARK: - Events

/// The macro calendar of the simulated market.
public enum EventSchedule {
    /// The synthetic schedule used when the config names no event days, by rule for `years`:
    /// - FOMC-like: 8 Wednesdays a year, the last Wednesday of January, April, July and October and the
    ///   third Wednesday of March, June, September and December (the shape of the real calendar: roughly
    ///   every six weeks, quarter-end meetings mid-month); a non-trading Wednesday moves to the next
    ///   trading day.
    /// - CPI-like: monthly, the first trading day on or after the 12th (BLS publishes around the 10th to
    ///   the 15th); when that is an FOMC-like day it moves to the trading day before, so the two never
    ///   share a session.
    public static func synthetic(years: ClosedRange<Int>) -> [SimulatedEvent] {
        let calendar = TradingCalendar.nyse
        var out: [SimulatedEvent] = []
        for year in years {
            var fomcDays = Set<CalendarDate>()
            for (month, nth) in [(1, -1), (3, 3), (4, -1), (6, 3), (7, -1), (9, 3), (10, -1), (12, 3)] {
                var d = CalendarDate.nthWeekday(nth, weekday: 3, year: year, month: month)
                if !calendar.isTradingDay(d) { d = calendar.nextTradingDay(after: d) }
                fomcDays.insert(d)
                out.append(SimulatedEvent(kind: .fomc, date: d))
            }
            for month in 1...12 {
                var d = CalendarDate(year: year, month: month, day: 12)!
                if !calendar.isTradingDay(d) { d = calendar.nextTradingDay(after: d) }
                if fomcDays.contains(d) { d = calendar.previousTradingDay(before: d) }
                out.append(SimulatedEvent(kind: .cpi, date: d))
            }
        }
        return out.sorted()
    }
}

// MARK: - Listed SPX expiries

/// One listed expiry of the SPX chain.
public struct ListedExpiry: Hashable, Sendable, Comparable {
    /// `SPX` (AM-settled standard) or `SPXW` (PM-settled).
    public var root: String
    public var date: CalendarDate

    public init(root: String, date: CalendarDate) {
        self.root = root
        self.date = date
    }

    /// Settlement style and time as `OptionContract` defines them for this root.
    var contractTemplate: OptionContract { OptionContract(root: root, expiry: date, right: .call, strikeMilli: 0) }
    public var settlement: SettlementStyle { contractTemplate.settlement }
    public var expiryTime: EasternTime { contractTemplate.expiryTime }

    public static func < (a: ListedExpiry, b: ListedExpiry) -> Bool { (a.date, a.root) < (b.date, b.root) }
}

/// Which SPX expiries Cboe lists on a session, by the product rules (simplified but shaped like the real
/// list of ~40-50 expiries).
enum ExpirySchedule {
    static let calendar = TradingCalendar.nyse

    /// The standard monthly expiry: the third Friday, or the trading day before when it is a holiday
    /// (Good Friday).
    static func standardMonthly(year: Int, month: Int) -> CalendarDate {
        calendar.tradingDayOnOrBefore(.nthWeekday(3, weekday: 5, year: year, month: month))
    }

    /// Months after (year, month), as (year, month).
    static func addMonths(_ n: Int, to year: Int, _ month: Int) -> (year: Int, month: Int) {
        let index = year * 12 + (month - 1) + n
        return (index / 12, index % 12 + 1)
    }

    /// Every expiry listed after the close of `session` (expiries on the session itself have settled).
    static func listed(on session: CalendarDate, config: SimulationConfig) -> [ListedExpiry] {
        var spxw = Set<CalendarDate>()
        var spx = Set<CalendarDate>()
        // Dailies: the next trading days, Monday to Friday.
        var d = session
        for _ in 0..<config.dailyExpiryTradingDays {
            d = calendar.nextTradingDay(after: d)
            spxw.insert(d)
        }
        // Friday weeklies (a holiday Friday expires the trading day before).
        let weeklyEnd = session.adding(days: config.weeklyHorizonDays)
        var friday = session.adding(days: (5 - session.isoWeekday + 7) % 7)
        while friday <= weeklyEnd {
            let e = calendar.tradingDayOnOrBefore(friday)
            if e > session { spxw.insert(e) }
            friday = friday.adding(days: 7)
        }
        // Month-ends: the last trading day of each month.
        for n in 0...config.monthEndHorizonMonths {
            let (y, m) = addMonths(n, to: session.year, session.month)
            let e = calendar.tradingDayOnOrBefore(CalendarDate(year: y, month: m, day: CalendarDate.daysInMonth(year: y, month: m))!)
            if e > session { spxw.insert(e) }
        }
        // Standard monthlies: both roots.
        for n in 0...config.monthlyHorizonMonths {
            let (y, m) = addMonths(n, to: session.year, session.month)
            let e = standardMonthly(year: y, month: m)
            if e > session { spx.insert(e); spxw.insert(e) }
        }
        // Quarterlies (SPX, AM) and December LEAPS.
        for n in 0...config.quarterlyHorizonMonths {
            let (y, m) = addMonths(n, to: session.year, session.month)
            guard m % 3 == 0 else { continue }
            let e = standardMonthly(year: y, month: m)
            if e > session { spx.insert(e) }
        }
        if config.leapsHorizonYears > 0 {
            for y in session.year...(session.year + config.leapsHorizonYears) {
                let e = standardMonthly(year: y, month: 12)
                if e > session, e.days(since: session) <= 365 * config.leapsHorizonYears + 31 { spx.insert(e) }
            }
        }
        return (spx.map { ListedExpiry(root: "SPX", date: $0) } + spxw.map { ListedExpiry(root: "SPXW", date: $0) }).sorted()
    }
}

extension ExpirySchedule {
    /// SPXW weekdays Cboe listed on `session`, Monday = 1: Friday weeklies from the start, then
    /// Wednesdays (launched 2016-02-23), Mondays (2016-08-15), Tuesdays (2022-04-18) and Thursdays
    /// (2022-05-11), which made every session an expiry.
    static func spxwWeekdays(on session: CalendarDate) -> Set<Int> {
        var days: Set<Int> = [5]
        for (weekday, launch) in [(3, "2016-02-23"), (1, "2016-08-15"), (2, "2022-04-18"), (4, "2022-05-11")]
        where session >= CalendarDate(iso: launch)! { days.insert(weekday) }
        return days
    }

    /// `listed(on:config:)` without the SPXW expiries Cboe did not list yet on `session` (a replay of 2018
    /// has no Tuesday or Thursday weeklies): kept are the SPX roots, standard monthlies, month-ends, and the
    /// SPXW expiries on the weekdays of `spxwWeekdays`, a Friday weekly moved to Thursday by a holiday
    /// included.
    static func listedThen(on session: CalendarDate, config: SimulationConfig) -> [ListedExpiry] {
        let weekdays = spxwWeekdays(on: session)
        return listed(on: session, config: config).filter { e in
            guard e.root == "SPXW" else { return true }
            let d = e.date
            if d == standardMonthly(year: d.year, month: d.month) { return true }
            if calendar.nextTradingDay(after: d).month != d.month { return true }  // the month's last session
            if weekdays.contains(d.isoWeekday) { return true }
            // A holiday Friday's weekly expires the session before.
            return d.isoWeekday == 4 && !calendar.isTradingDay(d.adding(days: 1))
        }
    }
}

// MARK: - VX futures

/// One VX futures contract (monthly or weekly).
struct VXContract: Hashable, Sendable, Comparable {
    var expiry: CalendarDate
    var isWeekly: Bool
    /// Cboe's curve symbol: `VX/N6` (monthly) or `VX28/N6` (weekly).
    var symbol: String
    /// The contract month the symbol names.
    var year: Int
    var month: Int

    static func < (a: VXContract, b: VXContract) -> Bool { (a.expiry, a.symbol) < (b.expiry, b.symbol) }

    static let monthCodes: [Character] = ["F", "G", "H", "J", "K", "M", "N", "Q", "U", "V", "X", "Z"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    var monthCode: Character { VXContract.monthCodes[month - 1] }

    /// `N (Jul 2026)`, the `Futures` column of CFE's per-contract history files.
    var futuresLabel: String { "\(monthCode) (\(VXContract.monthNames[month - 1]) \(year))" }

    /// `CFE_N26_VX.csv`.
    var historyFileName: String {
        let yy = year % 100
        return "CFE_\(monthCode)\(yy < 10 ? "0" : "")\(yy)_VX.csv"
    }
}

enum VXSchedule {
    static let calendar = TradingCalendar.nyse

    /// The monthly VX final settlement date for contract month (year, month) (CFE rule 1202): the
    /// Wednesday 30 days before the third Friday of the following month; when that Friday or that
    /// Wednesday is an exchange holiday, the business day before the Wednesday.
    static func monthlyExpiry(year: Int, month: Int) -> CalendarDate {
        let (ny, nm) = ExpirySchedule.addMonths(1, to: year, month)
        let thirdFriday = CalendarDate.nthWeekday(3, weekday: 5, year: ny, month: nm)
        let wednesday = thirdFriday.adding(days: -30)
        if !calendar.isTradingDay(thirdFriday) || !calendar.isTradingDay(wednesday) {
            return calendar.previousTradingDay(before: wednesday)
        }
        return wednesday
    }

    /// The contracts on the settlement curve of `tradeDate`: the next `config.vxMonthlyCount` monthlies
    /// and the Wednesday weeklies over the next `vxWeeklyHorizonDays` days, sorted by expiry.
    ///
    /// Weekly symbols carry the ordinal of the expiry Wednesday within its year, two digits (`VX28/N6`
    /// expires on the 28th Wednesday of 2026, 15 July; `VX05/F7` on the 5th of 2027), which is what
    /// Cboe's published curve shows.
    static func curve(on tradeDate: CalendarDate, config: SimulationConfig) -> [VXContract] {
        var out: [VXContract] = []
        var monthlyDates = Set<CalendarDate>()
        var n = 0
        while out.count < config.vxMonthlyCount {
            let (y, m) = ExpirySchedule.addMonths(n, to: tradeDate.year, tradeDate.month)
            n += 1
            let e = monthlyExpiry(year: y, month: m)
            guard e > tradeDate else { continue }
            monthlyDates.insert(e)
            out.append(VXContract(expiry: e, isWeekly: false, symbol: "VX/\(VXContract.monthCodes[m - 1])\(y % 10)", year: y, month: m))
        }
        var wednesday = tradeDate.adding(days: (3 - tradeDate.isoWeekday + 7) % 7)
        let end = tradeDate.adding(days: config.vxWeeklyHorizonDays)
        while wednesday <= end {
            let e = calendar.tradingDayOnOrBefore(wednesday)
            if e > tradeDate, !monthlyDates.contains(e), !monthlyDates.contains(wednesday) {
                let dayOfYear = wednesday.days(since: CalendarDate(year: wednesday.year, month: 1, day: 1)!) + 1
                let ordinal = (dayOfYear - 1) / 7 + 1
                let code = VXContract.monthCodes[wednesday.month - 1]
                let week = ordinal < 10 ? "0\(ordinal)" : "\(ordinal)"
                out.append(VXContract(expiry: e, isWeekly: true, symbol: "VX\(week)/\(code)\(wednesday.year % 10)",
                                      year: wednesday.year, month: wednesday.month))
            }
            wednesday = wednesday.adding(days: 7)
        }
        return out.sorted()
    }
}
