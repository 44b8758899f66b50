/// A civil date with no time zone (a trading session, an expiry, an as-of partition).
///
/// Stored and printed as ISO-8601 `YYYY-MM-DD`. Arithmetic goes through the day number (days since
/// 1970-01-01, proleptic Gregorian), so nothing here reads the clock or a time-zone database.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date, or nil if the fields do not name a real day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` exactly (no time part, no whitespace).
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = CalendarDate.digits(bytes[0..<4]), let m = CalendarDate.digits(bytes[5..<7]),
              let d = CalendarDate.digits(bytes[8..<10]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Parses US-style `M/D/YYYY` (one or two digit month and day), as Cboe's CSVs write dates.
    public init?(usSlashed text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
              parts[2].count == 4,
              let m = CalendarDate.digits(Array(parts[0].utf8)[...]),
              let d = CalendarDate.digits(Array(parts[1].utf8)[...]),
              let y = CalendarDate.digits(Array(parts[2].utf8)[...]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) {
        // Civil-from-days (H. Hinnant, "chrono-compatible low-level date algorithms").
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        let w = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday (ISO 4)
        return (w < 0 ? w + 7 : w) + 1
    }

    public var isWeekend: Bool { isoWeekday >= 6 }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// Calendar days from `other` to `self` (positive when `self` is later).
    public func days(since other: CalendarDate) -> Int { dayNumber - other.dayNumber }

    public var isoString: String {
        // Written as ASCII digits in place: every stored quote and row prints dates.
        guard (0...9999).contains(year) else { return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)" }
        return String(unsafeUninitializedCapacity: 10) { bytes in
            ASCIIDigits.write(year, width: 4, into: bytes, at: 0)
            bytes[4] = UInt8(ascii: "-")
            ASCIIDigits.write(month, width: 2, into: bytes, at: 5)
            bytes[7] = UInt8(ascii: "-")
            ASCIIDigits.write(day, width: 2, into: bytes, at: 8)
            return 10
        }
    }

    public var description: String { isoString }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The `n`-th (1-based) given ISO weekday of a month, or the last one when `n` is -1.
    public static func nthWeekday(_ n: Int, weekday: Int, year: Int, month: Int) -> CalendarDate {
        if n == -1 {
            let last = CalendarDate(year: year, month: month, day: daysInMonth(year: year, month: month))!
            let back = (last.isoWeekday - weekday + 7) % 7
            return last.adding(days: -back)
        }
        let first = CalendarDate(year: year, month: month, day: 1)!
        let ahead = (weekday - first.isoWeekday + 7) % 7
        return first.adding(days: ahead + 7 * (n - 1))
    }

    // MARK: Codable as ISO text

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(isoString)
    }

    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        return bytes.isEmpty ? nil : value
    }
}

extension CalendarDate {
    /// Every date from `start` through `end` inclusive.
    public static func range(_ start: CalendarDate, through end: CalendarDate) -> [CalendarDate] {
        guard start <= end else { return [] }
        return (start.dayNumber...end.dayNumber).map(CalendarDate.init(dayNumber:))
    }
}

extension CalendarDate {
    /// A date after every date the project handles (an open upper bound for range reads).
    public static let distantFuture = CalendarDate(year: 9999, month: 12, day: 31)!
    /// A date before every date the project handles.
    public static let distantPast = CalendarDate(year: 1, month: 1, day: 1)!
}

/// Zero-padded decimal digits written into a byte buffer (dates and OCC symbols are formatted by the million).
enum ASCIIDigits {
    /// Writes the last `width` decimal digits of `value` (≥ 0) at `offset`.
    static func write(_ value: Int, width: Int, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var v = value
        for i in stride(from: offset + width - 1, through: offset, by: -1) {
            bytes[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
    }
}
