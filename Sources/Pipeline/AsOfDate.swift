import Foundation
import VixShieldCore

/// Which session a command works on when the user names none.
public enum AsOfDate {
    /// Today in New York once today's close (plus 15 minutes for settlement files) has passed; else the
    /// previous trading day. A non-trading today is returned as is so `run` can say so.
    public static func latestCompletedSession(now: Date) -> CalendarDate {
        let nowET = EasternTime(unixMinutes: Int((now.timeIntervalSince1970 / 60).rounded(.down)))
        let today = nowET.date
        let calendar = TradingCalendar.nyse
        guard let close = calendar.closeTime(on: today) else { return today }
        return nowET.minutes(since: close) >= 15 ? today : calendar.previousTradingDay(before: today)
    }

    /// The holiday name, "weekend", or nil for a trading day.
    public static func closure(_ date: CalendarDate) -> String? {
        if date.isWeekend { return "weekend" }
        return TradingCalendar.nyse.closureName(on: date)
    }
}
