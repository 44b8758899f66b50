import Testing
@testable import Strategy

/// Settlement P&L of a 5900/6000/6400/6500 condor for 20 points of credit, worked by hand.
@Suite("Condor settlement and performance")
struct OutcomeTests {
    @Test("settlement P&L: inside, at a strike, inside a wing, beyond each wing", arguments: [
        (6200.0, 20.0),   // between the shorts: the whole credit
        (6000.0, 20.0),   // at the short put: still worthless
        (6400.0, 20.0),   // at the short call
        (5950.0, -30.0),  // half-way into the put wing: 20 - 50
        (5900.0, -80.0),  // at the long put: the max loss, 20 - 100
        (5000.0, -80.0),  // far beyond the put wing: capped
        (6450.0, -30.0),  // half-way into the call wing
        (7000.0, -80.0),  // far beyond the call wing
    ])
    func settlement(price: Double, expected: Double) {
        let pnl = CondorSettlement.pnlPoints(longPut: 5900, shortPut: 6000, shortCall: 6400, longCall: 6500, credit: 20, settlement: price)
        #expect(abs(pnl - expected) < 1e-12, "settlement \(price): \(pnl), expected \(expected)")
    }

    @Test("AM-settled SPX settles at the opening value, PM-settled SPXW at the close")
    func settlementSource() {
        #expect(CondorSettlement.source(root: "SPX") == .openingValue)
        #expect(CondorSettlement.source(root: "SPXW") == .close)
    }

    @Test("performance summary of a hand-worked trade list")
    func summary() {
        let s = PerformanceSummary(pnlsUSD: [100, -50, 30])
        #expect(s.trades == 3 && s.totalPnlUSD == 80 && s.worstPnlUSD == -50)
        #expect(abs(s.winRate! - 2.0 / 3) < 1e-15)
        // Equity 100, 50, 80: the peak of 100 falls to 50.
        #expect(s.maxDrawdownUSD == 50)
        // Mean 80/3, sample variance ((100-m)² + (-50-m)² + (30-m)²)/2 with m = 80/3.
        let m = 80.0 / 3
        let sd = (((100 - m) * (100 - m) + (-50 - m) * (-50 - m) + (30 - m) * (30 - m)) / 2).squareRoot()
        #expect(abs(s.sharpe! - m / sd) < 1e-12)
        #expect(PerformanceSummary(pnlsUSD: []).winRate == nil && PerformanceSummary(pnlsUSD: [5]).sharpe == nil)
        // Scaled to a year: two trades a year in one year's span leave the per-trade ratio × √2.
        let yearly = PerformanceSummary(pnlsUSD: [100, -50], years: 1)
        #expect(abs(yearly.sharpe! - PerformanceSummary(pnlsUSD: [100, -50]).sharpe! * 2.0.squareRoot()) < 1e-12)
    }
}
