import Foundation
import Simulator
import Testing
import VixShieldCore
import VixShieldTestSupport
import VolMath
@testable import Pipeline

/// The simulator knows the true surface: the pipeline's surface stage must recover it.
@Suite("Simulator ground truth")
struct GroundTruthTests {
    struct TrueExpiry { let expiry: String; let settlement: String; let years: Double; let forward: Double; let svi: SVIParameters }

    static func truth(_ date: String, in market: URL) throws -> (vix: Double, vix9d: Double, expiries: [TrueExpiry]) {
        let data = try Data(contentsOf: market.appendingPathComponent("truth/\(date).json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let expiries = try #require(root["expiries"] as? [[String: Any]]).compactMap { e -> TrueExpiry? in
            guard let s = e["svi"] as? [String: Double], let a = s["a"], let b = s["b"], let rho = s["rho"], let m = s["m"],
                  let sigma = s["sigma"] else { return nil }
            return TrueExpiry(expiry: e["expiry"] as! String, settlement: e["settlement"] as! String,
                              years: e["time_to_expiry_years"] as! Double, forward: e["forward"] as! Double,
                              svi: SVIParameters(a: a, b: b, rho: rho, m: m, sigma: sigma))
        }
        return (try #require(root["vix"] as? Double), try #require(root["vix9d"] as? Double), expiries)
    }

    /// A full-size chain for one day: the model-free index needs the real strike range (the compact
    /// chain's truncated wings understate the 30-day variance by design).
    static let fullSizeMarket: Result<URL, Error> = Result {
        let dir = try TestPaths.temporaryDirectory("full-market")
        let day = CalendarDate(iso: "2026-07-16")!
        _ = try MarketSimulator(config: .standard(seed: 11)).write(from: day, to: day, into: dir)
        return dir
    }

    @Test("fitted slices, forwards and the 30-day index recover the simulator's truth")
    func recoversTruth() async throws {
        let market = try await offPool { try Self.fullSizeMarket.get() }
        let h = try Harness(marketDir: market)
        let day = "2026-07-16"
        _ = try await h.run([CalendarDate(iso: day)!])
        let truth = try Self.truth(day, in: market)
        let db = try h.database()
        let slices = try db.surfaceSlices(asOf: CalendarDate(iso: day)!, underlying: "SPX")
        var compared = 0
        var worstVolPoints = 0.0, worstForwardBps = 0.0
        for row in slices {
            let (expiry, settlement, forward, years) = (row.expiry, row.settlement, row.forward, row.yearsToExpiry)
            guard let a = row.sviA, let b = row.sviB, let rho = row.sviRho, let m = row.sviM, let sigma = row.sviSigma else { continue }
            guard years >= 7.0 / 365, let t = truth.expiries.first(where: { $0.expiry == expiry && $0.settlement == settlement }) else { continue }
            let fitted = SVIParameters(a: a, b: b, rho: rho, m: m, sigma: sigma)
            worstForwardBps = max(worstForwardBps, abs(forward / t.forward - 1) * 1e4)
            // Compare where the quotes are: from 2 standard deviations below the money to 1 above.
            let sd = t.svi.totalVariance(atLogMoneyness: 0).squareRoot()
            for step in 0...12 {
                let k = -2 * sd + Double(step) * 0.25 * sd
                let diff = abs(fitted.volatility(atLogMoneyness: k, timeToExpiryYears: years)
                               - t.svi.volatility(atLogMoneyness: k, timeToExpiryYears: t.years)) * 100
                worstVolPoints = max(worstVolPoints, diff)
            }
            compared += 1
        }
        print("ground truth \(day): \(compared) slices, worst vol error \(worstVolPoints) points, worst forward error \(worstForwardBps) bp")
        #expect(compared >= 10, "too few fitted slices to compare: \(compared)")
        #expect(worstVolPoints < 0.75, "worst fitted-vs-true vol error \(worstVolPoints) vol points")
        #expect(worstForwardBps < 5, "worst forward error \(worstForwardBps) bp")
        let summary = try #require(try db.surfaceSummary(asOf: CalendarDate(iso: day)!, underlying: "SPX"))
        guard let index30 = summary.index30d else { Issue.record("no 30-day index"); return }
        print("ground truth \(day): 30-day index \(index30) vs simulator VIX \(truth.vix)")
        #expect(abs(index30 - truth.vix) < 0.5, "30-day model-free index \(index30) vs simulator VIX \(truth.vix)")
    }

    @Test("event variances extracted from the term structure land near the simulator's planted event variance")
    func eventVarianceTruth() async throws {
        let market = try await offPool { try Self.fullSizeMarket.get() }
        // The simulated market jumps on its own calendar: the pipeline must price that one.
        let yaml = pipelineYAML().replacingOccurrences(of: "strategy:", with: """
              - name: events
                kind: events_csv
                url: "file://{data_dir}/events/events.csv"
            strategy:
            """)
        let h = try Harness(yaml: yaml, marketDir: market)
        let day = CalendarDate(iso: "2026-07-16")!
        _ = try await h.run([day])
        let data = try Data(contentsOf: market.appendingPathComponent("truth/2026-07-16.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var truth: [String: Double] = [:]
        for e in try #require(root["events"] as? [[String: Any]]) where e["upcoming"] as? Bool == true {
            truth["\(e["kind"] as! String) \(e["date"] as! String)"] = e["implied_variance"] as? Double
        }
        let estimates = try h.database().eventVariances(asOf: day, underlying: "SPX").filter { $0.method == "term_structure" }
        #expect(!estimates.isEmpty, "no event variance came from the term structure")
        for e in estimates {
            let key = "\(e.kind) \(e.eventDate)"
            let planted = try #require(truth[key], "\(key) is not one of the simulator's events")
            let estimate = try #require(e.totalVariance)
            print("event variance \(key): estimate \(estimate), planted \(planted), weight \(e.termStructureWeight)")
            // Tolerance: the term structure of one noisy chain, shrunk toward a prior from 18 months of history.
            #expect(abs(estimate / planted - 1) < 0.45, "\(key): estimate \(estimate) vs planted \(planted)")
        }
    }
}
