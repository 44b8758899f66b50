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
