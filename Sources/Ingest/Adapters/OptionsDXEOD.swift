import Foundation
import VixShieldCore

/// OptionsDX end-of-day text files: a header of bracketed names (`[QUOTE_DATE], [STRIKE], …`) and
/// one row per (quote date, expiry, strike) holding both the call (`C_*`) and the put (`P_*`), sizes as
/// `10 x 10` (bid size x ask size), IVs and volumes empty when the vendor has none. A file may span
/// many quote dates (OptionsDX ships monthly files); each date becomes one snapshot.
///
/// The option root is not in the file. Rule: `options["root"]` when given; otherwise, for an SPX file
/// (`options["underlying"]`, default `SPX`), `SPX` (AM-settled) when the expiry is the month's standard
/// expiry (third Friday, or the business day before it on a holiday) and `SPXW` for every other date;
/// for any other underlying the root is the underlying. Index underlyings are named as Cboe names
/// them (`^SPX`). OptionsDX lists one row per strike and expiry,
/// so on a third Friday the PM-settled SPXW series, if the vendor merged it, cannot be told apart.
///
/// Thrown: a required column missing, no usable row. Row skipped with a diagnostic: wrong column count,
/// bad dates, strike or size field, a price that is text rather than a number. Empty prices are kept
/// as NaN (flagged `missing_field`); an empty volume is 0 (OptionsDX leaves it blank when nothing
/// traded); open interest is not published (NaN).
enum OptionsDXEOD {
    static func parse(_ data: Data, context: AdapterContext) throws(AdapterError) -> ([OptionChainSnapshot], [Diagnostic]) {
        let source = context.sourceName
        let table = try CSVTable(data: data, source: source)
        let names = table.header.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).uppercased() }
        func col(_ name: String) throws(AdapterError) -> Int {
            guard let i = names.firstIndex(of: name) else {
                throw AdapterError(source: source, line: table.headerLine, "missing column [\(name)] (header: \(table.header.prefix(8).joined(separator: ","))…)")
            }
            return i
        }
        let dateCol = try col("QUOTE_DATE"), readTimeCol = names.firstIndex(of: "QUOTE_READTIME")
        let spotCol = try col("UNDERLYING_LAST"), expiryCol = try col("EXPIRE_DATE"), strikeCol = try col("STRIKE")
        struct Side { let bid, ask, size, last, volume: Int; let iv, delta: Int? }
        let call = Side(bid: try col("C_BID"), ask: try col("C_ASK"), size: try col("C_SIZE"), last: try col("C_LAST"),
                        volume: try col("C_VOLUME"), iv: names.firstIndex(of: "C_IV"), delta: names.firstIndex(of: "C_DELTA"))
        let put = Side(bid: try col("P_BID"), ask: try col("P_ASK"), size: try col("P_SIZE"), last: try col("P_LAST"),
                       volume: try col("P_VOLUME"), iv: names.firstIndex(of: "P_IV"), delta: names.firstIndex(of: "P_DELTA"))
        let underlying = context.options["underlying"] ?? "SPX"
        // Name index underlyings the way Cboe's own payloads do (`^SPX`), so chains from every source
        // of one underlying carry one name.
        let underlyingName = ["SPX", "XSP", "NDX", "RUT", "VIX"].contains(underlying) ? "^\(underlying)" : underlying
        let fixedRoot = context.options["root"]

        var rejections = RowRejections(source: source)
        var byDate: [CalendarDate: (spot: Double, capturedAt: String, quotes: [OptionQuote])] = [:]
        var loaded = 0
        for row in table.rows {
            do throws(AdapterError) {
                try FieldParsing.checkWidth(row, headerCount: names.count, source: source)
                func text(_ c: Int) throws(AdapterError) -> String { try row.field(c, named: names[c], source: source) }
                func date(_ c: Int) throws(AdapterError) -> CalendarDate {
                    try row.date(c, named: names[c], source: source, usSlashed: false)
                }
                func value(_ c: Int, emptyIs empty: Double = .nan) throws(AdapterError) -> Double {
                    try row.quoteValue(c, named: names[c], source: source, empty: empty)
                }
                func sizes(_ c: Int) throws(AdapterError) -> (Double, Double) {
                    let t = try text(c)
                    if t.isEmpty { return (.nan, .nan) }
                    let parts = t.split(separator: "x").map { $0.trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 2, let b = Double(parts[0]), let a = Double(parts[1]) else {
                        throw AdapterError(source: source, line: row.line, field: names[c], "not a \"bid x ask\" size: \"\(t.prefix(40))\"")
                    }
                    return (b, a)
                }
                let quoteDate = try date(dateCol)
                let expiry = try date(expiryCol)
                let strikeText = try text(strikeCol)
                guard let strikeMilli = FieldParsing.milli(strikeText), strikeMilli > 0 else {
                    throw AdapterError(source: source, line: row.line, field: "STRIKE", "not a strike: \"\(strikeText.prefix(40))\"")
                }
                let spot = try value(spotCol)
                guard spot.isFinite, spot > 0 else {
                    throw AdapterError(source: source, line: row.line, field: "UNDERLYING_LAST", "not a positive number: \"\(try text(spotCol).prefix(40))\"")
                }
                let root = fixedRoot ?? (underlying == "SPX"
                    ? (expiry == VXContracts.standardSPXExpiry(year: expiry.year, month: expiry.month) ? "SPX" : "SPXW")
                    : underlying)
                func quote(_ side: Side, _ right: OptionRight) throws(AdapterError) -> OptionQuote {
                    let (bidSize, askSize) = try sizes(side.size)
                    let iv = try side.iv.map { c throws(AdapterError) in try value(c) }.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
                    let delta = try side.delta.map { c throws(AdapterError) in try value(c) }.flatMap { $0.isFinite ? $0 : nil }
                    let last = try value(side.last)
                    return OptionQuote(contract: OptionContract(root: root, expiry: expiry, right: right, strikeMilli: strikeMilli),
                                       bid: try value(side.bid), ask: try value(side.ask), bidSize: bidSize, askSize: askSize,
                                       last: last.isFinite && last > 0 ? last : nil, volume: try value(side.volume, emptyIs: 0),
                                       openInterest: .nan, vendorIV: iv, vendorDelta: iv == nil ? nil : delta)
                }
                let c = try quote(call, .call), p = try quote(put, .put)
                let capturedAt = try readTimeCol.map { c throws(AdapterError) in try text(c) } ?? quoteDate.isoString
                byDate[quoteDate, default: (spot, capturedAt, [])].quotes += [c, p]
                loaded += 1
            } catch {
                rejections.reject(error)
            }
        }
        rejections.noteIfHeaderOnly(dataRows: table.rows.count, headerLine: table.headerLine)
        try rejections.requireRows(loaded: loaded, dataRows: table.rows.count)
        let chains = byDate.keys.sorted().map { d in
            let g = byDate[d]!
            return OptionChainSnapshot(underlying: underlyingName, session: d, capturedAt: g.capturedAt, spot: g.spot, quotes: g.quotes)
        }
        return (chains, rejections.diagnostics)
    }
}
