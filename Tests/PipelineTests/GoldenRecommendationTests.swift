import Foundation
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

/// The golden recommendation set: two fixed nights of the seeded simulated market through the sample
/// pipeline's profiles (weekly and monthly scored, the cndr benchmark) and hedge. Every column a trader reads
/// is compared (run ids, the only bookkeeping in these tables, are left out), so any change to the surface,
/// the search, the sizing or the hedge shows up here as a reviewed diff: re-record with
/// `VIXSHIELD_RECORD_GOLDEN=1 swift test --filter GoldenRecommendation` when the change is intended.
@Suite("Golden recommendation set")
struct GoldenRecommendationTests {
    static let nights = [CalendarDate(iso: "2026-07-13")!, CalendarDate(iso: "2026-07-14")!]

    /// The e2e sources with the sample pipeline's own strategy block (profiles, sizing, hedge).
    static func yaml() throws -> String {
        let sample = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("pipelines/sample.yaml"), encoding: .utf8)
        let strategy = try #require(sample.range(of: "\nstrategy:"))
        let base = pipelineYAML()
        let ownStrategy = try #require(base.range(of: "\nstrategy:"))
        return String(base[..<ownStrategy.lowerBound]) + String(sample[strategy.lowerBound...])
    }

    @Test("two simulated nights give exactly the recorded recommendations and hedge layers")
    func goldenSet() async throws {
        let h = try Harness(yaml: try Self.yaml())
        let report = try await h.run(Self.nights)
        #expect(report.status == .ok)
        let recommendations = try SQLiteProbe.rows(h.dbPath, """
            SELECT as_of, for_date, profile, rank, status, reason_code, reason, root, expiry, dte,
                   long_put, short_put, short_call, long_call, long_put_symbol, short_put_symbol, short_call_symbol, long_call_symbol,
                   credit, max_loss, credit_usd, max_loss_usd, breakeven_low, breakeven_high, pop, expected_pnl, score,
                   annualized_return, net_delta, net_gamma, net_vega, net_theta, contracts, expected_move_points,
                   events_in_life, rationale
            FROM recommendations ORDER BY as_of, profile, rank
            """)
        let hedges = try SQLiteProbe.rows(h.dbPath, """
            SELECT as_of, profile, condor_as_of, rank, layer, layer_name, active, active_since, instrument, contract, side,
                   quantity, vega_offset, trigger, trigger_value, carry_cost_usd, beta, rationale
            FROM hedge_recommendations ORDER BY as_of, profile, condor_as_of, rank, layer
            """)
        #expect(recommendations.count >= Self.nights.count * 3, "a row per profile and night at least")
        #expect(recommendations.contains { $0[4] == "trade" }, "the set must hold at least one trade")
        let text = Self.csv("recommendations", recommendations) + Self.csv("hedge_recommendations", hedges)
        let outcome = try Golden.check(text, name: "recommendations-2026-07-13_14.csv")
        #expect(outcome == .matches, "\(outcome)")
    }

    /// One section per table: a header line, then the rows with fields separated by `|` (NULL as `∅`).
    static func csv(_ table: String, _ rows: [[String?]]) -> String {
        "# \(table) (\(rows.count) rows)\n" + rows.map { $0.map { $0 ?? "∅" }.joined(separator: "|") + "\n" }.joined()
    }
}
