import Foundation
import Testing
@testable import Strategy
import VixShieldCore

/// A seeded month of signals: calm, a stress spike, recovery. The layers must come on in the spike,
/// go off in the recovery, never flap, and the base layer must stay on throughout.
@Suite("ALVH over a simulated month")
struct HedgeSimulationTests {
    enum Phase: String { case calm, stress, recovery }

    struct Day {
        var date: CalendarDate
        var phase: Phase
        var inputs: ALVHInputs
    }

    static func month(seed: UInt64) -> [Day] {
        var rng = SplitMix64(seed: seed)
        func noise(_ scale: Double) -> Double { scale * HedgeFixtures.normal(&rng) }
        let dates = HedgeFixtures.sessions(from: "2026-07-01", count: 24)
        let events = [MarketEvent(kind: .cpi, date: HedgeFixtures.date("2026-07-14"), label: "CPI")!,
                      MarketEvent(kind: .fomc, date: HedgeFixtures.date("2026-07-29"), label: "FOMC")!]
        let entryVol = 14.0
        var days: [Day] = []
        var spxHistYesterday = 0.8, vixHistYesterday = -0.3
        for (i, date) in dates.enumerated() {
            let phase: Phase = i < 7 ? .calm : i < 13 ? .stress : .recovery
            let vix: Double, rsi: Double, spxHist: Double, vixHist: Double, ratio: Double, shape: HedgeTermShape
            let ad: Int, delta: Double, atmVol: Double, front: Double, step: Double
            switch phase {
            case .calm:
                vix = 14 + noise(0.4); rsi = 52 + noise(4); spxHist = 0.8 + noise(0.2); vixHist = -0.3 + noise(0.05)
                ratio = 0.84 + noise(0.01); shape = .contango; ad = 0; delta = 0.15 + noise(0.01); atmVol = entryVol + noise(0.3)
                front = vix + 1.5; step = 1.0
            case .stress:
                let k = Double(i - 7)
                vix = 24 + 2 * k + noise(1); rsi = 22 + noise(3); spxHist = -1.5 - 0.2 * k + noise(0.2); vixHist = 0.9 + noise(0.1)
                ratio = 1.06 + noise(0.02); shape = .backwardation; ad = i < 10 ? -1 : 0; delta = 0.31 + noise(0.02)
                atmVol = 24 + 1.5 * k + noise(0.5); front = vix - 2; step = -1.0
            case .recovery:
                let k = Double(i - 13)
                vix = max(16, 30 - 2 * k) + noise(0.5); rsi = min(60, 40 + 3 * k) + noise(2); spxHist = 0.5 + 0.1 * k + noise(0.1)
                vixHist = -0.6 + noise(0.05); ratio = max(0.86, 0.98 - 0.03 * k) + noise(0.005)
                shape = k < 2 ? .flat : .contango; ad = k < 3 ? 0 : 1; delta = max(0.16, 0.24 - 0.02 * k) + noise(0.005)
                atmVol = max(14.5, 22 - 1.5 * k) + noise(0.3); front = vix + 0.5; step = 0.5
            }
            let signals = HedgeSignals(
                rsi: rsi, rsiBandLow: 30, spxMACDHistogram: spxHist, spxMACDHistogramYesterday: spxHistYesterday,
                vixMACDHistogram: vixHist, vixMACDHistogramYesterday: vixHistYesterday, adDivergence: ad, vixOverVIX3M: ratio,
                termShape: shape, eventsInLife: events.filter { $0.date >= date }, shortPutDelta: -delta, shortCallDelta: 0.08,
                atmVolNow: atmVol, atmVolAtEntry: entryVol)
            spxHistYesterday = spxHist
            vixHistYesterday = vixHist
            let market = HedgeFixtures.market(asOf: date, spotVIX: vix, front: front, step: step)
            days.append(Day(date: date, phase: phase,
                            inputs: ALVHInputs(market: market, target: HedgeFixtures.target(netVegaUSD: -12_000), signals: signals)))
        }
        return days
    }

    @Test("layers switch on in the spike and off in the recovery, without flapping", arguments: [UInt64(2026), 7, 99])
    func month(seed: UInt64) {
        let config = ALVHConfig()
        let days = Self.month(seed: seed)
        let timeline = HedgeFixtures.run(days.map { ($0.inputs, $0.phase.rawValue) }, config: config)

        // The printed timeline: one column per layer (# on, . off, b budget-blocked, h held by the minimum).
        let header = HedgeLayerKind.allCases.map { String($0.rawValue.prefix(4)) }.joined(separator: " ")
        var lines = ["seed \(seed)  date        phase     \(header)  offset$/vp  cost$/mo"]
        for (day, decisions) in zip(days, timeline) {
            let cells = decisions.map { d -> String in
                let c: String = switch d.status {
                case .switchedOn: "ON"
                case .held: "##"
                case .heldMinimum: "hh"
                case .switchedOff: "--"
                case .blockedByBudget: "bb"
                case .roundsToZero: "00"
                default: ".."
                }
                return c.padding(toLength: 4, withPad: " ", startingAt: 0)
            }.joined(separator: " ")
            let offset = decisions.reduce(0) { $0 + $1.vegaOffsetUSD }
            let cost = decisions.filter(\.active).reduce(0) { $0 + $1.carryCostUSDPerMonth }
            lines.append("        \(day.date)  \(day.phase.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(cells)  "
                         + "\(hedgeFormat(offset, 0).padding(toLength: 10, withPad: " ", startingAt: 0))  \(hedgeFormat(cost, 0))")
        }
        print(lines.joined(separator: "\n"))

        // Base on every day of the condor's life.
        #expect(timeline.allSatisfy { $0[.base].active }, "seed \(seed)")
        // Calm: only the base (and the CPI event layer once the release is within its lead).
        let calm = zip(days, timeline).filter { $0.0.phase == .calm }.map(\.1)
        let calmSustained: [HedgeLayerKind] = [.rsiStress, .macdTurn, .atmVolUp, .termFlattening, .backwardation, .adDivergence, .deltaBreach]
        #expect(calm.allSatisfy { d in calmSustained.allSatisfy { !d[$0].active } }, "seed \(seed)")
        // Stress: by its third day the stress layers are on (or, if not, blocked by the budget with a reason).
        let stress = zip(days, timeline).filter { $0.0.phase == .stress }.map(\.1)
        for kind in [HedgeLayerKind.rsiStress, .macdTurn, .atmVolUp, .termFlattening, .backwardation, .deltaBreach] {
            let d = stress[2][kind]
            #expect(d.active || d.status == .blockedByBudget, "seed \(seed) \(kind): \(d.rationale)")
        }
        #expect(stress[2].filter(\.active).count >= 5, "seed \(seed)")
        #expect(stress[2].reduce(0) { $0 + $1.vegaOffsetUSD } > 3 * calm[0].reduce(0) { $0 + $1.vegaOffsetUSD }, "seed \(seed)")
        // Recovery: by its end every stress layer is off again.
        let last = timeline.last!
        for kind in [HedgeLayerKind.rsiStress, .macdTurn, .atmVolUp, .termFlattening, .backwardation, .adDivergence, .deltaBreach] {
            #expect(!last[kind].active, "seed \(seed) \(kind) still on: \(last[kind].rationale)")
        }
        // No flapping: every on-run lasts at least the minimum hold (sessions from switching on to off).
        for kind in HedgeLayerKind.allCases {
            let on = timeline.map { $0[kind].active }
            var run = 0
            for (i, a) in on.enumerated() {
                if a { run += 1 } else {
                    if run > 0 { #expect(run >= config.minimumHoldSessions, "seed \(seed) \(kind) ran \(run) ending \(days[i].date)") }
                    run = 0
                }
            }
        }
        // Every decision is an integer quantity ≥ 0, and only active layers hold contracts.
        #expect(timeline.joined().allSatisfy { $0.quantity >= 0 && ($0.active == ($0.quantity > 0)) }, "seed \(seed)")
    }
}
