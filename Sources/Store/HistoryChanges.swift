import Foundation
import VixShieldCore

/// The shared history (index bars, rates, breadth, VX curves, the event calendar) that committed
/// transactions changed, one entry per transaction in commit order: the earliest as-of date whose reads
/// can see the change. A backfill's cross-date pass runs beside the per-date stages of later dates, whose
/// history files may restate dates the pass has already read; this log tells it which nights to redo.
public final class HistoryChangeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var earliest: [CalendarDate] = []

    /// The number of changes committed so far: a reader that notes it before reading has seen every
    /// change before this index (and perhaps some after it).
    public var count: Int { lock.withLock { earliest.count } }

    /// The earliest affected date of each change, in commit order.
    public func changes() -> [CalendarDate] { lock.withLock { earliest } }

    func append(_ date: CalendarDate) { lock.withLock { earliest.append(date) } }
}

/// The earliest date one transaction's history writes changed; published to the log once it commits.
final class HistoryChangeRecorder {
    private(set) var earliest: CalendarDate?

    func changed(_ date: CalendarDate) { earliest = min(earliest ?? date, date) }

    /// A row whose date does not parse could be read as any date.
    func changed(iso: String) { changed(CalendarDate(iso: iso) ?? .distantPast) }
}
