import Foundation
import VixShieldCore

/// Which session a command works on when the user names none.
public enum AsOfDate {
    /// What the nightly run should do at `now` when no date is given.
    public enum Nightly: Sendable, Equatable {
        /// Today's session is complete: run it.
        case session(CalendarDate)
        /// Today is a weekend or holiday (named): nothing to do.
        case notTradingDay(CalendarDate, String)
        /// Today is a trading day whose close (plus 15 minutes) has not passed: too early, never a
        /// silent run of the previous session with today's intraday snapshot.
        case beforeClose(CalendarDate, close: EasternTime, now: EasternTime)
    }

    /// The nightly decision in America/New_York, whatever the machine's time zone.
    public static func nightly(now: Date) -> Nightly {
        let nowET = EasternTime(unixMinutes: Int((now.timeIntervalSince1970 / 60).rounded(.down)))
        let today = nowET.date
        if let closure = closure(today) { return .notTradingDay(today, closure) }
        guard let close = TradingCalendar.nyse.closeTime(on: today) else { return .notTradingDay(today, "no session") }
        return nowET.minutes(since: close) >= 15 ? .session(today) : .beforeClose(today, close: close, now: nowET)
    }

    /// As-of dates a run accepts: the NYSE calendar's rules, the next session, every profile's window
    /// (up to 3650 days) and the hedge's history all stay well inside the dates `CalendarDate` handles.
    public static let supported = CalendarDate(year: 1900, month: 1, day: 1)!...CalendarDate(year: 2199, month: 12, day: 31)!

    /// A one-line usage message when `date` (named by `what`, e.g. `--date`) is outside `supported`.
    public static func unsupported(_ date: CalendarDate, _ what: String) -> String? {
        supported.contains(date) ? nil : "\(what) \(date) is outside the supported as-of dates \(supported.lowerBound) to \(supported.upperBound)"
    }

    /// The holiday name, "weekend", or nil for a trading day.
    public static func closure(_ date: CalendarDate) -> String? {
        if date.isWeekend { return "weekend" }
        return TradingCalendar.nyse.closureName(on: date)
    }
}
