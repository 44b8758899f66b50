import Foundation
import VixShieldCore

/// Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3) into seconds to wait. Public for the fuzz
/// target (`vixshield-fuzz retry_after`); the fetcher is its one real caller.
///
/// The HTTP-date forms are parsed by hand rather than with `DateFormatter`: Foundation's formatter traps
/// ("Incorrect range CFRange") on some non-ASCII input, which a server's header can carry (the fuzzer found
/// one), and the three fixed ASCII layouts need no locale machinery.
public enum RetryAfter {
    /// Seconds to wait, or nil when the value is neither form.
    /// - Parameters:
    ///   - value: the header value: delay-seconds (`"120"`) or an HTTP-date
    ///     (`"Wed, 21 Oct 2015 07:28:00 GMT"`; the obsolete RFC 850 and asctime forms too).
    ///   - now: the current time, for the date form; a date in the past gives 0.
    public static func seconds(from value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCIIDigit) {
            // Absurdly long digit strings saturate rather than fail: the caller caps the wait anyway.
            return Double(trimmed) ?? .greatestFiniteMagnitude
        }
        guard let date = HTTPDate.parse(trimmed, now: now) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

/// The three HTTP-date layouts of RFC 9110 §5.6.7, all ASCII with fixed fields:
///
///     IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT
///     RFC 850      Sunday, 06-Nov-94 08:49:37 GMT
///     asctime      Sun Nov  6 08:49:37 1994
///
/// The weekday name must be a real one but is not checked against the date (recipients may ignore it).
enum HTTPDate {
    static func parse(_ text: String, now: Date) -> Date? {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        // Runs of spaces collapse: asctime pads a single-digit day with one ("Nov  6").
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = fields.first else { return nil }
        if first.hasSuffix(",") {
            let weekday = String(first.dropLast())
            if fields.count == 6, shortWeekdays.contains(weekday), fields[5] == "GMT",
               fields[1].count == 2, fields[3].count == 4, let day = Int(fields[1]), let year = Int(fields[3]) {
                return build(year: year, monthName: fields[2], day: day, time: fields[4])
            }
            if fields.count == 4, longWeekdays.contains(weekday), fields[3] == "GMT" {
                let parts = fields[1].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 3, parts[0].count == 2, parts[2].count == 2,
                      let day = Int(parts[0]), let yy = Int(parts[2]) else { return nil }
                return build(year: fullYear(twoDigit: yy, now: now), monthName: parts[1], day: day, time: fields[2])
            }
            return nil
        }
        if fields.count == 5, shortWeekdays.contains(first), (1...2).contains(fields[2].count),
           fields[4].count == 4, let day = Int(fields[2]), let year = Int(fields[4]) {
            return build(year: year, monthName: fields[1], day: day, time: fields[3])
        }
        return nil
    }

    private static let shortWeekdays: Set = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let longWeekdays: Set = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 9110: a two-digit year that would be more than 50 years in the future is in the past century.
    static func fullYear(twoDigit yy: Int, now: Date) -> Int {
        let currentYear = CalendarDate(dayNumber: Int((now.timeIntervalSince1970 / 86_400).rounded(.down))).year
        var year = currentYear - currentYear % 100 + yy
        if year > currentYear + 50 { year -= 100 }
        return year
    }

    private static func build(year: Int, monthName: String, day: Int, time: String) -> Date? {
        guard let monthIndex = months.firstIndex(of: monthName),
              let date = CalendarDate(year: year, month: monthIndex + 1, day: day) else { return nil }
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
              let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        return Date(timeIntervalSince1970: Double(date.dayNumber * 86_400 + hour * 3_600 + minute * 60 + second))
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
