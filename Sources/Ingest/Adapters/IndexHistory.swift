import Foundation
import VixShieldCore

/// Daily index histories.
///
/// - `cboe_index_history`: Cboe downloads, `DATE,OPEN,HIGH,LOW,CLOSE` (VIX, VIX9D, VIX3M) or one
///   series `DATE,<SYMBOL>` (`DATE,VVIX`, `DATE,SKEW`), `MM/DD/YYYY` dates (ISO accepted), BOM and CRLF.
/// - `ohlc_csv`: Yahoo-style `Date,Open,High,Low,Close[,Adj Close,Volume]`, ISO dates, rows of `null`
///   on days Yahoo has no data.
///
/// The symbol: a single-series header names it; otherwise `context.options["symbol"]`, else the file
/// name up to its first `_` or `.` (`VIX_History.csv` → `VIX`, `^GSPC.csv` → `^GSPC`).
/// Thrown: no date or close column, no usable row. Row skipped with a diagnostic: a bad date, a
/// non-numeric, NaN, zero or negative price, a repeated date; a Yahoo `null` row is skipped as `info`.
enum IndexHistory {
    static func parse(_ data: Data, kind: SourceKind, context: AdapterContext) throws(AdapterError) -> ([IndexBar], [Diagnostic]) {
        let source = context.sourceName
        let table = try CSVTable(data: data, source: source)
        let dateCol = try table.requireColumn("DATE", source: source)
        let openCol = table.column("OPEN"), highCol = table.column("HIGH"), lowCol = table.column("LOW")
        let closeCol: Int
        let symbol: String
        if let c = table.column("CLOSE") {
            closeCol = c
            symbol = context.options["symbol"] ?? defaultSymbol(source)
        } else if kind == .cboeIndexHistory, table.header.count == 2 {
            // `DATE,VVIX`: the second column is the series and names it.
            closeCol = 1 - dateCol
            symbol = context.options["symbol"] ?? table.header[closeCol]
            guard !symbol.isEmpty else {
                throw AdapterError(source: source, line: table.headerLine, "single-series header has an empty series name")
            }
        } else {
            throw AdapterError(source: source, line: table.headerLine,
                               "missing column CLOSE (header: \(table.header.joined(separator: ",")))")
        }
        var rejections = RowRejections(source: source)
        var out: [IndexBar] = []
        out.reserveCapacity(table.rows.count)
        var seen = Set<CalendarDate>()
        for row in table.rows {
            do throws(AdapterError) {
                try FieldParsing.checkWidth(row, headerCount: table.header.count, source: source)
                let date = try row.date(dateCol, named: table.header[dateCol], source: source)
                if kind == .ohlcCSV, try row.field(closeCol, named: table.header[closeCol], source: source) == "null" {
                    rejections.note(.info, line: row.line, "null row (no data for \(date)); row skipped")
                    continue
                }
                func price(_ col: Int?) throws(AdapterError) -> Double? {
                    guard let col else { return nil }
                    let v = try row.number(col, named: table.header[col], source: source)
                    if v <= 0 { throw AdapterError(source: source, line: row.line, field: table.header[col], "not positive: \(v)") }
                    return v
                }
                guard let close = try price(closeCol) else { continue }
                let bar = IndexBar(symbol: symbol, date: date, open: try price(openCol), high: try price(highCol),
                                   low: try price(lowCol), close: close)
                guard seen.insert(date).inserted else {
                    throw AdapterError(source: source, line: row.line, field: table.header[dateCol], "duplicate \(date)")
                }
                out.append(bar)
            } catch {
                rejections.reject(error)
            }
        }
        rejections.noteIfHeaderOnly(dataRows: table.rows.count, headerLine: table.headerLine)
        try rejections.requireRows(loaded: out.count, dataRows: table.rows.count)
        return (out, rejections.diagnostics)
    }

    static func defaultSymbol(_ source: String) -> String {
        let name = FieldParsing.baseName(source)
        let stem = name.prefix { $0 != "_" && $0 != "." }
        return stem.isEmpty ? name : String(stem)
    }
}
