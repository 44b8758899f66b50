import Foundation
import VixShieldCore

/// Cboe delayed-quotes option chain JSON (`cdn.cboe.com/api/global/delayed_quotes/options/_SPX.json`),
/// for any underlying the endpoint serves (`_SPX`, `_XSP`, `_NDX`, `_RUT`, `_VIX`, `SPY`).
///
/// Shape: `{"timestamp": capture time, "symbol": "_SPX", "data": {underlying fields…, "options": [...]}}`.
/// The session is the date of `data.last_trade_time` (`2026-07-14T16:14:59` → 2026-07-14), never the
/// capture `timestamp`, which is often the next morning.
///
/// Whole-payload errors (thrown): not JSON, truncated, invalid UTF-8, no `data` object, no
/// `data.options` array, no usable `last_trade_time` or price for the underlying, or no option
/// record readable at all. Row problems (diagnostic, record skipped): an `option` symbol that does not
/// parse, a record that is not an object. Missing or null prices and sizes are kept as NaN and
/// flagged `missing_field` by `QuoteQuality`; `iv` 0 means "not computed" and becomes nil, and so does
/// the delta that goes with it.
enum CboeOptionsJSON {
    static func parse(_ data: Data, context: AdapterContext) throws(AdapterError) -> ([OptionChainSnapshot], [Diagnostic]) {
        let source = context.sourceName
        if data.isEmpty { throw AdapterError(source: source, "empty payload") }
        let result: Result<([OptionChainSnapshot], [Diagnostic]), AdapterError> = data.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw, source: source)
            do throws(AdapterError) {
                return .success(try parseDocument(&scanner))
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    private struct Underlying {
        var symbol: String?
        var lastTradeTime: String?
        var currentPrice: Double?
        var close: Double?
    }

    private static func parseDocument(_ s: inout JSONScanner) throws(AdapterError) -> ([OptionChainSnapshot], [Diagnostic]) {
        let source = s.source
        if s.peek() == nil { throw AdapterError(source: source, "empty payload") }
        try s.beginObject("$")
        var capturedAt: String?
        var topSymbol: String?
        var underlying = Underlying()
        var quotes: [OptionQuote] = []
        var diagnostics: [Diagnostic] = []
        var sawData = false, sawOptions = false
        var first = true
        while let key = try s.nextKey(first: &first) {
            switch key {
            case "timestamp": if case .string(let t) = try s.scalar() { capturedAt = t }
            case "symbol": if case .string(let t) = try s.scalar() { topSymbol = t }
            case "data":
                sawData = true
                try s.beginObject("data")
                var firstInData = true
                while let dataKey = try s.nextKey(first: &firstInData) {
                    switch dataKey {
                    case "options":
                        sawOptions = true
                        try parseOptions(&s, into: &quotes, diagnostics: &diagnostics)
                    case "symbol": if case .string(let t) = try s.scalar() { underlying.symbol = t }
                    case "last_trade_time": if case .string(let t) = try s.scalar() { underlying.lastTradeTime = t }
                    case "current_price": if case .number(let v) = try s.scalar() { underlying.currentPrice = v }
                    case "close": if case .number(let v) = try s.scalar() { underlying.close = v }
                    default: try s.skipValue()
                    }
                }
            default: try s.skipValue()
            }
        }
        if s.peek() != nil { throw s.error("trailing characters after the JSON document") }
        guard sawData else { throw AdapterError(source: source, field: "data", "missing") }
        guard sawOptions else { throw AdapterError(source: source, field: "data.options", "missing") }
        guard let tradeTime = underlying.lastTradeTime, let session = CalendarDate(iso: tradeTime.prefix(10)) else {
            throw AdapterError(source: source, field: "data.last_trade_time",
                               "missing or not an ISO date-time: \(underlying.lastTradeTime.map { "\"\($0.prefix(40))\"" } ?? "null")")
        }
        guard let spot = [underlying.currentPrice, underlying.close].compactMap({ $0 }).first(where: { $0.isFinite && $0 > 0 }) else {
            throw AdapterError(source: source, field: "data.current_price", "missing or not a positive number")
        }
        if quotes.isEmpty {
            throw AdapterError(source: source, field: "data.options",
                               diagnostics.isEmpty ? "no option records" : "no readable option records (\(diagnostics.count) rejected)")
        }
        let name = underlying.symbol ?? topSymbol ?? "?"
        let snapshot = OptionChainSnapshot(underlying: name, session: session, capturedAt: capturedAt ?? "",
                                           spot: spot, quotes: quotes)
        return ([snapshot], diagnostics)
    }

    private static func parseOptions(_ s: inout JSONScanner, into quotes: inout [OptionQuote],
                                     diagnostics: inout [Diagnostic]) throws(AdapterError) {
        try s.beginArray("data.options")
        var first = true
        var index = 0
        while try s.nextElement(first: &first) {
            defer { index += 1 }
            guard s.peek() == UInt8(ascii: "{") else {
                try s.skipValue()
                diagnostics.append(Diagnostic(.warning, "\(s.source): options[\(index)]", "not an object; record skipped"))
                continue
            }
            try s.beginObject("data.options[\(index)]")
            var symbol: String?
            var bid = Double.nan, ask = Double.nan, bidSize = Double.nan, askSize = Double.nan
            var volume = Double.nan, openInterest = Double.nan
            var iv: Double?, delta: Double?, lastPrice: Double?
            var traded = false
            var firstKey = true
            // Keys are matched on their bytes: ~23 keys × 31k records made String keys the hot spot.
            while let key = try s.nextRawKey(first: &firstKey) {
                switch key.count {
                case 2 where JSONScanner.key(key, is: "iv"): iv = try optionalNumber(&s)
                case 3 where JSONScanner.key(key, is: "bid"): bid = try numberOrNaN(&s)
                case 3 where JSONScanner.key(key, is: "ask"): ask = try numberOrNaN(&s)
                case 5 where JSONScanner.key(key, is: "delta"): delta = try optionalNumber(&s)
                case 6 where JSONScanner.key(key, is: "option"): if case .string(let t) = try s.scalar() { symbol = t }
                case 6 where JSONScanner.key(key, is: "volume"): volume = try numberOrNaN(&s)
                case 8 where JSONScanner.key(key, is: "bid_size"): bidSize = try numberOrNaN(&s)
                case 8 where JSONScanner.key(key, is: "ask_size"): askSize = try numberOrNaN(&s)
                case 13 where JSONScanner.key(key, is: "open_interest"): openInterest = try numberOrNaN(&s)
                case 15 where JSONScanner.key(key, is: "last_trade_time"):
                    // Only whether it traded matters (null = never), so the text is skipped, not built.
                    if s.peek() == UInt8(ascii: "\"") { try s.skipString(); traded = true } else { try s.skipValue() }
                case 16 where JSONScanner.key(key, is: "last_trade_price"): lastPrice = try optionalNumber(&s)
                default: try s.skipValue()
                }
            }
            guard let symbol, let contract = OptionContract(symbol: symbol) else {
                diagnostics.append(Diagnostic(.warning, "\(s.source): options[\(index)]",
                                              "option: \(symbol.map { "not an option symbol: \"\($0.prefix(40))\"" } ?? "missing"); record skipped"))
                continue
            }
            let computed = (iv ?? 0) > 0
            quotes.append(OptionQuote(contract: contract, bid: bid, ask: ask, bidSize: bidSize, askSize: askSize,
                                      last: traded ? lastPrice : nil, volume: volume,
                                      openInterest: openInterest, vendorIV: computed ? iv : nil,
                                      vendorDelta: computed ? delta : nil))
        }
    }

    /// A number; null, a string or a container give NaN (flagged `missing_field` later).
    private static func numberOrNaN(_ s: inout JSONScanner) throws(AdapterError) -> Double {
        if case .number(let v) = try s.scalar() { return v }
        return .nan
    }

    private static func optionalNumber(_ s: inout JSONScanner) throws(AdapterError) -> Double? {
        if case .number(let v) = try s.scalar(), v.isFinite { return v }
        return nil
    }
}
