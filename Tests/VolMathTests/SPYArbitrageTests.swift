import Foundation
import Testing
import VixShieldCore
@testable import VolMath

/// Issue 9 targets on the real SPY chain of 2026-07-14 (skips without `/work/shared`): after the quote
/// screen and the constrained refit, at least 90 % of the expiries with ≥ 10 usable OTM quotes are
/// arbitrage-free, the median RMSE is at most 1 vol point, and the set of tradable expiries does not
/// change when every forward moves by 1e-4 relative, together or each expiry on its own.
@Suite("Real SPY chain: arbitrage-free slices")
struct SPYArbitrageTests {
    static let valuationMinute = (hour: 15, minute: 56)

    static func build(forwardShift: Double = 0) throws -> VolatilitySurface {
        let chain = try SPYChainTests.load()
        var config = SurfaceConfig()
        config.forwardRelativeShift = forwardShift
        return SurfaceBuilder.build(chain: chain, valuationTime: EasternTime(date: chain.session, hour: 15, minute: 56),
                                    fallbackRate: { _ in 0.04 }, config: config)
    }

    static let arbitrageFlags: Set<ExpiryFlag> = [.butterflyArbitrage, .calendarArbitrage, .fitFailed]

    /// Expiries with a fitted slice and no arbitrage or failure flag.
    static func tradable(_ s: VolatilitySurface) -> Set<String> {
        Set(s.expiries.filter { $0.slice != nil && Self.arbitrageFlags.isDisjoint(with: $0.flags) }
            .map { "\($0.expiry.isoString) \($0.settlement.rawValue)" })
    }

    @Test(.enabled(if: SPYChainTests.available)) func arbitrageFreeShareAndRMSE() throws {
        let surface = try Self.base.get()
        let eligible = surface.expiries.filter { ($0.slice?.pointCount ?? 0) >= 10 }
        let free = eligible.filter { Self.arbitrageFlags.isDisjoint(with: $0.flags) }
        let rmses = eligible.map { $0.slice!.rmseVolPoints }.sorted()
        let median = rmses.isEmpty ? .nan : rmses[rmses.count / 2]
        for e in eligible {
            let s = e.slice!
            print(String(format: "SPY %@ screened %3d  points %3d  RMSE %.3f  min g %.4f  outside bid/ask %d (unconstrained %d)  band excess %.3f (unconstrained %.3f)  %@",
                         e.expiry.isoString, e.screenedQuotes, s.pointCount, s.rmseVolPoints, s.minimumButterfly,
                         s.pointsOutsideBidAsk, s.unconstrainedPointsOutsideBidAsk, s.bandExcessVolPoints, s.unconstrainedBandExcessVolPoints,
                         e.flags.map(\.rawValue).joined(separator: ",")))
            if !Self.arbitrageFlags.isDisjoint(with: e.flags) { print("    " + e.diagnostics.joined(separator: "\n    ")) }
        }
        print(String(format: "SPY: %d of %d eligible expiries arbitrage-free (%.0f %%), median RMSE %.3f vol points, screened %d quotes; 30-day %.3f, 9-day %.3f",
                     free.count, eligible.count, 100 * Double(free.count) / Double(max(eligible.count, 1)), median,
                     surface.expiries.reduce(0) { $0 + $1.screenedQuotes }, surface.index30Day ?? .nan, surface.index9Day ?? .nan))
        #expect(eligible.count >= 25)
        #expect(Double(free.count) >= 0.9 * Double(eligible.count), "\(free.count) of \(eligible.count) arbitrage-free")
        #expect(median <= 1, "median RMSE \(median)")
        // Every slice kept its expiry: the constrained refit replaces a fit, it never drops one.
        #expect(eligible.allSatisfy { $0.slice!.minimumButterfly >= 0 || $0.flags.contains(.butterflyArbitrage) })
    }

    /// The unshifted surface, built once for the perturbation tests.
    static let base = Result { try build() }

    /// One line per fitted expiry with what decides its flags: the refit's band excess over the
    /// unconstrained fit's (flag beyond `bandExcessToleranceVolPoints`) and the calendar shortfall below the
    /// previous slice (flag beyond the bid/ask tolerance).
    static func margins(_ s: VolatilitySurface) -> String {
        s.expiries.compactMap { e -> String? in
            guard let slice = e.slice else { return nil }
            let calendar = e.diagnostics.filter { $0.hasPrefix("total variance below") }.joined(separator: "; ")
            return String(format: "%@ %@ band excess +%.3f (%.3f vs %.3f; calendar refit +%.3f) %@ %@", e.expiry.isoString, e.settlement.rawValue,
                          slice.bandExcessVolPoints - slice.unconstrainedBandExcessVolPoints, slice.bandExcessVolPoints,
                          slice.unconstrainedBandExcessVolPoints,
                          (slice.calendarRefitBandExcessVolPoints ?? .nan) - slice.unconstrainedBandExcessVolPoints,
                          e.flags.map(\.rawValue).joined(separator: ","), calendar)
        }.joined(separator: "\n")
    }

    static func expectSameTradable(_ moved: VolatilitySurface, _ label: String) throws {
        let base = try Self.base.get()
        let before = tradable(base), after = tradable(moved)
        if before != after || ProcessInfo.processInfo.environment["VIXSHIELD_PRINT_MARGINS"] != nil { print("\(label):\n\(margins(moved))\nbase:\n\(margins(base))") }
        #expect(after == before, "\(label): lost \(before.subtracting(after).sorted()), gained \(after.subtracting(before).sorted())")
    }

    /// Every forward moved by the same relative amount.
    @Test(.enabled(if: SPYChainTests.available), arguments: [1e-4, -1e-4])
    func tradableExpiriesSurviveAForwardPerturbation(shift: Double) throws {
        try Self.expectSameTradable(try Self.build(forwardShift: shift), "shift \(shift)")
    }

    /// Five times the issue's perturbation: one or two of the daily expiries of 2026-07-21/22 and the last
    /// one still move (their refits sit near the bid/ask tolerance of the calendar floor).
    @Test(.enabled(if: SPYChainTests.available), arguments: [5e-4, -5e-4])
    func tradableExpiriesUnderALargerForwardPerturbation(shift: Double) throws {
        let moved = try Self.build(forwardShift: shift)
        try withKnownIssue("2026-07-21/22 and 2028-06-16 sit near the calendar floor's tolerance at ±5e-4", isIntermittent: true) {
            try Self.expectSameTradable(moved, "shift \(shift)")
        }
    }

    /// Each expiry's forward moved on its own, by a seeded uniform draw in ±1e-4 relative.
    @Test(.enabled(if: SPYChainTests.available), arguments: [UInt64(20_260_714), 9])
    func tradableExpiriesSurviveRandomPerExpiryShifts(seed: UInt64) throws {
        let chain = try SPYChainTests.load()
        var rng = SeededGenerator(seed: seed)
        var config = SurfaceConfig()
        for time in Set(chain.quotes.map(\.contract.expiryTime)).sorted() { config.forwardRelativeShifts[time] = rng.uniform(-1e-4, 1e-4) }
        let moved = SurfaceBuilder.build(chain: chain, valuationTime: EasternTime(date: chain.session, hour: 15, minute: 56),
                                         fallbackRate: { _ in 0.04 }, config: config)
        try Self.expectSameTradable(moved, "seed \(seed)")
    }
}
