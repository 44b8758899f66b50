import Foundation
import Testing
import VixShieldTestSupport
import VixShieldCore

/// `RateCurve.tenorCoverage`: the caller can tell an overnight-only curve (which would discount a
/// two-year option at the fed funds rate) from a real tenor curve.
@Suite("Rate curve tenor coverage")
struct RateCoverageTests {
    static func obs(_ date: String, _ series: String, _ tenor: Double, _ rate: Double) -> RateObservation {
        RateObservation(date: CalendarDate(iso: date)!, series: series, tenorYears: tenor, rate: rate)
    }

    @Test func overnightOnlyCurveIsReported() throws {
        let curve = try RateCurve(observations: [Self.obs("2026-07-13", "DFF", 1.0 / 365, 0.0433)],
                                  conventions: ["DFF": .moneyMarket])
        let coverage = curve.tenorCoverage(on: CalendarDate(iso: "2026-07-14")!)
        #expect(coverage.isOvernightOnly && !coverage.isEmpty)
        #expect(coverage.seriesIDs == ["DFF"])
        #expect(coverage.isExtrapolated(tenorYears: 2) && !coverage.isExtrapolated(tenorYears: 1.0 / 365))
    }

    @Test func tenorCurveCoversToItsLongestNode() throws {
        let curve = try RateCurve(observations: [
            Self.obs("2026-07-14", "DFF", 1.0 / 365, 0.0433), Self.obs("2026-07-14", "DGS1MO", 1.0 / 12, 0.0431),
            Self.obs("2026-07-14", "DGS3MO", 0.25, 0.043), Self.obs("2026-07-14", "DGS6MO", 0.5, 0.042),
            Self.obs("2026-07-14", "DGS1", 1, 0.04),
        ])
        let coverage = curve.tenorCoverage(on: CalendarDate(iso: "2026-07-14")!)
        #expect(!coverage.isOvernightOnly)
        #expect(coverage.seriesIDs == ["DFF", "DGS1MO", "DGS3MO", "DGS6MO", "DGS1"])
        #expect(coverage.shortestTenorYears == 1.0 / 365 && coverage.longestTenorYears == 1)
        #expect(!coverage.isExtrapolated(tenorYears: 0.9) && coverage.isExtrapolated(tenorYears: 2))
        // Staleness: a month later only series observed within the limit count; none here.
        let stale = curve.tenorCoverage(on: CalendarDate(iso: "2026-08-30")!)
        #expect(stale.isEmpty && !stale.isOvernightOnly && stale.isExtrapolated(tenorYears: 0.1))
    }
}
