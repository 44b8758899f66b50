import Foundation
import VixShieldCore

// MARK: - Results

/// Why an option has no market implied volatility.
public enum OptionVolatilityIssue: Hashable, Sendable {
    /// The quote carries flags from `QuoteFlags.unusable` (the associated value lists them).
    case unusableQuote(QuoteFlags)
    /// Zero bid: a one-sided quote has no mid to invert.
    case noBid
    /// The contract settles at or before the valuation time.
    case expired
    /// The mid is outside (intrinsic, bound) or the inputs are bad.
    case solver(ImpliedVolError)
}

/// Where an option's greeks took their volatility from.
public enum GreeksVolatilitySource: String, Hashable, Sendable {
    /// The expiry's fitted SVI slice at the option's log-moneyness.
    case surface
    /// The option's own market IV (the expiry has no fitted slice).
    case market
}

/// One option's implied volatility (or why not) and greeks.
public struct OptionVolatility: Hashable, Sendable {
    public var contract: OptionContract
    /// Implied volatility of the mid (annualized, decimal); nil when `issue` says why.
    public var impliedVolatility: Double?
    public var issue: OptionVolatilityIssue?
    /// Fitted-surface volatility at this strike (nil without a slice).
    public var surfaceVolatility: Double?
    /// Greeks at `surfaceVolatility`, else at `impliedVolatility`; nil when neither exists.
    public var greeks: Greeks?
    public var greeksSource: GreeksVolatilitySource?
    /// True when the static-arbitrage screen (`QuoteScreen`) kept this quote out of the fit; its IV is
    /// still given. The quote's `QuoteFlags` gain `.arbitrageScreen` through `VolatilitySurface.flaggingScreened`.
    public var arbitrageScreened = false
}

/// Conditions found on one expiry, in a stable order for storage.
public enum ExpiryFlag: String, Hashable, Sendable, CaseIterable, Comparable {
    /// Settles at or before the valuation time: nothing computed.
    case expired
    /// Less than `SurfaceConfig.minimumMinutesForFit` to expiry: IVs computed, no SVI fit.
    case tooShort = "too_short"
    /// Fewer OTM quotes with an IV than `SurfaceConfig.minimumPointsForFit`: no SVI fit.
    case tooFewStrikes = "too_few_strikes"
    /// The forward fell back: no usable parity (spot and curve), or an implausible parity discount replaced
    /// by the curve's (see `ForwardEstimate.method`). Short expiries using the curve discount by design
    /// are not flagged.
    case forwardFallback = "forward_fallback"
    /// The SVI fit failed (see diagnostics).
    case fitFailed = "fit_failed"
    /// The first fit had a butterfly or calendar arbitrage and was refitted with penalties.
    case repaired
    /// The quotes carry a butterfly arbitrage: the butterfly-free refit leaves their bid/ask bands by more
    /// than `SVIFitConfig.bandExcessToleranceVolPoints` beyond the first fit, or g(k) < 0 remains.
    case butterflyArbitrage = "butterfly_arbitrage"
    /// The quotes carry a calendar arbitrage: the slice stays below the earlier expiries' quoted bid total
    /// variance by more than the bid/ask tolerance, or the refit above it leaves this expiry's bid/ask bands
    /// by more than `SVIFitConfig.bandExcessToleranceVolPoints` beyond the first fit.
    case calendarArbitrage = "calendar_arbitrage"
    /// The Cboe model-free variance could not be computed (see diagnostics).
    case modelFreeUnavailable = "model_free_unavailable"

    public static func < (a: ExpiryFlag, b: ExpiryFlag) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Everything the surface stage knows about one expiry time (one date and settlement; SPX and SPXW on the
/// same date are separate expiries because they settle at different times).
public struct ExpirySurface: Hashable, Sendable {
    public var expiry: CalendarDate
    public var roots: [String]
    public var settlement: SettlementStyle
    public var expiryTime: EasternTime
    public var minutesToExpiry: Int
    public var timeToExpiryYears: Double
    /// Forward, discount, method and parity residuals.
    public var forward: ForwardEstimate
    public var slice: SVISlice?
    /// Cboe-method model-free variance of this expiry.
    public var modelFree: ModelFreeTerm?
    public var flags: [ExpiryFlag]
    /// Human-readable reasons behind the flags and the skipped quotes.
    public var diagnostics: [String]
    public var options: [OptionVolatility]
    /// Quotes of this expiry the static-arbitrage screen kept out of the fit (vertical, butterfly or
    /// calendar violations judged on bid/ask).
    public var screenedQuotes = 0

    /// The risk-neutral distribution of the fitted slice (nil without a slice), for probabilities and
    /// expected payoffs at this expiry.
    public var distribution: RiskNeutralDistribution? {
        slice.map { RiskNeutralDistribution(parameters: $0.parameters, forward: forward.forward) }
    }

    /// The continuously compounded rate implied by the discount factor (0 for an expired expiry).
    public var rate: Double { timeToExpiryYears > 0 ? -log(forward.discount) / timeToExpiryYears : 0 }
}

/// The fitted surface of one chain snapshot.
public struct VolatilitySurface: Hashable, Sendable {
    public var underlying: String
    public var session: CalendarDate
    public var valuationTime: EasternTime
    public var spot: Double
    /// Expiries in order of settlement time.
    public var expiries: [ExpirySurface]
    /// 100·√(30-day model-free variance), the chain's own VIX; nil when no pair of expiries brackets 30 days.
    public var index30Day: Double?
    /// 100·√(9-day model-free variance), like VIX9D.
    public var index9Day: Double?
    /// Calendar-arbitrage violations between consecutive fitted slices over their common quoted k range
    /// (indices into `expiries`), all of them; a later slice is flagged `calendarArbitrage` only where it
    /// also falls below the earlier expiry's quotes.
    public var calendarViolations: [CalendarViolation]
}

/// Settings of the surface builder.
public struct SurfaceConfig: Hashable, Sendable {
    /// Below this many minutes to expiry the slice is not fitted (IVs still are).
    public var minimumMinutesForFit = 1_380
    /// Fewest OTM points with an IV for an SVI fit.
    public var minimumPointsForFit = 8
    /// A fit point's weight is capped at this multiple of the median weight, so a few very tight
    /// at-the-money quotes cannot take the whole fit.
    public var weightCapOverMedian = 50.0
    /// Expiries eligible for the constant-maturity indexes need at least this many minutes (the Cboe
    /// drops options expiring within a day from VIX-style calculations).
    public var minimumMinutesForIndex = 1_440
    /// Total-variance shortfalls below this are not reported as calendar arbitrage: SPX (AM) and SPXW (PM)
    /// slices of one date differ by hours, and their independently fitted wings cross by such amounts
    /// (1e-5 is 0.03 vol points at σ = 16 %, T = 0.1 y).
    public var calendarTolerance = 1e-5
    public var parity = ParityForwardConfig()
    public var svi = SVIFitConfig()
    /// Test hook: every parity forward is multiplied by (1 + this), to show the result does not hinge on
    /// the forward's last digits.
    var forwardRelativeShift = 0.0
    /// Test hook: per settlement time, a further relative forward shift (added to `forwardRelativeShift`).
    var forwardRelativeShifts: [EasternTime: Double] = [:]
    /// Run the static-arbitrage quote screen before fitting (`QuoteScreen`).
    public var screenQuotes = true
    public var screen = QuoteScreen.Config()

    public init() {}
}

// MARK: - Builder

/// Builds the implied-volatility surface of a chain: the function the pipeline's surface stage calls.
public enum SurfaceBuilder {
    /// Forward/discount, IVs, SVI slices with arbitrage checks, model-free variance and greeks per expiry,
    /// plus 30-day and 9-day model-free indexes. Pure and deterministic.
    ///
    /// - Parameters:
    ///   - chain: one session's quotes (all expiries, any roots of one underlying).
    ///   - valuationTime: when the quotes are valued (e.g. the 16:00 ET close of the session).
    ///   - fallbackRate: continuously compounded rate for a time to expiry in years, used when parity
    ///     cannot give the discount.
    public static func build(chain: OptionChainSnapshot, valuationTime: EasternTime,
                             fallbackRate: (Double) -> Double, config: SurfaceConfig = SurfaceConfig()) -> VolatilitySurface {
        // Group by settlement time; sort so the output order never depends on hashing.
        var groups: [EasternTime: [OptionQuote]] = [:]
        for q in chain.quotes { groups[q.contract.expiryTime, default: []].append(q) }
        let prepared = groups.keys.sorted().map { time in
            prepareExpiry(quotes: groups[time]!.sorted { $0.contract < $1.contract }, expiryTime: time, valuationTime: valuationTime,
                          spot: chain.spot, fallbackRate: fallbackRate, config: config)
        }
        let screened = config.screenQuotes ? screen(prepared, config: config.screen) : Array(repeating: [], count: prepared.count)
        var expiries: [ExpirySurface] = []
        var earlierSlices: [SVISlice] = []
        for (i, p) in prepared.enumerated() {
            var expiry = buildExpiry(p, valuationTime: valuationTime, spot: chain.spot, screened: screened[i],
                                     earlierSlices: earlierSlices, config: config)
            expiry.screenedQuotes = screened[i].count
            if let slice = expiry.slice { earlierSlices.append(slice) }
            expiries.append(expiry)
        }
        // Calendar check between consecutive fitted slices, over the k range both have quotes for.
        let fitted = expiries.indices.filter { expiries[$0].slice != nil }
        var violations: [CalendarViolation] = []
        for (earlier, later) in zip(fitted, fitted.dropFirst()) {
            let a = expiries[earlier].slice!, b = expiries[later].slice!
            let lower = max(a.logMoneynessRange.lowerBound, b.logMoneynessRange.lowerBound)
            let upper = min(a.logMoneynessRange.upperBound, b.logMoneynessRange.upperBound)
            guard upper > lower else { continue }
            let grid = logMoneynessGrid(from: lower, to: upper, count: config.svi.gridCount)
            guard let v = CalendarCheck.violations(slices: [(a.timeToExpiryYears, a.parameters), (b.timeToExpiryYears, b.parameters)],
                                                   grid: grid, tolerance: config.calendarTolerance).first else { continue }
            violations.append(CalendarViolation(earlierIndex: earlier, laterIndex: later, logMoneyness: v.logMoneyness,
                                                totalVarianceShortfall: v.totalVarianceShortfall))
            // Flagged only beyond what the quotes can resolve: where the later slice stays at or above the
            // earlier quotes' bid total variance less the bid/ask tolerance (`bidAskToleranceVolPoints` at the
            // later slice's volatility there, dw = 2σT dσ), both slices lie within quotes that admit no
            // calendar spread arbitrage (the screen removed quotes that do), so the crossing is a choice of
            // fits inside the quotes; flagging it would make the flag hinge on the forward's last digits.
            var belowBid: (ratio: Double, k: Double) = (0, v.logMoneyness)
            for k in grid {
                let wb = b.parameters.totalVariance(atLogMoneyness: k)
                guard a.parameters.totalVariance(atLogMoneyness: k) > wb, let bid = a.bidTotalVariance(atLogMoneyness: k) else { continue }
                let vol = b.parameters.volatility(atLogMoneyness: k, timeToExpiryYears: b.timeToExpiryYears)
                let ratio = (bid - wb) / config.svi.bidAskTotalVarianceTolerance(volatility: vol, timeToExpiryYears: b.timeToExpiryYears)
                if ratio > belowBid.ratio { belowBid = (ratio, k) }
            }
            let diagnostic = String(format: "total variance below the %@ expiry by %.3g at k = %.4f",
                                    expiries[earlier].expiry.isoString, v.totalVarianceShortfall, v.logMoneyness)
            if belowBid.ratio > 1 {
                if !expiries[later].flags.contains(.calendarArbitrage) { expiries[later].flags.append(.calendarArbitrage) }
                expiries[later].flags.sort()
                expiries[later].diagnostics.append(diagnostic + String(format: "; below its bid by %.2f × the bid/ask tolerance at k = %.4f",
                                                                       belowBid.ratio, belowBid.k))
            } else {
                expiries[later].diagnostics.append(diagnostic + " (at or above its bid: within the quotes; not flagged)")
            }
        }
        return VolatilitySurface(underlying: chain.underlying, session: chain.session, valuationTime: valuationTime, spot: chain.spot,
                                 expiries: expiries,
                                 index30Day: constantMaturityIndex(expiries, targetMinutes: ModelFreeVariance.thirtyDayMinutes, config: config),
                                 index9Day: constantMaturityIndex(expiries, targetMinutes: ModelFreeVariance.nineDayMinutes, config: config),
                                 calendarViolations: violations)
    }

    /// The static-arbitrage screen of every live expiry: per expiry and side (vertical spreads and
    /// butterflies), then between consecutive expiries of one settlement family at equal moneyness
    /// (calendar, out-of-the-money quotes). Returns the screened contracts per prepared expiry.
    static func screen(_ prepared: [PreparedExpiry], config: QuoteScreen.Config) -> [Set<OptionContract>] {
        var out = [Set<OptionContract>](repeating: [], count: prepared.count)
        func screenQuote(_ q: OptionQuote) -> QuoteScreen.Quote { QuoteScreen.Quote(strike: q.contract.strike, bid: q.bid, ask: q.ask) }
        for (i, p) in prepared.enumerated() {
            guard let forward = p.forward else { continue }
            for right in OptionRight.allCases {
                let side = p.usable.filter { $0.contract.right == right }
                for j in QuoteScreen.screenSide(side.map(screenQuote), right: right, discount: forward.discount, config: config) {
                    out[i].insert(side[j].contract)
                }
            }
        }
        // Calendar: consecutive live expiries of one settlement family (AM monthlies among themselves, PM
        // among themselves: an AM and a PM slice of one date differ by hours, within quote noise).
        func otm(_ i: Int) -> (calls: [OptionQuote], puts: [OptionQuote]) {
            let f = prepared[i].forward!.forward
            let kept = prepared[i].usable.filter { !out[i].contains($0.contract) }
            return (kept.filter { $0.contract.right == .call && $0.contract.strike >= f },
                    kept.filter { $0.contract.right == .put && $0.contract.strike < f })
        }
        for style in [SettlementStyle.am, .pm] {
            let family = prepared.indices.filter { prepared[$0].forward != nil && prepared[$0].settlement == style }
            for (a, b) in zip(family, family.dropFirst()) {
                let ea = otm(a), eb = otm(b)
                func slice(_ i: Int, _ q: (calls: [OptionQuote], puts: [OptionQuote])) -> QuoteScreen.CalendarSlice {
                    QuoteScreen.CalendarSlice(forward: prepared[i].forward!.forward, discount: prepared[i].forward!.discount,
                                              calls: q.calls.map(screenQuote), puts: q.puts.map(screenQuote))
                }
                let r = QuoteScreen.calendarViolations(earlier: slice(a, ea), later: slice(b, eb), config: config)
                for j in r.earlierCalls { out[a].insert(ea.calls[j].contract) }
                for j in r.earlierPuts { out[a].insert(ea.puts[j].contract) }
                for j in r.laterCalls { out[b].insert(eb.calls[j].contract) }
                for j in r.laterPuts { out[b].insert(eb.puts[j].contract) }
            }
        }
        return out
    }

    /// The model-free index at `targetMinutes` from the two eligible expiries around it (nil when the
    /// target is not bracketed; see `ModelFreeVariance.bracketing` for which expiries are eligible).
    static func constantMaturityIndex(_ expiries: [ExpirySurface], targetMinutes: Double, config: SurfaceConfig) -> Double? {
        ModelFreeVariance.constantMaturityIndex(listedTerms(expiries), targetMinutes: targetMinutes, minimumMinutes: config.minimumMinutesForIndex)
    }

    /// The expiries with a model-free term, as listed terms.
    static func listedTerms(_ expiries: [ExpirySurface]) -> [ListedTerm] {
        expiries.compactMap { e in
            e.modelFree.map { ListedTerm(expiry: e.expiry, settlement: e.settlement, minutesToExpiry: e.minutesToExpiry, term: $0) }
        }
    }

    /// What is known about one expiry before the screen: its quotes, clock and forward.
    struct PreparedExpiry {
        var quotes: [OptionQuote]
        var expiryTime: EasternTime
        var minutes: Int
        var t: Double
        var roots: [String]
        var expiryDate: CalendarDate
        var settlement: SettlementStyle
        var flags: [ExpiryFlag]
        var diagnostics: [String]
        var usable: [OptionQuote]
        var forward: ForwardEstimate?
    }

    static func prepareExpiry(quotes: [OptionQuote], expiryTime: EasternTime, valuationTime: EasternTime, spot: Double,
                              fallbackRate: (Double) -> Double, config: SurfaceConfig) -> PreparedExpiry {
        let minutes = expiryTime.minutes(since: valuationTime)
        let roots = Array(Set(quotes.map(\.contract.root))).sorted()
        let expiryDate = quotes[0].contract.expiry
        let settlement = quotes[0].contract.settlement
        var flags: [ExpiryFlag] = []
        var diagnostics: [String] = []
        guard minutes > 0 else {
            return PreparedExpiry(quotes: quotes, expiryTime: expiryTime, minutes: minutes, t: 0, roots: roots, expiryDate: expiryDate,
                                  settlement: settlement, flags: flags, diagnostics: diagnostics, usable: [], forward: nil)
        }
        let t = Double(minutes) / ModelFreeVariance.minutesPerYear

        // Unusable quotes are skipped, with the count per reason.
        var skipped: [String: Int] = [:]
        var usable: [OptionQuote] = []
        usable.reserveCapacity(quotes.count)
        for q in quotes {
            let bad = q.flags.intersection(.unusable)
            if bad.isEmpty { usable.append(q) } else { for name in bad.names { skipped[name, default: 0] += 1 } }
        }
        if !skipped.isEmpty {
            diagnostics.append("skipped unusable quotes: " + skipped.keys.sorted().map { "\($0) \(skipped[$0]!)" }.joined(separator: ", "))
        }

        // American-style roots never lend their parity slope to the discount (see `ExerciseStyle`).
        var parityConfig = config.parity
        if roots.contains(where: { ExerciseStyle.of(root: $0) == .american }) { parityConfig.discountFromParity = false }
        let forward = ParityForward.estimate(quotes: usable, timeToExpiryYears: t, fallbackRate: fallbackRate(t), spot: spot,
                                             config: parityConfig)
        // Short and American-style expiries take the curve discount by design; only a rejected slope or no
        // parity is a fallback.
        let expectedMethod: ForwardMethod = parityConfig.discountFromParity && t >= parityConfig.minimumYearsForDiscount
            ? .parityRegression : .parityWithCurveDiscount
        if forward.method != expectedMethod && forward.method != .parityRegression {
            flags.append(.forwardFallback)
            diagnostics.append("forward by \(forward.method.rawValue): \(forward.note ?? "")")
        }
        var shifted = forward
        shifted.forward *= 1 + config.forwardRelativeShift + (config.forwardRelativeShifts[expiryTime] ?? 0)
        return PreparedExpiry(quotes: quotes, expiryTime: expiryTime, minutes: minutes, t: t, roots: roots, expiryDate: expiryDate,
                              settlement: settlement, flags: flags, diagnostics: diagnostics, usable: usable, forward: shifted)
    }

    /// IVs, the SVI slice (fitted without the `screened` quotes), greeks and model-free variance of a
    /// prepared expiry.
    static func buildExpiry(_ prepared: PreparedExpiry, valuationTime: EasternTime, spot: Double, screened: Set<OptionContract>,
                            earlierSlices: [SVISlice], config: SurfaceConfig) -> ExpirySurface {
        let quotes = prepared.quotes, expiryTime = prepared.expiryTime, minutes = prepared.minutes
        let roots = prepared.roots, expiryDate = prepared.expiryDate, settlement = prepared.settlement
        var flags = prepared.flags, diagnostics = prepared.diagnostics
        guard minutes > 0, let forward = prepared.forward else {
            let options = quotes.map { OptionVolatility(contract: $0.contract, impliedVolatility: nil, issue: .expired) }
            return ExpirySurface(expiry: expiryDate, roots: roots, settlement: settlement, expiryTime: expiryTime,
                                 minutesToExpiry: minutes, timeToExpiryYears: 0,
                                 forward: ForwardEstimate(forward: spot, discount: 1, method: .rateCurve, strikesUsed: [],
                                                          residualRMS: .nan, maxAbsResidual: .nan, note: "expired"),
                                 slice: nil, modelFree: nil, flags: [.expired],
                                 diagnostics: ["settles \(expiryTime), at or before the valuation time \(valuationTime)"],
                                 options: options)
        }
        let t = prepared.t, usable = prepared.usable
        if !screened.isEmpty {
            let names = quotes.filter { screened.contains($0.contract) }.map(\.contract.symbol)
            diagnostics.append("static-arbitrage screen kept \(names.count) quotes out of the fit: "
                               + names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : ""))
        }
        let f = forward.forward, d = forward.discount
        let rate = -log(d) / t
        let sqrtT = t.squareRoot()

        // Implied vols of every usable two-sided quote; OTM ones become SVI points.
        var options: [OptionVolatility] = []
        options.reserveCapacity(quotes.count)
        var points: [SVIPoint] = []
        var solverFailures = 0
        for q in quotes {
            let bad = q.flags.intersection(.unusable)
            if !bad.isEmpty {
                options.append(OptionVolatility(contract: q.contract, impliedVolatility: nil, issue: .unusableQuote(bad)))
                continue
            }
            guard q.bid > 0, q.ask >= q.bid else {
                options.append(OptionVolatility(contract: q.contract, impliedVolatility: nil, issue: .noBid))
                continue
            }
            let k = q.contract.strike
            do {
                let vol = try ImpliedVolatility.solve(price: q.mid, right: q.contract.right, forward: f, strike: k,
                                                      timeToExpiryYears: t, discount: d)
                let isScreened = screened.contains(q.contract)
                options.append(OptionVolatility(contract: q.contract, impliedVolatility: vol, issue: nil, arbitrageScreened: isScreened))
                let otm = q.contract.right == .call ? k >= f : k < f
                if otm && !isScreened {
                    let s = vol * sqrtT
                    let d1 = log(f / k) / s + s / 2
                    // ∂price/∂w = D F φ(d1) / (2s): price noise (the spread) over it is the noise in w.
                    let dPricedW = d * f * Black76.normalPDF(d1) / (2 * s)
                    let spread = max(q.spread, 0.01)
                    // The bid/ask band in total variance, to judge whether a constrained fit left the quote.
                    let bidVol = try? ImpliedVolatility.solve(price: q.bid, right: q.contract.right, forward: f, strike: k,
                                                              timeToExpiryYears: t, discount: d)
                    let askVol = try? ImpliedVolatility.solve(price: q.ask, right: q.contract.right, forward: f, strike: k,
                                                              timeToExpiryYears: t, discount: d)
                    points.append(SVIPoint(logMoneyness: log(k / f), totalVariance: vol * vol * t,
                                           weight: (dPricedW / spread) * (dPricedW / spread),
                                           totalVarianceBid: bidVol.map { $0 * $0 * t }, totalVarianceAsk: askVol.map { $0 * $0 * t }))
                }
            } catch {
                solverFailures += 1
                options.append(OptionVolatility(contract: q.contract, impliedVolatility: nil, issue: .solver(error)))
            }
        }
        if solverFailures > 0 { diagnostics.append("\(solverFailures) mids outside the no-arbitrage bounds") }

        // Cap weights relative to the median (deterministic: sorted copy).
        if !points.isEmpty {
            let sortedWeights = points.map(\.weight).sorted()
            let cap = sortedWeights[sortedWeights.count / 2] * config.weightCapOverMedian
            if cap > 0 { for i in points.indices { points[i].weight = min(points[i].weight, cap) } }
        }

        var slice: SVISlice? = nil
        if minutes < config.minimumMinutesForFit {
            flags.append(.tooShort)
            diagnostics.append("\(minutes) minutes to expiry: below \(config.minimumMinutesForFit), no SVI fit")
        } else if points.count < config.minimumPointsForFit {
            flags.append(.tooFewStrikes)
            diagnostics.append("\(points.count) OTM quotes with an IV: below \(config.minimumPointsForFit), no SVI fit")
        } else {
            do {
                let fitted = try SVIFit.fit(points: points, timeToExpiryYears: t,
                                            // The calendar floor is the earlier expiries' quotes: at each k the
                                            // highest bid total variance among them, the least total variance the
                                            // earlier quotes allow. It depends on quotes alone, never on another
                                            // slice's fit, refit or flag, so a decision on one slice cannot move the
                                            // next one's floor, and a floor cannot cascade along the term structure
                                            // (floors from earlier fits carried one bad wing to every later expiry
                                            // on the real SPY chain).
                                            quotedFloor: earlierSlices.isEmpty ? nil : { k in
                                                earlierSlices.compactMap { $0.bidTotalVariance(atLogMoneyness: k) }.max()
                                            },
                                            config: config.svi)
                slice = fitted
                if fitted.repaired { flags.append(.repaired) }
                // Flagged only when the arbitrage is in the quotes: the constrained refit could not remove
                // it (a shortfall below the earlier quotes' bid beyond the bid/ask tolerance), or had to leave
                // its own quotes' bid/ask to do so (`SVIFitConfig.bandExcessToleranceVolPoints`).
                if fitted.quotesImplyArbitrage {
                    let kind: ExpiryFlag = fitted.butterflyInQuotes ? .butterflyArbitrage : .calendarArbitrage
                    flags.append(kind)
                    diagnostics.append(String(format: "%@ arbitrage in the quotes: the constrained refit (min g(k) = %.3g, %.3g below the earlier quotes' bid) is %.2f vol points RMS outside the quotes' bid/ask, the unconstrained fit %.2f; %d of %d quotes outside (unconstrained %d)",
                                              kind == .butterflyArbitrage ? "butterfly" : "calendar", fitted.minimumButterfly, fitted.calendarShortfall,
                                              fitted.bandExcessVolPoints, fitted.unconstrainedBandExcessVolPoints,
                                              fitted.pointsOutsideBidAsk, fitted.pointCount, fitted.unconstrainedPointsOutsideBidAsk))
                }
            } catch {
                flags.append(.fitFailed)
                diagnostics.append("SVI fit failed: \(error)")
            }
        }

        // Greeks from the surface where there is one, else from the option's own IV.
        for i in options.indices {
            let c = options[i].contract
            var vol: Double? = nil
            if let slice {
                let sv = slice.parameters.volatility(atLogMoneyness: log(c.strike / f), timeToExpiryYears: t)
                if sv.isFinite, sv > 0 { options[i].surfaceVolatility = sv; vol = sv; options[i].greeksSource = .surface }
            }
            if vol == nil, let iv = options[i].impliedVolatility { vol = iv; options[i].greeksSource = .market }
            if let vol {
                options[i].greeks = Black76.greeks(right: c.right, forward: f, strike: c.strike, volatility: vol,
                                                   timeToExpiryYears: t, rate: rate)
            }
        }

        var modelFree: ModelFreeTerm? = nil
        do {
            modelFree = try ModelFreeVariance.term(strikes: StrikeQuotes.table(from: usable), timeToExpiryYears: t, rate: rate)
        } catch {
            flags.append(.modelFreeUnavailable)
            diagnostics.append("model-free variance: \(error)")
        }
        return ExpirySurface(expiry: expiryDate, roots: roots, settlement: settlement, expiryTime: expiryTime,
                             minutesToExpiry: minutes, timeToExpiryYears: t, forward: forward, slice: slice, modelFree: modelFree,
                             flags: flags.sorted(), diagnostics: diagnostics, options: options)
    }
}

extension VolatilitySurface {
    /// `chain` with `QuoteFlags.arbitrageScreen` set on every quote the surface's screen kept out of the
    /// fits (and cleared on the others), for storing the quotes with their flags.
    public func flaggingScreened(_ chain: OptionChainSnapshot) -> OptionChainSnapshot {
        var screened = Set<OptionContract>()
        for e in expiries { for o in e.options where o.arbitrageScreened { screened.insert(o.contract) } }
        var out = chain
        for i in out.quotes.indices {
            if screened.contains(out.quotes[i].contract) { out.quotes[i].flags.insert(.arbitrageScreen) }
            else { out.quotes[i].flags.remove(.arbitrageScreen) }
        }
        return out
    }
}
