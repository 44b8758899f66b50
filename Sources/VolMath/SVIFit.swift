import Foundation

// MARK: - Slice shape: derivatives and arbitrage

extension SVIParameters {
    /// w(k), ∂w/∂k and ∂²w/∂k².
    @inline(__always)
    public func totalVarianceDerivatives(atLogMoneyness k: Double) -> (w: Double, dw: Double, d2w: Double) {
        let x = k - m
        let r = (x * x + sigma * sigma).squareRoot()
        return (a + b * (rho * x + r), b * (rho + x / r), b * sigma * sigma / (r * r * r))
    }

    /// Gatheral–Jacquier's butterfly function g(k) = (1 − k w'/(2w))² − (w'²/4)(1/w + 1/4) + w''/2; the
    /// risk-neutral density is φ(d₂) g(k)/√w, so g < 0 anywhere is a butterfly arbitrage.
    public func butterflyFunction(atLogMoneyness k: Double) -> Double {
        let (w, dw, d2w) = totalVarianceDerivatives(atLogMoneyness: k)
        guard w > 0 else { return -.infinity }
        let t = 1 - k * dw / (2 * w)
        return t * t - dw * dw / 4 * (1 / w + 0.25) + d2w / 2
    }

    /// The smallest g(k) over `grid` and where it occurs.
    public func minimumButterfly(over grid: [Double]) -> (logMoneyness: Double, value: Double) {
        var best = (logMoneyness: Double.nan, value: Double.infinity)
        for k in grid {
            let g = butterflyFunction(atLogMoneyness: k)
            if g < best.value { best = (k, g) }
        }
        return best
    }
}

/// Evenly spaced log-moneyness points from `lower` to `upper` inclusive.
public func logMoneynessGrid(from lower: Double, to upper: Double, count: Int) -> [Double] {
    precondition(count >= 2 && upper > lower, "grid needs two points and a positive width")
    return (0..<count).map { lower + (upper - lower) * Double($0) / Double(count - 1) }
}

/// One calendar-spread violation: a later slice's total variance below an earlier one's.
public struct CalendarViolation: Hashable, Sendable {
    /// Indices into the slices passed (earlier, later).
    public var earlierIndex: Int
    public var laterIndex: Int
    /// The log-moneyness of the largest shortfall and its size w_earlier − w_later (> 0).
    public var logMoneyness: Double
    public var totalVarianceShortfall: Double
}

/// Calendar arbitrage across slices: total variance must not decrease in T at any k.
public enum CalendarCheck {
    /// Checks consecutive slices (sorted by time to expiry) on `grid`; a shortfall below `tolerance` in
    /// total variance is ignored as rounding.
    public static func violations(slices: [(timeToExpiryYears: Double, parameters: SVIParameters)], grid: [Double],
                                  tolerance: Double = 1e-10) -> [CalendarViolation] {
        let order = slices.indices.sorted { slices[$0].timeToExpiryYears < slices[$1].timeToExpiryYears }
        var out: [CalendarViolation] = []
        for (i, j) in zip(order, order.dropFirst()) {
            var worst = (k: 0.0, shortfall: tolerance)
            for k in grid {
                let gap = slices[i].parameters.totalVariance(atLogMoneyness: k) - slices[j].parameters.totalVariance(atLogMoneyness: k)
                if gap > worst.shortfall { worst = (k, gap) }
            }
            if worst.shortfall > tolerance {
                out.append(CalendarViolation(earlierIndex: i, laterIndex: j, logMoneyness: worst.k, totalVarianceShortfall: worst.shortfall))
            }
        }
        return out
    }
}

// MARK: - Fitting

/// One observed point of a smile: log-moneyness k = ln(K/F), total implied variance w = σ²T, and the
/// weight of its squared error (e.g. (∂price/∂w / spread)²).
public struct SVIPoint: Hashable, Sendable {
    public var logMoneyness: Double
    public var totalVariance: Double
    public var weight: Double

    /// Total variance at the bid's and the ask's implied volatility (nil when not known): the band a fit
    /// should stay in. A missing bid IV counts as 0.
    public var totalVarianceBid: Double?
    public var totalVarianceAsk: Double?

    public init(logMoneyness: Double, totalVariance: Double, weight: Double) {
        self.logMoneyness = logMoneyness
        self.totalVariance = totalVariance
        self.weight = weight
    }

    public init(logMoneyness: Double, totalVariance: Double, weight: Double, totalVarianceBid: Double?, totalVarianceAsk: Double?) {
        self.init(logMoneyness: logMoneyness, totalVariance: totalVariance, weight: weight)
        self.totalVarianceBid = totalVarianceBid
        self.totalVarianceAsk = totalVarianceAsk
    }
}

/// A fitted slice with its quality and arbitrage diagnostics.
public struct SVISlice: Hashable, Sendable {
    public var parameters: SVIParameters
    public var timeToExpiryYears: Double
    /// Root-mean-square of σ_fit − σ_market over the points, in volatility points (1 = 0.01).
    public var rmseVolPoints: Double
    /// Largest |σ_fit − σ_market| in volatility points.
    public var maxErrorVolPoints: Double
    /// Smallest g(k) on the check grid (negative means butterfly arbitrage).
    public var minimumButterfly: Double
    public var hasButterflyArbitrage: Bool { minimumButterfly < 0 }
    /// True when the first fit had an arbitrage (butterfly, or calendar against the earlier slices) and the
    /// slice was refitted with penalties.
    public var repaired: Bool
    /// Largest total-variance shortfall below the calendar floor (the earlier expiries' quoted bid total
    /// variance, or `lowerBound`) over the fitted k range (0 when none).
    public var calendarShortfall: Double
    public var pointCount: Int
    /// The log-moneyness range of the fitted points.
    public var logMoneynessRange: ClosedRange<Double>
    /// What the first (unconstrained) fit violated, so a repair can be attributed.
    public var firstFitHadButterflyArbitrage = false
    public var firstFitHadCalendarArbitrage = false
    /// Points whose fitted volatility lies outside their bid/ask volatility band by more than
    /// `SVIFitConfig.bidAskToleranceVolPoints`: of this slice, and of the unconstrained first fit.
    public var pointsOutsideBidAsk = 0
    public var unconstrainedPointsOutsideBidAsk = 0
    /// Root-mean-square distance (vol points) of the fitted volatilities outside their bid/ask bands
    /// (0 for a point inside its band): of this slice, and of the unconstrained first fit.
    public var bandExcessVolPoints = 0.0
    public var unconstrainedBandExcessVolPoints = 0.0
    /// The calendar refit's band excess (nil without a calendar refit).
    public var calendarRefitBandExcessVolPoints: Double? = nil
    /// The fitted points' log-moneyness (increasing) and bid total variance (`SVIPoint.totalVarianceBid`,
    /// 0 for a bid without an IV; points without a bid/ask band left out): the least total variance this
    /// expiry's quotes allow, the calendar floor of every later expiry.
    public var quotedLogMoneyness: [Double] = []
    public var quotedBidTotalVariances: [Double] = []
    /// True when the quotes themselves carry the arbitrage: the constrained refit (without butterfly
    /// arbitrage; and above the calendar floor) still violates (a calendar shortfall beyond the bid/ask
    /// tolerance at the money), or its band excess exceeds the unconstrained fit's by more than
    /// `SVIFitConfig.bandExcessToleranceVolPoints`.
    public var butterflyInQuotes = false
    public var calendarInQuotes = false
    public var quotesImplyArbitrage: Bool { butterflyInQuotes || calendarInQuotes }
}

extension SVISlice {
    /// The quotes' bid total variance at k, interpolated linearly between the two nearest quoted points
    /// (nil outside them).
    public func bidTotalVariance(atLogMoneyness k: Double) -> Double? {
        // Bisection for the first point at or above k (every later expiry asks at ~100 points).
        var lo = 0, hi = quotedLogMoneyness.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if quotedLogMoneyness[mid] < k { lo = mid + 1 } else { hi = mid }
        }
        let upper = lo
        guard upper < quotedLogMoneyness.count else { return nil }
        if quotedLogMoneyness[upper] == k { return quotedBidTotalVariances[upper] }
        guard upper > 0 else { return nil }
        let k0 = quotedLogMoneyness[upper - 1], k1 = quotedLogMoneyness[upper]
        let w = (k - k0) / (k1 - k0)
        return (1 - w) * quotedBidTotalVariances[upper - 1] + w * quotedBidTotalVariances[upper]
    }
}

/// Why a slice could not be fitted.
public enum SVIFitError: Error, Hashable, Sendable {
    case tooFewPoints(Int)
    case nonPositiveTimeToExpiry
    case nonFinitePoint
}

/// Settings of the SVI fit.
public struct SVIFitConfig: Hashable, Sendable {
    /// Fewest points for a five-parameter fit.
    public var minimumPoints = 5
    /// Points of the arbitrage check grid, and its extension beyond the data on each side as a
    /// multiple of the data's k range (and at least `minimumGridHalfWidthStdDevs` ATM standard deviations).
    /// The extension is small: on the real SPY chain every butterfly violation of the unconstrained fits
    /// lay beyond the quoted strikes, and bending far wings no quote constrains (0.5 × range reached
    /// K/F = 0.01) cost up to 4 vol points RMSE on the data; beyond the grid, the wing-slope bound
    /// (Lee 2004) keeps the extrapolation admissible.
    public var gridCount = 201
    public var gridExtension = 0.1
    public var minimumGridHalfWidthStdDevs = 4.0
    /// Weight of the arbitrage penalty in the repair refit, relative to the weighted data error scale.
    public var penaltyWeight = 1e5
    /// Nelder–Mead iterations per start.
    public var maximumIterations = 400
    /// Largest wing slope b(1 + |ρ|) of w(k); Lee's moment formula makes 2 the arbitrage-free limit.
    public var maximumWingSlope = 2.0
    /// A fitted volatility this far (vol points) outside a point's bid/ask volatility band counts as
    /// leaving the quote (`SVISlice.pointsOutsideBidAsk`, and the calendar flag of `SurfaceBuilder`).
    public var bidAskToleranceVolPoints = 0.25
    /// The constrained refit always replaces an arbitrageable first fit; the slice is flagged as arbitrage
    /// in the quotes when the refit's RMS band excess (`SVISlice.bandExcessVolPoints`) exceeds the
    /// unconstrained fit's by more than this many vol points. A continuous measure, not a count of points
    /// or a ratio of RMSEs, so a small move of the data moves it a little (on the real SPY chain of
    /// 2026-07-14 the refits add at most 1.3, for 2026-07-31, under forward shifts up to ±5e-4).
    public var bandExcessToleranceVolPoints = 1.5
    /// The total variance `bidAskToleranceVolPoints` spans at volatility σ (dw = 2σT dσ): a calendar
    /// shortfall below it is within the quotes.
    public func bidAskTotalVarianceTolerance(volatility: Double, timeToExpiryYears t: Double) -> Double {
        2 * volatility * t * bidAskToleranceVolPoints / 100
    }
    /// Residual violation (`max(0, −min g) + calendar shortfall / ATM total variance`) that still counts
    /// as arbitrage-free: the penalized refit aims `penaltyMargin` inside the constraints, so an accepted
    /// refit sits far below this and the decision does not hinge on rounding.
    public var violationTolerance = 1e-6
    /// Margin of the penalty inside the constraints: g(k) ≥ this, and w(k) ≥ (1 + this) · the lower slice.
    public var penaltyMargin = 1e-3
    /// Penalty escalations (×100 each) of the constrained refit while it still violates.
    public var repairEscalations = 1

    public init() {}
}

/// Raw SVI calibration by the quasi-explicit method (Zeleznyak; De Marco & Martini 2009): for fixed
/// (m, σ) the slice w = a + d·y + c·√(y² + 1), y = (k − m)/σ, is linear in (a, d, c) = (a, ρbσ, bσ) and
/// is solved by weighted least squares under |d| ≤ c; the outer problem in (m, ln σ) is a 2-D
/// Nelder–Mead search from a few deterministic starts.
public enum SVIFit {
    /// Fits one slice; calendar arbitrage against the earlier slices is checked and, like a butterfly
    /// arbitrage, repaired by a penalized refit when found.
    ///
    /// - Parameters:
    ///   - lowerBound: an earlier slice, a calendar floor over the whole data range.
    ///   - quotedFloor: a total-variance floor at k from earlier expiries' quotes (nil where they have none);
    ///     with `lowerBound` too, the floor is the larger of the two.
    public static func fit(points: [SVIPoint], timeToExpiryYears t: Double, lowerBound: SVIParameters? = nil,
                           quotedFloor: ((Double) -> Double?)? = nil,
                           config: SVIFitConfig = SVIFitConfig()) throws(SVIFitError) -> SVISlice {
        guard t > 0, t.isFinite else { throw .nonPositiveTimeToExpiry }
        guard points.count >= config.minimumPoints else { throw .tooFewPoints(points.count) }
        guard points.allSatisfy({ $0.logMoneyness.isFinite && $0.totalVariance.isFinite && $0.weight.isFinite && $0.weight >= 0 }) else {
            throw .nonFinitePoint
        }
        let ks = points.map(\.logMoneyness)
        let kMin = ks.min()!, kMax = ks.max()!
        let range = max(kMax - kMin, 1e-4)
        let atmVariance = points.min { abs($0.logMoneyness) < abs($1.logMoneyness) }!.totalVariance
        let halfWidth = max(config.minimumGridHalfWidthStdDevs * max(atmVariance, 1e-8).squareRoot(), 0)
        let grid = logMoneynessGrid(from: min(kMin - config.gridExtension * range, -halfWidth),
                                    to: max(kMax + config.gridExtension * range, halfWidth), count: config.gridCount)
        // The calendar floor on this slice's data range (calendar spreads are only observable where this
        // slice has quotes: beyond them it is an extrapolation).
        let calendarFloor: [(k: Double, w: Double)] = lowerBound == nil && quotedFloor == nil ? [] :
            logMoneynessGrid(from: kMin, to: kMin + range, count: max(config.gridCount / 2, 2)).compactMap { k in
                let ws = [lowerBound?.totalVariance(atLogMoneyness: k), quotedFloor?(k)].compactMap { $0 }
                return ws.max().map { (k, $0) }
            }
        // Weights normalized to sum 1 so the penalty scale does not depend on the data's units.
        let totalWeight = points.reduce(0) { $0 + $1.weight }
        let weighted = points.map { SVIPoint(logMoneyness: $0.logMoneyness, totalVariance: $0.totalVariance,
                                             weight: totalWeight > 0 ? $0.weight / totalWeight : 1 / Double(points.count)) }
        let context = Context(points: weighted, kMin: kMin, kMax: kMax, range: range)

        func volatilityErrors(_ p: SVIParameters) -> (rmse: Double, max: Double) {
            var sumSquares = 0.0, maxError = 0.0
            for q in points {
                let fitted = p.volatility(atLogMoneyness: q.logMoneyness, timeToExpiryYears: t)
                let observed = (max(q.totalVariance, 0) / t).squareRoot()
                let e = abs(fitted - observed) * 100
                sumSquares += e * e
                maxError = max(maxError, e)
            }
            return ((sumSquares / Double(points.count)).squareRoot(), maxError)
        }
        let calendarShortfall = { (p: SVIParameters) -> Double in
            calendarFloor.reduce(0) { max($0, $1.w - p.totalVariance(atLogMoneyness: $1.k)) }
        }

        // Where the slice leaves its quotes: points beyond `bidAskToleranceVolPoints` outside their band,
        // and the RMS distance outside the bands (vol points) over the points that have one.
        func bandFit(_ p: SVIParameters) -> (outside: Int, excessVolPoints: Double) {
            let tolerance = config.bidAskToleranceVolPoints / 100
            var count = 0, banded = 0, sumSquares = 0.0
            for q in points {
                guard let askW = q.totalVarianceAsk else { continue }
                let vol = p.volatility(atLogMoneyness: q.logMoneyness, timeToExpiryYears: t)
                let low = (max(q.totalVarianceBid ?? 0, 0) / t).squareRoot(), high = (max(askW, 0) / t).squareRoot()
                let excess = max(low - vol, vol - high, 0)
                if excess > tolerance { count += 1 }
                banded += 1
                sumSquares += excess * excess
            }
            return (count, banded > 0 ? 100 * (sumSquares / Double(banded)).squareRoot() : 0)
        }
        // How far a slice is from arbitrage-free: the worst g below 0, plus (with the calendar floor) the
        // worst calendar shortfall relative to the ATM total variance (both dimensionless).
        func violation(_ p: SVIParameters, calendar: Bool) -> Double {
            max(0, -p.minimumButterfly(over: grid).value) + (calendar ? calendarShortfall(p) / max(atmVariance, 1e-8) : 0)
        }
        func isArbitrageFree(_ p: SVIParameters, calendar: Bool) -> Bool { violation(p, calendar: calendar) <= config.violationTolerance }
        // g is dimensionless while the data error is in w²: scale the penalty by the squared mean total
        // variance so a violation costs far more than the small data misfit that removes it.
        let meanVariance = weighted.reduce(0) { $0 + $1.weight * $1.totalVariance }

        // The constrained refit (Gatheral & Jacquier 2014, §5: penalise g(k) < 0 on a grid beyond the data
        // and, with `calendar`, w below the lower slice where both have quotes), from `start`. Candidates:
        // the quasi-explicit search with the penalty in its outer objective (the inner least squares keeps
        // every candidate the best data fit for its (m, σ)), then a five-parameter polish of it; of the
        // arbitrage-free candidates the best data fit wins, else the least violation. The penalty
        // escalates ×100 while a violation is left. Nil when it is no closer to arbitrage-free than `start`.
        func constrainedRefit(from start: SVIParameters, calendar: Bool) -> SVIParameters? {
            var scale = config.penaltyWeight * meanVariance * meanVariance
            func better(_ a: SVIParameters, than b: SVIParameters) -> Bool {
                let freeA = isArbitrageFree(a, calendar: calendar), freeB = isArbitrageFree(b, calendar: calendar)
                if freeA != freeB { return freeA }
                return freeA ? context.error(a) < context.error(b) : violation(a, calendar: calendar) < violation(b, calendar: calendar)
            }
            var candidate: SVIParameters? = nil
            for _ in 0...max(config.repairEscalations, 0) {
                // The optimiser sees every other check point (g and w are smooth in k); acceptance is judged
                // on the full grids, so a violation between two penalty points is still caught.
                let penalty = Penalty(grid: stride(from: 0, to: grid.count, by: 2).map { grid[$0] } + [grid[grid.count - 1]],
                                      calendarFloor: calendar ? stride(from: 0, to: calendarFloor.count, by: 2).map { calendarFloor[$0] } : [],
                                      scale: scale, margin: config.penaltyMargin)
                // A continuation from the slice being repaired rather than a fresh multi-start search: the
                // refit then moves continuously with the data instead of jumping between local minima, which
                // made flags downstream flip under a 1e-4 forward shift.
                let outer = search(context, config: config, penalty: penalty, onlyFrom: candidate ?? start)
                let polished = repair(context, penalty: penalty, start: outer, config: config)
                for c in [outer, polished] where candidate.map({ better(c, than: $0) }) ?? true { candidate = c }
                if isArbitrageFree(candidate!, calendar: calendar) { break }
                scale *= 100
            }
            return candidate.flatMap { violation($0, calendar: calendar) < violation(start, calendar: calendar) ? $0 : nil }
        }

        // Two stages, each replacing the fit whenever its refit is closer to arbitrage-free (the expiry is
        // kept; whether its quotes carry the arbitrage is judged below on their bid/ask):
        // 1. the slice on its own quotes: the unconstrained quasi-explicit fit,
        //    refitted without butterfly arbitrage when it has one;
        // 2. when that slice falls below the earlier slices where they have quotes, the refit with the
        //    calendar penalty as well, kept only when it stays with the quotes (below).
        let unconstrained = search(context, config: config)
        let firstButterfly = unconstrained.minimumButterfly(over: grid).value < 0
        let firstCalendar = calendarShortfall(unconstrained) > 1e-10
        var ownQuotes = unconstrained
        if firstButterfly, let refit = constrainedRefit(from: unconstrained, calendar: false) { ownQuotes = refit }
        let unconstrainedBand = bandFit(unconstrained)
        let ownQuotesBand = ownQuotes == unconstrained ? unconstrainedBand : bandFit(ownQuotes)
        // Arbitrage in the quotes: a violation is left, or the refit leaves the bid/ask bands by more than
        // `bandExcessToleranceVolPoints` beyond the unconstrained fit's excess.
        let tolerance = config.bandExcessToleranceVolPoints
        let butterflyInQuotes = firstButterfly && (!isArbitrageFree(ownQuotes, calendar: false)
                                                   || ownQuotesBand.excessVolPoints > unconstrainedBand.excessVolPoints + tolerance)
        // A calendar shortfall a refit leaves counts when it exceeds the bid/ask tolerance at the money.
        let shortfallWithinQuotes = config.bidAskTotalVarianceTolerance(volatility: (max(atmVariance, 0) / t).squareRoot(), timeToExpiryYears: t)
        var params = ownQuotes
        var band = ownQuotesBand
        var calendarInQuotes = false
        var calendarRefitExcess: Double? = nil
        if calendarShortfall(ownQuotes) > 1e-10, let refit = constrainedRefit(from: ownQuotes, calendar: true) {
            // The calendar refit always replaces the fit (the floor comes from quotes, not from a neighbour's
            // fit, so nothing downstream hinges on keeping it); it is flagged when it could not stay with its
            // quotes or still falls below the floor beyond the bid/ask tolerance.
            let refitBand = bandFit(refit)
            calendarRefitExcess = refitBand.excessVolPoints
            params = refit
            band = refitBand
            calendarInQuotes = !butterflyInQuotes
                && (!isArbitrageFree(refit, calendar: false) || calendarShortfall(refit) > shortfallWithinQuotes
                    || refitBand.excessVolPoints > unconstrainedBand.excessVolPoints + tolerance)
        }
        let repaired = params != unconstrained
        let errors = volatilityErrors(params)
        let bids = points.filter { $0.totalVarianceAsk != nil }.map { (k: $0.logMoneyness, w: max($0.totalVarianceBid ?? 0, 0)) }
            .sorted { $0.k < $1.k }
        var slice = SVISlice(parameters: params, timeToExpiryYears: t, rmseVolPoints: errors.rmse, maxErrorVolPoints: errors.max,
                        minimumButterfly: params.minimumButterfly(over: grid).value, repaired: repaired,
                        calendarShortfall: calendarShortfall(params), pointCount: points.count,
                        logMoneynessRange: kMin...(kMin + range),
                        firstFitHadButterflyArbitrage: firstButterfly, firstFitHadCalendarArbitrage: firstCalendar,
                        pointsOutsideBidAsk: band.outside, unconstrainedPointsOutsideBidAsk: unconstrainedBand.outside,
                        bandExcessVolPoints: band.excessVolPoints, unconstrainedBandExcessVolPoints: unconstrainedBand.excessVolPoints,
                        butterflyInQuotes: butterflyInQuotes, calendarInQuotes: calendarInQuotes)
        slice.calendarRefitBandExcessVolPoints = calendarRefitExcess
        slice.quotedLogMoneyness = bids.map(\.k)
        slice.quotedBidTotalVariances = bids.map(\.w)
        return slice
    }

    // MARK: Internals

    struct Context {
        /// The points as the fit's loops read them (no bid/ask band), one contiguous column per field so
        /// the square roots and divisions run four lanes at a time.
        let logMoneyness: [Double], totalVariance: [Double], weight: [Double]
        let kMin: Double, kMax: Double, range: Double

        init(points: [SVIPoint], kMin: Double, kMax: Double, range: Double) {
            logMoneyness = points.map(\.logMoneyness)
            totalVariance = points.map(\.totalVariance)
            weight = points.map(\.weight)
            (self.kMin, self.kMax, self.range) = (kMin, kMax, range)
        }
        var count: Int { logMoneyness.count }
        /// Bounds on σ: a vertex sharper than 0.5 % of the data range is a kink the data cannot resolve.
        var minimumSigma: Double { max(0.005 * range, 1e-5) }
        var maximumSigma: Double { 10 * max(range, 0.01) }

        /// Weighted squared error of a full parameter set: w(k) four points at a time, summed in point order.
        func error(_ p: SVIParameters) -> Double {
            logMoneyness.withUnsafeBufferPointer { ks in totalVariance.withUnsafeBufferPointer { vs in
                weight.withUnsafeBufferPointer { ws in
                    let n = ks.count
                    var sum = 0.0, i = 0
                    while i + 4 <= n {
                        let e = p.totalVariance(atLogMoneyness: lanes(ks, i)) - lanes(vs, i)
                        let terms = lanes(ws, i) * e * e
                        sum = sum + terms[0]; sum = sum + terms[1]; sum = sum + terms[2]; sum = sum + terms[3]
                        i += 4
                    }
                    while i < n {
                        let e = p.totalVariance(atLogMoneyness: ks[i]) - vs[i]
                        sum = sum + ws[i] * e * e
                        i += 1
                    }
                    return sum
                }
            } }
        }
    }

    /// Four consecutive values from `i` on.
    @inline(__always)
    static func lanes(_ values: UnsafeBufferPointer<Double>, _ i: Int) -> SIMD4<Double> {
        UnsafeRawPointer(values.baseAddress! + i).loadUnaligned(as: SIMD4<Double>.self)
    }

    struct Penalty {
        let grid: [Double]
        /// Total variance the slice must not fall below, at log-moneyness k.
        let calendarFloor: [(k: Double, w: Double)]
        let scale: Double
        /// The penalty aims this far inside the constraints (`SVIFitConfig.penaltyMargin`): the quadratic
        /// penalty leaves a residual violation of order 1/scale, which the margin absorbs, so an accepted
        /// refit is arbitrage-free with room to spare rather than by rounding.
        let margin: Double

        func value(_ p: SVIParameters) -> Double {
            var butterfly = 0.0
            for k in grid {
                let g = p.butterflyFunction(atLogMoneyness: k) - margin
                if g < 0 { butterfly += g.isFinite ? g * g : 1e6 }
            }
            var calendar = 0.0
            for (k, floor) in calendarFloor {
                let gap = floor * (1 + margin) - p.totalVariance(atLogMoneyness: k)
                if gap > 0 { calendar += 1e4 * gap * gap / max(floor, 1e-8) }
            }
            return scale * (butterfly / Double(grid.count) + calendar / Double(max(calendarFloor.count, 1)))
        }
    }

    /// Inner problem: the best (a, d, c) for fixed (m, σ) on the quasi-explicit domain, as SVI parameters
    /// with its weighted error.
    ///
    /// a is free and eliminated (a = v̄ − d ȳ − c z̄ with weighted means), leaving a convex quadratic in
    /// (d, c) on the rhombus |d| ≤ c, c + |d| ≤ s·σ, where s is the largest wing slope of w (Lee's moment
    /// formula bounds it by 2). The minimum is the unconstrained one when inside, else the best of the
    /// four edges (each a clamped 1-D quadratic).
    static func inner(_ ctx: Context, m: Double, sigma: Double, maximumWingSlope: Double) -> (SVIParameters, Double) {
        // The fit's innermost loop: y and z are computed once, four lanes at a time (IEEE division and
        // square root are exact per lane: the scalar results bit for bit), into a stack buffer that the
        // sums (in point order) and the centred second pass (two-pass, for accuracy) read. Unchecked
        // buffers: array iteration and bounds checks were about a third of this loop's profile samples.
        // The sums are the closure's own locals, returned as one tuple: sums captured from outside lived
        // in memory, a load and a store on every addition.
        let n = ctx.count
        let (my, mz, mv, yy, yz, zz, yv, zv, vv) = ctx.logMoneyness.withUnsafeBufferPointer { ks in
            ctx.totalVariance.withUnsafeBufferPointer { vs in ctx.weight.withUnsafeBufferPointer { ws in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * max(n, 1)) { buffer in
                    let ys = buffer.baseAddress!, zs = buffer.baseAddress! + n
                    var i = 0
                    while i + 4 <= n {
                        let y = (lanes(ks, i) - m) / sigma
                        let z = (y * y + 1).squareRoot()
                        UnsafeMutableRawPointer(ys + i).storeBytes(of: y, as: SIMD4<Double>.self)
                        UnsafeMutableRawPointer(zs + i).storeBytes(of: z, as: SIMD4<Double>.self)
                        i += 4
                    }
                    while i < n {
                        let y = (ks[i] - m) / sigma
                        ys[i] = y; zs[i] = (y * y + 1).squareRoot()
                        i += 1
                    }
                    var s1 = 0.0, sy = 0.0, sz = 0.0, sv = 0.0
                    for i in 0..<n {
                        let w = ws[i]
                        s1 += w; sy += w * ys[i]; sz += w * zs[i]; sv += w * vs[i]
                    }
                    let my = sy / s1, mz = sz / s1, mv = sv / s1
                    var yy = 0.0, yz = 0.0, zz = 0.0, yv = 0.0, zv = 0.0, vv = 0.0
                    for i in 0..<n {
                        let w = ws[i]
                        let cy = ys[i] - my, cz = zs[i] - mz, cv = vs[i] - mv
                        yy += w * cy * cy; yz += w * cy * cz; zz += w * cz * cz
                        yv += w * cy * cv; zv += w * cz * cv; vv += w * cv * cv
                    }
                    return (my, mz, mv, yy, yz, zz, yv, zv, vv)
                }
            } }
        }
        // E(d, c) = d²·yy + 2dc·yz + c²·zz − 2d·yv − 2c·zv + vv.
        func energy(_ d: Double, _ c: Double) -> Double { d * d * yy + 2 * d * c * yz + c * c * zz - 2 * d * yv - 2 * c * zv + vv }
        let top = maximumWingSlope * sigma
        func inside(_ d: Double, _ c: Double) -> Bool { abs(d) <= c * (1 + 1e-12) && c + abs(d) <= top * (1 + 1e-12) }
        var best = (d: 0.0, c: 0.0, e: Double.infinity)
        let det = yy * zz - yz * yz
        if det > 1e-300 * max(yy * zz, 1e-300) {
            let d = (yv * zz - zv * yz) / det, c = (zv * yy - yv * yz) / det
            if inside(d, c) { best = (d, c, energy(d, c)) }
        }
        if !best.e.isFinite {
            // Rhombus vertices (d, c): (0, 0), (top/2, top/2), (0, top), (−top/2, top/2); a switch, not an
            // array literal, so this path allocates nothing.
            func vertex(_ i: Int) -> (Double, Double) {
                switch i % 4 {
                case 0: (0.0, 0.0)
                case 1: (top / 2, top / 2)
                case 2: (0.0, top)
                default: (-top / 2, top / 2)
                }
            }
            for i in 0..<4 {
                let p0 = vertex(i), p1 = vertex(i + 1)
                let dd = p1.0 - p0.0, dc = p1.1 - p0.1
                // E(p0 + t·Δ) = A t² + B t + const.
                let a2 = dd * dd * yy + 2 * dd * dc * yz + dc * dc * zz
                let b1 = 2 * (p0.0 * dd * yy + (p0.0 * dc + p0.1 * dd) * yz + p0.1 * dc * zz - dd * yv - dc * zv)
                let t = a2 > 0 ? min(max(-b1 / (2 * a2), 0), 1) : (b1 < 0 ? 1 : 0)
                let d = p0.0 + t * dd, c = p0.1 + t * dc
                let e = energy(d, c)
                if e < best.e { best = (d, c, e) }
            }
        }
        let (d, c) = (best.d, best.c)
        var a = mv - d * my - c * mz
        let rho = c > 0 ? d / c : 0
        // Keep w ≥ 0 everywhere: min w = a + c√(1 − ρ²).
        a = max(a, -c * (1 - rho * rho).squareRoot())
        let params = SVIParameters(a: a, b: c / sigma, rho: rho, m: m, sigma: sigma)
        return (params, ctx.error(params))
    }

    /// Outer search over (m, ln σ) with the inner least squares, from a few deterministic starts.
    /// With `onlyFrom`, the search is a continuation from that slice alone (no generic starts).
    static func search(_ ctx: Context, config: SVIFitConfig, penalty: Penalty? = nil, extraStart: SVIParameters? = nil,
                       onlyFrom: SVIParameters? = nil) -> SVIParameters {
        let mLow = ctx.kMin, mHigh = ctx.kMax
        let lnSigmaLow = log(ctx.minimumSigma), lnSigmaHigh = log(ctx.maximumSigma)
        func clamped(_ v: [Double]) -> (m: Double, lnSigma: Double, wall: Double) {
            let m = min(max(v[0], mLow), mHigh)
            let lnS = min(max(v[1], lnSigmaLow), lnSigmaHigh)
            // Out-of-box points are pushed back by a quadratic wall so the simplex stays well-shaped.
            return (m, lnS, (v[0] - m) * (v[0] - m) + (v[1] - lnS) * (v[1] - lnS))
        }
        func objective(_ v: [Double]) -> Double {
            let c = clamped(v)
            let (p, e) = inner(ctx, m: c.m, sigma: exp(c.lnSigma), maximumWingSlope: config.maximumWingSlope)
            return e + (penalty?.value(p) ?? 0) + c.wall
        }
        let kLowest = ctx.logMoneyness[ctx.totalVariance.indices.min { ctx.totalVariance[$0] < ctx.totalVariance[$1] }!]
        var starts = [[kLowest, log(0.1 * ctx.range)], [0.5 * (ctx.kMin + ctx.kMax), log(0.3 * ctx.range)],
                      [kLowest, log(ctx.range)]]
        if let s = extraStart, s.sigma > 0 { starts.append([s.m, log(s.sigma)]) }
        if let s = onlyFrom, s.sigma > 0 { starts = [[s.m, log(s.sigma)]] }
        var best: (value: Double, point: [Double])? = nil
        for s in starts {
            let result = nelderMead(objective, start: s, steps: [0.1 * ctx.range, 0.5], maximumIterations: config.maximumIterations)
            if best == nil || result.value < best!.value { best = result }
        }
        let c = clamped(best!.point)
        return inner(ctx, m: c.m, sigma: exp(c.lnSigma), maximumWingSlope: config.maximumWingSlope).0
    }

    /// Repair: all five parameters (a, ln b, atanh ρ, m, ln σ) by Nelder–Mead on data error + penalty,
    /// starting from the unpenalized fit.
    static func repair(_ ctx: Context, penalty: Penalty, start: SVIParameters, config: SVIFitConfig) -> SVIParameters {
        func params(_ v: [Double]) -> SVIParameters {
            SVIParameters(a: v[0], b: exp(v[1]), rho: tanh(v[2]), m: v[3], sigma: exp(v[4]))
        }
        func objective(_ v: [Double]) -> Double {
            let p = params(v)
            guard p.isAdmissible, abs(p.rho) < 0.9999, p.b * (1 + abs(p.rho)) <= config.maximumWingSlope,
                  p.m >= ctx.kMin, p.m <= ctx.kMax, p.sigma >= ctx.minimumSigma, p.sigma <= ctx.maximumSigma else { return .infinity }
            return ctx.error(p) + penalty.value(p)
        }
        let b = max(start.b, 1e-8), rho = min(max(start.rho, -0.999), 0.999)
        let v0 = [start.a, log(b), atanh(rho), start.m, log(start.sigma)]
        let scaleA = max(abs(start.a), 0.1 * start.b * start.sigma, 1e-6)
        var result = nelderMead(objective, start: v0, steps: [0.1 * scaleA, 0.1, 0.1, 0.05 * ctx.range, 0.1],
                                maximumIterations: 5 * config.maximumIterations)
        // One restart from the result refreshes a collapsed simplex.
        result = nelderMead(objective, start: result.point, steps: [0.05 * scaleA, 0.05, 0.05, 0.02 * ctx.range, 0.05],
                            maximumIterations: 5 * config.maximumIterations)
        return params(result.point)
    }

    /// Nelder–Mead (coefficients 1, 2, ½, ½) in any dimension; stops when the simplex's values agree to
    /// 1e-14 relative or after `maximumIterations`.
    ///
    /// It drives every slice's search and repair, so nothing is allocated per iteration: the vertices
    /// live in one flat array, `order` lists them best first (re-sorted each iteration by a stable
    /// insertion sort, which is what the standard library's sort does for so few elements, so ties break
    /// as they did when the vertices themselves were sorted), and the trial points are reused buffers.
    static func nelderMead(_ f: ([Double]) -> Double, start: [Double], steps: [Double],
                           maximumIterations: Int) -> (value: Double, point: [Double]) {
        let n = start.count
        var vertices = [Double](repeating: 0, count: (n + 1) * n)  // vertex r: [r·n, (r + 1)·n)
        var values = [Double](repeating: 0, count: n + 1)
        var trial = start
        for r in 0...n {
            for j in 0..<n { trial[j] = start[j] }
            if r > 0 { trial[r - 1] += steps[r - 1] }
            for j in 0..<n { vertices[r * n + j] = trial[j] }
            values[r] = f(trial)
        }
        var order = Array(0...n)
        var centroid = [Double](repeating: 0, count: n)
        var reflected = start, expanded = start, contracted = start
        /// centroid + t · (worst − centroid), into `out`.
        func along(_ t: Double, worst: Int, into out: inout [Double]) {
            for j in 0..<n { out[j] = centroid[j] + t * (vertices[worst * n + j] - centroid[j]) }
        }
        func replace(_ vertex: Int, with point: [Double], value: Double) {
            for j in 0..<n { vertices[vertex * n + j] = point[j] }
            values[vertex] = value
        }
        for _ in 0..<maximumIterations {
            for i in 1..<(n + 1) {
                let moving = order[i]
                var j = i
                while j > 0 && values[moving] < values[order[j - 1]] { order[j] = order[j - 1]; j -= 1 }
                order[j] = moving
            }
            let best = values[order[0]], worst = values[order[n]]
            if worst - best <= 1e-14 * (abs(best) + 1e-20) { break }
            for j in 0..<n { centroid[j] = 0 }
            for r in 0..<n { for j in 0..<n { centroid[j] += vertices[order[r] * n + j] / Double(n) } }
            let worstVertex = order[n]
            along(-1, worst: worstVertex, into: &reflected)
            let fr = f(reflected)
            if fr < best {
                along(-2, worst: worstVertex, into: &expanded)
                let fe = f(expanded)
                if fe < fr { replace(worstVertex, with: expanded, value: fe) } else { replace(worstVertex, with: reflected, value: fr) }
            } else if fr < values[order[n - 1]] {
                replace(worstVertex, with: reflected, value: fr)
            } else {
                along(fr < worst ? -0.5 : 0.5, worst: worstVertex, into: &contracted)
                let fc = f(contracted)
                if fc < min(fr, worst) {
                    replace(worstVertex, with: contracted, value: fc)
                } else {
                    let bestVertex = order[0]
                    for i in 1...n {
                        for j in 0..<n { trial[j] = (vertices[order[i] * n + j] + vertices[bestVertex * n + j]) / 2 }
                        replace(order[i], with: trial, value: f(trial))
                    }
                }
            }
        }
        // The first least value in the current order, as a scan of the sorted vertices found it.
        var first = 0
        for r in 1..<(n + 1) where values[order[r]] < values[order[first]] { first = r }
        let vertex = order[first]
        return (values[vertex], Array(vertices[(vertex * n)..<((vertex + 1) * n)]))
    }
}
