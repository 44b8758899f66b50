import Foundation

import Signals
import VixShieldCore
import VolMath

/// Signals, context and projections for one as-of date over 20 years (~5,000 sessions) of daily history:
/// indicators on SPX and the VIX, realized vol (4 estimators × 2 windows), breadth, the volatility
/// context with one-year ranks, event reactions, event variance and the projections. Target ≤ 50 ms.
func benchSignals() throws {
    var rng = SplitMix64(seed: 0x516A_2026)
    let calendar = TradingCalendar.nyse
    let start = CalendarDate(year: 2006, month: 1, day: 3)!, asOf = CalendarDate(year: 2025, month: 12, day: 31)!
    let sessions = calendar.tradingDays(from: start, through: asOf)
    var close = 1250.0, vix = 15.0
    var bars: [PriceBar] = [], vixes: [Double] = [], breadth: [BreadthCount] = [], futures: [VIXFutureSettlement] = []
    for d in sessions {
        let open = close * exp(0.003 * (rng.nextUnitDouble() - 0.5))
        close = open * exp(0.02 * (rng.nextUnitDouble() - 0.5))
        bars.append(PriceBar(open: open, high: max(open, close) * (1 + 0.005 * rng.nextUnitDouble()),
                             low: min(open, close) * (1 - 0.005 * rng.nextUnitDouble()), close: close))
        vix = min(max(vix * exp(0.06 * (rng.nextUnitDouble() - 0.5)), 9), 80)
        vixes.append(vix)
        breadth.append(BreadthCount(advances: Int(rng.next() % 3000), declines: Int(rng.next() % 3000)))
        for m in 1...8 {
            let month = (d.month + m - 2) % 12 + 1, year = d.year + (d.month + m - 2) / 12
            let expiry = VXContracts.monthlyExpiry(year: year, month: month)
            guard expiry > d else { continue }
            futures.append(VIXFutureSettlement(tradeDate: d, symbol: "VX", expiry: expiry, settle: vix + 0.4 * Double(m), isWeekly: false))
        }
    }
    var events: [MarketEvent] = []
    for year in 2006...2026 {
        for month in 1...12 {
            events.append(MarketEvent(kind: .cpi, date: calendar.tradingDayOnOrBefore(CalendarDate(year: year, month: month, day: 12)!), label: "cpi")!)
            events.append(MarketEvent(kind: .ppi, date: calendar.tradingDayOnOrBefore(CalendarDate(year: year, month: month, day: 14)!), label: "ppi")!)
            if month % 3 != 2 {
                events.append(MarketEvent(kind: .fomc, date: CalendarDate.nthWeekday(3, weekday: 3, year: year, month: month), label: "fomc")!)
            }
        }
    }
    let spxBars = try DatedSeries(dates: sessions, values: bars)
    let spxCloses = try DatedSeries(dates: sessions, values: bars.map(\.close))
    let vixSeries = try DatedSeries(dates: sessions, values: vixes)
    let now = EasternTime.close(on: asOf)
    let slices: [ProjectionSlice] = (1...40).map { i in
        let expiry = EasternTime.close(on: calendar.nextTradingDay(after: asOf.adding(days: i * 9 - 1)))
        let t = Double(expiry.minutes(since: now)) / 525_600
        return ProjectionSlice(expiryTime: expiry, timeToExpiryYears: t, forward: close,
                               shape: .svi(SVIParameters(a: 0.03 * t, b: 0.05 * t.squareRoot(), rho: -0.7, m: 0.01, sigma: 0.1)))
    }
    let expiryVariances = slices.map { ExpiryTotalVariance(expiryTime: $0.expiryTime, totalVariance: $0.shape.totalVariance(atLogMoneyness: 0)) }

    var checksum = 0.0
    let timing = try Timing.measure(repeats: 21, warmup: 2) {
        let rsi = try RSI().compute(over: spxCloses)
        let macd = try MACD().compute(over: spxCloses)
        let bands = try RSI().then(PercentileBands()).compute(over: spxCloses)
        let vixMacd = try MACD().compute(over: vixSeries)
        let vixRsi = try RSI().compute(over: vixSeries)
        var rv = 0.0
        for e in RealizedVolatilityEstimator.allCases {
            for n in [10, 21] { rv += (try RealizedVolatility(e, windowSessions: n).compute(over: spxBars).values.last!!) ?? 0 }
        }
        let line = try AdvanceDeclineLine().compute(over: DatedSeries(dates: sessions, values: breadth))
        let points = zip(bars, line.values).map { IndexBreadthPoint(indexClose: $0.close, advanceDeclineLevel: $1!) }
        let divergence = try BreadthDivergence().compute(over: DatedSeries(dates: sessions, values: points))
        let context = try VolatilityContextBuilder.compute(VolatilityContextInputs(vix: vixSeries, vix9D: vixSeries, vix3M: vixSeries,
                                                                                    futures: futures, modelFreeIndex30Day: vixSeries,
                                                                                    spxCloses: spxCloses))
        let study = try EventReactions.study(events: events, spxCloses: spxCloses, vixCloses: vixSeries, asOf: asOf)
        let priors = study.summaries.mapValues { EventVariancePrior($0) }
        let clock = try BusinessClock()
        let estimates = try EventVarianceEstimator.estimate(valuationTime: now, expiries: expiryVariances,
                                                            events: events.filter { $0.time > now }, priors: priors, clock: clock)
        let rolled = try SurfaceProjection.rollOneTradingDay(slices, from: now, events: EventTotalVariance.from(estimates), clock: clock)
        let horizon = EasternTime.close(on: asOf.adding(days: 60))
        let after = try SurfaceProjection.projectThroughEvents(slices, from: now, horizon: horizon, events: estimates, clock: clock)
        let indicators: [Double] = [rsi.values.last!!, macd.values.last!!.line, bands.values.last!!.low,
                                    vixMacd.values.last!!.signal, vixRsi.values.last!!, rv]
        let rest: [Double] = [Double(divergence.values.last!!.rawValue), context.last!.ranks[.vixOverVIX3M] ?? 0,
                              Double(study.reactions.count), rolled.expiries[0].atmVolatilityProjected, Double(after.count)]
        checksum = (indicators + rest).reduce(0, +)
    }
    Figures.record("signals_seconds", unit: "s", timing: timing, target: "<= 0.05")
    Figures.say(String(format: "signals, context and projections (%d sessions, %d events, %d slices): median %.2f ms (min %.2f, max %.2f, n=%d); checksum %.6g",
                 sessions.count, events.count, slices.count, timing.median * 1e3, timing.min * 1e3, timing.max * 1e3,
                 timing.seconds.count, checksum))
}
