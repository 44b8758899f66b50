import Foundation
import Signals
import Store
import VixShieldCore
import VolMath

/// Time-shifting: the variance of each upcoming event from the term structure (shrunk toward the history of
/// its kind), and the surface projected to the next session's close and past each event inside the longest
/// profile's window. Priced for the day the trade is placed and the events it lives through.
struct ProjectStage: DailyStage {
    struct Output: Sendable {
        var variances: [EventVarianceRecord]
        var projections: [VolProjectionRecord]
    }

    static let name = StageName.project
    static let inputs: [StageName] = [.normalize, .surface, .signals]

    func run(_ day: DayContext) throws(StageFailure) -> StageResult<Output> {
        var result = StageResult(output: Output(variances: [], projections: []))
        let calendar = EventCalendar(day.output(of: NormalizeStage.self).day.events.flatMap(\.rows))
        let maxDTE = day.config.longestProfileDays
        let windowEnd = day.forDate.adding(days: maxDTE)
        for kind in HistoryInputs.pricedEventKinds.sorted() {
            if let last = calendar.lastDate(of: kind), last < windowEnd {
                result.diagnostics.append(Diagnostic(.warning, "events", "the calendar's last \(kind) is \(last), before the end of the longest "
                    + "profile window (\(windowEnd)): \(kind) releases after it are unknown to the projection"))
            } else if calendar.lastDate(of: kind) == nil {
                result.diagnostics.append(Diagnostic(.warning, "events", "the calendar has no \(kind) dates: none is priced in"))
            }
        }
        guard let built = day.output(of: SurfaceStage.self).built else { return result }
        let surface = built.surface
        let valuation = surface.valuationTime
        let horizon = TradingCalendar.nyse.closeTime(on: windowEnd) ?? EasternTime.close(on: windowEnd)
        let upcoming = calendar.events(from: day.date, through: windowEnd, kinds: HistoryInputs.pricedEventKinds).filter { $0.time > valuation }
        var priors: [MarketEvent.Kind: EventVariancePrior] = [:]
        for (kind, summary) in day.output(of: SignalsStage.self).study?.summaries ?? [:] where summary.count > 0 {
            priors[kind] = EventVariancePrior(summary)
        }
        let expiries = surface.expiries.compactMap { e -> ExpiryTotalVariance? in
            guard let mf = e.modelFree, mf.variance.isFinite, mf.variance >= 0, e.timeToExpiryYears > 0 else { return nil }
            return ExpiryTotalVariance(expiryTime: e.expiryTime, totalVariance: mf.variance * e.timeToExpiryYears)
        }
        do {
            let clock = try BusinessClock(config: day.config.signals.businessTime)
            let estimates = try EventVarianceEstimator.estimate(valuationTime: valuation, expiries: expiries, events: upcoming,
                                                                priors: priors, clock: clock)
            result.output.variances = estimates.map { Self.record($0, day: day) }
            let slices = ProjectionSlice.slices(from: surface).filter { $0.expiryTime > valuation }
            let events = EventTotalVariance.from(estimates)
            var surfaces: [(horizon: String, surface: ProjectedSurface)] = []
            // The default roll keeps the smile on moneyness; the sticky-strike scenario also moves the forward
            // down one day's standard deviation (front ATM vol over √252), where the two rules differ.
            let front = slices.first { $0.timeToExpiryYears >= 7.0 / 365 } ?? slices.first
            let dailyStdDev = front.map { ($0.shape.totalVariance(atLogMoneyness: 0) / $0.timeToExpiryYears / 252).squareRoot() } ?? 0
            for scenario in [ProjectionScenario(rule: .stickyMoneyness),
                             ProjectionScenario(rule: .stickyStrike, forwardLogMove: dailyStdDev.isFinite ? -dailyStdDev : 0)] {
                let rolled = try SurfaceProjection.rollOneTradingDay(slices, from: valuation, events: events, clock: clock, scenario: scenario)
                surfaces.append(("next_session", rolled))
            }
            for (event, projected) in try SurfaceProjection.projectThroughEvents(slices, from: valuation, horizon: horizon,
                                                                                events: estimates, clock: clock) {
                surfaces.append(("after_\(event.kind.name)_\(event.date)", projected))
            }
            for (label, projected) in surfaces {
                if !projected.calendarViolations.isEmpty {
                    result.diagnostics.append(Diagnostic(.warning, "projection \(label)",
                                                         "\(projected.calendarViolations.count) calendar violations in the projected surface"))
                }
                result.output.projections += projected.expiries.map { Self.record($0, surface: projected, horizon: label, day: day) }
            }
        } catch {
            throw StageFailure("project: \(error)")
        }
        result.counts["vol_projections"] = result.output.projections.count
        return result
    }

    func write(_ output: Output, day: DayContext, to tx: StoreTransaction) throws {
        try tx.replaceEventVariances(asOf: day.date, underlying: day.config.underlying, rows: output.variances)
        try tx.replaceProjections(asOf: day.date, underlying: day.config.underlying, rows: output.projections)
    }

    static func record(_ e: EventVarianceEstimate, day: DayContext) -> EventVarianceRecord {
        EventVarianceRecord(
            asOf: day.date.isoString, underlying: day.config.underlying, kind: e.event.kind.name, eventDate: e.event.date.isoString,
            eventTime: e.event.time.iso8601, label: e.event.label, firstExpiryAfter: e.firstExpiryAfter?.iso8601,
            baseVariancePerBusinessDay: e.baseVariancePerBusinessDay, rawExcessTotalVariance: e.rawExcessTotalVariance,
            priorTotalVariance: e.priorTotalVariance, termStructureWeight: e.termStructureWeight, totalVariance: e.totalVariance,
            sessionEquivalents: e.sessionEquivalents, impliedAbsMove: e.totalVariance.map { (2 * $0 / Double.pi).squareRoot() },
            method: e.method.rawValue, notes: e.notes.map(\.rawValue).joined(separator: ","))
    }

    static func record(_ p: ProjectedExpiry, surface: ProjectedSurface, horizon: String, day: DayContext) -> VolProjectionRecord {
        VolProjectionRecord(
            asOf: day.date.isoString, underlying: day.config.underlying, horizon: horizon, targetTime: surface.to.iso8601,
            scenario: surface.scenario.rule.rawValue, expiryTime: p.expiryTime.iso8601, yearsToExpiryNow: p.timeToExpiryYearsNow,
            yearsToExpiryProjected: p.timeToExpiryYearsProjected, forwardNow: p.forwardNow, forwardProjected: p.forwardProjected,
            atmVolNow: p.atmVolatilityNow, atmVolProjected: p.atmVolatilityProjected, atmTotalVarianceNow: p.atmTotalVarianceNow,
            atmTotalVarianceProjected: p.atmTotalVarianceProjected, eventTotalVariance: p.eventTotalVariance,
            expectedMovePoints: p.expectedMovePoints, expectedAbsMovePoints: p.expectedAbsoluteMovePoints)
    }
}
