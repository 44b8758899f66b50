import Foundation
import Strategy
import VixShieldCore

/// Builders for the ALVH tests: a VX curve, a market, a target, and a day-by-day driver.
enum HedgeFixtures {
    static func date(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    /// Monthly VX settles of `asOf` for the next five contract months: `front` for the first contract
    /// expiring after `asOf`, then `step` points per month (positive: contango).
    static func curve(asOf: CalendarDate, front: Double, step: Double) -> [VIXFutureSettlement] {
        var out: [VIXFutureSettlement] = []
        var year = asOf.year, month = asOf.month
        while out.count < 5 {
            let symbol = VXContracts.Symbol(monthlyYear: year, month: month)
            if symbol.expiry > asOf {
                out.append(VIXFutureSettlement(tradeDate: asOf, symbol: symbol.text, expiry: symbol.expiry,
                                               settle: front + step * Double(out.count), isWeekly: false))
            }
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return out
    }

    static let condorExpiry = date("2026-08-21")

    static func market(asOf: CalendarDate, spotVIX: Double = 16, front: Double = 18, step: Double = 1) -> HedgeMarket {
        HedgeMarket(asOf: asOf, condorExpiry: condorExpiry, spotVIX: spotVIX, vxCurve: curve(asOf: asOf, front: front, step: step))
    }

    /// A short condor's target at beta 0.6 with no gamma add-on.
    static func target(netVegaUSD: Double = -5_000, beta: Double = 0.6, config: ALVHConfig = ALVHConfig()) -> HedgeTarget {
        HedgeTarget.compute(netVegaUSD: netVegaUSD, netGammaUSD: 0, spot: 6_000, atmVolatility: 0.16, beta: beta, config: config)
    }

    /// Runs `ALVH.decide` over consecutive days, passing each day's states to the next.
    static func run(_ days: [(inputs: ALVHInputs, note: String)], config: ALVHConfig) -> [[HedgeLayerDecision]] {
        var state: [HedgeLayerState] = []
        var out: [[HedgeLayerDecision]] = []
        for day in days {
            let decisions = ALVH.decide(inputs: day.inputs, config: config, previous: state)
            state = decisions.map(\.state)
            out.append(decisions)
        }
        return out
    }

    static func sessions(from start: String, count: Int) -> [CalendarDate] {
        var d = TradingCalendar.nyse.tradingDayOnOrAfter(date(start))
        var out = [d]
        while out.count < count {
            d = TradingCalendar.nyse.nextTradingDay(after: d)
            out.append(d)
        }
        return out
    }

    /// A standard normal draw (Box–Muller) from a seeded generator.
    static func normal(_ rng: inout SplitMix64) -> Double {
        let u1 = max(rng.nextUnitDouble(), 1e-300), u2 = rng.nextUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

extension Array where Element == HedgeLayerDecision {
    subscript(kind: HedgeLayerKind) -> HedgeLayerDecision { first { $0.kind == kind }! }
}
