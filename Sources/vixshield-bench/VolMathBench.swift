import Foundation
import VixShieldCore
import VolMath

/// Implied vols per second on a seeded grid, one SVI slice fit, and a full synthetic SPX-like chain from
/// quotes to a fitted, checked surface. Single-threaded throughout.
func benchVolMath() throws {
    // MARK: Implied volatility throughput
    // Grid over the specified domain: |ln K/F| ≤ 6 sd, T 1 minute…5 years, σ 0.5 %…500 %, calls and puts.
    var state: UInt64 = 0x5EED_0001
    func uniform() -> Double { Double(SplitMix64.mix(&state) >> 11) / Double(1 << 53) }
    let count = 1_000_000
    var prices = [Double](), forwards = [Double](), strikes = [Double](), times = [Double](), rights = [OptionRight]()
    for _ in 0..<count {
        let t = exp(log(1.0 / 525_600) + uniform() * (log(5.0) - log(1.0 / 525_600)))
        let vol = exp(log(0.005) + uniform() * (log(5.0) - log(0.005)))
        let f = 100.0
        let k = f * exp((uniform() * 12 - 6) * vol * t.squareRoot())
        let right: OptionRight = uniform() < 0.5 ? .call : .put
        prices.append(Black76.price(right: right, forward: f, strike: k, stdDev: vol * t.squareRoot(), discount: 1))
        forwards.append(f); strikes.append(k); times.append(t); rights.append(right)
    }
    var outcome = (failures: 0, checksum: 0.0)
    let ivTiming = Timing.measure(repeats: 5) {
        outcome = solveAll(prices: prices, rights: rights, forwards: forwards, strikes: strikes, times: times)
    }
    Figures.record("implied_vols_per_second", unit: "1/s", timing: ivTiming, value: { Double(count) / $0 }, target: ">= 5e6",
                   notes: ["workload": "seeded grid of \(count) over the full domain"])
    Figures.say(String(format: "implied vol: %.2f M IV/s at the median, %.2f–%.2f M IV/s (min–max over n=%d runs of %d); %d typed failures (time value lost to rounding), checksum %.6g",
                 Double(count) / ivTiming.median / 1e6, Double(count) / ivTiming.max / 1e6, Double(count) / ivTiming.min / 1e6,
                 ivTiming.seconds.count, count, outcome.failures, outcome.checksum))

    // MARK: One SVI slice
    let session = CalendarDate(year: 2026, month: 7, day: 14)!
    let valuation = EasternTime.close(on: session)
    let truth = SyntheticChain.ssvi(theta: 0.16 * 0.16 * 0.08, rho: -0.7, phi: 1 / (0.16 * 0.08.squareRoot()))
    var rng: UInt64 = 7
    let points = (0..<150).map { i -> SVIPoint in
        rng = rng &* 6364136223846793005 &+ 1442695040888963407
        let noise = (Double(rng >> 11) / Double(1 << 53) - 0.5) * 0.002
        let k = -0.35 + 0.45 * Double(i) / 149
        let vol = truth.volatility(atLogMoneyness: k, timeToExpiryYears: 0.08) + noise
        return SVIPoint(logMoneyness: k, totalVariance: vol * vol * 0.08, weight: 1)
    }
    var rmse = 0.0
    let sliceTiming = try Timing.measure(repeats: 21) {
        rmse = try SVIFit.fit(points: points, timeToExpiryYears: 0.08).rmseVolPoints
    }
    Figures.record("svi_slice_fit_seconds", unit: "s", timing: sliceTiming, target: "<= 0.005", notes: ["workload": "150 points"])
    Figures.say(String(format: "SVI slice (150 points): %.2f ms median (min %.2f, max %.2f, n=%d); RMSE %.3f vol points",
                 sliceTiming.median * 1e3, sliceTiming.min * 1e3, sliceTiming.max * 1e3, sliceTiming.seconds.count, rmse))

    // MARK: Full chain
    // SPX-like: dailies for two weeks, weeklies to three months, monthlies (AM and PM) to two years.
    var expiries: [(date: CalendarDate, root: String)] = []
    for d in 1...120 {
        let date = session.adding(days: d)
        guard !date.isWeekend else { continue }
        if d <= 14 || date.isoWeekday == 5 { expiries.append((date, "SPXW")) }
    }
    for month in 0..<24 {
        let y = 2026 + (7 + month) / 12, m = (7 + month) % 12 + 1
        let third = CalendarDate.nthWeekday(3, weekday: 5, year: y, month: m)
        expiries.append((third, "SPX"))
        if third > session.adding(days: 120) { expiries.append((third, "SPXW")) }
    }
    var spec = SyntheticChain.Spec()
    spec.strikeStep = 5
    spec.maximumStrikesPerExpiry = 250
    let (chain, chainTruth) = SyntheticChain.build(session: session, valuationTime: valuation, expiries: expiries, spec: spec)
    // The same solver on the chain's own two-sided mids (a market-shaped mix rather than a uniform grid).
    let (chainPrices, chainRights, chainForwards, chainStrikes, chainTimes) = chainInputs(chain: chain, truth: chainTruth)
    var chainOutcome = (failures: 0, checksum: 0.0)
    let chainIVTiming = Timing.measure(repeats: 7) {
        chainOutcome = solveAll(prices: chainPrices, rights: chainRights, forwards: chainForwards, strikes: chainStrikes, times: chainTimes)
    }
    Figures.record("implied_vols_per_second_chain", unit: "1/s", timing: chainIVTiming, value: { Double(chainPrices.count) / $0 },
                   notes: ["workload": "\(chainPrices.count) two-sided mids of a synthetic SPX chain"])
    Figures.say(String(format: "implied vol on the chain's %d two-sided mids: %.2f M IV/s at the median (%.2f–%.2f), %d typed failures",
                 chainPrices.count, Double(chainPrices.count) / chainIVTiming.median / 1e6,
                 Double(chainPrices.count) / chainIVTiming.max / 1e6, Double(chainPrices.count) / chainIVTiming.min / 1e6,
                 chainOutcome.failures))

    var surface: VolatilitySurface? = nil
    let chainTiming = Timing.measure(repeats: 5) {
        surface = SurfaceBuilder.build(chain: chain, valuationTime: valuation, fallbackRate: { _ in 0.04 })
    }
    let s = surface!
    let fitted = s.expiries.filter { $0.slice != nil }
    let worstRMSE = fitted.map { $0.slice!.rmseVolPoints }.max() ?? .nan
    let flagged = s.expiries.filter { !$0.flags.isEmpty }.count
    Figures.record("surface_build_seconds", unit: "s", timing: chainTiming, target: "<= 0.5",
                   notes: ["workload": "\(chain.quotes.count) contracts, \(s.expiries.count) expiries"])
    Figures.say("full chain: \(chain.quotes.count) contracts, \(s.expiries.count) expiries (\(fitted.count) fitted, \(flagged) flagged): \(chainTiming.summary)")
    Figures.say(String(format: "  worst slice RMSE %.3f vol points; 30-day index %.3f, 9-day %.3f; calendar violations %d",
                 worstRMSE, s.index30Day ?? .nan, s.index9Day ?? .nan, s.calendarViolations.count))
}

/// The timed IV loop, out of line so the arrays are plain arguments rather than closure captures.
@inline(never)
func solveAll(prices: [Double], rights: [OptionRight], forwards: [Double], strikes: [Double], times: [Double]) -> (failures: Int, checksum: Double) {
    var failures = 0
    var checksum = 0.0
    for i in prices.indices {
        do {
            checksum += try ImpliedVolatility.solve(price: prices[i], right: rights[i], forward: forwards[i], strike: strikes[i],
                                                    timeToExpiryYears: times[i], discount: 1)
        } catch {
            failures += 1
        }
    }
    return (failures, checksum)
}

/// Undiscounted mids of the chain's two-sided quotes with their true forwards and times.
func chainInputs(chain: OptionChainSnapshot, truth: [SyntheticChain.Truth])
    -> ([Double], [OptionRight], [Double], [Double], [Double]) {
    let byTime = Dictionary(uniqueKeysWithValues: truth.map { ($0.expiryTime, $0) })
    var prices: [Double] = [], rights: [OptionRight] = [], forwards: [Double] = [], strikes: [Double] = [], times: [Double] = []
    for q in chain.quotes where q.isTwoSided {
        guard let t = byTime[q.contract.expiryTime] else { continue }
        prices.append(q.mid / t.discount); rights.append(q.contract.right); forwards.append(t.forward)
        strikes.append(q.contract.strike); times.append(t.timeToExpiryYears)
    }
    return (prices, rights, forwards, strikes, times)
}
