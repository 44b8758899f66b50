import Foundation
import Testing
import VixShieldCore
@testable import Pipeline

@Suite("Default as-of date")
struct AsOfDateTests {
    /// An instant given as New York wall time.
    func at(_ iso: String, _ hour: Int, _ minute: Int = 0) -> Date {
        let et = EasternTime(date: CalendarDate(iso: iso)!, hour: hour, minute: minute)
        return Date(timeIntervalSince1970: Double(et.unixMinutes) * 60)
    }

    @Test("the nightly run takes today once the close (plus 15 minutes) has passed, else says it is too early", arguments: [
        ("2026-07-17", 18, 30, "2026-07-17"),  // Friday evening, the cron time
        ("2026-07-17", 16, 14, nil),           // before settlement files are out
        ("2026-07-17", 16, 15, "2026-07-17"),
        ("2026-07-20", 9, 0, nil),             // Monday morning: today's session is not complete
        ("2026-11-27", 13, 20, "2026-11-27"),  // day after Thanksgiving closes at 13:00
        ("2026-11-27", 13, 10, nil),
        ("2026-03-09", 19, 0, "2026-03-09"),   // first Monday of daylight saving time
        ("2026-11-02", 0, 30, nil),            // just after midnight, the day after the clocks change
    ] as [(String, Int, Int, String?)])
    func nightly(day: String, hour: Int, minute: Int, expected: String?) {
        let decision = AsOfDate.nightly(now: at(day, hour, minute))
        if let expected {
            #expect(decision == .session(CalendarDate(iso: expected)!), "\(decision)")
        } else if case .beforeClose(let today, let close, let now) = decision {
            #expect(today == CalendarDate(iso: day)! && now.minutes(since: close) < 15)
        } else {
            Issue.record("expected before-close at \(day) \(hour):\(minute), got \(decision)")
        }
    }

    @Test("a weekend or holiday today is named, so run can say there is nothing to do")
    func nonTradingToday() {
        #expect(AsOfDate.nightly(now: at("2026-07-18", 20)) == .notTradingDay(CalendarDate(iso: "2026-07-18")!, "weekend"))
        #expect(AsOfDate.nightly(now: at("2026-11-26", 20)) == .notTradingDay(CalendarDate(iso: "2026-11-26")!, "Thanksgiving Day"))
        #expect(AsOfDate.closure(CalendarDate(iso: "2026-07-17")!) == nil)
    }

    @Test("New York wall time from an instant round-trips across daylight-saving changes")
    func easternTimeRoundTrip() {
        var rng = SplitMix64(seed: 2026)
        for _ in 0..<5_000 {
            let minutes = Int(rng.next() % UInt64(60 * 24 * 365 * 40)) + 20 * 365 * 1440  // 1990 to 2030
            let et = EasternTime(unixMinutes: minutes)
            if et.date.month == 11 || et.date.month == 10, et.date.isoWeekday == 7, et.minuteOfDay / 60 == 1 { continue }
            #expect(et.unixMinutes == minutes, "seed 2026: \(minutes) -> \(et)")
        }
        #expect(EasternTime(unixMinutes: EasternTime(date: CalendarDate(iso: "2026-07-17")!, hour: 16).unixMinutes).iso8601
                == "2026-07-17T16:00:00-04:00")
        #expect(EasternTime(unixMinutes: EasternTime(date: CalendarDate(iso: "2026-01-15")!, hour: 9, minute: 30).unixMinutes).iso8601
                == "2026-01-15T09:30:00-05:00")
        // Both passes through 01:30 on the autumn change day have the wall time 01:30; a wall time in the
        // repeated hour reads as daylight time (the first pass), the documented ambiguity.
        let firstPass = EasternTime(date: CalendarDate(iso: "2026-11-01")!, hour: 1, minute: 30).unixMinutes
        #expect(EasternTime(unixMinutes: firstPass).iso8601 == "2026-11-01T01:30:00-04:00")
        let secondPass = EasternTime(unixMinutes: firstPass + 60)
        #expect(secondPass.date == CalendarDate(iso: "2026-11-01")! && secondPass.minuteOfDay == 90)
    }
}
