import Foundation
import VixShieldCore

/// One real iron condor fill from a fills CSV.
public struct ImportedFill: Sendable, Hashable {
    /// The file's `fill_id`, or `<trade_date>|<profile>|<root>|<expiry>|<long_put>/<short_put>/<short_call>/<long_call>`
    /// when the column is absent or empty (so re-importing the same file finds the same rows).
    public var fillId: String
    public var tradeDate: CalendarDate
    public var profile: String
    public var expiry: CalendarDate
    public var root: String
    public var longPut: Double, shortPut: Double, shortCall: Double, longCall: Double
    public var contracts: Int
    /// Net credit received per condor, index points.
    public var fillCreditPoints: Double
    /// 1-based line in the file.
    public var line: Int
}

/// The fills CSV the README documents: `trade_date,profile,expiry,root,long_put,short_put,short_call,long_call,
/// contracts,fill_credit_points[,fill_id]` (header required, columns in any order, ISO dates).
///
/// Validated row by row: every bad row gives one line `FILE:LINE: column: what is wrong`, and the caller imports
/// nothing when there is any (a half-imported book is worse than none). Thrown (`AdapterError`) when the file
/// as a whole is not a fills CSV: not UTF-8, no header, a missing or unknown column.
public enum FillsCSV {
    public static let requiredColumns = ["trade_date", "profile", "expiry", "root", "long_put", "short_put", "short_call",
                                         "long_call", "contracts", "fill_credit_points"]
    public static let optionalColumns = ["fill_id"]
    /// Roots a fill may trade: the SPX condor roots (AM-settled monthlies, PM-settled weeklies).
    public static let roots: Set<String> = ["SPX", "SPXW"]

    public static func parse(_ data: Data, source: String) throws(AdapterError) -> (fills: [ImportedFill], errors: [AdapterError]) {
        let table = try CSVTable(data: data, source: source)
        let known = Set(requiredColumns + optionalColumns)
        if let unknown = table.header.first(where: { !known.contains($0.lowercased()) }) {
            throw AdapterError(source: source, line: table.headerLine,
                               "unknown column \"\(unknown.prefix(40))\" (columns: \((requiredColumns + optionalColumns).joined(separator: ",")))")
        }
        var index: [String: Int] = [:]
        for name in requiredColumns { index[name] = try table.requireColumn(name, source: source) }
        let idColumn = table.column("fill_id")
        var fills: [ImportedFill] = []
        var errors: [AdapterError] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            do throws(AdapterError) {
                try FieldParsing.checkWidth(row, headerCount: table.header.count, source: source)
                var fill = try parseRow(row, index: index, idColumn: idColumn, source: source)
                if let first = seen[fill.fillId] {
                    throw AdapterError(source: source, line: row.line, field: idColumn == nil ? nil : "fill_id",
                                       "duplicate of the fill on line \(first) (\(fill.fillId))")
                }
                seen[fill.fillId] = row.line
                fill.line = row.line
                fills.append(fill)
            } catch {
                errors.append(error)
            }
        }
        if fills.isEmpty && errors.isEmpty {
            throw AdapterError(source: source, line: table.headerLine, "header only: no fills")
        }
        return (fills, errors)
    }

    private static func parseRow(_ row: CSVTable.Row, index: [String: Int], idColumn: Int?, source: String) throws(AdapterError) -> ImportedFill {
        func text(_ name: String) throws(AdapterError) -> String {
            let t = try row.field(index[name]!, named: name, source: source)
            if t.isEmpty { throw AdapterError(source: source, line: row.line, field: name, "empty") }
            return t
        }
        func date(_ name: String) throws(AdapterError) -> CalendarDate {
            let t = try text(name)
            guard let d = CalendarDate(iso: t) else { throw AdapterError(source: source, line: row.line, field: name, "not a YYYY-MM-DD date: \"\(t.prefix(40))\"") }
            return d
        }
        func strike(_ name: String) throws(AdapterError) -> Double {
            let v = try row.number(index[name]!, named: name, source: source)
            guard v > 0 else { throw AdapterError(source: source, line: row.line, field: name, "not a positive strike: \(v)") }
            return v
        }
        let tradeDate = try date("trade_date")
        guard TradingCalendar.nyse.isTradingDay(tradeDate) else {
            throw AdapterError(source: source, line: row.line, field: "trade_date", "\(tradeDate) is not an NYSE trading day")
        }
        let profile = try text("profile")
        let expiry = try date("expiry")
        guard expiry > tradeDate else {
            throw AdapterError(source: source, line: row.line, field: "expiry", "\(expiry) is not after the trade date \(tradeDate)")
        }
        let root = try text("root").uppercased()
        guard roots.contains(root) else {
            throw AdapterError(source: source, line: row.line, field: "root", "\"\(root.prefix(10))\" is not one of \(roots.sorted().joined(separator: ", "))")
        }
        let lp = try strike("long_put"), sp = try strike("short_put"), sc = try strike("short_call"), lc = try strike("long_call")
        guard lp < sp else { throw AdapterError(source: source, line: row.line, field: "long_put", "\(lp) is not below the short put \(sp)") }
        guard sp < sc else { throw AdapterError(source: source, line: row.line, field: "short_call", "\(sc) is not above the short put \(sp)") }
        guard sc < lc else { throw AdapterError(source: source, line: row.line, field: "long_call", "\(lc) is not above the short call \(sc)") }
        let contractsText = try text("contracts")
        guard let contracts = Int(contractsText), contracts > 0 else {
            throw AdapterError(source: source, line: row.line, field: "contracts", "not a positive whole number: \"\(contractsText.prefix(20))\"")
        }
        let credit = try row.number(index["fill_credit_points"]!, named: "fill_credit_points", source: source)
        // A condor's credit is positive and below its wider wing (at expiry it can lose at most width − credit).
        let width = max(sp - lp, lc - sc)
        guard credit > 0, credit < width else {
            throw AdapterError(source: source, line: row.line, field: "fill_credit_points", "\(credit) is not inside (0, \(width)), the wider wing")
        }
        let given = try idColumn.map { i throws(AdapterError) in try row.field(i, named: "fill_id", source: source) } ?? ""
        let strikes = [lp, sp, sc, lc].map(FieldParsing.plainNumber).joined(separator: "/")
        let id = given.isEmpty ? "\(tradeDate)|\(profile)|\(root)|\(expiry)|\(strikes)" : given
        return ImportedFill(fillId: id, tradeDate: tradeDate, profile: profile, expiry: expiry, root: root, longPut: lp, shortPut: sp,
                            shortCall: sc, longCall: lc, contracts: contracts, fillCreditPoints: credit, line: row.line)
    }
}
