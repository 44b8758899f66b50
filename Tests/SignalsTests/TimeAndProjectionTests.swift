import Foundation
import Testing
import VixShieldTestSupport
import VolMath
@testable import Signals

private func date(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

@Suite("Business-time clock")
struct BusinessClockTests {
    let clock = try! BusinessClock()

    @Test("Daily weights: session 1, weekend and holiday 0.1, early close 0.2 + 0.8·210/390, event day 1 + jump")
    func weights() throws {
        #expect(clock.baseWeight(on: date("2024-11-27")) == 1)  // Wednesday
        #expect(clock.baseWeight(on: date("2024-11-30")) == 0.1)  // Saturday
        #expect(clock.baseWeight(on: date("2024-11-28")) == 0.1)  // Thanksgiving
        #expect(abs(clock.baseWeight(on: date("2024-11-29")) - (0.2 + 0.8 * 210 / 390)) < 1e-15)  // 13:00 close
        let cpi = MarketEvent(kind: .cpi, date: date("2024-12-11"), label: "cpi")!
        let withJump = try BusinessClock(jumps: [VarianceJump(time: cpi.time, sessionEquivalents: 2.5)])
        #expect(withJump.weight(on: date("2024-12-11")) == 3.5)
        #expect(withJump.weight(on: date("2024-12-12")) == 1)
    }

    @Test("Business days between instants: partial days, weekends, jumps at their instant")
    func intervals() throws {
        let fridayClose = EasternTime.close(on: date("2024-12-06"))
        let mondayClose = EasternTime.close(on: date("2024-12-09"))
        // Nothing accrues after Friday's close; Saturday 0.1 + Sunday 0.1 + all of Monday 1 = 1.2.
        #expect(abs(clock.businessDays(from: fridayClose, to: mondayClose) - 1.2) < 1e-15)
        // Monday 09:30 → 12:45: 195 of the session's 390 minutes of its 0.8 share = 0.4.
        let open = EasternTime.open(on: date("2024-12-09")), lunch = EasternTime(date: date("2024-12-09"), hour: 12, minute: 45)
        #expect(abs(clock.businessDays(from: open, to: lunch) - 0.4) < 1e-15)
        // Monday 04:45 → open: half of the 0.2 overnight share (285 of 570 minutes) = 0.1.
        #expect(abs(clock.businessDays(from: EasternTime(date: date("2024-12-09"), hour: 4, minute: 45), to: open) - 0.1) < 1e-15)
        #expect(abs(clock.businessDays(from: mondayClose, to: fridayClose) + 1.2) < 1e-15)
        #expect(abs(clock.businessYears(from: fridayClose, to: mondayClose) - 1.2 / 252) < 1e-15)
        // A CPI jump at 08:30 Wednesday counts only when the interval contains 08:30.
        let jump = VarianceJump(time: EasternTime(date: date("2024-12-11"), hour: 8, minute: 30), sessionEquivalents: 3)
        let c = try BusinessClock(jumps: [jump])
        #expect(abs(c.businessDays(from: mondayClose, to: EasternTime.close(on: date("2024-12-11"))) - 5) < 1e-12)
        #expect(abs(c.businessDays(from: EasternTime.open(on: date("2024-12-11")), to: EasternTime.close(on: date("2024-12-11"))) - 0.8) < 1e-15)
        #expect(throws: SignalsError.self) { try BusinessClock(jumps: [VarianceJump(time: jump.time, sessionEquivalents: .nan)]) }
        var bad = BusinessTimeConfig()
        bad.overnightShare = 1.5
        #expect(throws: SignalsError.self) { try BusinessClock(config: bad) }
    }
}

// MARK: - Synthetic term structure

/// Daily PM expiries over the next `days` sessions from a Monday close, with total variance
/// θ·B(now, T) plus the planted event variance for expiries after it, times seeded noise (1 ± noise).
struct PlantedTermStructure {
    static let now = EasternTime.close(on: CalendarDate(iso: "2025-03-10")!)
    static let theta = 0.16 * 0.16 / 252  // base variance per business day (16 % vol)

    let clock = try! BusinessClock()
    var expiries: [ExpiryTotalVariance] = []
    let event: MarketEvent
    let planted: Double

    init(event: MarketEvent, planted: Double, days: Int, noise: Double, seed: UInt64) {
        self.event = event
        self.planted = planted
        var rng = SeededGenerator(seed: seed)
        var d = Self.now.date
        for _ in 0..<days {
            d = TradingCalendar.nyse.nextTradingDay(after: d)
            let t = EasternTime.close(on: d)
            let w = Self.theta * clock.businessDays(from: Self.now, to: t) + (event.time <= t ? planted : 0)
            expiries.append(ExpiryTotalVariance(expiryTime: t, totalVariance: w * (1 + noise * (2 * rng.nextUnitDouble() - 1))))
        }
    }
}

@Suite("Event variance from the term structure")
struct EventVarianceTests {
    static let fomc = MarketEvent(kind: .fomc, date: CalendarDate(iso: "2025-03-19")!, label: "FOMC March 2025")!

    @Test("A planted FOMC jump of 4 sessions is recovered within 5 % with 0.2 % noise on every expiry", arguments: [1, 2, 3] as [UInt64])
    func recovered(seed: UInt64) throws {
        let planted = 4 * PlantedTermStructure.theta
        let ts = PlantedTermStructure(event: Self.fomc, planted: planted, days: 20, noise: 0.002, seed: seed)
        let prior = EventVariancePrior(totalVariance: 2 * PlantedTermStructure.theta, standardDeviation: 1.5 * PlantedTermStructure.theta)
        let out = try EventVarianceEstimator.estimate(valuationTime: PlantedTermStructure.now, expiries: ts.expiries, events: [Self.fomc],
                                                      priors: [.fomc: prior], clock: ts.clock)
        let e = try #require(out.first)
        #expect(e.method == .termStructure, "seed \(seed): \(e)")
        #expect(e.firstExpiryAfter == EasternTime.close(on: Self.fomc.date))
        let v = try #require(e.totalVariance)
        #expect(abs(v / planted - 1) < 0.05, "seed \(seed): estimate \(v) vs planted \(planted), λ \(e.termStructureWeight)")
        #expect(abs(e.sessionEquivalents! - 4) < 0.25, "seed \(seed): \(e.sessionEquivalents!) sessions")
        #expect(e.termStructureWeight > 0.9)
    }

    @Test("Shrunk to the prior when the term structure cannot separate the event")
    func prior() throws {
        let prior = EventVariancePrior(totalVariance: 2 * PlantedTermStructure.theta, standardDeviation: PlantedTermStructure.theta)
        // Only expiries before the event: none after it.
        let short = PlantedTermStructure(event: Self.fomc, planted: 0, days: 5, noise: 0, seed: 9)
        let none = try EventVarianceEstimator.estimate(valuationTime: PlantedTermStructure.now, expiries: short.expiries, events: [Self.fomc],
                                                       priors: [.fomc: prior], clock: short.clock)
        #expect(none.first?.method == .prior && none.first?.notes == [.noExpiryAfterEvent] && none.first?.totalVariance == prior.totalVariance)
        // One expiry, after the event: no event-free neighbour to calibrate the base rate.
        let single = PlantedTermStructure(event: Self.fomc, planted: 1e-3, days: 20, noise: 0, seed: 9)
        let lone = try EventVarianceEstimator.estimate(valuationTime: PlantedTermStructure.now, expiries: [single.expiries[10]], events: [Self.fomc],
                                                       priors: [.fomc: prior], clock: single.clock)
        #expect(lone.first?.notes == [.noEventFreeNeighbour] && lone.first?.totalVariance == prior.totalVariance)
        // Nothing planted and the event's expiry priced a little low: negative excess.
        var flat = PlantedTermStructure(event: Self.fomc, planted: 0, days: 20, noise: 0, seed: 9)
        let j = flat.expiries.firstIndex { $0.expiryTime >= Self.fomc.time }!
        flat.expiries[j].totalVariance -= 0.1 * PlantedTermStructure.theta
        let negative = try EventVarianceEstimator.estimate(valuationTime: PlantedTermStructure.now, expiries: flat.expiries, events: [Self.fomc],
                                                           priors: [.fomc: prior], clock: flat.clock)
        #expect(negative.first?.notes == [.nonPositiveExcess] && negative.first?.method == .prior)
        // No prior and nothing to separate: unavailable, not a made-up number.
        let unknown = try EventVarianceEstimator.estimate(valuationTime: PlantedTermStructure.now, expiries: short.expiries, events: [Self.fomc],
                                                          priors: [:], clock: short.clock)
        #expect(unknown.first?.method == .unavailable && unknown.first?.totalVariance == nil)
        #expect(throws: SignalsError.self) {
            try EventVarianceEstimator.estimate(valuationTime: PlantedTermStructure.now,
                                                expiries: [ExpiryTotalVariance(expiryTime: Self.fomc.time, totalVariance: .nan)],
                                                events: [], priors: [:], clock: short.clock)
        }
    }

    @Test("Weekly expiries only: the event's week is shrunk more but still recovered within 15 %")
    func weekly() throws {
        let planted = 4 * PlantedTermStructure.theta
        let daily = PlantedTermStructure(event: Self.fomc, planted: planted, days: 40, noise: 0, seed: 4)
        let fridays = daily.expiries.filter { $0.expiryTime.date.isoWeekday == 5 }
        let prior = EventVariancePrior(totalVariance: 3 * PlantedTermStructure.theta, standardDeviation: 2 * PlantedTermStructure.theta)
        let e = try #require(try EventVarianceEstimator.estimate(valuationTime: PlantedTermStructure.now, expiries: fridays, events: [Self.fomc],
                                                                 priors: [.fomc: prior], clock: daily.clock).first)
        #expect(e.method == .termStructure)
        #expect(abs(e.totalVariance! / planted - 1) < 0.15, "\(e)")
    }
}

@Suite("Surface projection")
struct ProjectionTests {
    static let now = PlantedTermStructure.now
    static let clock = try! BusinessClock()

    /// Flat slices (b = 0) with w = θ·B(now, T) + event variance for expiries after `event`.
    static func flatSlices(theta: Double, event: EventTotalVariance? = nil) -> [ProjectionSlice] {
        var d = now.date
        return (0..<30).map { _ in
            d = TradingCalendar.nyse.nextTradingDay(after: d)
            let t = EasternTime.close(on: d)
            let w = theta * clock.businessDays(from: now, to: t) + (event.map { $0.time <= t ? $0.totalVariance : 0 } ?? 0)
            return ProjectionSlice(expiryTime: t, timeToExpiryYears: Double(t.minutes(since: now)) / 525_600, forward: 5700,
                                   shape: .svi(SVIParameters(a: w, b: 0, rho: 0, m: 0, sigma: 0.1)))
        }
    }

    @Test("Flat vol, no events: rolling one day removes exactly one day's variance from every expiry")
    func flatRoll() throws {
        let theta = PlantedTermStructure.theta
        let slices = Self.flatSlices(theta: theta)
        let rolled = try SurfaceProjection.rollOneTradingDay(slices, from: Self.now, clock: Self.clock)
        #expect(rolled.to == EasternTime.close(on: date("2025-03-11")))
        #expect(rolled.expiries.count == slices.count - 1, "the expiry at the target has settled")
        for (p, s) in zip(rolled.expiries, slices.dropFirst()) {
            let before = s.shape.totalVariance(atLogMoneyness: 0)
            for k in [-0.3, 0, 0.2] {
                #expect(abs(p.totalVariance(atLogMoneyness: k) - (before - theta)) < 1e-17, "\(s.expiryTime) k \(k)")
            }
            #expect(abs(p.expectedMovePoints - 5700 * (before - theta).squareRoot()) < 1e-9)
            #expect(p.eventTotalVariance == 0)
        }
        #expect(rolled.calendarViolations.isEmpty)
    }

    @Test("Rolling across an event removes its variance; projecting after the event too")
    func eventRoll() throws {
        let theta = PlantedTermStructure.theta
        let cpi = MarketEvent(kind: .cpi, time: EasternTime(date: date("2025-03-12"), hour: 8, minute: 30), label: "cpi")
        let v = 3 * theta
        let slices = Self.flatSlices(theta: theta, event: EventTotalVariance(time: cpi.time, totalVariance: v))
        let events = [EventTotalVariance(time: cpi.time, totalVariance: v)]
        // Tuesday's roll: the event is still ahead, every expiry after Wednesday keeps it.
        let tuesday = try SurfaceProjection.rollOneTradingDay(slices, from: Self.now, events: events, clock: Self.clock)
        let last = tuesday.expiries.last!
        #expect(abs(last.atmTotalVarianceProjected - (slices.last!.shape.totalVariance(atLogMoneyness: 0) - theta)) < 1e-17)
        #expect(abs(last.eventTotalVariance - v) < 1e-18)
        // After the event (the close of 12 March): two days and the event gone.
        let estimate = EventVarianceEstimate(event: cpi, firstExpiryAfter: nil, baseVariancePerBusinessDay: theta, rawExcessTotalVariance: v,
                                             priorTotalVariance: nil, termStructureWeight: 1, totalVariance: v, sessionEquivalents: 3,
                                             method: .termStructure, notes: [])
        let after = try SurfaceProjection.projectThroughEvents(slices, from: Self.now, horizon: EasternTime.close(on: date("2025-04-30")),
                                                               events: [estimate], clock: Self.clock)
        let surface = try #require(after.first?.surface)
        #expect(surface.to == EasternTime.close(on: date("2025-03-12")))
        for (p, s) in zip(surface.expiries, slices.dropFirst(2)) {
            #expect(abs(p.atmTotalVarianceProjected - (s.shape.totalVariance(atLogMoneyness: 0) - 2 * theta - v)) < 1e-17)
            #expect(p.eventTotalVariance == 0)
        }
    }

    @Test("Projections keep calendar no-arbitrage on random skewed surfaces with events (seeded)", arguments: [11, 12, 13, 14, 15] as [UInt64])
    func calendarNoArbitrage(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        // SVI slices with a, b growing in T (so w is non-decreasing in T at every k): calendar-free input.
        var a = 0.0, b = 0.0
        var d = Self.now.date
        var slices: [ProjectionSlice] = []
        for _ in 0..<25 {
            d = TradingCalendar.nyse.nextTradingDay(after: d)
            a += 1e-4 * (0.5 + rng.nextUnitDouble())
            b += 2e-4 * rng.nextUnitDouble()
            let t = EasternTime.close(on: d)
            slices.append(ProjectionSlice(expiryTime: t, timeToExpiryYears: Double(t.minutes(since: Self.now)) / 525_600, forward: 5700,
                                          shape: .svi(SVIParameters(a: a, b: b, rho: -0.6, m: 0.02, sigma: 0.1))))
        }
        let events = (0..<3).map { i in EventTotalVariance(time: EasternTime(date: slices[3 + 5 * i].expiryTime.date, hour: 8, minute: 30),
                                                           totalVariance: 2e-4 * rng.nextUnitDouble()) }
        for target in [slices[0].expiryTime, EasternTime(date: slices[2].expiryTime.date, hour: 11), slices[9].expiryTime] {
            for scenario in [ProjectionScenario(), ProjectionScenario(rule: .stickyStrike, forwardLogMove: -0.03),
                             ProjectionScenario(rule: .stickyMoneyness, forwardLogMove: 0.02)] {
                let p = try SurfaceProjection.project(slices, from: Self.now, to: target, events: events, clock: Self.clock, scenario: scenario)
                #expect(p.calendarViolations.isEmpty, "seed \(seed) target \(target) \(scenario): \(p.calendarViolations)")
                // Independent check on a finer grid than the projection's own.
                for (x, y) in zip(p.expiries, p.expiries.dropFirst()) {
                    for k in stride(from: -1.5, through: 1.0, by: 0.01) {
                        #expect(y.totalVariance(atLogMoneyness: k) >= x.totalVariance(atLogMoneyness: k) - 1e-15,
                                "seed \(seed) target \(target) k \(k) \(scenario)")
                    }
                    #expect(x.atmTotalVarianceProjected >= 0)
                }
            }
        }
    }

    @Test("Sticky strike reads the rolled smile at the old moneyness of each strike")
    func stickyStrike() throws {
        let slices = [ProjectionSlice(expiryTime: EasternTime.close(on: date("2025-04-17")), timeToExpiryYears: 38.0 / 365, forward: 5700,
                                      shape: .svi(SVIParameters(a: 0.002, b: 0.03, rho: -0.7, m: 0.01, sigma: 0.08)))]
        let m = -0.04
        let moneyness = try SurfaceProjection.rollOneTradingDay(slices, from: Self.now, clock: Self.clock,
                                                                scenario: ProjectionScenario(forwardLogMove: m))
        let strike = try SurfaceProjection.rollOneTradingDay(slices, from: Self.now, clock: Self.clock,
                                                             scenario: ProjectionScenario(rule: .stickyStrike, forwardLogMove: m))
        let x = moneyness.expiries[0], y = strike.expiries[0]
        #expect(abs(x.forwardProjected - 5700 * exp(m)) < 1e-9)
        for k in [-0.2, 0, 0.1] {
            #expect(abs(y.totalVariance(atLogMoneyness: k) - x.totalVariance(atLogMoneyness: k + m)) < 1e-17)
        }
        // Down move, negative skew: the new ATM strike had a higher vol, so sticky strike raises ATM vol.
        #expect(y.atmVolatilityProjected > x.atmVolatilityProjected)
        #expect(throws: SignalsError.self) {
            try SurfaceProjection.project(slices, from: Self.now, to: EasternTime.close(on: date("2025-05-30")), clock: Self.clock)
        }
    }
}
