import Foundation
import VixShieldCore

/// The project's event calendar CSV (`data/events/us_macro_events.csv` and any file a pipeline names).
///
/// Format, one event per line after comment lines starting with `#`:
/// ```
/// date,time_et,kind,label,scheduled,source
/// 2024-12-18,14:00,fomc,FOMC decision (Dec 17-18 meeting),yes,federalreserve.gov/monetarypolicy/fomccalendars.htm
/// 2024-12-11,,cpi,CPI for November 2024,,bls.gov/schedule/2024/home.htm
/// ```
/// - `date`: `YYYY-MM-DD`. `time_et`: `HH:MM` in New York time; empty means the kind's usual time
///   (FOMC 14:00, CPI and PPI 08:30) and is an error for other kinds.
/// - `kind`: `fomc`, `cpi`, `ppi` or another lowercase name (`[a-z0-9_]+`); matched case-insensitively.
/// - `label`: non-empty text. `scheduled` (optional column): `yes`/`no`/`true`/`false`, empty = yes.
/// - `source` (optional column): the page the date came from, kept verbatim on `MarketEvent.source`;
///   empty (or no column) means nil. Files written before the column existed read unchanged.
///
/// The calendar is small and decisive (a wrong date silently mis-prices every trade around it), so any
/// bad row fails the whole file with a one-line `AdapterError`: unreadable date, time or kind, empty
/// label, a row with more fields than the header (an unquoted comma in a label), the same kind twice
/// on one day, or a file with no events. Diagnostics (warnings) report events on days the NYSE is
/// closed, such as the FOMC's Sunday announcement of 15 March 2020; those events are kept.
public enum EventsCSV {
    public static func parse(_ data: Data, source: String) throws(AdapterError) -> (rows: [MarketEvent], diagnostics: [Diagnostic]) {
        let table = try CSVTable(data: data, source: source) { fields in
            !(fields.first ?? "").hasPrefix("#")
        }
        let dateCol = try table.requireColumn("date", source: source)
        let timeCol = try table.requireColumn("time_et", source: source)
        let kindCol = try table.requireColumn("kind", source: source)
        let labelCol = try table.requireColumn("label", source: source)
        let scheduledCol = table.column("scheduled")
        let sourceCol = table.column("source")

        var events: [MarketEvent] = []
        var diagnostics: [Diagnostic] = []
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            if CSVTable.trim(row.fields.first ?? "").hasPrefix("#") { continue }
            if row.fields.count > table.header.count {
                throw AdapterError(source: source, line: row.line,
                                   "\(row.fields.count) fields, header has \(table.header.count) (quote labels that contain commas)")
            }
            let dateText = try row.field(dateCol, named: "date", source: source)
            guard let date = CalendarDate(iso: dateText) else {
                throw AdapterError(source: source, line: row.line, field: "date", "not a YYYY-MM-DD date: \"\(dateText.prefix(40))\"")
            }
            let kindText = try row.field(kindCol, named: "kind", source: source)
            guard let kind = MarketEvent.Kind(name: kindText.lowercased()) else {
                throw AdapterError(source: source, line: row.line, field: "kind",
                                   "not an event kind (fomc, cpi, ppi or a name of a-z, 0-9, _): \"\(kindText.prefix(40))\"")
            }
            let timeText = try row.field(timeCol, named: "time_et", source: source)
            let hourMinute: (hour: Int, minute: Int)
            if timeText.isEmpty {
                guard let usual = kind.usualTime else {
                    throw AdapterError(source: source, line: row.line, field: "time_et", "required for kind \(kind.name)")
                }
                hourMinute = usual
            } else {
                guard let parsed = parseTime(timeText) else {
                    throw AdapterError(source: source, line: row.line, field: "time_et", "not an HH:MM time: \"\(timeText.prefix(40))\"")
                }
                hourMinute = parsed
            }
            let label = try row.field(labelCol, named: "label", source: source)
            guard !label.isEmpty else { throw AdapterError(source: source, line: row.line, field: "label", "empty") }
            var isScheduled = true
            if let scheduledCol {
                let text = try row.field(scheduledCol, named: "scheduled", source: source).lowercased()
                switch text {
                case "", "yes", "true": isScheduled = true
                case "no", "false": isScheduled = false
                default:
                    throw AdapterError(source: source, line: row.line, field: "scheduled", "not yes or no: \"\(text.prefix(40))\"")
                }
            }
            var eventSource: String?
            if let sourceCol {
                let text = try row.field(sourceCol, named: "source", source: source)
                eventSource = text.isEmpty ? nil : text
            }
            let key = "\(kind.name) \(date.isoString)"
            if let first = firstLine[key] {
                throw AdapterError(source: source, line: row.line, "duplicate \(kind.name) event on \(date) (first on line \(first))")
            }
            firstLine[key] = row.line
            if !TradingCalendar.nyse.isTradingDay(date) {
                diagnostics.append(Diagnostic(.warning, "\(source):\(row.line)", "\(kind.name) event on \(date), a day the NYSE is closed"))
            }
            events.append(MarketEvent(kind: kind, time: EasternTime(date: date, hour: hourMinute.hour, minute: hourMinute.minute),
                                      label: label, isScheduled: isScheduled, source: eventSource))
        }
        guard !events.isEmpty else { throw AdapterError(source: source, "no events") }
        return (events.sorted(), diagnostics)
    }

    /// Parses `data` into an `EventCalendar`, keeping the diagnostics.
    public static func calendar(_ data: Data, source: String) throws(AdapterError) -> (calendar: EventCalendar, diagnostics: [Diagnostic]) {
        let parsed = try parse(data, source: source)
        return (EventCalendar(parsed.rows), parsed.diagnostics)
    }

    /// `HH:MM`, 24-hour, exactly two digits each.
    private static func parseTime(_ text: String) -> (hour: Int, minute: Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60 else { return nil }
        return (hour, minute)
    }
}
