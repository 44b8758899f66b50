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

    /// The holiday name, "weekend", or nil for a trading day.
    public static func closure(_ date: CalendarDate) -> String? {
        if date.isWeekend { return "weekend" }
        return TradingCalendar.nyse.closureName(on: date)
    }
}
