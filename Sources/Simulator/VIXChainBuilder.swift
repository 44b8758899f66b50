import Foundation
import VixShieldCore
import VolMath

/// One listed VIX option expiry of a session: its VX future (the option's forward) and its smile.
struct VIXOptionSlice {
    /// The monthly VX contract the options settle with (same Wednesday, same special opening quotation).
    var contract: VXContract
    /// The VX settle of the session: the forward of the options (VIX options are European on the VIX
    /// opening value, which is exactly what the VX future of that Wednesday converges to).
    var forward: Double
    var minutesToExpiry: Int
    var timeToExpiryYears: Double
    var discount: Double
    /// ATM total variance of log VX to expiry.
    var atmTotalVariance: Double
    var svi: SVIParameters
}

/// The VIX option chain of one session (`_VIX.json`), priced off the simulated VX curve.
///
/// Model: Black-76 on the VX future of each expiry. The VX future F(t, T) = E_t[VIX_T] of a
/// mean-reverting log-VIX with vol σ and reversion κ moves with e^{−κ(T−t)} of each shock, so the variance
/// of log F to expiry is σ² (1 − e^{−2κT}) / (2κ): the same σ (`vixVolatilityForConvexity`) and κ
/// (`meanReversionPerYear`) that set the VX curve's convexity bias, so options and futures tell one story
/// (ATM vol ≈ 80 % a month out, ≈ 60 % at three months). The smile is an SSVI slice with positive ρ
/// (`vixSkewRho`): calls on volatility are rich, the upward skew of VIX options.
struct VIXChainBuilder {
    let config: SimulationConfig

    /// The expiries: the first `vixOptionExpiries` monthly contracts of the session's VX curve.
    func slices(session: CalendarDate, rate: Double, curve: [(contract: VXContract, settle: Double)]) -> [VIXOptionSlice] {
        let close = EasternTime.close(on: session)
        let sigma = config.vixVolatilityForConvexity, kappa = config.meanReversionPerYear
        return curve.filter { !$0.contract.isWeekly }.prefix(config.vixOptionExpiries).map { row in
            let minutes = EasternTime.open(on: row.contract.expiry).minutes(since: close)
            let t = Double(minutes) / SurfaceModel.minutesPerYear
            let theta = sigma * sigma * (-expm1(-2 * kappa * t)) / (2 * kappa)
            return VIXOptionSlice(contract: row.contract, forward: row.settle, minutesToExpiry: minutes, timeToExpiryYears: t,
                                  discount: exp(-rate * t), atmTotalVariance: theta,
                                  svi: SurfaceModel.ssvi(atmTotalVariance: theta, rho: config.vixSkewRho, eta: config.vixSkewEta))
        }
    }

    /// Listed strikes around the forward: whole points up to 30 (half points below 15, as Cboe lists
    /// them), 2.5 to 50, 5 beyond, from about 0.6 F to 2.6 F (calls far out are what hedgers buy).
    static func strikesMilli(forward: Double) -> [Int] {
        let low = max(5_000, Int(forward * 0.6) * 1000)
        let high = max(40_000, Int(forward * 2.6 / 5 + 1) * 5 * 1000)
        var out: [Int] = []
        var k = low
        while k <= high {
            out.append(k)
            k += k < 15_000 ? 500 : (k < 30_000 ? 1000 : (k < 50_000 ? 2500 : 5000))
        }
        return out
    }

    /// Quotes for every expiry, sorted by expiry, strike, call before put. `previousSettles` prices the
    /// records' previous close (yesterday's VX settle of the same contract).
    func build(slices: [VIXOptionSlice], rate: Double, previousSettles: [VXContract: Double],
               rng: inout SeededRandom) -> [QuoteRecord] {
        var out: [QuoteRecord] = []
        for (position, slice) in slices.enumerated() {
            let sd = slice.atmTotalVariance.squareRoot()
            let days = Double(slice.minutesToExpiry) / 1440
            let previousForward = previousSettles[slice.contract] ?? slice.forward
            let tPrevious = slice.timeToExpiryYears + 1.0 / 365
            // VIX option open interest is heaviest in the front months.
            let oiBase = 30_000 * exp(-0.5 * Double(position))
            for strikeMilli in Self.strikesMilli(forward: slice.forward) {
                let strike = Double(strikeMilli) / 1000
                let k = log(strike / slice.forward)
                let w = max(slice.svi.totalVariance(atLogMoneyness: k), 1e-12)
                let volatility = (w / slice.timeToExpiryYears).squareRoot()
                let d1 = -k / w.squareRoot() + w.squareRoot() / 2
                let liquidity = exp(-d1 * d1 / 2)
                let kPrevious = log(strike / previousForward)
                let wPrevious = max(slice.svi.totalVariance(atLogMoneyness: kPrevious), 1e-12) * tPrevious / slice.timeToExpiryYears
                for right in [OptionRight.call, .put] {
                    let contract = OptionContract(root: "VIX", expiry: slice.contract.expiry, right: right, strikeMilli: strikeMilli)
                    let theo = Black76.price(right: right, forward: slice.forward, strike: strike, stdDev: w.squareRoot(),
                                             discount: slice.discount)
                    let previousTheo = Black76.price(right: right, forward: previousForward, strike: strike,
                                                     stdDev: wPrevious.squareRoot(), discount: slice.discount)
                    let g = Black76.greeks(right: right, forward: slice.forward, strike: strike, volatility: volatility,
                                           timeToExpiryYears: slice.timeToExpiryYears, rate: rate)
                    // Greeks are per VX point (the future is the underlying: carry 1); rho at a fixed
                    // forward is −T·V (forward 0 in the shared formula).
                    out.append(ChainBuilder.quote(config: config, atmSpreadVolPoints: config.vixSpreadVolPoints, contract: contract,
                                                  theo: theo, previousTheo: previousTheo, greeks: g, volatility: volatility,
                                                  z: k / sd, liquidity: liquidity, days: days, forward: 0, carry: 1,
                                                  t: slice.timeToExpiryYears, oiBase: oiBase, rng: &rng))
                }
            }
        }
        return out
    }

    /// The 30-day ATM volatility of the VIX options (the `iv30` of `^VIX`, a VVIX-like number, decimal).
    func atmVolatility30Day() -> Double {
        let sigma = config.vixVolatilityForConvexity, kappa = config.meanReversionPerYear, t = 30.0 / 365
        return (sigma * sigma * (-expm1(-2 * kappa * t)) / (2 * kappa) / t).squareRoot()
    }
}
