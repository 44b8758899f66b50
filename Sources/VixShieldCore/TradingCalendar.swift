/// The NYSE trading calendar (which Cboe's SPX and VIX options follow), from rules plus one-off closures.
///
/// Valid for 1990 through 2040 (`supportedYears`); outside that range the present-day rules are applied
/// unchanged, which is wrong for years whose rules differed (MLK Day before 1998, say).
///
/// Full-day holidays: New Year's Day (Sunday moves to Monday; a Saturday New Year is not observed on the
/// Friday before, NYSE Rule 7.2), Martin Luther King Jr. Day from 1998, Washington's Birthday, Good
/// Friday, Memorial Day, Juneteenth from 2022, Independence Day, Labor Day, Thanksgiving and Christmas
/// (for those three: Saturday moves to Friday, Sunday to Monday), plus `oneOffClosures`.
///
/// Early closes follow the NYSE's own history of closings (the "NYSE Closings" record that
/// pandas_market_calendars cites), checked against the NYSE's published schedules for 2013–2025:
/// - Independence Day: 13:00 on 3 July when it is a Monday, Tuesday or Thursday (from 1995); when the
///   4th is a Thursday, the Friday 5 July closed early from 1996 to 2012 and Wednesday 3 July from 2013.
///   No early close when the holiday itself is observed on Friday 3 July or Monday 5 July (2015, 2020,
///   2021, 2022 had none).
/// - The day after Thanksgiving: 14:00 in 1992, 13:00 from 1993 (a full day before 1992).
/// - Christmas Eve on a Monday to Thursday: 14:00 in 1990–1992, 13:00 from 1996 (1993–1995 it fell on
///   the observed holiday or a weekend). A Friday Christmas Eve is the observed Christmas holiday.
/// - `oneOffEarlyCloses`: 26 December 1997 and 2003, and unscheduled intraday closes (snow, a
///   circuit-breaker halt, a systems failure).
public struct TradingCalendar: Sendable {
    public static let supportedYears = 1990...2040

    /// Whole-day closures that no rule predicts (funerals of presidents, September 11, storms).
    public static let oneOffClosures: [CalendarDate: String] = {
        let list: [(String, String)] = [
            ("1994-04-27", "Funeral of President Nixon"),
            ("2001-09-11", "September 11 attacks"), ("2001-09-12", "September 11 attacks"),
            ("2001-09-13", "September 11 attacks"), ("2001-09-14", "September 11 attacks"),
            ("2004-06-11", "Funeral of President Reagan"),
            ("2007-01-02", "Funeral of President Ford"),
            ("2012-10-29", "Hurricane Sandy"), ("2012-10-30", "Hurricane Sandy"),
            ("2018-12-05", "Funeral of President George H. W. Bush"),
            ("2025-01-09", "Funeral of President Carter"),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { (CalendarDate(iso: $0.0)!, $0.1) })
    }()

    /// A session that ended before 16:00 ET, and why.
    public struct EarlyClose: Hashable, Sendable {
        /// The hour and minute of the close, Eastern time.
        public let hour: Int
        public let minute: Int
        public let reason: String
    }

    /// Early closes that no rule predicts, with the time trading ended (NYSE closings history).
    public static let oneOffEarlyCloses: [CalendarDate: EarlyClose] = {
        let list: [(String, Int, Int, String)] = [
            ("1994-02-11", 14, 30, "Snowstorm"),
            ("1996-01-08", 14, 0, "Snowstorm"),
            ("1997-10-27", 15, 30, "Circuit breaker halt"),
            ("1997-12-26", 13, 0, "Day after Christmas"),
            ("2003-12-26", 13, 0, "Day after Christmas"),
            ("2005-06-01", 15, 56, "Systems communication problem"),
        ]
        return Dictionary(uniqueKeysWithValues: list.map {
            (CalendarDate(iso: $0.0)!, EarlyClose(hour: $0.1, minute: $0.2, reason: $0.3))
        })
    }()

    public static let nyse = TradingCalendar()

    public init() {}

    /// The holiday or closure name when the exchange is shut on a weekday, nil otherwise.
    public func closureName(on date: CalendarDate) -> String? {
        if let name = Self.oneOffClosures[date] { return name }
        return Self.year(date.year).holidays[date]
    }

    /// Whether the exchange holds a session on `date` (a weekday that is neither a holiday nor a closure).
    public func isTradingDay(_ date: CalendarDate) -> Bool {
        !date.isWeekend && closureName(on: date) == nil
    }

    /// The close of the session on `date` (16:00 ET, or the early close); nil when the market is shut.
    ///
    /// This is the equity close that PM-settled index options (SPXW) settle on; Cboe's index options keep
    /// trading 15 minutes longer (16:15, or 13:15 on an early-close day).
    public func closeTime(on date: CalendarDate) -> EasternTime? {
        guard isTradingDay(date) else { return nil }
        guard let early = earlyClose(on: date) else { return EasternTime.close(on: date) }
        return EasternTime(date: date, hour: early.hour, minute: early.minute)
    }

    /// Whether the session on `date` ends before 16:00 ET (scheduled half days and unscheduled early closes).
    public func isEarlyClose(_ date: CalendarDate) -> Bool { earlyClose(on: date) != nil }

    /// The early close on `date` (time and reason), or nil for a full session or a closed day.
    public func earlyClose(on date: CalendarDate) -> EarlyClose? {
        guard isTradingDay(date) else { return nil }
        if let oneOff = Self.oneOffEarlyCloses[date] { return oneOff }
        return Self.year(date.year).earlyCloses[date]
    }

    /// The first trading day strictly after `date`.
    public func nextTradingDay(after date: CalendarDate) -> CalendarDate {
        var d = date.adding(days: 1)
        while !isTradingDay(d) { d = d.adding(days: 1) }
        return d
    }

    /// The last trading day strictly before `date`.
    public func previousTradingDay(before date: CalendarDate) -> CalendarDate {
        var d = date.adding(days: -1)
        while !isTradingDay(d) { d = d.adding(days: -1) }
        return d
    }

    /// The trading day itself when `date` is one, else the one before it.
    public func tradingDayOnOrBefore(_ date: CalendarDate) -> CalendarDate {
        isTradingDay(date) ? date : previousTradingDay(before: date)
    }

    /// The trading day itself when `date` is one, else the one after it.
    public func tradingDayOnOrAfter(_ date: CalendarDate) -> CalendarDate {
        isTradingDay(date) ? date : nextTradingDay(after: date)
    }

    /// Every trading day from `start` through `end` inclusive, in order.
    public func tradingDays(from start: CalendarDate, through end: CalendarDate) -> [CalendarDate] {
        CalendarDate.range(start, through: end).filter(isTradingDay)
    }

    /// The number of trading days from `start` through `end` inclusive.
    public func tradingDayCount(from start: CalendarDate, through end: CalendarDate) -> Int {
        guard start <= end else { return 0 }
        var count = 0
        for n in start.dayNumber...end.dayNumber where isTradingDay(CalendarDate(dayNumber: n)) { count += 1 }
        return count
    }

    // MARK: - Rules

    /// One year's rule-based holidays and early closes.
    struct YearTable: Sendable {
        let holidays: [CalendarDate: String]
        let earlyCloses: [CalendarDate: EarlyClose]
    }

    /// Tables for the supported years, built once; other years are computed on demand.
    private static let tables: [YearTable] = supportedYears.map(makeYear)

    static func year(_ year: Int) -> YearTable {
        supportedYears.contains(year) ? tables[year - supportedYears.lowerBound] : makeYear(year)
    }

    static func holidays(in year: Int) -> [CalendarDate: String] { Self.year(year).holidays }

    private static func makeYear(_ year: Int) -> YearTable {
        var holidays: [CalendarDate: String] = [:]
        func add(_ d: CalendarDate, _ name: String) { if !d.isWeekend { holidays[d] = name } }
        func observed(_ d: CalendarDate) -> CalendarDate {
            switch d.isoWeekday {
            case 6: return d.adding(days: -1)
            case 7: return d.adding(days: 1)
            default: return d
            }
        }
        func date(_ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }

        let newYear = date(1, 1)
        // A Saturday New Year's Day is not moved to the Friday: that Friday closes the previous year's books.
        if newYear.isoWeekday == 7 { add(newYear.adding(days: 1), "New Year's Day") } else { add(newYear, "New Year's Day") }
        if year >= 1998 { add(.nthWeekday(3, weekday: 1, year: year, month: 1), "Martin Luther King Jr. Day") }
        add(.nthWeekday(3, weekday: 1, year: year, month: 2), "Washington's Birthday")
        add(easterSunday(year).adding(days: -2), "Good Friday")
        add(.nthWeekday(-1, weekday: 1, year: year, month: 5), "Memorial Day")
        if year >= 2022 { add(observed(date(6, 19)), "Juneteenth National Independence Day") }
        add(observed(date(7, 4)), "Independence Day")
        add(.nthWeekday(1, weekday: 1, year: year, month: 9), "Labor Day")
        add(thanksgiving(year), "Thanksgiving Day")
        add(observed(date(12, 25)), "Christmas Day")

        var early: [CalendarDate: EarlyClose] = [:]
        func half(_ d: CalendarDate, _ hour: Int, _ reason: String) {
            if !d.isWeekend, holidays[d] == nil { early[d] = EarlyClose(hour: hour, minute: 0, reason: reason) }
        }
        let july3 = date(7, 3)
        // 3 July on Monday, Tuesday or Thursday: the 4th is a Tuesday, Wednesday or Friday.
        if [1, 2, 4].contains(july3.isoWeekday), year >= 1995 { half(july3, 13, "Day before Independence Day") }
        // The 4th on a Thursday: the half day was the Friday after until 2012, the Wednesday before since.
        if july3.isoWeekday == 3, year >= 2013 { half(july3, 13, "Day before Independence Day") }
        if july3.isoWeekday == 3, (1996...2012).contains(year) { half(date(7, 5), 13, "Day after Independence Day") }
        if year == 1992 { half(thanksgiving(year).adding(days: 1), 14, "Day after Thanksgiving") }
        if year >= 1993 { half(thanksgiving(year).adding(days: 1), 13, "Day after Thanksgiving") }
        let christmasEve = date(12, 24)
        if (1...4).contains(christmasEve.isoWeekday) {
            if year <= 1992 { half(christmasEve, 14, "Christmas Eve") }
            if year >= 1996 { half(christmasEve, 13, "Christmas Eve") }
        }
        return YearTable(holidays: holidays, earlyCloses: early)
    }

    static func thanksgiving(_ year: Int) -> CalendarDate { .nthWeekday(4, weekday: 4, year: year, month: 11) }

    /// Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
    static func easterSunday(_ year: Int) -> CalendarDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(year: year, month: month, day: day)!
    }
}
