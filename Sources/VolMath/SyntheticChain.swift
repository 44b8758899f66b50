import Foundation
import VixShieldCore

/// A deterministic option chain priced off a known arbitrage-free surface, for tests and benchmarks that
/// must know the truth (the full market simulator lives in `Simulator`).
///
/// The surface is SSVI (Gatheral & Jacquier 2014): w(k, T) = θ/2 · (1 + ρφk + √((φk + ρ)² + 1 − ρ²)) with
/// θ = σ_ATM² T and φ = η/√θ, free of calendar arbitrage and, for η(1 + |ρ|) ≤ 2, of butterfly arbitrage.
public enum SyntheticChain {
    /// Market parameters of the synthetic chain.
    public struct Spec: Hashable, Sendable {
        public var spot = 5_000.0
        /// Continuously compounded rate and dividend yield: F = S e^{(r − q)T}, D = e^{−rT}.
        public var rate = 0.04
        public var dividendYield = 0.013
        public var atmVolatility = 0.16
        public var rho = -0.7
        public var eta = 1.0
        public var strikeStep = 5.0
        /// Strikes span this many ATM standard deviations below and above the forward (at least ±2 % of spot).
        public var stdDevsBelow = 6.0
        public var stdDevsAbove = 3.5
        /// Bid and ask are the model price ∓ (halfSpreadMinimum + halfSpreadFraction·price), rounded to `tick`.
        public var halfSpreadMinimum = 0.05
        public var halfSpreadFraction = 0.02
        public var tick = 0.05
        /// When set, long expiries widen their strike step (in multiples of `strikeStep`) to list at most
        /// this many strikes, as exchanges list wider steps far from the money.
        public var maximumStrikesPerExpiry: Int? = nil

        public init() {}
    }

    /// What the chain was priced from, per expiry time.
    public struct Truth: Hashable, Sendable {
        public var expiryTime: EasternTime
        public var timeToExpiryYears: Double
        public var forward: Double
        public var discount: Double
        public var parameters: SVIParameters
    }

    /// The raw SVI form of an SSVI slice.
    public static func ssvi(theta: Double, rho: Double, phi: Double) -> SVIParameters {
        SVIParameters(a: theta / 2 * (1 - rho * rho), b: theta * phi / 2, rho: rho, m: -rho / phi,
                      sigma: (1 - rho * rho).squareRoot() / phi)
    }

    /// Builds the chain for the given expiries (date and root; the root sets the settlement time).
    public static func build(session: CalendarDate, valuationTime: EasternTime, expiries: [(date: CalendarDate, root: String)],
                             spec: Spec = Spec()) -> (chain: OptionChainSnapshot, truth: [Truth]) {
        var quotes: [OptionQuote] = []
        var truths: [Truth] = []
        for (date, root) in expiries {
            let probe = OptionContract(root: root, expiry: date, right: .call, strikeMilli: 0)
            let minutes = probe.expiryTime.minutes(since: valuationTime)
            guard minutes > 0 else { continue }
            let t = Double(minutes) / 525_600
            let forward = spec.spot * exp((spec.rate - spec.dividendYield) * t)
            let discount = exp(-spec.rate * t)
            let theta = spec.atmVolatility * spec.atmVolatility * t
            let params = ssvi(theta: theta, rho: spec.rho, phi: spec.eta / theta.squareRoot())
            truths.append(Truth(expiryTime: probe.expiryTime, timeToExpiryYears: t, forward: forward, discount: discount, parameters: params))
            let atmStdDev = theta.squareRoot()
            let low = forward * exp(-max(spec.stdDevsBelow * atmStdDev, 0.02))
            let high = forward * exp(max(spec.stdDevsAbove * atmStdDev, 0.02))
            var step = spec.strikeStep
            if let limit = spec.maximumStrikesPerExpiry, limit > 0 {
                step = max(1, ((high - low) / Double(limit) / spec.strikeStep).rounded(.up)) * spec.strikeStep
            }
            var k = (low / step).rounded(.up) * step
            while k <= high {
                let s = params.totalVariance(atLogMoneyness: log(k / forward)).squareRoot()
                for right in [OptionRight.call, .put] {
                    let price = Black76.price(right: right, forward: forward, strike: k, stdDev: s, discount: discount)
                    let half = spec.halfSpreadMinimum + spec.halfSpreadFraction * price
                    let bid = max(((price - half) / spec.tick).rounded(.down) * spec.tick, 0)
                    let ask = max(((price + half) / spec.tick).rounded(.up) * spec.tick, spec.tick)
                    let contract = OptionContract(root: root, expiry: date, right: right, strikeMilli: Int((k * 1000).rounded()))
                    quotes.append(OptionQuote(contract: contract, bid: bid, ask: ask, flags: bid > 0 ? [] : .zeroBid))
                }
                k += step
            }
        }
        let chain = OptionChainSnapshot(underlying: "^SPX", session: session, capturedAt: valuationTime.iso8601, spot: spec.spot,
                                        quotes: quotes)
        return (chain, truths)
    }
}
