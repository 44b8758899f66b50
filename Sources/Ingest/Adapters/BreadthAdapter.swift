import Foundation
import VixShieldCore

/// Daily breadth CSV: a date column and advancing, declining and (optionally) unchanged issue counts.
///
/// Column names are a parameter: `Columns.generic` reads `date,advances,declines,unchanged`; the
/// shared sample (`advance_decline_2023-2026.csv`, columns `date,nyse_advancers,nyse_decliners,…`) is
/// read with `Columns.prefixed("nyse", universe: "NYSE")`.
///
/// Errors and diagnostics:
/// - The file fails with a one-line `AdapterError` when it cannot be read as breadth at all: empty, a
///   missing column, a date that is not `YYYY-MM-DD`, the same date twice, or no usable row. A bad date
///   breaks the series' order, so it is never skipped.
/// - A row whose count is not a non-negative whole number (`-5`, `12.5`, `abc`, empty) is left out and
///   reported as an `.error` diagnostic naming line and column; the rest of the file loads.
/// - A row whose total (advances + declines + unchanged) is under half the file's median total is kept
///   and reported as a `.warning`: such rows are usually partial days (the sample's last row is one).
public enum BreadthCSV {
    /// Which header names hold which count, and the universe the counts describe.
    public struct Columns: Sendable, Hashable {
        public var date: String
        public var advances: String
        public var declines: String
        /// Nil when the file has no unchanged count.
        public var unchanged: String?
        /// Stored with each row (`NYSE`, `Nasdaq`, `S&P 500` …).
        public var universe: String

        public init(date: String = "date", advances: String, declines: String, unchanged: String?, universe: String) {
            self.date = date
            self.advances = advances
            self.declines = declines
            self.unchanged = unchanged
            self.universe = universe
        }

        /// `date,advances,declines,unchanged`.
        public static func generic(universe: String) -> Columns {
            Columns(advances: "advances", declines: "declines", unchanged: "unchanged", universe: universe)
        }

        /// `date,<prefix>_advancers,<prefix>_decliners` with no unchanged count (the shared sample's layout).
        public static func prefixed(_ prefix: String, universe: String) -> Columns {
            Columns(advances: "\(prefix)_advancers", declines: "\(prefix)_decliners", unchanged: nil, universe: universe)
        }
    }

    public static func parse(_ data: Data, source: String, columns: Columns) throws(AdapterError) -> (rows: [BreadthRow], diagnostics: [Diagnostic]) {
        let table = try CSVTable(data: data, source: source)
        let dateCol = try table.requireColumn(columns.date, source: source)
        let advCol = try table.requireColumn(columns.advances, source: source)
        let decCol = try table.requireColumn(columns.declines, source: source)
        let uncCol: Int?
        if let name = columns.unchanged { uncCol = try table.requireColumn(name, source: source) } else { uncCol = nil }

        var rows: [BreadthRow] = []
        var lines: [Int] = []
        var diagnostics: [Diagnostic] = []
        var seen: [CalendarDate: Int] = [:]
        for row in table.rows {
            let dateText = try row.field(dateCol, named: columns.date, source: source)
            guard let date = CalendarDate(iso: dateText) else {
                throw AdapterError(source: source, line: row.line, field: columns.date, "not a YYYY-MM-DD date: \"\(dateText.prefix(40))\"")
            }
            if let first = seen[date] {
                throw AdapterError(source: source, line: row.line, field: columns.date, "duplicate date \(date) (first on line \(first))")
            }
            seen[date] = row.line
            do {
                let advances = try count(row, advCol, columns.advances, source)
                let declines = try count(row, decCol, columns.declines, source)
                var unchanged: Int?
                if let uncCol, let name = columns.unchanged {
                    unchanged = try row.field(uncCol, named: name, source: source).isEmpty ? nil : count(row, uncCol, name, source)
                }
                rows.append(BreadthRow(date: date, universe: columns.universe, advances: advances, declines: declines, unchanged: unchanged))
                lines.append(row.line)
            } catch {
                diagnostics.append(Diagnostic(.error, "\(source):\(row.line)", "row skipped: \(error.field.map { "\($0): " } ?? "")\(error.message)"))
            }
        }
        guard !rows.isEmpty else {
            throw AdapterError(source: source, table.rows.isEmpty ? "no data rows" : "no usable rows (\(diagnostics.count) skipped)")
        }
        let totals = rows.map { $0.advances + $0.declines + ($0.unchanged ?? 0) }
        let median = totals.sorted()[totals.count / 2]
        for (i, total) in totals.enumerated() where 2 * total < median {
            diagnostics.append(Diagnostic(.warning, "\(source):\(lines[i])",
                                          "\(rows[i].date): \(total) issues counted, under half the median \(median) (partial day?)"))
        }
        let order = rows.indices.sorted { rows[$0].date < rows[$1].date }
        return (order.map { rows[$0] }, diagnostics)
    }

    /// A non-negative whole count; `797` and `797.0` read, `-1`, `12.5`, `abc` and empty do not.
    private static func count(_ row: CSVTable.Row, _ index: Int, _ name: String, _ source: String) throws(AdapterError) -> Int {
        let text = try row.field(index, named: name, source: source)
        guard let value = Double(text), value.isFinite, value == value.rounded(), value >= 0, value < 1e9 else {
            throw AdapterError(source: source, line: row.line, field: name, "not a non-negative whole count: \"\(text.prefix(40))\"")
        }
        return Int(value)
    }
}
