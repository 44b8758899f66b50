import Foundation
import Simulator
import VixShieldTestSupport
import VixShieldCore
import VolMath

/// A simulated market written once per test process and shared by the read-only tests.
struct SimulatedMarket: Sendable {
    let directory: URL
    let manifest: SimulationManifest
    let config: SimulationConfig

    static let seed: UInt64 = 20_260_713
    static let from = CalendarDate(iso: "2026-07-13")!
    static let to = CalendarDate(iso: "2026-07-17")!

    /// Compact chain, 60-day warm-up, five chain days (13–17 July 2026).
    static let compact: Result<SimulatedMarket, SimulationError> = {
        let config = SimulationConfig.compact(seed: seed)
        let directory = temporaryDirectory("compact")
        return Result { () throws(SimulationError) in
            let manifest = try MarketSimulator(config: config).write(from: from, to: to, into: directory)
            return SimulatedMarket(directory: directory, manifest: manifest, config: config)
        }
    }()

    /// A longer compact history (250 sessions) for statistics over regimes: VX curve shape, breadth.
    static let longHistory: Result<SimulatedMarket, SimulationError> = {
        var config = SimulationConfig.compact(seed: seed &+ 1)
        config.warmUpTradingDays = 250
        let directory = temporaryDirectory("long")
        return Result { () throws(SimulationError) in
            let manifest = try MarketSimulator(config: config).write(from: from, to: from, into: directory)
            return SimulatedMarket(directory: directory, manifest: manifest, config: config)
        }
    }()

    /// A directory of this test process's own (not created): see `TestPaths.temporaryRoot`.
    static func temporaryDirectory(_ name: String) -> URL {
        TestPaths.temporaryRoot.appendingPathComponent("simtest-\(name)")
    }

    func data(_ relativePath: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(relativePath)) }

    func text(_ relativePath: String) throws -> String { String(decoding: try data(relativePath), as: UTF8.self) }

    func chain(_ day: CalendarDate) throws -> CboeChain {
        try JSONDecoder().decode(CboeChain.self, from: data("cboe/options/_SPX_\(day.isoString).json"))
    }

    func truth(_ day: CalendarDate) throws -> Truth {
        try JSONDecoder().decode(Truth.self, from: data("truth/\(day.isoString).json"))
    }

    /// `DATE,OPEN,HIGH,LOW,CLOSE` rows as (date, close).
    func indexCloses(_ file: String) throws -> [(CalendarDate, Double)] {
        try text("cboe/index/\(file)").split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",")
            return (CalendarDate(usSlashed: f[0])!, Double(f[4])!)
        }
    }
}

// MARK: - Decoding the written files (test-side, independent of the writer)

struct CboeChain: Decodable {
    struct Underlying: Decodable {
        let symbol: String
        let current_price: Double
        let close: Double
        let prev_day_close: Double
        let iv30: Double
        let last_trade_time: String
        let options: [Option]
    }

    struct Option: Decodable {
        let option: String
        let bid: Double
        let ask: Double
        let bid_size: Double
        let ask_size: Double
        let iv: Double
        let open_interest: Double
        let volume: Double
        let delta: Double
        let gamma: Double
        let vega: Double
        let theta: Double
        let theo: Double
        let last_trade_price: Double
        let last_trade_time: String?
        let prev_day_close: Double
    }

    let timestamp: String
    let symbol: String
    let data: Underlying
}

struct Truth: Decodable {
    struct SVI: Decodable {
        let a, b, rho, m, sigma: Double
        var parameters: SVIParameters { SVIParameters(a: a, b: b, rho: rho, m: m, sigma: sigma) }
    }

    struct Expiry: Decodable {
        let expiry: String
        let root: String
        let settlement: String
        let minutes_to_expiry: Int
        let time_to_expiry_years: Double
        let forward: Double
        let discount: Double
        let atm_total_variance: Double
        let svi: SVI
    }

    struct Event: Decodable {
        let date: String
        let kind: String
        let upcoming: Bool
    }

    struct BadQuote: Decodable {
        let kind: String
        let option: String
        let bid: Double
        let ask: Double
    }

    let session: String
    let spot: Double
    let rate: Double
    let dividend_yield: Double
    let instantaneous_variance: Double
    let vix: Double
    let vix9d: Double
    let vix3m: Double
    let option_records: Int
    let expiries: [Expiry]
    let events: [Event]
    let bad_quotes: [BadQuote]

    /// The slice for an option symbol's root and expiry.
    func slice(for contract: OptionContract) -> Expiry? {
        expiries.first { $0.root == contract.root && $0.expiry == contract.expiry.isoString }
    }
}

// MARK: - Small numerics for checks

/// Black-76 implied volatility by bisection (slow but unconditionally convergent; fine for tests).
func impliedVolatility(price: Double, right: OptionRight, forward: Double, strike: Double, discount: Double,
                       timeToExpiryYears t: Double) -> Double? {
    var low = 1e-4, high = 5.0
    func model(_ vol: Double) -> Double {
        Black76.price(right: right, forward: forward, strike: strike, stdDev: vol * t.squareRoot(), discount: discount)
    }
    guard price > model(low), price < model(high) else { return nil }
    for _ in 0..<200 {
        let mid = (low + high) / 2
        if model(mid) < price { low = mid } else { high = mid }
    }
    return (low + high) / 2
}

/// Median of a non-empty sample.
func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func correlation(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (a, b) in zip(x, y) {
        sxy += (a - mx) * (b - my)
        sxx += (a - mx) * (a - mx)
        syy += (b - my) * (b - my)
    }
    return sxy / (sxx * syy).squareRoot()
}
