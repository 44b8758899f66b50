import Foundation
import VixShieldCore
import VolMath

/// A quote deliberately written wrong, listed in the truth file so tests and the normalize stage can
/// check they are caught.
public struct PlantedBadQuote: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case crossed, locked
        case absurdSpread = "absurd_spread"
        case duplicated
    }

    public var kind: Kind
    public var symbol: String
    /// The prices as written (for `duplicated`, those of the second copy).
    public var bid: Double
    public var ask: Double
}

/// One option record of the Cboe delayed-quotes JSON. Prices are integer cents on the tick grid.
struct QuoteRecord {
    var contract: OptionContract
    var bidCents: Int
    var askCents: Int
    var bidSize: Int
    var askSize: Int
    var iv: Double
    var openInterest: Int
    var volume: Int
    var delta: Double
    var gamma: Double
    var vega: Double
    var theta: Double
    var rho: Double
    var theo: Double
    var openCents: Int
    var highCents: Int
    var lowCents: Int
    var lastCents: Int
    /// `HH:MM:SS` of the last trade in the session, nil when it did not trade.
    var lastTradeTime: String?
    var previousCloseCents: Int
}

/// A surface a chain can be priced on: the simulator's true surface or one reconstructed from history.
protocol ChainSurface: Sendable {
    var session: CalendarDate { get }
    var spot: Double { get }
    var rate: Double { get }
    /// The slice `minutes` after the session's close.
    func slice(minutes: Int, expiry: ListedExpiry) -> TrueSlice
}

extension SurfaceModel: ChainSurface {}

/// Prices one session's chain off a surface (`yesterday` gives each quote's previous close).
struct ChainBuilder {
    let config: SimulationConfig
    let today: any ChainSurface
    let yesterday: any ChainSurface

    /// The strikes listed for one expiry, in whole index points: 5-point near the money (within
    /// 1.5 ATM standard deviations, at least 5 % and at most 7 % of spot), then 25, 50 and 100 further
    /// out; the range widens with the ATM standard deviation (8 down, 3.5 up: puts reach further, as on
    /// the real chain). About 29k contracts a day with the standard listing.
    func strikes(for slice: TrueSlice) -> [Int] {
        let sd = slice.atmTotalVariance.squareRoot()
        let scale = config.strikeRangeScale
        let lowK = slice.forward * exp(-min(max(0.15, 8 * sd) * scale, 2.3))
        let highK = slice.forward * exp(min(max(0.05, 3.5 * sd) * scale, 0.7))
        let band5 = min(max(0.05, 1.5 * sd), 0.07) * scale
        func step(at strike: Int) -> Int {
            let distance = abs(log(Double(strike) / today.spot))
            if distance <= band5 { return 5 }
            if distance <= 2 * band5 { return 25 }
            if distance <= 4 * band5 { return 50 }
            return 100
        }
        var out: [Int] = []
        var k = max(100, Int(lowK / 100) * 100)
        while Double(k) <= highK {
            if Double(k) >= lowK { out.append(k) }
            let s = step(at: k)
            // Stay on the coarser grid until the finer zone starts, so strikes land on round numbers.
            k = (k / s + 1) * s
        }
        return out
    }

    /// Open-interest scale of an expiry: standard monthlies and quarterlies hold the most.
    func openInterestBase(_ expiry: ListedExpiry, days: Double) -> Double {
        let isStandard = expiry.date == ExpirySchedule.standardMonthly(year: expiry.date.year, month: expiry.date.month)
        if expiry.root == "SPX" { return isStandard ? 6000 : 2500 }
        if isStandard { return 4000 }
        return days <= 21 ? 900 : 1800
    }

    /// Quotes for every listed expiry, sorted by expiry, root, strike, call before put.
    func build(slices: [TrueSlice], rng: inout SeededRandom) -> [QuoteRecord] {
        var out: [QuoteRecord] = []
        out.reserveCapacity(32_000)
        let close = EasternTime.close(on: yesterday.session)
        for slice in slices {
            let previous = yesterday.slice(minutes: slice.expiry.expiryTime.minutes(since: close), expiry: slice.expiry)
            let sd = slice.atmTotalVariance.squareRoot()
            let days = Double(slice.minutesToExpiry) / 1440
            let oiBase = openInterestBase(slice.expiry, days: days)
            let carry = slice.forward / today.spot  // converts forward greeks to spot greeks
            for strike in strikes(for: slice) {
                let k = log(Double(strike) / slice.forward)
                let w = max(slice.svi.totalVariance(atLogMoneyness: k), 1e-12)
                let volatility = (w / slice.timeToExpiryYears).squareRoot()
                let z = k / sd
                let kPrevious = log(Double(strike) / previous.forward)
                let wPrevious = max(previous.svi.totalVariance(atLogMoneyness: kPrevious), 1e-12)
                // Liquidity falls with the strike's own standardized distance d₁ (≈ 1 at the money, 0.26 at
                // 5 delta); round strikes draw a little more open interest.
                let d1 = -k / w.squareRoot() + w.squareRoot() / 2
                let liquidity = exp(-d1 * d1 / 2)
                let roundBonus = (strike % 100 == 0 ? 1.3 : 1) * (strike % 25 == 0 ? 1.15 : 1)
                for right in [OptionRight.call, .put] {
                    let contract = OptionContract(root: slice.expiry.root, expiry: slice.expiry.date, right: right,
                                                  strikeMilli: strike * 1000)
                    let theo = Black76.price(right: right, forward: slice.forward, strike: Double(strike),
                                             stdDev: w.squareRoot(), discount: slice.discount)
                    let previousTheo = Black76.price(right: right, forward: previous.forward, strike: Double(strike),
                                                     stdDev: wPrevious.squareRoot(), discount: previous.discount)
                    let g = Black76.greeks(right: right, forward: slice.forward, strike: Double(strike), volatility: volatility,
                                           timeToExpiryYears: slice.timeToExpiryYears, rate: today.rate)
                    out.append(Self.quote(config: config, atmSpreadVolPoints: config.atmSpreadVolPoints, contract: contract, theo: theo, previousTheo: previousTheo, greeks: g, volatility: volatility,
                                     z: z, liquidity: liquidity, days: days, forward: slice.forward, carry: carry,
                                     t: slice.timeToExpiryYears, oiBase: oiBase * roundBonus, rng: &rng))
                }
            }
        }
        return out
    }

    /// One record: bid/ask around the model price, sizes, open interest, volume, the day's trading.
    ///
    /// Spread (full, in points) = max(one tick, 0.15 % of the price, vega × spread in vol points), the
    /// vol-point spread growing in the wings (× 1 + f_w z²/4) and near expiry (× 1 + f_e / days).
    /// `atmSpreadVolPoints` is the underlying's own (SPX a tenth of a point, VIX options a few points).
    static func quote(config: SimulationConfig, atmSpreadVolPoints: Double, contract: OptionContract, theo: Double, previousTheo: Double, greeks g: Greeks, volatility: Double,
               z: Double, liquidity: Double, days: Double, forward: Double, carry: Double, t: Double, oiBase: Double,
               rng: inout SeededRandom) -> QuoteRecord {
        let volPoints = atmSpreadVolPoints * (1 + config.wingSpreadFactor * z * z / 4)
            * (1 + config.nearExpirySpreadFactor / max(days, 0.5))
        let spread = max(theo < 3 ? 0.05 : 0.10, 0.0015 * theo, g.vegaPerVolPoint * volPoints)
        let half = spread / 2
        let center = theo + half * max(-0.5, min(0.5, 0.15 * rng.normal()))
        var bid = Tick.floorCents(center - half)
        if bid < 5 { bid = 0 }
        let ask = max(Tick.ceilCents(center + half), bid + Tick.size(forCents: bid))
        let depth = 5 + 120 * liquidity * liquidity
        let bidSize = bid > 0 ? max(1, Int((rng.lognormalFactor(sigma: 0.5) * depth).rounded())) : 0
        let askSize = max(1, Int((rng.lognormalFactor(sigma: 0.5) * depth).rounded()))
        let openInterest = Int((oiBase * (0.02 + liquidity) * rng.lognormalFactor(sigma: 0.5)).rounded())
        let nearBoost = 1 + 3 / max(days, 1)
        let volume = bid > 0 || theo >= 0.05
            ? Int((Double(openInterest) * 0.12 * nearBoost * liquidity * rng.lognormalFactor(sigma: 0.6)).rounded()) : 0
        let tiny = theo < 0.05  // the vendor leaves iv and greeks at 0 for prices below a tick
        let previousClose = Tick.nearestCents(previousTheo)
        // Spot greeks from forward greeks: ∂F/∂S = F/S. Rho holds spot fixed: ∂V/∂r = T (F Δ_F − V), per
        // 1 %. Theta is Black-76's at a fixed forward, per calendar day.
        var record = QuoteRecord(contract: contract, bidCents: bid, askCents: ask, bidSize: bidSize, askSize: askSize,
                                 iv: tiny ? 0 : volatility, openInterest: openInterest, volume: volume,
                                 delta: tiny ? 0 : g.delta * carry, gamma: tiny ? 0 : g.gamma * carry * carry,
                                 vega: tiny ? 0 : g.vegaPerVolPoint, theta: tiny ? 0 : g.thetaPerDay,
                                 rho: tiny ? 0 : t * (forward * g.delta - theo) / 100, theo: theo,
                                 openCents: 0, highCents: 0, lowCents: 0, lastCents: 0, lastTradeTime: nil,
                                 previousCloseCents: previousClose)
        if volume > 0 {
            let last = max(5, Tick.nearestCents(theo + half * 0.6 * max(-1, min(1, rng.normal()))))
            let open = max(5, Tick.nearestCents((Double(previousClose) + Double(last - previousClose) * rng.uniform()) / 100))
            let tick = Tick.size(forCents: max(open, last))
            record.lastCents = last
            record.openCents = open
            record.highCents = max(open, last) + tick * rng.integer(below: 3)
            record.lowCents = max(5, min(open, last) - tick * rng.integer(below: 3))
            let second = 9 * 3600 + 30 * 60 + rng.integer(below: 390 * 60)
            func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
            record.lastTradeTime = "\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60))"
        }
        return record
    }

    /// Plants the configured bad quotes on distinct liquid contracts (bid ≥ 1.00).
    static func plantBadQuotes(in records: inout [QuoteRecord], plan: BadQuotePlan, rng: inout SeededRandom) -> [PlantedBadQuote] {
        let liquid = records.indices.filter { records[$0].bidCents >= 100 }
        guard !liquid.isEmpty else { return [] }
        var chosen: [Int] = []
        var used = Set<Int>()
        while chosen.count < min(plan.total, liquid.count) {
            let i = liquid[rng.integer(below: liquid.count)]
            if used.insert(i).inserted { chosen.append(i) }
        }
        var planted: [PlantedBadQuote] = []
        var duplicates: [(index: Int, copy: QuoteRecord)] = []
        let kinds = Array(repeating: PlantedBadQuote.Kind.crossed, count: plan.crossed)
            + Array(repeating: .locked, count: plan.locked) + Array(repeating: .absurdSpread, count: plan.absurdSpread)
            + Array(repeating: .duplicated, count: plan.duplicated)
        for (kind, i) in zip(kinds, chosen) {
            var r = records[i]
            switch kind {
            case .crossed:
                r.bidCents = r.askCents + 2 * Tick.size(forCents: r.askCents)
            case .locked:
                r.bidCents = r.askCents
            case .absurdSpread:
                r.askCents = Tick.ceilCents(Double(r.askCents) / 100 * 6 + 50)
            case .duplicated:
                r.bidCents += Tick.size(forCents: r.bidCents)
                r.askCents += Tick.size(forCents: r.askCents)
                duplicates.append((i, r))
                planted.append(PlantedBadQuote(kind: kind, symbol: r.contract.symbol, bid: Double(r.bidCents) / 100, ask: Double(r.askCents) / 100))
                continue
            }
            records[i] = r
            planted.append(PlantedBadQuote(kind: kind, symbol: r.contract.symbol, bid: Double(r.bidCents) / 100, ask: Double(r.askCents) / 100))
        }
        // Insert copies from the back so earlier indices stay valid; each copy follows its original.
        for d in duplicates.sorted(by: { $0.index > $1.index }) { records.insert(d.copy, at: d.index + 1) }
        return planted.sorted { ($0.symbol, $0.kind.rawValue) < ($1.symbol, $1.kind.rawValue) }
    }
}
