import Foundation
import VixShieldCore

/// Cboe DataShop "Option EOD Summary" CSV, with or without the Calcs columns (implied underlying,
/// implied volatility and greeks at 15:45), plain or as a zip archive of such CSVs.
///
/// Each row is one contract on one quote date and carries two quote sets: the 15:45 ET snapshot
/// (`*_1545`) and the closing quote (`*_eod`). Both are kept, as two snapshots per (underlying, quote
/// date) distinguished by `quoteSet` (`.at1545`, `.eod`); the vendor's IV and delta (Calcs) go with the
/// 15:45 set they were computed on. Spot: `active_underlying_price_1545` when present, else the mid of
/// the underlying bid/ask of that quote set.
///
/// Zip: recognised by its `PK\u{3}\u{4}` signature, or demanded by a `.zip` source name or
/// `options["compression"] = "zip"`; every `.csv` entry is read, in memory. Thrown: not a zip when one
/// was demanded, a zip without a CSV entry, a required column missing, no usable row, a quote date
/// without any underlying price. Row skipped with a diagnostic: wrong column count, a bad date, root,
/// strike, option type, or a price that is text rather than a number. Empty and `NaN` prices are kept
/// as NaN (flagged `missing_field` by `QuoteQuality`).
enum CboeDataShopEOD {
    static let zipSignature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    static func parse(_ data: Data, context: AdapterContext) throws(AdapterError) -> ([OptionChainSnapshot], [Diagnostic]) {
        let source = context.sourceName
        let looksZipped = data.starts(with: zipSignature)
        let demandsZip = context.options["compression"] == "zip" || (context.options["compression"] == nil && source.lowercased().hasSuffix(".zip"))
        guard looksZipped || demandsZip else { return try parseCSV(data, source: source) }
        guard looksZipped else { throw AdapterError(source: source, "not a zip archive (no PK signature)") }
        let entries: [ZipReader.Entry]
        do {
            entries = try ZipReader.entries(in: data)
        } catch {
            throw AdapterError(source: source, "unreadable zip archive: \(error.message)")
        }
        var chains: [OptionChainSnapshot] = []
        var diagnostics: [Diagnostic] = []
        var csvCount = 0
        for entry in entries where entry.path.lowercased().hasSuffix(".csv") {
            csvCount += 1
            let bytes: Data
            do {
                bytes = try ZipReader.contents(of: entry, in: data)
            } catch {
                throw AdapterError(source: "\(source)/\(entry.path)", "cannot extract: \(error.message)")
            }
            let (c, d) = try parseCSV(bytes, source: "\(source)/\(entry.path)")
            chains += c
            diagnostics += d
        }
        if csvCount == 0 { throw AdapterError(source: source, "zip archive holds no .csv file") }
        return (chains, diagnostics)
    }

    private struct GroupKey: Hashable, Comparable {
        let underlying: String
        let date: CalendarDate
        static func < (a: GroupKey, b: GroupKey) -> Bool { (a.date, a.underlying) < (b.date, b.underlying) }
    }

    private struct Group {
        var at1545: [OptionQuote] = []
        var eod: [OptionQuote] = []
        var spot1545: Double?
        var spotEOD: Double?
    }

    static func parseCSV(_ data: Data, source: String) throws(AdapterError) -> ([OptionChainSnapshot], [Diagnostic]) {
        let table = try CSVTable(data: data, source: source)
        func col(_ name: String) throws(AdapterError) -> Int { try table.requireColumn(name, source: source) }
        let underlyingCol = try col("underlying_symbol"), dateCol = try col("quote_date"), rootCol = try col("root")
        let expiryCol = try col("expiration"), strikeCol = try col("strike"), typeCol = try col("option_type")
        let closeCol = try col("close"), volumeCol = try col("trade_volume"), oiCol = try col("open_interest")
        let bid1545 = try col("bid_1545"), ask1545 = try col("ask_1545")
        let bidSize1545 = try col("bid_size_1545"), askSize1545 = try col("ask_size_1545")
        let bidEOD = try col("bid_eod"), askEOD = try col("ask_eod")
        let bidSizeEOD = try col("bid_size_eod"), askSizeEOD = try col("ask_size_eod")
        let uBid1545 = try col("underlying_bid_1545"), uAsk1545 = try col("underlying_ask_1545")
        let uBidEOD = try col("underlying_bid_eod"), uAskEOD = try col("underlying_ask_eod")
        let activeCol = table.column("active_underlying_price_1545")
        let ivCol = table.column("implied_volatility_1545"), deltaCol = table.column("delta_1545")

        var rejections = RowRejections(source: source)
        var groups: [GroupKey: Group] = [:]
        var loaded = 0
        for row in table.rows {
            do throws(AdapterError) {
                try FieldParsing.checkWidth(row, headerCount: table.header.count, source: source)
                func text(_ c: Int) throws(AdapterError) -> String { try row.field(c, named: table.header[c], source: source) }
                func date(_ c: Int) throws(AdapterError) -> CalendarDate { try row.date(c, named: table.header[c], source: source) }
                func value(_ c: Int) throws(AdapterError) -> Double { try row.quoteValue(c, named: table.header[c], source: source) }
                func optional(_ c: Int?) throws(AdapterError) -> Double? {
                    guard let c else { return nil }
                    let v = try value(c)
                    return v.isFinite ? v : nil
                }
                let underlying = try text(underlyingCol)
                let quoteDate = try date(dateCol)
                let expiry = try date(expiryCol)
                let root = try text(rootCol)
                guard !root.isEmpty, root.count <= 6, root.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
                    throw AdapterError(source: source, line: row.line, field: "root", "not an option root: \"\(root.prefix(40))\"")
                }
                let strikeText = try text(strikeCol)
                guard let strikeMilli = FieldParsing.milli(strikeText), strikeMilli > 0 else {
                    throw AdapterError(source: source, line: row.line, field: "strike", "not a strike: \"\(strikeText.prefix(40))\"")
                }
                let typeText = try text(typeCol).uppercased()
                guard let right = OptionRight(rawValue: typeText) else {
                    throw AdapterError(source: source, line: row.line, field: "option_type", "not C or P: \"\(typeText.prefix(40))\"")
                }
                let contract = OptionContract(root: root, expiry: expiry, right: right, strikeMilli: strikeMilli)
                let close = try optional(closeCol)
                let volume = try value(volumeCol), openInterest = try value(oiCol)
                let q1545 = OptionQuote(contract: contract, bid: try value(bid1545), ask: try value(ask1545),
                                        bidSize: try value(bidSize1545), askSize: try value(askSize1545),
                                        last: (close ?? 0) > 0 ? close : nil, volume: volume, openInterest: openInterest,
                                        vendorIV: try optional(ivCol).flatMap { $0 > 0 ? $0 : nil },
                                        vendorDelta: try optional(deltaCol))
                let qEOD = OptionQuote(contract: contract, bid: try value(bidEOD), ask: try value(askEOD),
                                       bidSize: try value(bidSizeEOD), askSize: try value(askSizeEOD),
                                       last: q1545.last, volume: volume, openInterest: openInterest)
                func mid(_ b: Int, _ a: Int) throws(AdapterError) -> Double? {
                    guard let bid = try optional(b), let ask = try optional(a), bid > 0, ask >= bid else { return nil }
                    return (bid + ask) / 2
                }
                let key = GroupKey(underlying: underlying, date: quoteDate)
                // Spots are read before touching the dictionary so a bad one rejects the row cleanly.
                let active = try optional(activeCol)
                let spot1545 = (active ?? 0) > 0 ? active : try mid(uBid1545, uAsk1545)
                let spotEOD = try mid(uBidEOD, uAskEOD)
                // Mutate in place: copying the group out and back would copy its arrays on every row.
                groups[key, default: Group()].spot1545 = groups[key]?.spot1545 ?? spot1545
                groups[key]!.spotEOD = groups[key]!.spotEOD ?? spotEOD
                groups[key]!.at1545.append(q1545)
                groups[key]!.eod.append(qEOD)
                loaded += 1
            } catch {
                rejections.reject(error)
            }
        }
        rejections.noteIfHeaderOnly(dataRows: table.rows.count, headerLine: table.headerLine)
        try rejections.requireRows(loaded: loaded, dataRows: table.rows.count)
        var chains: [OptionChainSnapshot] = []
        for key in groups.keys.sorted() {
            let g = groups[key]!
            guard let spot1545 = g.spot1545 ?? g.spotEOD, let spotEOD = g.spotEOD ?? g.spot1545 else {
                throw AdapterError(source: source, "no underlying price for \(key.underlying) on \(key.date)")
            }
            chains.append(OptionChainSnapshot(underlying: key.underlying, session: key.date, capturedAt: EasternTime(date: key.date, hour: 15, minute: 45).iso8601,
                                              spot: spot1545, quotes: g.at1545, quoteSet: .at1545))
            chains.append(OptionChainSnapshot(underlying: key.underlying, session: key.date, capturedAt: EasternTime.close(on: key.date).iso8601,
                                              spot: spotEOD, quotes: g.eod, quoteSet: .eod))
        }
        return (chains, rejections.diagnostics)
    }
}
