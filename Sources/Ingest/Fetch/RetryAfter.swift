import Foundation

/// Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3) into seconds to wait. Public for the fuzz
/// target (`vixshield-fuzz retry_after`); the fetcher is its one real caller.
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
        for format in httpDateFormats {
            if let date = parse(trimmed, format: format) {
                return max(0, date.timeIntervalSince(now))
            }
        }
        return nil
    }

    /// IMF-fixdate first (the only form servers may send), then RFC 850 and asctime (RFC 9110 §5.6.7).
    private static let httpDateFormats = [
        "EEE, dd MMM yyyy HH:mm:ss 'GMT'",
        "EEEE, dd-MMM-yy HH:mm:ss 'GMT'",
        "EEE MMM d HH:mm:ss yyyy",
    ]

    private static func parse(_ text: String, format: String) -> Date? {
        // DateFormatter is not Sendable and not cheap; Retry-After is rare, so build one per use.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = format
        // asctime pads single-digit days with a space ("Nov  6"): collapse runs of spaces.
        let normalized = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return formatter.date(from: normalized)
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
