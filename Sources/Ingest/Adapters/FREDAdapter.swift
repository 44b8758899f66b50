import Foundation
import VixShieldCore

/// FRED's CSV download (`fredgraph.csv`): a date column, then one column per series, values in percent.
///
/// Accepted layouts:
/// - `observation_date,DGS3MO` (current FRED) or `DATE,DGS3MO` (older downloads); several series
///   columns in one file are read as several series.
/// - `date,value`: the series id is not in the file and must be passed as `seriesID`.
///
/// Files that mix rates with other data (a date column named otherwise, other columns) are read with
/// `dateColumn` and a `columns` mapping from header name to series id.
///
/// Values are percent and are returned as decimals (5.25 → 0.0525). FRED writes `.` for a day with no
/// value (holidays); `.` and empty fields are skipped and counted in one `.info` diagnostic per series.
/// Everything else fails the file with a one-line `AdapterError`: a header without a date column or
/// series, an unknown series with no `tenorYears`, a date that is not `YYYY-MM-DD`, the same date twice,
/// a value that is not a number, or a series with no values at all.
public enum FREDCSV {
    /// What a FRED series measures: its maturity and how it is quoted.
    public struct SeriesInfo: Hashable, Sendable {
        public var tenorYears: Double
        public var convention: RateQuoteConvention

        public init(tenorYears: Double, convention: RateQuoteConvention) {
            self.tenorYears = tenorYears
            self.convention = convention
        }
    }

    /// Known FRED rate series. Treasury constant-maturity yields (`DGS*`) are bond-equivalent; secondary
    /// market bill rates (`DTB*`) are bank-discount with the bill's day count (4, 13, 26, 52 weeks); the
    /// effective fed funds rate and SOFR are overnight money-market rates.
    public static let knownSeries: [String: SeriesInfo] = [
        "DFF": SeriesInfo(tenorYears: 1.0 / 365, convention: .moneyMarket),
        "EFFR": SeriesInfo(tenorYears: 1.0 / 365, convention: .moneyMarket),
        "SOFR": SeriesInfo(tenorYears: 1.0 / 365, convention: .moneyMarket),
        "DTB4WK": SeriesInfo(tenorYears: 28.0 / 365, convention: .bankDiscount),
        "DTB3": SeriesInfo(tenorYears: 91.0 / 365, convention: .bankDiscount),
        "DTB6": SeriesInfo(tenorYears: 182.0 / 365, convention: .bankDiscount),
        "DTB1YR": SeriesInfo(tenorYears: 364.0 / 365, convention: .bankDiscount),
        "DGS1MO": SeriesInfo(tenorYears: 1.0 / 12, convention: .bondEquivalent),
        "DGS3MO": SeriesInfo(tenorYears: 0.25, convention: .bondEquivalent),
        "DGS6MO": SeriesInfo(tenorYears: 0.5, convention: .bondEquivalent),
        "DGS1": SeriesInfo(tenorYears: 1, convention: .bondEquivalent),
        "DGS2": SeriesInfo(tenorYears: 2, convention: .bondEquivalent),
        "DGS3": SeriesInfo(tenorYears: 3, convention: .bondEquivalent),
        "DGS5": SeriesInfo(tenorYears: 5, convention: .bondEquivalent),
        "DGS7": SeriesInfo(tenorYears: 7, convention: .bondEquivalent),
        "DGS10": SeriesInfo(tenorYears: 10, convention: .bondEquivalent),
        "DGS20": SeriesInfo(tenorYears: 20, convention: .bondEquivalent),
        "DGS30": SeriesInfo(tenorYears: 30, convention: .bondEquivalent),
    ]

    /// Quote conventions of the known series, in the shape `RateCurve` takes.
    public static var conventions: [String: RateQuoteConvention] { knownSeries.mapValues(\.convention) }

    /// Reads a FRED CSV.
    ///
    /// - Parameters:
    ///   - seriesID: required when the value column is named `value`; when the column names a series it
    ///     must match (case-insensitively) or the file is rejected as the wrong download.
    ///   - tenorYears: the tenor for a series not in `knownSeries` (single-series files only).
    ///   - dateColumn: the date column's name when it is not `observation_date` or `DATE`.
    ///   - columns: read only these columns, as header name → series id (for files that mix rates with
    ///     other data, e.g. `["DFF": "DFF"]`); every other non-date column is ignored.
    public static func parse(_ data: Data, source: String, seriesID: String? = nil, tenorYears: Double? = nil,
                             dateColumn: String? = nil,
                             columns: [String: String]? = nil) throws(AdapterError) -> (rows: [RateObservation], diagnostics: [Diagnostic]) {
        let table = try CSVTable(data: data, source: source)
        let dateCol: Int
        if let dateColumn {
            dateCol = try table.requireColumn(dateColumn, source: source)
        } else {
            dateCol = try table.requireColumn("observation_date", "DATE", source: source)
        }
        var valueCols = table.header.indices.filter { $0 != dateCol && !table.header[$0].isEmpty }
        var renamed: [Int: String] = [:]
        if let columns {
            valueCols = []
            for name in columns.keys.sorted() {
                let col = try table.requireColumn(name, source: source)
                valueCols.append(col)
                renamed[col] = columns[name]
            }
        }
        guard !valueCols.isEmpty else {
            throw AdapterError(source: source, line: table.headerLine, "no series column (header: \(table.header.joined(separator: ",")))")
        }
        if valueCols.count > 1, seriesID != nil || tenorYears != nil {
            throw AdapterError(source: source, line: table.headerLine, "seriesID and tenorYears apply to single-series files; this one has \(valueCols.count) series")
        }
        var series: [(col: Int, id: String, tenor: Double)] = []
        for col in valueCols {
            let name = table.header[col]
            let id: String
            if let mapped = renamed[col] {
                id = mapped
            } else if name.lowercased() == "value" {
                guard let seriesID else {
                    throw AdapterError(source: source, line: table.headerLine, field: name, "the file does not name its series: pass the series id")
                }
                id = seriesID
            } else {
                if let seriesID, seriesID.uppercased() != name.uppercased() {
                    throw AdapterError(source: source, line: table.headerLine, field: name, "the file holds series \(name), not \(seriesID)")
                }
                id = name.uppercased()
            }
            guard let tenor = tenorYears ?? knownSeries[id]?.tenorYears else {
                throw AdapterError(source: source, line: table.headerLine, field: name, "unknown FRED series \(id): pass its tenor in years")
            }
            guard tenor > 0, tenor.isFinite else {
                throw AdapterError(source: source, line: table.headerLine, field: name, "tenor \(tenor) years is not positive")
            }
            series.append((col, id, tenor))
        }

        var rows: [RateObservation] = []
        var missing = Array(repeating: 0, count: series.count)
        var found = Array(repeating: 0, count: series.count)
        var seen: [CalendarDate: Int] = [:]
        for row in table.rows {
            let dateName = table.header[dateCol]
            let text = try row.field(dateCol, named: dateName, source: source)
            guard let date = CalendarDate(iso: text) else {
                throw AdapterError(source: source, line: row.line, field: dateName, "not a YYYY-MM-DD date: \"\(text.prefix(40))\"")
            }
            if let first = seen[date] {
                throw AdapterError(source: source, line: row.line, field: dateName, "duplicate date \(date) (first on line \(first))")
            }
            seen[date] = row.line
            for (i, s) in series.enumerated() {
                guard let percent = try row.optionalNumber(s.col, named: table.header[s.col], source: source, missingMarkers: ["."]) else {
                    missing[i] += 1
                    continue
                }
                found[i] += 1
                rows.append(RateObservation(date: date, series: s.id, tenorYears: s.tenor, rate: percent / 100))
            }
        }
        var diagnostics: [Diagnostic] = []
        for (i, s) in series.enumerated() {
            guard found[i] > 0 else { throw AdapterError(source: source, field: table.header[s.col], "no values for series \(s.id)") }
            if missing[i] > 0 {
                diagnostics.append(Diagnostic(.info, source, "\(s.id): \(missing[i]) missing values (\".\" or empty) skipped"))
            }
        }
        rows.sort { ($0.series, $0.date) < ($1.series, $1.date) }
        return (rows, diagnostics)
    }
}

// MARK: - Treasury par yield curve

/// The US Treasury's daily par yield curve CSV (`Date,1 mo,2 mo,3 mo,…,30 yr`), one series per column.
///
/// Columns are recognised by their tenor text (`1 mo`, `1.5 Month`, `4 Mo`, `1 yr`, `30 Yr` …) and become
/// series `UST_<n>M` or `UST_<n>Y` (e.g. `UST_3M`, `UST_10Y`), bond-equivalent yields in percent turned
/// into decimals. Dates are `M/D/YYYY`, `MM/DD/YYYY` or ISO. `N/A` and empty fields are gaps (tenors the
/// Treasury did not publish then, such as the 1-month before 2001), counted per series in one `.info`
/// diagnostic. A bad date, duplicate date, non-number or unrecognised column fails the file.
public enum TreasuryParCurveCSV {
    public static func parse(_ data: Data, source: String) throws(AdapterError) -> (rows: [RateObservation], diagnostics: [Diagnostic]) {
        let table = try CSVTable(data: data, source: source)
        let dateCol = try table.requireColumn("Date", source: source)
        var series: [(col: Int, id: String, tenor: Double)] = []
        for col in table.header.indices where col != dateCol {
            guard let (id, tenor) = tenor(ofColumn: table.header[col]) else {
                throw AdapterError(source: source, line: table.headerLine, field: table.header[col], "not a tenor column (expected e.g. \"3 mo\" or \"10 yr\")")
            }
            series.append((col, id, tenor))
        }
        guard !series.isEmpty else { throw AdapterError(source: source, line: table.headerLine, "no tenor columns") }

        var rows: [RateObservation] = []
        var missing = Array(repeating: 0, count: series.count)
        var seen: [CalendarDate: Int] = [:]
        for row in table.rows {
            let text = try row.field(dateCol, named: "Date", source: source)
            guard let date = CalendarDate(usSlashed: text) ?? CalendarDate(iso: text) else {
                throw AdapterError(source: source, line: row.line, field: "Date", "not an M/D/YYYY date: \"\(text.prefix(40))\"")
            }
            if let first = seen[date] {
                throw AdapterError(source: source, line: row.line, field: "Date", "duplicate date \(date) (first on line \(first))")
            }
            seen[date] = row.line
            for (i, s) in series.enumerated() {
                guard let percent = try row.optionalNumber(s.col, named: table.header[s.col], source: source, missingMarkers: ["N/A"]) else {
                    missing[i] += 1
                    continue
                }
                rows.append(RateObservation(date: date, series: s.id, tenorYears: s.tenor, rate: percent / 100))
            }
        }
        let diagnostics = series.indices.filter { missing[$0] > 0 }.map {
            Diagnostic(.info, source, "\(series[$0].id): \(missing[$0]) missing values (N/A or empty) skipped")
        }
        rows.sort { ($0.series, $0.date) < ($1.series, $1.date) }
        return (rows, diagnostics)
    }

    /// Quote conventions for every series this parser can produce (all bond-equivalent).
    public static func conventions(for ids: some Sequence<String>) -> [String: RateQuoteConvention] {
        Dictionary(ids.map { ($0, RateQuoteConvention.bondEquivalent) }, uniquingKeysWith: { a, _ in a })
    }

    /// `"3 mo"` → (`UST_3M`, 0.25); `"1.5 Month"` → (`UST_1.5M`, 0.125); `"10 yr"` → (`UST_10Y`, 10).
    static func tenor(ofColumn name: String) -> (id: String, tenorYears: Double)? {
        let parts = name.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let n = Double(parts[0]), n > 0, n.isFinite else { return nil }
        let number = FieldParsing.plainNumber(n)
        if ["mo", "mos", "month", "months"].contains(parts[1]) { return ("UST_\(number)M", n / 12) }
        if ["yr", "yrs", "year", "years"].contains(parts[1]) { return ("UST_\(number)Y", n) }
        return nil
    }
}
