import Foundation
import VixShieldCore

/// Cboe CFE VX futures files: per-contract histories and the daily settlement curve.
///
/// Per-contract history (`CFE_F14_VX.csv`, or the CDN's `VX_2014-01-22.csv` from 2013 on, whose name
/// gives the expiry: a file dated off the monthly rule is that month's weekly, `VX04/F4`): `Trade Date,Futures,Open,High,Low,Close,Settle,Change,
/// Total Volume,EFP,Open Interest`, with the quirks real downloads have: a disclaimer line before the
/// header, a stray leading (pandas) index column, `M/D/YYYY` or ISO dates, `Futures` as `F (Jan 14)` or
/// `F (Jan 2021)`, and prices quoted ×10 before 2007-03-26 (Cboe rescaled VX on that date). Thrown:
/// no header with `Trade Date`, `Futures` and `Settle`; no usable row. Row skipped with a diagnostic:
/// a bad date, contract or settle, a negative settle or one below 5 (after rescaling), a trade date
/// after the contract's expiry, a repeated trade date, and (as `info`) a zero settle, which Cboe writes
/// on days nothing traded. A header with no rows (a contract not yet listed) loads as empty. Rows carry
/// Cboe's short symbol (`VX/F5`) and the derived expiry; the symbol's one-digit year repeats every
/// decade, so the expiry is what identifies a contract across a long history.
///
/// Settlement curve (`expiration_date,symbol,settlement`, `VX/N6` monthly, `VX28/N6` weekly): the file
/// has no trade date, so `context.asOf` is required. Row skipped: a symbol that does not parse, a bad or
/// past expiry, a missing, zero or negative settlement, a repeated symbol. An expiration date that
/// disagrees with the exchange rule is kept as the file states it, with a warning; a weekly whose
/// settlement is exactly a monthly's (Cboe fills unsettled weeklies that way) is kept with an `info`.
enum CFEVXHistory {
    /// Cboe multiplied the VX contract size down by ten on this date; settles before it are ×10.
    static let rescaleDate = CalendarDate(year: 2007, month: 3, day: 26)!
    /// The VIX has never closed below 9 (low 9.14, 2017); a settle under 5 is a placeholder the
    /// vendor wrote (CFE_F09_VX.csv has 1.00 on 2008-04-21), not a price.
    static let minimumPlausibleSettle = 5.0

    static func parsePerContract(_ data: Data, context: AdapterContext) throws(AdapterError) -> ([VIXFutureSettlement], [Diagnostic]) {
        let source = context.sourceName
        let table = try CSVTable(data: data, source: source) { $0.contains { $0.caseInsensitiveCompare("Trade Date") == .orderedSame } }
        let dateCol = try table.requireColumn("Trade Date", source: source)
        let futuresCol = try table.requireColumn("Futures", source: source)
        let settleCol = try table.requireColumn("Settle", source: source)
        var rejections = RowRejections(source: source)
        var out: [VIXFutureSettlement] = []
        out.reserveCapacity(table.rows.count)
        var seenDates = Set<CalendarDate>()
        var zeroSettles = 0
        var contractCache: (text: String, symbol: VXContracts.Symbol)?
        for row in table.rows {
            do throws(AdapterError) {
                try FieldParsing.checkWidth(row, headerCount: table.header.count, source: source)
                let tradeDate = try row.date(dateCol, named: "Trade Date", source: source)
                let futuresText = try row.field(futuresCol, named: "Futures", source: source)
                let contract: VXContracts.Symbol
                if let cached = contractCache, cached.text == futuresText {
                    contract = cached.symbol
                } else {
                    guard let parsed = contractSymbol(futuresText) else {
                        throw AdapterError(source: source, line: row.line, field: "Futures", "not a VX contract: \"\(futuresText.prefix(40))\"")
                    }
                    // The CDN's `VX_2014-01-22.csv` names the expiry: a file dated off the month's rule
                    // expiry is a weekly of that month.
                    if let named = fileExpiry(source), named != parsed.expiry {
                        guard let weekly = weeklySymbol(expiring: named), weekly.month == parsed.month, weekly.year == parsed.year else {
                            throw AdapterError(source: source, line: row.line, field: "Futures",
                                               "\(futuresText) does not expire on the file's date \(named)")
                        }
                        contract = weekly
                    } else {
                        contract = parsed
                    }
                    contractCache = (futuresText, contract)
                }
                var settle = try row.number(settleCol, named: "Settle", source: source)
                if settle < 0 { throw AdapterError(source: source, line: row.line, field: "Settle", "negative: \(settle)") }
                if tradeDate > contract.expiry {
                    throw AdapterError(source: source, line: row.line, field: "Trade Date",
                                       "\(tradeDate) is after the contract's expiry \(contract.expiry)")
                }
                if settle == 0 {
                    zeroSettles += 1
                    rejections.note(.info, line: row.line, "zero settle (no trade); row skipped")
                    continue
                }
                guard seenDates.insert(tradeDate).inserted else {
                    throw AdapterError(source: source, line: row.line, field: "Trade Date", "duplicate \(tradeDate)")
                }
                if tradeDate < rescaleDate { settle /= 10 }
                if settle < minimumPlausibleSettle {
                    throw AdapterError(source: source, line: row.line, field: "Settle",
                                       "implausible \(settle) (below \(minimumPlausibleSettle), under any VIX level ever printed)")
                }
                out.append(VIXFutureSettlement(tradeDate: tradeDate, symbol: contract.text, expiry: contract.expiry,
                                               settle: settle, isWeekly: contract.isWeekly))
            } catch {
                rejections.reject(error)
            }
        }
        if out.isEmpty, zeroSettles > 0, rejections.rejected == 0 {
            throw AdapterError(source: source, "no usable rows (all \(zeroSettles) settles are zero)")
        }
        rejections.noteIfHeaderOnly(dataRows: table.rows.count, headerLine: table.headerLine)
        try rejections.requireRows(loaded: out.count, dataRows: table.rows.count)
        return (out, rejections.diagnostics)
    }

    /// The expiry a CDN per-contract file name states (`…/VX_2014-01-22.csv`), nil for other names.
    static func fileExpiry(_ source: String) -> CalendarDate? {
        let name = FieldParsing.baseName(source)
        guard name.hasPrefix("VX_"), name.hasSuffix(".csv") else { return nil }
        return CalendarDate(iso: String(name.dropFirst(3).dropLast(4)))
    }

    /// The weekly VX contract settling on `expiry` (a Wednesday, or the Tuesday before a Wednesday
    /// holiday), nil when no weekly does.
    static func weeklySymbol(expiring expiry: CalendarDate) -> VXContracts.Symbol? {
        let wednesday = expiry.adding(days: (3 - expiry.isoWeekday + 7) % 7)
        guard let jan1 = CalendarDate(year: wednesday.year, month: 1, day: 1) else { return nil }
        let week = wednesday.days(since: jan1) / 7 + 1
        let code = VXContracts.monthCode(for: wednesday.month)
        let text = "VX\(week < 10 ? "0" : "")\(week)/\(code)\(wednesday.year % 10)"
        guard let symbol = VXContracts.Symbol(text, referenceDate: expiry), symbol.expiry == expiry else { return nil }
        return symbol
    }

    /// `F (Jan 14)` or `F (Jan 2021)`: month code, then month name and year; code and name must agree.
    static func contractSymbol(_ text: String) -> VXContracts.Symbol? {
        let parts = text.split(separator: " ")
        guard parts.count == 3, parts[0].count == 1, let code = parts[0].first,
              let month = VXContracts.month(forCode: code),
              parts[1].hasPrefix("("), parts[2].hasSuffix(")") else { return nil }
        let monthName = parts[1].dropFirst()
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard names.firstIndex(where: { $0.caseInsensitiveCompare(monthName) == .orderedSame }) == month - 1 else { return nil }
        let yearText = parts[2].dropLast()
        guard yearText.allSatisfy({ $0.isASCII && $0.isNumber }), let y = Int(yearText) else { return nil }
        let year: Int
        switch yearText.count {
        case 2: year = 2000 + y
        case 4: year = y
        default: return nil
        }
        guard (2004...2099).contains(year) else { return nil }
        return VXContracts.Symbol(monthlyYear: year, month: month)
    }

    static func parseCurve(_ data: Data, context: AdapterContext) throws(AdapterError) -> ([VIXFutureSettlement], [Diagnostic]) {
        let source = context.sourceName
        guard let tradeDate = context.asOf else {
            throw AdapterError(source: source, "a settlement curve has no trade date: the context needs an as-of date")
        }
        let table = try CSVTable(data: data, source: source)
        let expiryCol = try table.requireColumn("expiration_date", source: source)
        let symbolCol = try table.requireColumn("symbol", source: source)
        let settleCol = try table.requireColumn("settlement", "settle", source: source)
        var rejections = RowRejections(source: source)
        var out: [VIXFutureSettlement] = []
        var lines: [Int] = []
        var seen = Set<String>()
        for row in table.rows {
            do throws(AdapterError) {
                try FieldParsing.checkWidth(row, headerCount: table.header.count, source: source)
                let symbolText = try row.field(symbolCol, named: "symbol", source: source)
                guard let symbol = VXContracts.Symbol(symbolText, referenceDate: tradeDate) else {
                    throw AdapterError(source: source, line: row.line, field: "symbol", "not a VX symbol: \"\(symbolText.prefix(40))\"")
                }
                let expiry = try row.date(expiryCol, named: "expiration_date", source: source)
                if expiry < tradeDate {
                    throw AdapterError(source: source, line: row.line, field: "expiration_date", "\(expiry) is before the trade date \(tradeDate)")
                }
                out.append(try curveRow(row, priceColumn: settleCol, fields: ("symbol", "expiration_date", "settlement"),
                                        symbol: (symbol.text, symbol.expiry, symbol.isWeekly),
                                        expiry: expiry, tradeDate: tradeDate, source: source, seen: &seen, rejections: &rejections))
                lines.append(row.line)
            } catch {
                rejections.reject(error)
            }
        }
        for pair in carriedWeeklies(out) {
            rejections.note(.info, line: lines[pair.weekly], "\(out[pair.weekly].symbol) settlement equals \(out[pair.monthly].symbol)'s (carried from the monthly, not its own)")
        }
        rejections.noteIfHeaderOnly(dataRows: table.rows.count, headerLine: table.headerLine)
        try rejections.requireRows(loaded: out.count, dataRows: table.rows.count)
        return (out, rejections.diagnostics)
    }

    /// Weeklies whose settlement is exactly an adjacent monthly's (the monthly of the same product just
    /// before or just after it by expiry), as indices into `rows` with that monthly's index; a weekly that
    /// expires on a monthly's date is not one of them.
    ///
    /// Cboe's curve gives weeklies without a settlement of their own the value of a neighbouring monthly;
    /// the row is kept (it is what the exchange published) and marked so term-structure signals can prefer
    /// real settlements. Exact equality to four decimals does not happen by chance.
    static func carriedWeeklies(_ rows: [VIXFutureSettlement]) -> [(weekly: Int, monthly: Int)] {
        func product(_ symbol: String) -> Substring { symbol.prefix { $0.isLetter } }
        var out: [(weekly: Int, monthly: Int)] = []
        for (i, weekly) in rows.enumerated() where weekly.isWeekly {
            let monthlies = rows.indices.filter { !rows[$0].isWeekly && product(rows[$0].symbol) == product(weekly.symbol) }
            guard !monthlies.contains(where: { rows[$0].expiry == weekly.expiry }) else { continue }
            let before = monthlies.filter { rows[$0].expiry < weekly.expiry }.max { rows[$0].expiry < rows[$1].expiry }
            let after = monthlies.filter { rows[$0].expiry > weekly.expiry }.min { rows[$0].expiry < rows[$1].expiry }
            // The nearer neighbour first, so the note names the monthly the value most likely came from.
            let neighbours = [before, after].compactMap { $0 }
                .sorted { abs(rows[$0].expiry.days(since: weekly.expiry)) < abs(rows[$1].expiry.days(since: weekly.expiry)) }
            if let m = neighbours.first(where: { rows[$0].settle == weekly.settle }) { out.append((i, m)) }
        }
        return out
    }
}

extension CFEVXHistory {
    /// The checks both VX curve layouts share, for one row whose symbol and expiry are read: a positive price,
    /// no contract twice, and a note when the file's expiry disagrees with the exchange rule (the file's
    /// date is kept). `fields` are the layout's own column names (symbol, expiry, price) for messages.
    static func curveRow(_ row: CSVTable.Row, priceColumn: Int, fields: (symbol: String, expiry: String, price: String),
                         symbol: (text: String, expiry: CalendarDate, isWeekly: Bool), expiry: CalendarDate, tradeDate: CalendarDate, source: String,
                         seen: inout Set<String>, rejections: inout RowRejections) throws(AdapterError) -> VIXFutureSettlement {
        guard let price = try row.optionalNumber(priceColumn, named: fields.price, source: source) else {
            throw AdapterError(source: source, line: row.line, field: fields.price, "missing")
        }
        if price <= 0 { throw AdapterError(source: source, line: row.line, field: fields.price, "not positive: \(price)") }
        guard seen.insert(symbol.text).inserted else {
            throw AdapterError(source: source, line: row.line, field: fields.symbol, "duplicate \(symbol.text)")
        }
        if expiry != symbol.expiry {
            rejections.note(.warning, line: row.line,
                            "\(fields.expiry) \(expiry) disagrees with the exchange rule for \(symbol.text) (\(symbol.expiry)); file date kept")
        }
        return VIXFutureSettlement(tradeDate: tradeDate, symbol: symbol.text, expiry: expiry, settle: price, isWeekly: symbol.isWeekly)
    }
}
