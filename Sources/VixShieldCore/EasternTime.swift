/// Wall-clock times in America/New_York, where US equity options trade, settle and expire.
///
/// The UTC offset follows the US daylight-saving rules in force since 1987 (first Sunday of April to
/// last Sunday of October until 2006; second Sunday of March to first Sunday of November since 2007),
/// computed from rules so the pure modules need no time-zone database. A wall time inside the repeated
/// autumn hour (01:00–02:00 on the change day) reads as daylight time; market times never fall there.
public struct EasternTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let date: CalendarDate
    /// Minutes after local midnight (0..<1440).
    public let minuteOfDay: Int

    public init(date: CalendarDate, hour: Int, minute: Int = 0) {
        precondition((0..<24).contains(hour) && (0..<60).contains(minute), "bad wall-clock time")
        self.date = date
        self.minuteOfDay = hour * 60 + minute
    }

    /// UTC offset in minutes (-300 for EST, -240 for EDT) at this wall time.
    public var utcOffsetMinutes: Int {
        EasternTime.isDaylightSaving(date: date, minuteOfDay: minuteOfDay) ? -240 : -300
    }

    /// Minutes since 1970-01-01T00:00Z.
    public var unixMinutes: Int { date.dayNumber * 1440 + minuteOfDay - utcOffsetMinutes }

    /// Whole minutes from `other` to `self`, across any daylight-saving change in between.
    public func minutes(since other: EasternTime) -> Int { unixMinutes - other.unixMinutes }

    /// ISO-8601 with offset, e.g. `2026-07-14T16:00:00-04:00`.
    public var iso8601: String {
        let off = utcOffsetMinutes
        let sign = off < 0 ? "-" : "+"
        let h = abs(off) / 60, m = abs(off) % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(date.isoString)T\(two(minuteOfDay / 60)):\(two(minuteOfDay % 60)):00\(sign)\(two(h)):\(two(m))"
    }

    public var description: String { iso8601 }

    public static func < (lhs: EasternTime, rhs: EasternTime) -> Bool { lhs.unixMinutes < rhs.unixMinutes }

    /// DST starts at 02:00 local standard time and ends at 02:00 local daylight time.
    static func isDaylightSaving(date: CalendarDate, minuteOfDay: Int) -> Bool {
        let y = date.year
        let (start, end): (CalendarDate, CalendarDate)
        if y >= 2007 {
            start = CalendarDate.nthWeekday(2, weekday: 7, year: y, month: 3)
            end = CalendarDate.nthWeekday(1, weekday: 7, year: y, month: 11)
        } else {
            start = CalendarDate.nthWeekday(1, weekday: 7, year: y, month: 4)
            end = CalendarDate.nthWeekday(-1, weekday: 7, year: y, month: 10)
        }
        if date < start || date > end { return false }
        if date == start { return minuteOfDay >= 120 }
        if date == end { return minuteOfDay < 120 }
        return true
    }
}

extension EasternTime {
    /// 16:00 ET, the regular close and the PM settlement time.
    public static func close(on date: CalendarDate) -> EasternTime { EasternTime(date: date, hour: 16) }
    /// 09:30 ET, the regular open and the AM (special opening quotation) settlement time.
    public static func open(on date: CalendarDate) -> EasternTime { EasternTime(date: date, hour: 9, minute: 30) }
}

extension EasternTime {
    /// The New York wall time of an instant given as minutes since 1970-01-01T00:00Z.
    public init(unixMinutes: Int) {
        // Try daylight time first; it is right unless that wall time falls outside daylight saving.
        for offset in [-240, -300] {
            let local = unixMinutes + offset
            let day = Int((Double(local) / 1440).rounded(.down))
            let candidate = EasternTime(date: CalendarDate(dayNumber: day), hour: (local - day * 1440) / 60, minute: (local - day * 1440) % 60)
            if candidate.utcOffsetMinutes == offset {
                self = candidate
                return
            }
        }
        // The second pass through the repeated autumn hour: its wall time, which reads as daylight time.
        let local = unixMinutes - 300
        let day = Int((Double(local) / 1440).rounded(.down))
        self.init(date: CalendarDate(dayNumber: day), hour: (local - day * 1440) / 60, minute: (local - day * 1440) % 60)
    }
}

extension EasternTime {
    /// ISO-8601 with the New York offset for a vendor's zone-less local time (`YYYY-MM-DD HH:MM:SS` or with
    /// a `T`), e.g. Cboe's `timestamp`; text that already carries an offset or `Z` is returned unchanged.
    /// Nil when the text is neither.
    public static func timestampWithOffset(vendorLocal text: String) -> String? {
        let chars = Array(text.utf8)
        func digits(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= chars.count else { return nil }
            var v = 0
            for c in chars[r] {
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard chars.count >= 19, let date = CalendarDate(iso: String(text.prefix(10))),
              chars[10] == UInt8(ascii: " ") || chars[10] == UInt8(ascii: "T"),
              let hour = digits(11..<13), let minute = digits(14..<16), let second = digits(17..<19),
              hour < 24, minute < 60, second < 61 else { return nil }
        let rest = text.dropFirst(19)
        if rest.hasSuffix("Z") || rest.contains("+") || rest.contains("-") { return text }
        guard rest.isEmpty || rest.first == "." else { return nil }
        let local = EasternTime(date: date, hour: hour, minute: minute)
        let off = local.utcOffsetMinutes
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let sign = off < 0 ? "-" : "+"
        return "\(date.isoString)T\(two(hour)):\(two(minute)):\(two(second))\(rest)\(sign)\(two(abs(off) / 60)):\(two(abs(off) % 60))"
    }
}
