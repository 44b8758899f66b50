import Foundation
import VixShieldCore

/// The vendor file formats, written byte by byte (see `TextBuffer` for why).
enum VendorFormats {
    // MARK: - Cboe delayed quotes options JSON

    /// The underlying block of a delayed-quotes chain (`^SPX`, `^VIX`).
    struct ChainUnderlying {
        /// `SPX` or `VIX`: the document is `_SPX`, the underlying `^SPX`.
        var name: String
        var session: CalendarDate
        var open: Double, high: Double, low: Double, close: Double, previousClose: Double
        /// Half the quoted bid/ask of the index itself.
        var halfSpread: Double
        /// The vendor's 30-day implied vol of the options (VIX for SPX), in points, today and yesterday.
        var iv30: Double, previousIV30: Double
    }

    /// `cboe/options/_<NAME>_<date>.json`: the top-level object, the underlying and every option.
    static func cboeOptionsJSON(underlying u: ChainUnderlying, seqno: Int, records: [QuoteRecord]) -> TextBuffer {
        var b = TextBuffer(capacity: records.count * 470 + 1024)
        let session = u.session
        b.append("{\"timestamp\":\"\(session.adding(days: 1).isoString) 03:56:30\",\"symbol\":\"_\(u.name)\",\"data\":{")
        b.append("\"symbol\":\"^\(u.name)\",\"security_type\":\"index\",\"exchange_id\":5,")
        let change = u.close - u.previousClose
        func field(_ name: String, _ value: Double, _ decimals: Int) {
            b.append("\"\(name)\":")
            b.appendDecimal(value, decimals: decimals, trim: true)
            b.append(",")
        }
        field("current_price", u.close, 2)
        field("price_change", change, 2)
        field("price_change_percent", change / u.previousClose * 100, 4)
        field("bid", u.close - u.halfSpread, 2)
        field("bid_size", 1, 0)
        field("ask", u.close + u.halfSpread, 2)
        field("ask_size", 1, 0)
        field("open", u.open, 2)
        field("high", u.high, 2)
        field("low", u.low, 2)
        field("close", u.close, 2)
        field("prev_day_close", u.previousClose, 2)
        field("volume", 0, 0)
        field("iv30", u.iv30, 3)
        field("iv30_change", u.iv30 - u.previousIV30, 3)
        field("iv30_change_percent", (u.iv30 - u.previousIV30) / u.previousIV30 * 100, 4)
        b.append("\"last_trade_time\":\"\(session.isoString)T16:14:59\",\"tick\":\"\(change < 0 ? "down" : "up")\",")
        b.append("\"seqno\":")
        b.appendDecimal(Double(seqno), decimals: 0, trim: true)
        b.append(",\"options\":[")
        for (i, r) in records.enumerated() {
            if i > 0 { b.append(",") }
            appendOption(r, session: session, to: &b)
        }
        b.append("]}}")
        return b
    }

    private static func appendOption(_ r: QuoteRecord, session: CalendarDate, to b: inout TextBuffer) {
        func price(_ name: String, _ cents: Int) {
            b.append("\"\(name)\":")
            b.appendDecimal(Double(cents) / 100, decimals: 2, trim: true)
            b.append(",")
        }
        func number(_ name: String, _ value: Double, _ decimals: Int) {
            b.append("\"\(name)\":")
            b.appendDecimal(value, decimals: decimals, trim: true)
            b.append(",")
        }
        b.append("{\"option\":\"\(r.contract.symbol)\",")
        price("bid", r.bidCents)
        number("bid_size", Double(r.bidSize), 0)
        price("ask", r.askCents)
        number("ask_size", Double(r.askSize), 0)
        number("iv", r.iv, 4)
        number("open_interest", Double(r.openInterest), 0)
        number("volume", Double(r.volume), 0)
        number("delta", r.delta, 4)
        number("gamma", r.gamma, 4)
        number("vega", r.vega, 4)
        number("theta", r.theta, 4)
        number("rho", r.rho, 4)
        number("theo", r.theo, 4)
        let change = r.lastCents > 0 ? r.lastCents - r.previousCloseCents : 0
        price("change", change)
        price("open", r.openCents)
        price("high", r.highCents)
        price("low", r.lowCents)
        b.append("\"tick\":\"\(change > 0 ? "up" : (change < 0 ? "down" : "no_change"))\",")
        price("last_trade_price", r.lastCents)
        if let time = r.lastTradeTime {
            b.append("\"last_trade_time\":\"\(session.isoString)T\(time)\",")
        } else {
            b.append("\"last_trade_time\":null,")
        }
        number("percent_change", r.previousCloseCents > 0 ? Double(change) / Double(r.previousCloseCents) * 100 : 0, 4)
        b.append("\"prev_day_close\":")
        b.appendDecimal(Double(r.previousCloseCents) / 100, decimals: 2, trim: true)
        b.append("}")
    }

    // MARK: - Cboe DataShop Option EOD Summary (Calcs)

    /// `datashop/UnderlyingOptionsEODCalcs_<date>.csv`: the 34 columns of the DataShop EOD Summary with
    /// Calcs, one row per contract. The simulator has one quote per contract, so the 15:45 and closing quote
    /// sets carry the same bid and ask; the underlying quote is the close ± 0.5 as in the JSON snapshot.
    static func dataShopEODCSV(state: SessionState, records: [QuoteRecord]) -> TextBuffer {
        var b = TextBuffer(capacity: records.count * 260 + 512)
        b.append("underlying_symbol,quote_date,root,expiration,strike,option_type,open,high,low,close,trade_volume,"
                 + "bid_size_1545,bid_1545,ask_size_1545,ask_1545,underlying_bid_1545,underlying_ask_1545,"
                 + "implied_underlying_price_1545,active_underlying_price_1545,implied_volatility_1545,delta_1545,"
                 + "gamma_1545,theta_1545,vega_1545,rho_1545,bid_size_eod,bid_eod,ask_size_eod,ask_eod,"
                 + "underlying_bid_eod,underlying_ask_eod,vwap,open_interest,delivery_code\n")
        let session = state.date.isoString
        func cents(_ c: Int) { b.append(","); b.appendDecimal(Double(c) / 100, decimals: 2, trim: false) }
        func number(_ x: Double, _ decimals: Int) { b.append(","); b.appendDecimal(x, decimals: decimals, trim: true) }
        func quote(_ r: QuoteRecord) {
            b.append(","); b.appendInteger(r.bidSize); cents(r.bidCents)
            b.append(","); b.appendInteger(r.askSize); cents(r.askCents)
            number(state.close - 0.5, 2); number(state.close + 0.5, 2)
        }
        for r in records {
            b.append("^SPX,\(session),\(r.contract.root),\(r.contract.expiry.isoString),")
            b.appendDecimal(r.contract.strike, decimals: 3, trim: false)
            b.append(",\(r.contract.right.rawValue)")
            for c in [r.openCents, r.highCents, r.lowCents, r.lastCents] { cents(c) }
            b.append(","); b.appendInteger(r.volume)
            quote(r)
            number(state.close, 2); number(state.close, 2)
            number(r.iv, 4); number(r.delta, 4); number(r.gamma, 4); number(r.theta, 4); number(r.vega, 4); number(r.rho, 4)
            quote(r)
            b.append(",0,"); b.appendInteger(r.openInterest); b.append(",\n")
        }
        return b
    }

    // MARK: - CSV files

    /// Cboe index history: `DATE,OPEN,HIGH,LOW,CLOSE`, `MM/DD/YYYY`, six decimals, LF.
    static func indexHistoryCSV(_ bars: [IndexBar]) -> TextBuffer {
        var b = TextBuffer(capacity: bars.count * 64 + 32)
        b.append("DATE,OPEN,HIGH,LOW,CLOSE\n")
        for bar in bars {
            b.appendUSDate(bar.date)
            for value in [bar.open ?? bar.close, bar.high ?? bar.close, bar.low ?? bar.close, bar.close] {
                b.append(",")
                b.appendDecimal(value, decimals: 6, trim: false)
            }
            b.append("\n")
        }
        return b
    }

    /// Cboe CFE daily settlement curve: `expiration_date,symbol,settlement`, sorted by expiry.
    static func vxCurveCSV(_ rows: [(expiry: CalendarDate, symbol: String, settle: Double)]) -> TextBuffer {
        var b = TextBuffer(capacity: rows.count * 32 + 40)
        b.append("expiration_date,symbol,settlement\n")
        for row in rows {
            b.append("\(row.expiry.isoString),\(row.symbol),")
            b.appendDecimal(row.settle, decimals: 4, trim: true)
            b.append("\n")
        }
        return b
    }

    /// One row of a CFE per-contract history file.
    struct FuturesHistoryRow {
        var tradeDate: CalendarDate
        var open: Double
        var high: Double
        var low: Double
        var close: Double
        var settle: Double
        var change: Double
        var volume: Int
        var efp: Int
        var openInterest: Int
    }

    /// `Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open Interest`, ISO dates.
    static func cfePerContractCSV(contract: VXContract, rows: [FuturesHistoryRow]) -> TextBuffer {
        var b = TextBuffer(capacity: rows.count * 80 + 100)
        b.append("Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open Interest\n")
        for r in rows {
            b.append("\(r.tradeDate.isoString),\(contract.futuresLabel)")
            for value in [r.open, r.high, r.low, r.close, r.settle, r.change] {
                b.append(",")
                b.appendDecimal(value, decimals: 4, trim: true)
            }
            b.append(",\(r.volume),\(r.efp),\(r.openInterest)\n")
        }
        return b
    }

    /// `date,advances,declines,unchanged`.
    static func breadthCSV(_ states: [SessionState]) -> TextBuffer {
        var b = TextBuffer(capacity: states.count * 32 + 40)
        b.append("date,advances,declines,unchanged\n")
        for s in states { b.append("\(s.date.isoString),\(s.advances),\(s.declines),\(s.unchanged)\n") }
        return b
    }

    /// The project's event calendar format (`date,time_et,kind,label,scheduled`, read by `EventsCSV`).
    static func eventsCSV(_ events: [SimulatedEvent]) -> TextBuffer {
        var b = TextBuffer(capacity: events.count * 64 + 128)
        b.append("# Simulated macro calendar (VixShield simulator): the event days that move the simulated market.\n")
        b.append("date,time_et,kind,label,scheduled\n")
        for e in events {
            let time = e.kind == .fomc ? "14:00" : "08:30"
            let label = e.kind == .fomc ? "FOMC-like decision (simulated)" : "CPI-like release (simulated)"
            b.append("\(e.date.isoString),\(time),\(e.kind.rawValue),\(label),yes\n")
        }
        return b
    }

    /// FRED `observation_date,DGS3MO`: every weekday from `first` to `last`, the rate in percent with two
    /// decimals, `.` when `ratePercent` has none (the market is shut).
    static func fredDGS3MOCSV(from first: CalendarDate, through last: CalendarDate, ratePercent: (CalendarDate) -> Double?) -> TextBuffer {
        var b = TextBuffer(capacity: last.days(since: first) * 18 + 40)
        b.append("observation_date,DGS3MO\n")
        guard first <= last else { return b }
        for date in CalendarDate.range(first, through: last) where !date.isWeekend {
            b.append("\(date.isoString),")
            if let rate = ratePercent(date) { b.appendDecimal(rate, decimals: 2, trim: false) } else { b.append(".") }
            b.append("\n")
        }
        return b
    }
}
