import Foundation
import Ingest
import VixShieldCore

/// Ingest figures: normalizing a full-size Cboe SPX chain (synthetic, real shape and size) with the
/// adapter's scanner, against Foundation's two JSON readers on the same bytes (decode only, so they
/// are lower bounds for an adapter built on them); and all 146 real CFE per-contract VX files.
func benchIngest() throws {
    let chain = syntheticCboeChain(expiries: 40, strikesPerExpiry: 390)
    Figures.say(String(format: "synthetic _SPX chain: %.1f MB, %d options", Double(chain.data.count) / 1e6, chain.options))
    let context = AdapterContext(sourceName: "_SPX.json", asOf: CalendarDate(iso: "2026-07-14")!)
    var quotes = 0
    let adapter = try Timing.measure {
        let outcome = try Adapters.parse(.cboeOptionsJSON, data: chain.data, context: context)
        if case .optionChains(let c) = outcome.payload { quotes = c[0].quotes.count }
    }
    Figures.record("normalization_seconds", unit: "s", timing: adapter, target: "<= 0.3",
                   notes: ["workload": "synthetic full-size _SPX chain, \(quotes) quotes, parse + quality flags"])
    Figures.say("  Adapters.parse (scanner + flags):  \(adapter.summary)  [\(quotes) quotes; target ≤ 0.3 s]")
    let parsed = try Adapters.parse(.cboeOptionsJSON, data: chain.data, context: context)
    if case .optionChains(let chains) = parsed.payload {
        let flags = Timing.measure { _ = QuoteQuality.normalize(chains[0], session: chains[0].session, source: "_SPX.json") }
        Figures.say("    of which QuoteQuality.normalize: \(flags.summary)")
    }
    let serialization = try Timing.measure(repeats: 3) { _ = try JSONSerialization.jsonObject(with: chain.data) }
    Figures.say("  JSONSerialization, decode only:    \(serialization.summary)")
    let decoder = try Timing.measure(repeats: 3) { _ = try JSONDecoder().decode(CboeChainShape.self, from: chain.data) }
    Figures.say("  JSONDecoder (Decodable), decode only: \(decoder.summary)")

    guard let root = sharedDataDirectory()?.appendingPathComponent("data/vx_futures/cfe_per_contract"),
          FileManager.default.fileExists(atPath: root.path) else {
        Figures.say("VX per-contract files: skipped (no shared data folder)")
        return
    }
    var paths: [URL] = []
    for folder in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
        let dir = root.appendingPathComponent(folder)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".csv") {
            paths.append(dir.appendingPathComponent(name))
        }
    }
    var files: [(String, Data)] = []
    let readAndParse = try Timing.measure {
        files = try paths.map { ($0.lastPathComponent, try Data(contentsOf: $0)) }
        for (name, data) in files { _ = try Adapters.parse(.cfeVXHistory, data: data, context: AdapterContext(sourceName: name)) }
    }
    var rows = 0
    let vx = try Timing.measure {
        rows = 0
        for (name, data) in files {
            let outcome = try Adapters.parse(.cfeVXHistory, data: data, context: AdapterContext(sourceName: name))
            if case .vixFutures(let f) = outcome.payload { rows += f.count }
        }
    }
    let bytes = files.reduce(0) { $0 + $1.1.count }
    Figures.say(String(format: "%d CFE VX per-contract files (%.1f MB, %d settles), parse from memory: ", files.count, Double(bytes) / 1e6, rows)
          + "\(vx.summary)")
    Figures.record("vx_files_read_parse_seconds", unit: "s", timing: readAndParse, target: "<= 1", notes: ["workload": "\(files.count) real CFE VX files"])
    Figures.say("  read from disk and parse: \(readAndParse.summary)  [target ≤ 1 s]")
}


/// The record shape a `JSONDecoder` reader would need (every field the adapter uses).
private struct CboeChainShape: Decodable {
    struct Underlying: Decodable {
        let symbol: String
        let current_price: Double
        let last_trade_time: String
        let options: [Option]
    }
    struct Option: Decodable {
        let option: String
        let bid, bid_size, ask, ask_size, iv, open_interest, volume, delta: Double
        let last_trade_price: Double
        let last_trade_time: String?
    }
    let timestamp: String
    let data: Underlying
}

/// A Cboe `_SPX.json` of the real shape: every field of every record, floats as Cboe writes them.
/// Prices come from a smooth smile so bids, asks and greeks look like a chain (no pricing model needed).
private func syntheticCboeChain(expiries: Int, strikesPerExpiry: Int) -> (data: Data, options: Int) {
    let session = CalendarDate(iso: "2026-07-14")!
    let spot = 6243.76
    var rng = SplitMix64(seed: 42)
    var out = ""
    out.reserveCapacity(14_000_000)
    out += #"{"timestamp": "2026-07-15 03:56:30", "symbol": "_SPX", "data": {"symbol": "^SPX", "security_type": "index", "#
    out += #""current_price": 6243.76, "price_change": 12.5, "bid": 0.0, "ask": 0.0, "open": 6230.1, "high": 6250.2, "#
    out += #""low": 6220.0, "close": 6243.76, "prev_day_close": 6231.26, "volume": 0.0, "iv30": 15.3, "#
    out += #""last_trade_time": "2026-07-14T16:14:59", "tick": "up", "options": ["#
    var count = 0
    for e in 0..<expiries {
        let expiry = session.adding(days: 1 + e * 9)
        let t = Double(1 + e * 9) / 365
        let yymmdd = String(format: "%02d%02d%02d", expiry.year % 100, expiry.month, expiry.day)
        for k in 0..<strikesPerExpiry {
            let strike = 4300 + k * 10
            let m = log(Double(strike) / spot)
            let vol = 0.14 - 0.25 * m + 0.9 * m * m
            for right in ["C", "P"] {
                let intrinsic = right == "C" ? max(spot - Double(strike), 0) : max(Double(strike) - spot, 0)
                let time = spot * vol * sqrt(t) * 0.4 * exp(-m * m / (2 * vol * vol * t + 1e-9))
                let mid = ((intrinsic + time) * 20).rounded() / 20
                let half = max(0.05, (mid * 0.01 * 20).rounded() / 20)
                let bid = max(0, mid - half), ask = mid + half
                let delta = (right == "C" ? 1.0 : -1.0) * (0.5 - m / (vol * sqrt(t) * 2.5)).clamped
                let traded = rng.next() % 3 != 0
                if count > 0 { out += ", " }
                out += "{\"option\": \"SPXW\(yymmdd)\(right)0\(strike)000\", \"bid\": \(bid), \"bid_size\": \(Double(rng.next() % 200)), "
                out += "\"ask\": \(ask), \"ask_size\": \(Double(rng.next() % 200)), \"iv\": \((vol * 1e4).rounded() / 1e4), "
                out += "\"open_interest\": \(Double(rng.next() % 20_000)), \"volume\": \(Double(rng.next() % 5_000)), "
                out += "\"delta\": \((delta * 1e4).rounded() / 1e4), \"gamma\": 0.0012, \"vega\": 4.1225, \"theta\": -1.0456, "
                out += "\"rho\": 0.8712, \"theo\": \(mid), \"change\": -0.35, \"open\": \(mid), \"high\": \(ask), \"low\": \(bid), "
                out += "\"tick\": \"down\", \"last_trade_price\": \(traded ? mid : 0.0), "
                out += "\"last_trade_time\": \(traded ? "\"2026-07-14T15:59:58\"" : "null"), \"percent_change\": -1.2345, "
                out += "\"prev_day_close\": \(mid + 0.35)}"
                count += 1
            }
        }
    }
    out += "]}}"
    return (Data(out.utf8), count)
}

private extension Double {
    var clamped: Double { Swift.min(1, Swift.max(0, self)) }
}

