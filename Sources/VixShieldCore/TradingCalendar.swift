/// The NYSE trading calendar (which Cboe's SPX and VIX options follow), from rules plus one-off closures.
///
/// Valid for 1990 through 2040. Rules: New Year's Day (Sunday moves to Monday; Saturday is not observed
/// on the Friday before, NYSE Rule 7.2), Martin Luther King Jr. Day from 1998, Washington's Birthday,
/// Good Friday, Memorial Day, Juneteenth from 2022, Independence Day, Labor Day, Thanksgiving and
/// Christmas (Saturday moves to Friday, Sunday to Monday).
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

    public static let nyse = TradingCalendar()

    public init() {}

    /// The holiday or closure name when the exchange is shut on a weekday, nil otherwise.
    public func closureName(on date: CalendarDate) -> String? {
        if let name = Self.oneOffClosures[date] { return name }
        return Self.holidays(in: date.year)[date]
    }

    public func isTradingDay(_ date: CalendarDate) -> Bool {
        !date.isWeekend && closureName(on: date) == nil
    }

    /// The regular close (16:00 ET), or 13:00 ET on an early-close day; nil when the market is shut.
    public func closeTime(on date: CalendarDate) -> EasternTime? {
        guard isTradingDay(date) else { return nil }
        return isEarlyClose(date) ? EasternTime(date: date, hour: 13) : EasternTime.close(on: date)
    }

    /// 13:00 ET closes: the day before Independence Day (when it falls on a Monday to Thursday and the
    /// 4th is a weekday), the day after Thanksgiving, and Christmas Eve on a weekday.
    public func isEarlyClose(_ date: CalendarDate) -> Bool {
        guard isTradingDay(date) else { return false }
        let y = date.year
        if date.month == 7, date.day == 3, (1...4).contains(date.isoWeekday) { return true }
        if date == Self.thanksgiving(y).adding(days: 1) { return true }
        if date.month == 12, date.day == 24 { return true }
        return false
    }

    public func nextTradingDay(after date: CalendarDate) -> CalendarDate {
        var d = date.adding(days: 1)
        while !isTradingDay(d) { d = d.adding(days: 1) }
        return d
    }

    public func previousTradingDay(before date: CalendarDate) -> CalendarDate {
        var d = date.adding(days: -1)
        while !isTradingDay(d) { d = d.adding(days: -1) }
        return d
    }

    /// The trading day itself when `date` is one, else the one before it.
    public func tradingDayOnOrBefore(_ date: CalendarDate) -> CalendarDate {
        isTradingDay(date) ? date : previousTradingDay(before: date)
    }

    public func tradingDays(from start: CalendarDate, through end: CalendarDate) -> [CalendarDate] {
        CalendarDate.range(start, through: end).filter(isTradingDay)
    }

    // MARK: - Rules

    static func holidays(in year: Int) -> [CalendarDate: String] {
        var out: [CalendarDate: String] = [:]
        func add(_ d: CalendarDate, _ name: String) { if !d.isWeekend { out[d] = name } }
        func observed(_ d: CalendarDate) -> CalendarDate {
            switch d.isoWeekday {
            case 6: return d.adding(days: -1)
            case 7: return d.adding(days: 1)
            default: return d
            }
        }
        let newYear = CalendarDate(year: year, month: 1, day: 1)!
        if newYear.isoWeekday == 7 { add(newYear.adding(days: 1), "New Year's Day") } else { add(newYear, "New Year's Day") }
        if year >= 1998 { add(.nthWeekday(3, weekday: 1, year: year, month: 1), "Martin Luther King Jr. Day") }
        add(.nthWeekday(3, weekday: 1, year: year, month: 2), "Washington's Birthday")
        add(easterSunday(year).adding(days: -2), "Good Friday")
        add(.nthWeekday(-1, weekday: 1, year: year, month: 5), "Memorial Day")
        if year >= 2022 { add(observed(CalendarDate(year: year, month: 6, day: 19)!), "Juneteenth") }
        add(observed(CalendarDate(year: year, month: 7, day: 4)!), "Independence Day")
        add(.nthWeekday(1, weekday: 1, year: year, month: 9), "Labor Day")
        add(thanksgiving(year), "Thanksgiving Day")
        add(observed(CalendarDate(year: year, month: 12, day: 25)!), "Christmas Day")
        return out
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
