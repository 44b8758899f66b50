import Foundation
import Ingest
import Store
import Strategy
import VixShieldCore
import VolMath

/// The surface stage: builds the implied-volatility surface of the traded chain with `SurfaceBuilder`
/// and maps it to storage rows and to the strategy's inputs. No math here; no work before `run`.
struct SurfaceStage: DailyStage {
    /// The surface of the day's tradable chain; nil when the chain is missing or failed the gate (the
    /// stored surface of the date is then removed: it must not outlive the quotes it came from).
    struct Output: Sendable {
        var built: BuiltSurface?
        /// The quotes' surface columns, lined up with the stored chain before the date's transaction.
        var options: [OptionSurfaceResult] = []
        var columns: SurfaceColumns? = nil
    }

    static let name = StageName.surface
    static let inputs: [StageName] = [.normalize]

    /// Continuously compounded rate used when put-call parity cannot give an expiry's discount factor
    /// and no rate series is loaded (each use is reported as a diagnostic).
    static let defaultFallbackRate = 0.04

    func run(_ day: DayContext) throws(StageFailure) -> StageResult<Output> {
        let normalized = day.output(of: NormalizeStage.self)
        guard let chain = normalized.tradableChain, day.noTradeReasons.isEmpty else { return StageResult(output: Output(built: nil)) }
        var diagnostics: [Diagnostic] = []
        let rates = RateInputs.curve(asOf: day.date, stored: { from, through in try day.store.rates(from: from, through: through) },
                                     today: normalized.day.rates.flatMap(\.rows), report: { diagnostics.append($0) })
        let built = BuiltSurface(chain: chain, asOf: day.date, rates: rates)
        diagnostics += built.diagnostics
        let options = built.optionResults()
        // Not lined up here (a chain stored otherwise, or results that fail the check): `write` does it, and
        // reports what fails inside the transaction.
        let columns = normalized.day.rows(asOf: day.date, underlying: day.config.underlying, quoteSet: chain.quoteSet.rawValue)
            .flatMap { try? $0.surfaceColumns(options) }
        return StageResult(output: Output(built: built, options: options, columns: columns), diagnostics: diagnostics,
                           counts: ["surface_slices": built.surface.expiries.count])
    }

    func write(_ output: Output, day: DayContext, to tx: StoreTransaction) throws {
        let underlying = day.config.underlying
        guard let built = output.built else {
            try tx.deleteSurface(asOf: day.date, underlying: underlying)
            return
        }
        try tx.replaceSurface(asOf: day.date, underlying: underlying, quoteSet: built.chain.quoteSet.rawValue,
                              slices: built.sliceRecords(asOf: day.date, underlying: underlying),
                              summary: built.summaryRecord(asOf: day.date, underlying: underlying),
                              options: output.options, aligned: output.columns)
    }
}

/// The rate curve a date's surface discounts with: the series stored for the month up to the as-of date,
/// with the day's own payload rows taking precedence (they are written in the same transaction as the
/// surface, so they are not stored yet).
enum RateInputs {
    static func curve(asOf: CalendarDate, stored: (CalendarDate, CalendarDate) throws -> [RateRecord],
                      today: [RateObservation], report: (Diagnostic) -> Void) -> RateCurve? {
        let from = asOf.adding(days: -31)
        do {
            var byKey: [String: RateObservation] = [:]
            for r in try stored(from, asOf) {
                guard let d = CalendarDate(iso: r.date) else { continue }
                byKey["\(r.series)|\(r.date)"] = RateObservation(date: d, series: r.series, tenorYears: r.tenorYears, rate: r.rate)
            }
            for o in today where o.date >= from && o.date <= asOf { byKey["\(o.series)|\(o.date.isoString)"] = o }
            guard !byKey.isEmpty else { return nil }
            let observations = byKey.keys.sorted().map { byKey[$0]! }
            return try RateCurve(observations: observations, conventions: FREDCSV.conventions)
        } catch {
            report(Diagnostic(.warning, "rates", "no usable rate curve: \(error)"))
            return nil
        }
    }
}

/// A chain's fitted surface, valued at the as-of session's close, with what the fit reported.
struct BuiltSurface: Sendable {
    let chain: OptionChainSnapshot
    let surface: VolatilitySurface
    let diagnostics: [Diagnostic]

    init(chain: OptionChainSnapshot, asOf: CalendarDate, rates: RateCurve?) {
        self.chain = chain
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
        if let rates, rates.tenorCoverage(on: asOf).isOvernightOnly {
            let series = rates.tenorCoverage(on: asOf).seriesIDs.joined(separator: ", ")
            notes.append(Diagnostic(.warning, "rates", "only overnight rates (\(series)) loaded: expiries without a parity discount "
                                    + "are discounted at the overnight rate; load a tenor curve (FRED DGS1MO, DGS3MO, DGS6MO, DGS1)"))
        }
        if rates == nil, surface.expiries.contains(where: { $0.forward.method != .parityRegression && !$0.flags.contains(.expired) }) {
            notes.append(Diagnostic(.info, "surface", "no rate series loaded: curve discounts use \(SurfaceStage.defaultFallbackRate)"))
        }
        diagnostics = notes
    }

    /// Why an expiry cannot be traded (empty when it can): no fitted slice (and the flag that says why),
    /// or a slice that still has a butterfly or calendar arbitrage.
    static func exclusionCauses(_ e: ExpirySurface) -> [String] {
        var causes = e.flags.filter { $0 == .butterflyArbitrage || $0 == .calendarArbitrage }.map(\.rawValue)
        if e.slice == nil {
            causes.append(e.flags.first { [.expired, .tooShort, .tooFewStrikes, .fitFailed].contains($0) }?.rawValue ?? "no_fitted_slice")
        }
        if e.roots.isEmpty { causes.append("no_root") }
        return causes
    }

    /// Expiries that cannot be traded, each with its causes.
    func excludedExpiries() -> [ExpiryExclusion] {
        surface.expiries.compactMap { e in
            let causes = Self.exclusionCauses(e)
            guard !causes.isEmpty, let root = e.roots.first else { return nil }
            return ExpiryExclusion(root: root, expiry: e.expiry, causes: causes)
        }
    }

    /// Expiries the strategy may trade: a fitted slice free of arbitrage, with every usable option
    /// carrying its quote, surface volatility and greeks.
    func tradableExpiries() -> [(chain: ExpiryChain, distribution: RiskNeutralDistribution)] {
        // No exclusion cause means a fitted slice and a root.
        let tradable = surface.expiries.filter { Self.exclusionCauses($0).isEmpty }
        let tradableDates = Set(tradable.map(\.expiry))
        // Only the tradable expiries' quotes are looked up; walking the chain backwards keeps the first
        // quote of a contract listed twice with one hash per quote.
        var quotes: [OptionContract: OptionQuote] = [:]
        quotes.reserveCapacity(chain.quotes.count)
        for q in chain.quotes.reversed() where tradableDates.contains(q.contract.expiry) && q.flags.isDisjoint(with: .unusable) {
            quotes[q.contract] = q
        }
        return tradable.compactMap { e in
            guard let slice = e.slice, let root = e.roots.first else { return nil }
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
        // The screen's verdict goes onto the stored quote's flags (only where it is set, so the other
        // quotes keep exactly what normalize wrote).
        var screenedFlags: [OptionContract: QuoteFlags] = [:]
        for q in surface.flaggingScreened(chain).quotes where q.flags.contains(.arbitrageScreen) { screenedFlags[q.contract] = q.flags }
        return surface.expiries.flatMap(\.options).map { o in
            let flags = screenedFlags[o.contract]
            return OptionSurfaceResult(symbol: o.contract.symbol, iv: o.impliedVolatility, ivIssue: o.issue.map(Self.describe),
                                       surfaceIv: o.surfaceVolatility, delta: o.greeks?.delta, gamma: o.greeks?.gamma,
                                       vegaPerVolPoint: o.greeks?.vegaPerVolPoint, thetaPerDay: o.greeks?.thetaPerDay,
                                       flags: flags?.rawValue, flagNames: flags?.names.joined(separator: ","))
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
