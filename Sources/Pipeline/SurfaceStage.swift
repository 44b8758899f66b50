import Foundation
import Strategy
import VixShieldCore
import VolMath

/// The surface stage's result for one chain: per expiry, the forward and discount and every usable
/// option with its implied volatility and greeks.
struct SurfaceResult {
    var expiries: [ExpiryChain]
    var forwards: [String: ForwardEstimate]
    var diagnostics: [Diagnostic]
}

/// Implied volatilities and forwards for one chain (orchestration over VolMath).
enum SurfaceStage {
    /// Continuously compounded rate used only when put-call parity cannot give the discount factor
    /// (the rates source will replace it).
    static let fallbackRate = 0.04

    static func build(chain: OptionChainSnapshot, asOf: CalendarDate) -> SurfaceResult {
        let valuation = TradingCalendar.nyse.closeTime(on: asOf) ?? EasternTime.close(on: asOf)
        var expiries: [ExpiryChain] = []
        var forwards: [String: ForwardEstimate] = [:]
        var diagnostics: [Diagnostic] = []
        struct Key: Hashable { let expiry: CalendarDate; let root: String }
        let groups = Dictionary(grouping: chain.quotes.filter { $0.flags.isDisjoint(with: .unusable) }) {
            Key(expiry: $0.contract.expiry, root: $0.contract.root)
        }
        for key in groups.keys.sorted(by: { ($0.expiry, $0.root) < ($1.expiry, $1.root) }) {
            let quotes = groups[key]!
            let label = "\(key.root) \(key.expiry)"
            let minutes = quotes[0].contract.expiryTime.minutes(since: valuation)
            guard minutes > 0 else { continue }
            let t = Double(minutes) / 525_600
            let estimate = ParityForward.estimate(quotes: quotes, timeToExpiryYears: t, fallbackRate: fallbackRate, spot: chain.spot)
            forwards[label] = estimate
            if estimate.method == .rateCurve {
                diagnostics.append(Diagnostic(.warning, label, "forward from the fallback rate: \(estimate.note ?? "")"))
            }
            let rate = -log(estimate.discount) / t
            // One volatility per strike from the out-of-the-money side (its price carries no intrinsic
            // value to swamp the time value), used for both the call and the put.
            var volByStrike: [Int: Double] = [:]
            for q in quotes where q.ask > 0 {
                let otm = q.contract.right == .put ? q.contract.strike < estimate.forward : q.contract.strike >= estimate.forward
                guard otm else { continue }
                let price = q.bid > 0 ? q.mid : q.ask / 2
                if let vol = try? ImpliedVolatility.solve(price: price, right: q.contract.right, forward: estimate.forward,
                                                          strike: q.contract.strike, timeToExpiryYears: t, discount: estimate.discount) {
                    volByStrike[q.contract.strikeMilli] = vol
                }
            }
            let options: [PricedOption] = quotes.compactMap { q in
                guard q.ask > 0, let vol = volByStrike[q.contract.strikeMilli] else { return nil }
                let g = Black76.greeks(right: q.contract.right, forward: estimate.forward, strike: q.contract.strike,
                                       volatility: vol, timeToExpiryYears: t, rate: rate)
                return PricedOption(contract: q.contract, bid: q.bid, ask: q.ask, impliedVolatility: vol, greeks: g,
                                    openInterest: q.openInterest.isFinite ? q.openInterest : 0)
            }
            if options.isEmpty {
                diagnostics.append(Diagnostic(.info, label, "no option with an implied volatility"))
                continue
            }
            expiries.append(ExpiryChain(expiry: key.expiry, root: key.root, timeToExpiryYears: t, forward: estimate.forward,
                                        discount: estimate.discount, options: options.sorted { $0.contract < $1.contract }))
        }
        return SurfaceResult(expiries: expiries, forwards: forwards, diagnostics: diagnostics)
    }
}

/// Terminal distribution from the smile: P(S_T < K) = N(−d₂) at each strike's own volatility, the
/// lognormal digital without the skew term (a placeholder until the SVI density is wired in).
struct SmileDigitalDistribution: TerminalDistribution {
    let chain: ExpiryChain

    func probabilityBelow(_ level: Double) -> Double {
        guard let vol = volatility(at: level) else { return level < chain.forward ? 0 : 1 }
        let s = vol * chain.timeToExpiryYears.squareRoot()
        return Black76.normalCDF(-(log(chain.forward / level) / s - s / 2))
    }

    /// Linear interpolation of the per-strike volatilities, flat beyond the quoted strikes.
    private func volatility(at level: Double) -> Double? {
        let points = chain.options.filter { $0.contract.right == .call }.map { ($0.strike, $0.impliedVolatility) }
        guard let first = points.first, let last = points.last else { return nil }
        if level <= first.0 { return first.1 }
        if level >= last.0 { return last.1 }
        let i = points.firstIndex { $0.0 >= level }!
        let (k0, v0) = points[i - 1], (k1, v1) = points[i]
        return v0 + (v1 - v0) * (level - k0) / (k1 - k0)
    }
}
