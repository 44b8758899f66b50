import Foundation
import Testing
import VixShieldTestSupport
@testable import VixShieldCore

// MARK: - Shared helpers (test data location, dates, seeded randomness)

/// Real data for the calendar checks (`TestPaths.shared`; the tests skip when it is absent).
enum CalendarFixtures {
    static func shared(_ relativePath: String) -> URL? { TestPaths.sharedFile(relativePath) }

    static let vixHistory = shared("data/vix_indices/VIX_History.csv")
}

/// `CalendarDate(iso:)` for literals known to be valid.
func day(_ iso: String) -> CalendarDate {
    guard let d = CalendarDate(iso: iso) else { fatalError("bad test date literal \(iso)") }
    return d
}


// MARK: - Tests

@Suite("NYSE trading calendar")
struct TradingCalendarTests {
    let cal = TradingCalendar.nyse

    /// Weekday closures of a year as the calendar sees them.
    func weekdayClosures(_ year: Int) -> [CalendarDate] {
        CalendarDate.range(CalendarDate(year: year, month: 1, day: 1)!, through: CalendarDate(year: year, month: 12, day: 31)!)
            .filter { !$0.isWeekend && !cal.isTradingDay($0) }
    }

    /// Every weekday closure of a year. Source: NYSE holiday schedules as published by the exchange
    /// (nyse.com "Holidays & Trading Hours", 2019–2028), and the NYSE closings history for 1990–1998.
    @Test("full-day closures per year match the published NYSE schedules", arguments: [
        (1990, ["1990-01-01", "1990-02-19", "1990-04-13", "1990-05-28", "1990-07-04", "1990-09-03", "1990-11-22", "1990-12-25"]),
        // No MLK Day before 1998; Christmas 1993 on a Saturday is observed on Friday the 24th.
        (1993, ["1993-01-01", "1993-02-15", "1993-04-09", "1993-05-31", "1993-07-05", "1993-09-06", "1993-11-25", "1993-12-24"]),
        // 1994: New Year's Day on a Saturday is not observed; Nixon's funeral.
        (1994, ["1994-02-21", "1994-04-01", "1994-04-27", "1994-05-30", "1994-07-04", "1994-09-05", "1994-11-24", "1994-12-26"]),
        (1997, ["1997-01-01", "1997-02-17", "1997-03-28", "1997-05-26", "1997-07-04", "1997-09-01", "1997-11-27", "1997-12-25"]),
        (1998, ["1998-01-01", "1998-01-19", "1998-02-16", "1998-04-10", "1998-05-25", "1998-07-03", "1998-09-07", "1998-11-26", "1998-12-25"]),
        (2001, ["2001-01-01", "2001-01-15", "2001-02-19", "2001-04-13", "2001-05-28", "2001-07-04", "2001-09-03",
                "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14", "2001-11-22", "2001-12-25"]),
        (2012, ["2012-01-02", "2012-01-16", "2012-02-20", "2012-04-06", "2012-05-28", "2012-07-04", "2012-09-03",
                "2012-10-29", "2012-10-30", "2012-11-22", "2012-12-25"]),
        (2018, ["2018-01-01", "2018-01-15", "2018-02-19", "2018-03-30", "2018-05-28", "2018-07-04", "2018-09-03",
                "2018-11-22", "2018-12-05", "2018-12-25"]),
        (2019, ["2019-01-01", "2019-01-21", "2019-02-18", "2019-04-19", "2019-05-27", "2019-07-04", "2019-09-02", "2019-11-28", "2019-12-25"]),
        // 2021: Independence Day on a Sunday moves to Monday; Christmas on a Saturday moves to Friday.
        (2021, ["2021-01-01", "2021-01-18", "2021-02-15", "2021-04-02", "2021-05-31", "2021-07-05", "2021-09-06", "2021-11-25", "2021-12-24"]),
        // 2022: first Juneteenth (Sunday, observed Monday); New Year's Day on a Saturday not observed.
        (2022, ["2022-01-17", "2022-02-21", "2022-04-15", "2022-05-30", "2022-06-20", "2022-07-04", "2022-09-05", "2022-11-24", "2022-12-26"]),
        (2023, ["2023-01-02", "2023-01-16", "2023-02-20", "2023-04-07", "2023-05-29", "2023-06-19", "2023-07-04", "2023-09-04", "2023-11-23", "2023-12-25"]),
        (2025, ["2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04",
                "2025-09-01", "2025-11-27", "2025-12-25"]),
        (2026, ["2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"]),
        // 2027: Juneteenth on a Saturday (observed Friday the 18th), Christmas on a Saturday.
        (2027, ["2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24"]),
        (2028, ["2028-01-17", "2028-02-21", "2028-04-14", "2028-05-29", "2028-06-19", "2028-07-04", "2028-09-04", "2028-11-23", "2028-12-25"]),
    ] as [(Int, [String])])
    func closuresPerYear(year: Int, expected: [String]) {
        let got = weekdayClosures(year).map(\.isoString)
        #expect(got == expected, "year \(year): got \(got), expected \(expected)")
    }

    @Test("every one-off closure is closed and named")
    func oneOffClosures() {
        for iso in ["1994-04-27", "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14", "2004-06-11", "2007-01-02",
                    "2012-10-29", "2012-10-30", "2018-12-05", "2025-01-09"] {
            #expect(!cal.isTradingDay(day(iso)), "\(iso) should be closed")
            #expect(cal.closureName(on: day(iso)) != nil, "\(iso) should carry a closure name")
            #expect(cal.closeTime(on: day(iso)) == nil, "\(iso) has no close")
        }
        #expect(cal.closureName(on: day("2025-01-09")) == "Funeral of President Carter")
        #expect(cal.closureName(on: day("2022-06-20")) == "Juneteenth National Independence Day")
        #expect(cal.closureName(on: day("2021-06-18")) == nil, "no Juneteenth before 2022")
        #expect(cal.closureName(on: day("1997-01-20")) == nil, "no MLK Day before 1998")
        #expect(cal.closureName(on: day("2026-07-04")) == nil, "weekend days are not named closures")
    }

    /// Early closes and full days around holidays. Sources: NYSE published schedules (2013–2026,
    /// "Early Closings" footnotes) and the NYSE closings history for the 1990s and 2002.
    @Test("early closes and full sessions around holidays", arguments: [
        ("2013-07-03", 13), ("2013-07-05", 16), ("2014-07-03", 13), ("2015-07-02", 16), ("2018-07-03", 13),
        ("2019-07-03", 13), ("2020-07-02", 16), ("2021-07-02", 16), ("2022-07-01", 16), ("2023-07-03", 13),
        ("2024-07-03", 13), ("2025-07-03", 13), ("2026-07-02", 16),
        // 4 July on a Thursday before 2013: the Friday after closed early, the Wednesday before did not.
        ("2002-07-03", 16), ("2002-07-05", 13), ("1996-07-05", 13), ("1991-07-03", 16),
        ("1991-11-29", 16), ("1992-11-27", 14), ("1993-11-26", 13), ("2020-11-27", 13), ("2025-11-28", 13), ("2026-11-27", 13),
        ("1990-12-24", 14), ("1997-12-24", 13), ("2018-12-24", 13), ("2019-12-24", 13), ("2020-12-24", 13),
        ("2021-12-23", 16), ("2024-12-24", 13), ("2025-12-24", 13), ("2026-12-24", 13), ("2027-12-23", 16),
        ("1997-12-26", 13), ("2003-12-26", 13), ("2025-12-26", 16), ("2025-12-31", 16),
    ] as [(String, Int)])
    func closeHour(iso: String, hour: Int) {
        let close = cal.closeTime(on: day(iso))
        #expect(close == EasternTime(date: day(iso), hour: hour), "\(iso): close \(close.map(\.iso8601) ?? "nil"), expected \(hour):00")
        #expect(cal.isEarlyClose(day(iso)) == (hour != 16), "\(iso)")
    }

    @Test("unscheduled early closes keep their minute")
    func oddCloses() {
        #expect(cal.closeTime(on: day("1997-10-27")) == EasternTime(date: day("1997-10-27"), hour: 15, minute: 30))
        #expect(cal.closeTime(on: day("2005-06-01")) == EasternTime(date: day("2005-06-01"), hour: 15, minute: 56))
        #expect(cal.earlyClose(on: day("2019-12-24"))?.reason == "Christmas Eve")
        #expect(cal.earlyClose(on: day("2021-12-24")) == nil, "a closed day is not an early close")
        #expect(!cal.isEarlyClose(day("2026-07-03")))
    }

    @Test("next and previous trading day", arguments: [
        // (date, next after, previous before)
        ("2025-01-08", "2025-01-10", "2025-01-07"),  // Carter funeral on the 9th
        ("2012-10-26", "2012-10-31", "2012-10-25"),  // Hurricane Sandy
        ("2012-10-31", "2012-11-01", "2012-10-26"),
        ("2001-09-10", "2001-09-17", "2001-09-07"),
        ("2019-12-24", "2019-12-26", "2019-12-23"),
        ("2022-01-03", "2022-01-04", "2021-12-31"),  // Saturday New Year's Day: Friday 31 Dec traded
        ("2026-07-02", "2026-07-06", "2026-07-01"),
        ("2026-04-02", "2026-04-06", "2026-04-01"),  // Good Friday
        ("2026-11-25", "2026-11-27", "2026-11-24"),  // Thanksgiving
        ("2027-12-23", "2027-12-27", "2027-12-22"),
    ] as [(String, String, String)])
    func stepping(iso: String, next: String, previous: String) {
        #expect(cal.nextTradingDay(after: day(iso)) == day(next), "next after \(iso)")
        #expect(cal.previousTradingDay(before: day(iso)) == day(previous), "previous before \(iso)")
    }

    @Test("trading day on or before")
    func onOrBefore() {
        #expect(cal.tradingDayOnOrBefore(day("2026-07-04")) == day("2026-07-02"))
        #expect(cal.tradingDayOnOrBefore(day("2026-07-06")) == day("2026-07-06"))
        #expect(cal.tradingDayOnOrBefore(day("2001-09-16")) == day("2001-09-10"))
    }

    /// Yearly counts. Source: the row counts of Cboe's VIX history (`VIX_History.csv`) per year, corrected
    /// by the differences `matchesVIXHistory` explains (2004: 253 rows less the flat row on 2004-06-11).
    @Test("trading days per year", arguments: [
        (1990, 253), (1992, 254), (1996, 254), (2001, 248), (2004, 252), (2012, 250),
        (2017, 251), (2018, 251), (2019, 252), (2020, 253), (2021, 252),
    ] as [(Int, Int)])
    func countsPerYear(year: Int, count: Int) {
        let start = CalendarDate(year: year, month: 1, day: 1)!, end = CalendarDate(year: year, month: 12, day: 31)!
        #expect(cal.tradingDays(from: start, through: end).count == count, "year \(year)")
        #expect(cal.tradingDayCount(from: start, through: end) == count, "year \(year)")
    }

    @Test("Easter Sunday against published dates (US Naval Observatory tables)", arguments: [
        "1990-04-15", "1991-03-31", "2000-04-23", "2008-03-23", "2011-04-24", "2019-04-21",
        "2024-03-31", "2025-04-20", "2038-04-25", "2040-04-01",
    ])
    func easter(iso: String) {
        #expect(TradingCalendar.easterSunday(day(iso).year) == day(iso))
    }

    @Test("stepping properties over random dates 1990–2040")
    func steppingProperties() {
        let seed: UInt64 = 20_260_714
        var rng = SeededGenerator(seed: seed)
        let lo = day("1990-01-10").dayNumber, hi = day("2040-12-20").dayNumber
        for _ in 0..<2000 {
            let d = CalendarDate(dayNumber: Int.random(in: lo...hi, using: &rng))
            let next = cal.nextTradingDay(after: d), prev = cal.previousTradingDay(before: d)
            #expect(next > d && cal.isTradingDay(next), "seed \(seed), date \(d)")
            #expect(prev < d && cal.isTradingDay(prev), "seed \(seed), date \(d)")
            #expect(cal.tradingDays(from: d.adding(days: 1), through: next.adding(days: -1)).isEmpty, "seed \(seed), date \(d)")
            #expect(cal.tradingDays(from: prev.adding(days: 1), through: d.adding(days: -1)).isEmpty, "seed \(seed), date \(d)")
            if cal.isTradingDay(d) {
                #expect(cal.previousTradingDay(before: next) == d, "seed \(seed), date \(d)")
                #expect(cal.tradingDayOnOrBefore(d) == d, "seed \(seed), date \(d)")
            }
        }
        // Every year in range has between 248 (2001) and 254 sessions.
        for year in TradingCalendar.supportedYears {
            let n = cal.tradingDayCount(from: CalendarDate(year: year, month: 1, day: 1)!, through: CalendarDate(year: year, month: 12, day: 31)!)
            #expect((248...254).contains(n), "year \(year): \(n) sessions")
        }
    }

    /// Where Cboe's VIX history and the NYSE sessions legitimately differ. Anything else fails, listed.
    ///
    /// Rows on closed days: 2004-06-11 (Reagan's funeral) is a flat row repeating the previous close
    /// (Yahoo's ^VIX history has no row that day); and from Memorial Day 2022 Cboe published VIX values on
    /// NYSE holidays other than New Year's Day, Good Friday and Christmas, when its own extended session ran.
    static func vixRowOnClosedDayIsExplained(_ date: CalendarDate, closure: String?) -> Bool {
        if date == day("2004-06-11") { return true }
        guard date >= day("2022-05-30"), let closure else { return false }
        return !["New Year's Day", "Good Friday", "Christmas Day"].contains(closure)
    }

    /// Sessions the VIX file skips; each has a row in Cboe's SKEW history (also computed from SPX options).
    static let vixFileGaps: Set<CalendarDate> = [day("1991-03-01"), day("1997-01-31"), day("1997-11-26"), day("1999-12-31")]

    static func readDates(_ url: URL) throws -> [CalendarDate] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var dates: [CalendarDate] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let field = line.split(separator: ",").first ?? ""
            dates.append(try #require(CalendarDate(usSlashed: field), "unreadable date \(field) in \(url.lastPathComponent)"))
        }
        return dates
    }

    @Test("trading days equal the dates of Cboe's VIX history", .enabled(if: CalendarFixtures.vixHistory != nil))
    func matchesVIXHistory() throws {
        let fileDates = try Self.readDates(CalendarFixtures.vixHistory!)
        let first = try #require(fileDates.min()), last = try #require(fileDates.max())
        let expected = Set(cal.tradingDays(from: first, through: last))
        let inFile = Set(fileDates)
        let extra = inFile.subtracting(expected)
            .filter { !Self.vixRowOnClosedDayIsExplained($0, closure: cal.closureName(on: $0)) }.map(\.isoString).sorted()
        let missing = expected.subtracting(inFile).subtracting(Self.vixFileGaps).map(\.isoString).sorted()
        #expect(extra.isEmpty, "VIX rows on days the calendar says are closed: \(extra)")
        #expect(missing.isEmpty, "sessions with no VIX row: \(missing)")
        #expect(fileDates.count == inFile.count, "duplicate dates in the VIX file")
        #expect(Self.vixFileGaps.isSubset(of: expected), "a listed gap is not a session")
        if let skew = CalendarFixtures.shared("data/vix_indices/SKEW_History.csv") {
            let skewDates = Set(try Self.readDates(skew))
            #expect(Self.vixFileGaps.isSubset(of: skewDates), "SKEW history should confirm each VIX gap was a session")
        }
    }
}
