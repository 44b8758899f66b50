import Foundation
import Store
import Strategy
import VixShieldCore
import VolMath

/// The surface stage: orchestrates `SurfaceBuilder` over the traded chain and maps its result to the
/// strategy's inputs and to storage rows. No math here.
struct SurfaceStage {
    let surface: VolatilitySurface
    let diagnostics: [Diagnostic]

    /// Continuously compounded rate used when put-call parity cannot give an expiry's discount factor
    /// and no rate series is loaded (each use is reported as a diagnostic).
    static let defaultFallbackRate = 0.04

    /// Builds the surface of `chain`, valued at the as-of session's close.
    init(chain: OptionChainSnapshot, asOf: CalendarDate, rates: RateCurve?) {
        let valuation = TradingCalendar.nyse.closeTime(on: asOf) ?? EasternTime.close(on: asOf)
        var notes: [Diagnostic] = []
        let fallback: (Double) -> Double = { years in
            if let rates, let r = try? rates.continuousRate(on: asOf, tenorYears: max(years, 1.0 / 365)) { return r }
            return SurfaceStage.defaultFallbackRate
        }
        surface = SurfaceBuilder.build(chain: chain, valuationTime: valuation, fallbackRate: fallback)
        for e in surface.expiries where !e.flags.isEmpty || !e.diagnostics.isEmpty {
            let label = "\(e.roots.joined(separator: "/")) \(e.expiry)"
            let unusable = e.flags.contains { [.fitFailed, .butterflyArbitrage, .calendarArbitrage, .forwardFallback].contains($0) }
            let text = (e.flags.map(\.rawValue) + e.diagnostics).joined(separator: "; ")
            notes.append(Diagnostic(unusable ? .warning : .info, label, text))
        }
        if rates == nil, surface.expiries.contains(where: { $0.forward.method != .parityRegression && !$0.flags.contains(.expired) }) {
            notes.append(Diagnostic(.info, "surface", "no rate series loaded: curve discounts use \(SurfaceStage.defaultFallbackRate)"))
        }
        diagnostics = notes
    }

    /// Expiries the strategy may trade: a fitted slice free of arbitrage, with every usable option
    /// carrying its quote, surface volatility and greeks.
    func tradableExpiries(chain: OptionChainSnapshot) -> [(chain: ExpiryChain, distribution: RiskNeutralDistribution)] {
        var quotes: [OptionContract: OptionQuote] = [:]
        for q in chain.quotes where q.flags.isDisjoint(with: .unusable) { quotes[q.contract] = quotes[q.contract] ?? q }
        return surface.expiries.compactMap { e in
            guard let slice = e.slice, !e.flags.contains(.butterflyArbitrage), !e.flags.contains(.calendarArbitrage),
                  let root = e.roots.first else { return nil }
            let options: [PricedOption] = e.options.compactMap { o in
                guard let q = quotes[o.contract], let greeks = o.greeks, let vol = o.surfaceVolatility ?? o.impliedVolatility,
                      q.ask > 0 else { return nil }
                return PricedOption(contract: o.contract, bid: q.bid, ask: q.ask, impliedVolatility: vol, greeks: greeks,
                                    openInterest: q.openInterest.isFinite ? q.openInterest : 0)
            }
            let expiryChain = ExpiryChain(expiry: e.expiry, root: root, timeToExpiryYears: e.timeToExpiryYears,
                                          forward: e.forward.forward, discount: e.forward.discount, options: options)
            return (expiryChain, RiskNeutralDistribution(parameters: slice.parameters, forward: e.forward.forward))
        }
    }

    // MARK: - Storage rows

    func sliceRecords(asOf: CalendarDate, underlying: String) -> [SurfaceSliceRecord] {
        surface.expiries.map { e in
            var r = SurfaceSliceRecord(asOf: asOf.isoString, underlying: underlying, expiry: e.expiry.isoString,
                                       settlement: e.settlement.rawValue, roots: e.roots.joined(separator: ","),
                                       expiryTime: e.expiryTime.iso8601, minutesToExpiry: e.minutesToExpiry,
                                       yearsToExpiry: e.timeToExpiryYears, forward: e.forward.forward,
                                       discount: e.forward.discount, forwardMethod: e.forward.method.rawValue)
            r.forwardResidualRms = e.forward.residualRMS.isFinite ? e.forward.residualRMS : nil
            if let s = e.slice {
                (r.sviA, r.sviB, r.sviRho, r.sviM, r.sviSigma) = (s.parameters.a, s.parameters.b, s.parameters.rho, s.parameters.m, s.parameters.sigma)
                r.fitPoints = s.pointCount
                r.rmseVolPoints = s.rmseVolPoints
                r.maxErrorVolPoints = s.maxErrorVolPoints
                r.minButterflyG = s.minimumButterfly
                r.repaired = s.repaired
            }
            r.flags = e.flags.map(\.rawValue).joined(separator: ",")
            r.modelFreeVariance = e.modelFree?.variance
            r.modelFreeOptions = e.modelFree?.optionsUsed
            r.diagnostics = e.diagnostics.joined(separator: "; ")
            return r
        }
    }

    func summaryRecord(asOf: CalendarDate, underlying: String) -> SurfaceSummaryRecord {
        SurfaceSummaryRecord(asOf: asOf.isoString, underlying: underlying, valuationTime: surface.valuationTime.iso8601,
                             spot: surface.spot, index30d: surface.index30Day, index9d: surface.index9Day,
                             expiries: surface.expiries.count, fittedExpiries: surface.expiries.filter { $0.slice != nil }.count,
                             calendarViolations: surface.calendarViolations.count)
    }

    func optionResults() -> [OptionSurfaceResult] {
        surface.expiries.flatMap(\.options).map { o in
            OptionSurfaceResult(symbol: o.contract.symbol, iv: o.impliedVolatility, ivIssue: o.issue.map(Self.describe),
                                surfaceIv: o.surfaceVolatility, delta: o.greeks?.delta, gamma: o.greeks?.gamma,
                                vegaPerVolPoint: o.greeks?.vegaPerVolPoint, thetaPerDay: o.greeks?.thetaPerDay)
        }
    }

    /// A short, stable name for why an option has no IV (the `iv_issue` column).
    static func describe(_ issue: OptionVolatilityIssue) -> String {
        switch issue {
        case .unusableQuote(let flags): return "unusable_quote:" + flags.names.joined(separator: "+")
        case .noBid: return "no_bid"
        case .expired: return "expired"
        case .solver(let e):
            switch e {
            case .belowIntrinsic: return "below_intrinsic"
            case .aboveUpperBound: return "above_upper_bound"
            case .nonFiniteInput(let name): return "non_finite_\(name)"
            case .nonPositiveInput(let name): return "non_positive_\(name)"
            case .timeValueUnderflow: return "time_value_underflow"
            case .noConvergence: return "no_convergence"
            }
        }
    }
}
