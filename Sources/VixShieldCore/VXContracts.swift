/// Cboe CFE VIX futures (VX) contract months, symbols and expiry dates, from the exchange's rules.
///
/// Monthly VX (Cboe CFE rule 1202, "Final Settlement Date"): the Wednesday 30 calendar days before the
/// third Friday of the month after the contract month (the standard SPX expiry 30 days later, so the
/// settlement quotation covers exactly the 30-day options the VIX is computed from). When that Friday
/// is an exchange holiday the 30 days count back from the business day before it; when the Wednesday
/// itself is a holiday the contract settles on the business day before. Both cases give "the business
/// day before the Wednesday" for every date the NYSE calendar knows (e.g. Good Friday 2014-04-18 moves
/// the Mar-2014 contract to Tuesday 2014-03-18).
///
/// Weekly VX (`VX28/N6`) settle on Wednesdays too; the number is the week of the year counted by
/// Wednesdays (the 28th Wednesday of 2026 is 2026-07-15), moved to the business day before on a holiday.
public enum VXContracts {
    /// CME/Cboe futures month codes, January (`F`) to December (`Z`).
    public static let monthCodes: [Character] = ["F", "G", "H", "J", "K", "M", "N", "Q", "U", "V", "X", "Z"]

    /// The month (1…12) a futures month code names, or nil for a letter that is not a month code.
    public static func month(forCode code: Character) -> Int? {
        monthCodes.firstIndex(of: code).map { $0 + 1 }
    }

    /// The futures month code of `month` (1…12).
    public static func monthCode(for month: Int) -> Character {
        precondition((1...12).contains(month), "month out of range")
        return monthCodes[month - 1]
    }

    /// The standard (AM-settled, third-Friday) SPX expiry of a month: the third Friday, or the
    /// business day before it when it is an exchange holiday (Good Friday).
    public static func standardSPXExpiry(year: Int, month: Int, calendar: TradingCalendar = .nyse) -> CalendarDate {
        let friday = CalendarDate.nthWeekday(3, weekday: 5, year: year, month: month)
        return calendar.tradingDayOnOrBefore(friday)
    }

    /// The final settlement date of the monthly VX contract for `month` of `year`.
    public static func monthlyExpiry(year: Int, month: Int, calendar: TradingCalendar = .nyse) -> CalendarDate {
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        let thirdFriday = CalendarDate.nthWeekday(3, weekday: 5, year: next.0, month: next.1)
        let wednesday = thirdFriday.adding(days: -30)
        if !calendar.isTradingDay(thirdFriday) || !calendar.isTradingDay(wednesday) {
            return calendar.previousTradingDay(before: wednesday)
        }
        return wednesday
    }

    /// The settlement date of weekly VX number `week` of `year` (the `week`-th Wednesday of the year,
    /// or the business day before it on a holiday); nil when the year has no such Wednesday.
    public static func weeklyExpiry(year: Int, week: Int, calendar: TradingCalendar = .nyse) -> CalendarDate? {
        guard let wednesday = weeklyWednesday(year: year, week: week) else { return nil }
        return calendar.isTradingDay(wednesday) ? wednesday : calendar.previousTradingDay(before: wednesday)
    }

    /// The `week`-th Wednesday of `year`, before any holiday adjustment.
    static func weeklyWednesday(year: Int, week: Int) -> CalendarDate? {
        guard week >= 1, let jan1 = CalendarDate(year: year, month: 1, day: 1) else { return nil }
        let firstWednesday = jan1.adding(days: (3 - jan1.isoWeekday + 7) % 7)
        let wednesday = firstWednesday.adding(days: 7 * (week - 1))
        return wednesday.year == year ? wednesday : nil
    }

    /// A parsed Cboe VX symbol: `VX/N6` (monthly, July of a year ending in 6) or `VX28/N6` (weekly 28).
    public struct Symbol: Hashable, Sendable {
        public var year: Int
        public var month: Int
        /// The week number of a weekly contract, nil for a monthly one.
        public var week: Int?
        /// The final settlement date.
        public var expiry: CalendarDate
        public var isWeekly: Bool { week != nil }

        /// Parses a Cboe VX symbol. The one-digit year resolves to the first year not before
        /// `referenceDate`'s year minus one that ends in that digit (curves list at most ~9 months ahead,
        /// and a trade date in January may still list the previous December's weekly).
        public init?(_ text: some StringProtocol, referenceDate: CalendarDate, calendar: TradingCalendar = .nyse) {
            let s = String(text).trimmingSpaces
            let parts = s.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].hasPrefix("VX"), parts[1].count == 2,
                  let code = parts[1].first, let month = VXContracts.month(forCode: code),
                  let digit = parts[1].last?.wholeNumberValue else { return nil }
            let weekText = parts[0].dropFirst(2)
            var week: Int?
            if !weekText.isEmpty {
                guard weekText.count <= 2, weekText.allSatisfy(\.isASCIIDigit), let w = Int(weekText) else { return nil }
                week = w
            }
            let base = referenceDate.year - 1
            let year = base + ((digit - base % 10) + 10) % 10
            let expiry: CalendarDate
            if let week {
                // The month letter names the month of the Wednesday (before any holiday move).
                guard let wednesday = VXContracts.weeklyWednesday(year: year, week: week), wednesday.month == month,
                      let e = VXContracts.weeklyExpiry(year: year, week: week, calendar: calendar) else { return nil }
                expiry = e
            } else {
                expiry = VXContracts.monthlyExpiry(year: year, month: month, calendar: calendar)
            }
            self.year = year
            self.month = month
            self.week = week
            self.expiry = expiry
        }

        /// A monthly contract.
        public init(monthlyYear year: Int, month: Int, calendar: TradingCalendar = .nyse) {
            self.year = year
            self.month = month
            self.week = nil
            self.expiry = VXContracts.monthlyExpiry(year: year, month: month, calendar: calendar)
        }

        /// Cboe's spelling: `VX/N6` or `VX28/N6`.
        public var text: String {
            let w = week.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? ""
            return "VX\(w)/\(VXContracts.monthCode(for: month))\(year % 10)"
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
