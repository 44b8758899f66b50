import Foundation
import Testing
@testable import Strategy
import VixShieldCore

// MARK: - Beta

@Suite("ALVH beta")
struct HedgeBetaTests {
    @Test("OLS recovers a planted slope from seeded noisy data, with a drift in the intercept",
          arguments: [(UInt64(11), 0.7, 0.05), (UInt64(12), 0.45, -0.08), (UInt64(13), 0.9, 0.0)])
    func recoversSlope(seed: UInt64, beta: Double, drift: Double) throws {
        var rng = SplitMix64(seed: seed)
        var x: [Double] = [], y: [Double] = []
        for _ in 0..<250 {
            let dv = 0.8 * HedgeFixtures.normal(&rng)
            x.append(dv)
            y.append(drift + beta * dv + 0.3 * HedgeFixtures.normal(&rng))
        }
        let e = try #require(HedgeBeta.estimate(vxChanges: y, atmVolChanges: x), "seed \(seed)")
        #expect(abs(e.beta - beta) < 4 * e.standardError, "seed \(seed): \(e.beta) vs \(beta) ± \(e.standardError)")
        // se ≈ 0.3 / (0.8 √250) ≈ 0.024; R² ≈ β²·0.64 / (β²·0.64 + 0.09).
        #expect(e.standardError > 0.015 && e.standardError < 0.035, "seed \(seed): se \(e.standardError)")
        let r2 = beta * beta * 0.64 / (beta * beta * 0.64 + 0.09)
        #expect(abs(e.rSquared - r2) < 0.08, "seed \(seed): R² \(e.rSquared) vs \(r2)")
        #expect(abs(e.intercept - drift) < 0.1 && e.observations == 250, "seed \(seed)")
        let choice = HedgeBeta.choose(estimate: e)
        #expect(choice.source == .estimated && choice.beta == e.beta)
    }

    @Test("an exact line gives the slope, zero standard error and R² of 1")
    func exactLine() throws {
        let x = (0..<30).map { Double($0 % 7) - 3 }
        let e = try #require(HedgeBeta.estimate(vxChanges: x.map { 0.2 + 0.6 * $0 }, atmVolChanges: x))
        #expect(abs(e.beta - 0.6) < 1e-12 && abs(e.intercept - 0.2) < 1e-12 && e.standardError < 1e-9 && abs(e.rSquared - 1) < 1e-12)
    }

    @Test("too few observations or no variance give nil, and the caller gets the fallback, reported")
    func fallback() {
        let x = (0..<19).map { Double($0) }
        #expect(HedgeBeta.estimate(vxChanges: x, atmVolChanges: x) == nil)
        let flat = [Double](repeating: 0.5, count: 40)
        #expect(HedgeBeta.estimate(vxChanges: (0..<40).map(Double.init), atmVolChanges: flat) == nil)
        #expect(HedgeBeta.estimate(vxChanges: flat, atmVolChanges: (0..<40).map(Double.init)) == nil)
        #expect(HedgeBeta.estimate(vxChanges: [1, 2], atmVolChanges: [1]) == nil)
        let choice = HedgeBeta.choose(estimate: nil)
        #expect(choice.beta == 0.6 && choice.label == "fallback")
        let negative = HedgeBeta.estimate(vxChanges: (0..<30).map { -Double($0 % 5) }, atmVolChanges: (0..<30).map { Double($0 % 5) })
        #expect(HedgeBeta.choose(estimate: negative).label == "fallback")
    }

    @Test("matched tenor: the monthly VX nearest the condor's expiry; paired changes skip gaps")
    func matchedAndPaired() {
        let asOf = HedgeFixtures.date("2026-07-20")
        let c = HedgeBeta.matchedContract(curve: HedgeFixtures.curve(asOf: asOf, front: 18, step: 1), tradeDate: asOf,
                                          condorExpiry: HedgeFixtures.condorExpiry)
        #expect(c?.symbol == "VX/Q6" && c?.expiry == HedgeFixtures.date("2026-08-19"))
        let d = (1...5).map { HedgeFixtures.date("2026-07-0\($0)") }
        let vx: [CalendarDate: Double] = [d[0]: 18, d[1]: 19, d[2]: 18.5, d[4]: 20]
        let vol: [CalendarDate: Double] = [d[0]: 15, d[1]: 16, d[2]: 16, d[3]: 17, d[4]: 18]
        let p = HedgeBeta.pairedChanges(vxSettles: vx, atmVols: vol)
        // d1 and d2 pair; d4 does not (VX skipped d3, vol did not).
        #expect(p.vxChanges == [1, -0.5] && p.atmVolChanges == [1, 0])
    }
}

// MARK: - Target and sizing

@Suite("ALVH target and layers")
struct HedgeLayerTests {
    let asOf = HedgeFixtures.date("2026-07-20")

    @Test("target: −vega·fraction / (beta·$1,000); the gamma add-on only for short gamma, capped")
    func target() {
        let config = ALVHConfig()
        let t = HedgeTarget.compute(netVegaUSD: -6_000, netGammaUSD: 0, spot: 6_000, atmVolatility: 0.16, beta: 0.6, config: config)
        #expect(abs(t.vxContracts - 10) < 1e-12)
        // Γ$ = −5 per point²: a one-sigma day is 6000·0.16/√252 ≈ 60.47 points, ½·5·60.47² ≈ $9,143 → capped at |vega|.
        let g = HedgeTarget.compute(netVegaUSD: -6_000, netGammaUSD: -5, spot: 6_000, atmVolatility: 0.16, beta: 0.6, config: config)
        #expect(g.gammaAddOnVegaUSD == 6_000 && abs(g.vxContracts - 20) < 1e-12)
        let small = HedgeTarget.compute(netVegaUSD: -6_000, netGammaUSD: -1, spot: 6_000, atmVolatility: 0.16, beta: 0.6, config: config)
        let move = 6_000 * 0.16 / 252.0.squareRoot()
        #expect(abs(small.gammaAddOnVegaUSD - 0.5 * move * move) < 1e-9)
        let long = HedgeTarget.compute(netVegaUSD: -6_000, netGammaUSD: 2, spot: 6_000, atmVolatility: 0.16, beta: 0.6, config: config)
        #expect(long.gammaAddOnVegaUSD == 0)
    }

    @Test("the base layer is 10–15 % of the target, in whole VX contracts")
    func baseLayer() {
        let config = ALVHConfig()
        let target = HedgeFixtures.target(netVegaUSD: -16_000)   // 26.7 VX
        let d = ALVH.decide(inputs: ALVHInputs(market: HedgeFixtures.market(asOf: asOf), target: target, signals: HedgeSignals()),
                            config: config, previous: [])
        let base = d[.base]
        #expect(base.active && base.status == .switchedOn && base.instrument == .vx && base.contract == "VX/Q6")
        let share = base.vegaOffsetUSD / target.vegaToOffsetUSD
        #expect(share >= 0.10 && share <= 0.15, "base share \(share): \(base.rationale)")
        #expect(base.quantity == 3 && abs(base.requestedVX - 0.125 * target.vxContracts) < 1e-12)
        // Signal layers stay off with no signals (missing inputs are reported, not assumed).
        #expect(d.filter(\.active).count == 1)
        #expect(d[.rsiStress].status == .missingInput && d[.event].status == .off)
        #expect(throws: ALVHConfigError.self) {
            var bad = ALVHConfig()
            bad.baseFraction = 0.2
            try bad.validate()
        }
    }

    @Test("quantities are integers; VXM below one VX; a quantity that rounds to 0 is reported")
    func instruments() {
        var config = ALVHConfig()
        config.monthlyBudgetUSD = 1_000_000
        func base(_ vega: Double) -> HedgeLayerDecision {
            ALVH.decide(inputs: ALVHInputs(market: HedgeFixtures.market(asOf: asOf), target: HedgeFixtures.target(netVegaUSD: vega),
                                           signals: HedgeSignals()), config: config, previous: [])[.base]
        }
        let mini = base(-2_000)   // 3.33 VX target, base 0.417 VX → 4 VXM
        #expect(mini.instrument == .vxm && mini.quantity == 4 && mini.contract == "VXM/Q6", "\(mini.rationale)")
        #expect(abs(mini.vegaOffsetUSD - 4 * 100 * 0.6) < 1e-9)
        let big = base(-40_000)   // 66.7 VX, base 8.33 → 8 VX
        #expect(big.instrument == .vx && big.quantity == 8)
        let none = base(-100)     // base 0.02 VX → 0.2 VXM → 0
        #expect(!none.active && none.status == .roundsToZero && none.quantity == 0 && none.rationale.contains("rounds to 0"))
    }

    @Test("the budget blocks a layer and says why; layers already on keep their place")
    func budget() throws {
        var config = ALVHConfig()
        // VX/Q6 at 19 against spot 16, 30 days to expiry: $100 a day per VX, $3,000 a month.
        config.monthlyBudgetUSD = 4_000
        let market = HedgeFixtures.market(asOf: asOf, spotVIX: 16, front: 18, step: 1)
        let target = HedgeFixtures.target(netVegaUSD: -5_000)   // 8.33 VX: base 1 VX, RSI 0.83 → 8 VXM
        let signals = HedgeSignals(rsi: 20, rsiBandLow: 30)
        let d = ALVH.decide(inputs: ALVHInputs(market: market, target: target, signals: signals), config: config, previous: [])
        #expect(d[.base].active && abs(d[.base].carryCostUSDPerMonth - 3_000) < 1e-9)
        let rsi = d[.rsiStress]
        #expect(!rsi.active && rsi.status == .blockedByBudget && rsi.rationale.contains("over budget, would buy 8 VXM/Q6"),
                "\(rsi.rationale)")
        #expect(abs(rsi.carryCostUSDPerMonth - 2_400) < 1e-9 && rsi.instrument == .vxm)
        config.monthlyBudgetUSD = 6_000
        let ok = ALVH.decide(inputs: ALVHInputs(market: market, target: target, signals: signals), config: config, previous: [])
        #expect(ok[.rsiStress].active && ok[.rsiStress].quantity == 8)
    }

    /// The RSI layer over consecutive sessions for a list of RSI values (band low 30: on below 30, off above 35).
    func rsiRun(_ values: [Double], minimumHold: Int = 3) -> [HedgeLayerDecision] {
        var config = ALVHConfig()
        config.minimumHoldSessions = minimumHold
        let days = HedgeFixtures.sessions(from: "2026-07-06", count: values.count)
        let inputs = zip(days, values).map { day, rsi in
            (inputs: ALVHInputs(market: HedgeFixtures.market(asOf: day), target: HedgeFixtures.target(),
                                signals: HedgeSignals(rsi: rsi, rsiBandLow: 30)), note: "rsi \(rsi)")
        }
        return HedgeFixtures.run(inputs, config: config).map { $0[.rsiStress] }
    }

    @Test("hysteresis: a small reversal keeps the layer on, a large one turns it off after the minimum hold")
    func hysteresis() {
        let r = rsiRun([36, 28, 32, 33, 34, 32, 40, 31])
        #expect(r.map(\.active) == [false, true, true, true, true, true, false, false], "\(r.map(\.status))")
        #expect(r[1].status == .switchedOn && r[2].status == .held && r[6].status == .switchedOff)
        // 31 is above the on-threshold: off stays off (hysteresis both ways).
        #expect(r[7].status == .off)
        // Quantity and contract are fixed while held.
        #expect(Set(r[1...5].map(\.quantity)).count == 1 && Set(r[1...5].map(\.contract)).count == 1)
    }

    @Test("the minimum hold prevents flapping; without it the same path flaps")
    func minimumHold() {
        let path: [Double] = [28, 45, 45, 45, 28, 45]
        let held = rsiRun(path)
        #expect(held.map(\.status) == [.switchedOn, .heldMinimum, .heldMinimum, .switchedOff, .switchedOn, .heldMinimum])
        let flappy = rsiRun(path, minimumHold: 0)
        #expect(flappy.map(\.active) == [true, false, false, false, true, false])
    }

    @Test("a closed condor takes every layer off at once, whatever the hold")
    func condorClosed() {
        let day = HedgeFixtures.date("2026-07-21")
        let yesterday = ALVH.decide(inputs: ALVHInputs(market: HedgeFixtures.market(asOf: asOf), target: HedgeFixtures.target(),
                                                       signals: HedgeSignals(rsi: 20, rsiBandLow: 30)), config: ALVHConfig(), previous: [])
        #expect(yesterday[.rsiStress].active)
        let today = ALVH.decide(inputs: ALVHInputs(market: HedgeFixtures.market(asOf: day), target: HedgeFixtures.target(),
                                                   signals: HedgeSignals(rsi: 20, rsiBandLow: 30), condorOpen: false),
                                config: ALVHConfig(), previous: yesterday.map(\.state))
        #expect(today.allSatisfy { !$0.active } && today[.rsiStress].status == .switchedOff && today[.base].status == .switchedOff)
    }
}

// MARK: - Scenario

@Suite("ALVH scenario P&L")
struct HedgeScenarioTests {
    @Test("SPX down, VIX up 10: hedge P&L positive, futures equal to vega offset × vol shock less carry, calls gain")
    func spike() throws {
        let asOf = HedgeFixtures.date("2026-07-20")
        let target = HedgeFixtures.target(netVegaUSD: -20_000)   // 33.3 VX
        let event = try #require(MarketEvent(kind: .cpi, date: HedgeFixtures.date("2026-07-23"), label: "CPI"))
        let signals = HedgeSignals(rsi: 25, rsiBandLow: 30, eventsInLife: [event])
        var config = ALVHConfig()
        config.monthlyBudgetUSD = 100_000
        let d = ALVH.decide(inputs: ALVHInputs(market: HedgeFixtures.market(asOf: asOf), target: target, signals: signals),
                            config: config, previous: [])
        let futures = d.filter { $0.active && $0.instrument != .vixCall }
        let calls = d.filter { $0.active && $0.instrument == .vixCall }
        #expect(futures.count == 2 && calls.count == 1, "\(d.map(\.rationale))")
        // Call on the Aug-19 forward (first expiry ≥ 7 days out), strike 18 + 1 + 5 = 24.
        #expect(calls[0].contract == "VIX C 24 2026-08-19" && calls[0].quantity > 0)

        // SPX ATM vol +12 points maps to a VX move of beta × 12 = 7.2; spot VIX +10.
        let dVol = 12.0, horizon = 5
        let dVX = HedgeScenario.vxChange(atmVolChangePoints: dVol, beta: target.beta)
        let futuresPnl = HedgeScenario.pnlUSD(layers: futures, vixChangePoints: 10, vxChangePoints: dVX, horizonDays: horizon,
                                              asOf: asOf, spotVIX: 16)
        let expected = futures.reduce(0) { $0 + $1.vegaOffsetUSD * dVol - $1.carryUSDPerDay * Double(horizon) }
        #expect(abs(futuresPnl - expected) < 1e-6, "\(futuresPnl) vs \(expected)")
        let byQuantity = futures.reduce(0) { $0 + Double($1.quantity) * $1.instrument!.multiplierUSD * dVX - $1.carryUSDPerDay * 5 }
        #expect(abs(futuresPnl - byQuantity) < 1e-6)
        let callPnl = HedgeScenario.pnlUSD(layers: calls, vixChangePoints: 10, vxChangePoints: dVX, horizonDays: horizon,
                                           asOf: asOf, spotVIX: 16)
        // The calls gain, but less than their delta-equivalent VX would on a 7.2 move plus convexity bound:
        // value ≤ intrinsic + time value of a forward 25.2 vs strike 24, never more than the forward move.
        #expect(callPnl > 0 && callPnl < Double(calls[0].quantity) * 100 * dVX, "call P&L \(callPnl)")
        let total = HedgeScenario.pnlUSD(layers: d, vixChangePoints: 10, vxChangePoints: dVX, horizonDays: horizon, asOf: asOf, spotVIX: 16)
        #expect(abs(total - futuresPnl - callPnl) < 1e-6 && total > 0)
        // Against the condor's vega loss on the same shock: the hedge offsets close to its share of the target.
        let condorVegaLoss = target.netVegaUSD * dVol
        let offsetShare = d.reduce(0) { $0 + $1.vegaOffsetUSD } / target.vegaToOffsetUSD
        #expect(offsetShare > 0.2 && offsetShare < 0.45, "share \(offsetShare)")
        #expect(total > -condorVegaLoss * 0.15 && total < -condorVegaLoss, "hedge \(total) vs condor vega loss \(condorVegaLoss)")
        // Calm: no shock, the futures lose only their carry.
        let calm = HedgeScenario.pnlUSD(layers: futures, vixChangePoints: 0, vxChangePoints: 0, horizonDays: horizon, asOf: asOf, spotVIX: 16)
        #expect(abs(calm + futures.reduce(0) { $0 + $1.carryUSDPerDay } * 5) < 1e-9 && calm < 0)
    }
}

@Suite("ALVH held VIX calls")
struct HedgeHeldCallTests {
    @Test("a held call keeps its quantity and its cost (the premium paid) while its value and offset rise")
    func heldCall() throws {
        let day1 = HedgeFixtures.date("2026-07-20"), day2 = HedgeFixtures.date("2026-07-21")
        let event = try #require(MarketEvent(kind: .fomc, date: HedgeFixtures.date("2026-07-24"), label: "FOMC"))
        let signals = HedgeSignals(eventsInLife: [event])
        let first = ALVH.decide(inputs: ALVHInputs(market: HedgeFixtures.market(asOf: day1), target: HedgeFixtures.target(),
                                                   signals: signals), config: ALVHConfig(), previous: [])
        let spiked = HedgeFixtures.market(asOf: day2, spotVIX: 30, front: 28, step: -1)
        let second = ALVH.decide(inputs: ALVHInputs(market: spiked, target: HedgeFixtures.target(), signals: signals),
                                 config: ALVHConfig(), previous: first.map(\.state))
        let a = first[.event], b = second[.event]
        #expect(a.status == .switchedOn && b.status == .held && a.quantity == b.quantity && a.contract == b.contract)
        #expect(abs(a.carryCostUSDPerMonth - b.carryCostUSDPerMonth) < 1e-9, "\(a.rationale) / \(b.rationale)")
        #expect(b.premium! > 3 * a.premium! && b.vegaOffsetUSD > 2 * a.vegaOffsetUSD)
        #expect(b.state.entryPremium == a.premium)
    }
}
