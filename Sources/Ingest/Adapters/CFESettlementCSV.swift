import Foundation
import VixShieldCore

/// Cboe CFE's live daily settlement file (`…/us/futures/market_statistics/settlement/csv?dt=YYYY-MM-DD`).
///
/// Layout: `Product,Symbol,Expiration Date,Price`, one row per contract of every CFE product (VX, VXM,
/// and others such as IBHY, VA), CRLF line ends possible. Symbols: `VX/U6` (monthly), `VX38/U6` (weekly,
/// week 38 counted by Wednesdays), `VXM/U6` (mini VX, monthly). The file has no trade date, so
/// `context.asOf` is required, and Cboe serves a rolling window only: an old `dt` may be answered with a
/// later curve. Hence:
///
/// - **Thrown** (the whole curve is refused): no as-of date; a missing column; a curve that cannot
///   belong to the as-of date, i.e. a kept contract expiring before it, or a front monthly later than the
///   first monthly that was listed on the as-of date (the answer is a later day's curve); no usable VX or
///   VXM row.
/// - **Row skipped** (warning): a symbol that does not parse or disagrees with its product, a bad date,
///   a missing or non-positive price, a repeated symbol.
/// - **Counted and skipped** (one `info` for the file): rows of other CFE products.
/// - **Kept with a note**: an expiration that disagrees with the exchange rule (warning, file date
///   kept); a weekly whose price equals an adjacent monthly's (`info`, see `CFEVXHistory.carriedWeeklies`).
///
/// Rows keep Cboe's spelling (`VX/U6`, `VX38/U6`, `VXM/U6`), so VX and VXM stay distinct contracts.
/// `fingerprint(_:)` gives a stable digest of the curve for "identical to another date's curve" checks.
enum CFESettlementCSV {
    /// The products kept; other CFE products are counted and skipped.
    static let keptProducts: Set<String> = ["VX", "VXM"]

    static func parse(_ data: Data, context: AdapterContext) throws(AdapterError) -> ([VIXFutureSettlement], [Diagnostic]) {
        let source = context.sourceName
        guard let tradeDate = context.asOf else {
            throw AdapterError(source: source, "a settlement file has no trade date: the context needs an as-of date")
        }
        let table = try CSVTable(data: data, source: source)
        let productCol = try table.requireColumn("Product", source: source)
        let symbolCol = try table.requireColumn("Symbol", source: source)
        let expiryCol = try table.requireColumn("Expiration Date", source: source)
        let priceCol = try table.requireColumn("Price", "Settlement", source: source)
        var rejections = RowRejections(source: source)
        var out: [VIXFutureSettlement] = []
        var lines: [Int] = []
        var seen = Set<String>()
        var otherProducts: [String: Int] = [:]
        for row in table.rows {
            do throws(AdapterError) {
                try FieldParsing.checkWidth(row, headerCount: table.header.count, source: source)
                let product = try row.field(productCol, named: "Product", source: source).uppercased()
                guard keptProducts.contains(product) else {
                    otherProducts[product.isEmpty ? "(empty)" : product, default: 0] += 1
                    continue
                }
                let symbolText = try row.field(symbolCol, named: "Symbol", source: source)
                guard let contract = symbol(symbolText, product: product, referenceDate: tradeDate) else {
                    throw AdapterError(source: source, line: row.line, field: "Symbol",
                                       "not a \(product) symbol: \"\(symbolText.prefix(40))\"")
                }
                let expiry = try row.date(expiryCol, named: "Expiration Date", source: source)
                out.append(try CFEVXHistory.curveRow(row, priceColumn: priceCol, fields: ("Symbol", "Expiration Date", "Price"),
                                                     symbol: contract, expiry: expiry, tradeDate: tradeDate, source: source,
                                                     seen: &seen, rejections: &rejections))
                lines.append(row.line)
            } catch {
                rejections.reject(error)
            }
        }
        if !otherProducts.isEmpty {
            let total = otherProducts.values.reduce(0, +)
            let list = otherProducts.keys.sorted().map { "\($0) \(otherProducts[$0]!)" }.joined(separator: ", ")
            rejections.note(.info, line: table.headerLine, "\(total) rows of other CFE products skipped (\(list))")
        }
        if let stale = out.indices.filter({ out[$0].expiry < tradeDate }).min(by: { out[$0].expiry < out[$1].expiry }) {
            throw AdapterError(source: source, line: lines[stale],
                               "curve cannot belong to \(tradeDate): \(out[stale].symbol) expired on \(out[stale].expiry) (a different day's file)")
        }
        if let front = out.filter({ !$0.isWeekly && !$0.symbol.hasPrefix("VXM") }).map(\.expiry).min() {
            let firstListed = firstMonthlyExpiry(after: tradeDate)
            if front > firstListed {
                throw AdapterError(source: source, "curve cannot belong to \(tradeDate): its front VX monthly expires \(front), after \(firstListed), the first monthly listed that day (a later day's file)")
            }
        }
        for pair in CFEVXHistory.carriedWeeklies(out) {
            rejections.note(.info, line: lines[pair.weekly], "\(out[pair.weekly].symbol) price equals \(out[pair.monthly].symbol)'s (carried from the monthly, not its own)")
        }
        rejections.noteIfHeaderOnly(dataRows: table.rows.count, headerLine: table.headerLine)
        if out.isEmpty, !table.rows.isEmpty, rejections.rejected == 0 {
            throw AdapterError(source: source, "no VX or VXM rows (\(table.rows.count) rows of other products)")
        }
        try rejections.requireRows(loaded: out.count, dataRows: table.rows.count)
        return (out, rejections.diagnostics)
    }

    /// The contract a symbol names, in Cboe's spelling with the product's prefix; nil when the symbol does
    /// not parse or names another product (`VXM/U6` under product `VX`).
    static func symbol(_ text: String, product: String, referenceDate: CalendarDate) -> (text: String, expiry: CalendarDate, isWeekly: Bool)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let root = trimmed.prefix { $0.isLetter }
        guard root == product else { return nil }
        // VXM shares VX's months and week numbering: parse it as VX and put the product back.
        let asVX = "VX" + trimmed.dropFirst(product.count)
        guard let parsed = VXContracts.Symbol(asVX, referenceDate: referenceDate) else { return nil }
        return (product + parsed.text.dropFirst(2), parsed.expiry, parsed.isWeekly)
    }

    /// The first monthly VX expiry strictly after `date` (on a monthly's expiry day the file may or may not
    /// still list it, so the next one is the latest front month a genuine file of that day can have).
    static func firstMonthlyExpiry(after date: CalendarDate) -> CalendarDate {
        var year = date.year, month = date.month
        while true {
            let expiry = VXContracts.monthlyExpiry(year: year, month: month)
            if expiry > date { return expiry }
            month += 1
            if month == 13 { month = 1; year += 1 }
        }
    }

    /// A stable digest of a curve's (symbol, price) pairs, independent of row order and of the trade date:
    /// two files with the same digest published the same prices, so a digest equal to another date's
    /// archived curve means the exchange answered with that date's file. FNV-1a 64 over
    /// `symbol=price` lines sorted by symbol, prices to four decimals; 16 lower-case hex digits.
    static func fingerprint(_ rows: [VIXFutureSettlement]) -> String {
        let lines = rows.map { row -> String in
            let tenThousandths = (row.settle * 10_000).rounded()
            // Settles are positive and finite (checked on parse); the guard keeps the conversion total anyway.
            return "\(row.symbol)=" + (abs(tenThousandths) < 1e15 ? "\(Int(tenThousandths))" : "\(tenThousandths)")
        }.sorted()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in lines.joined(separator: "\n").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension Adapters {
    /// A stable digest of a VX curve's (symbol, price) pairs (order- and trade-date-independent), for the
    /// pipeline to compare with the curves it archived for other dates: equal digests on two dates mean
    /// Cboe served the same file for both (its settlement endpoint keeps a rolling window only).
    public static func curveFingerprint(_ rows: [VIXFutureSettlement]) -> String { CFESettlementCSV.fingerprint(rows) }

    /// Weeklies whose price equals an adjacent monthly's (Cboe fills unsettled weeklies that way): their
    /// symbols, so term-structure signals can prefer real settlements.
    public static func carriedWeeklySymbols(_ rows: [VIXFutureSettlement]) -> Set<String> {
        Set(CFEVXHistory.carriedWeeklies(rows).map { rows[$0.weekly].symbol })
    }
}
