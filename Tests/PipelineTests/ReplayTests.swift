import Foundation
import Ingest
import Replay
import Store
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline
@testable import Simulator
@testable import VolMath

/// The real SPX, VIX family, SKEW, VX and Treasury histories of `../shared/data`, loaded once per test
/// process into one database through `HistoryLoader` (what `vixshield ingest` runs).
enum RealHistories {
    static let files = [
        "data/spx/GSPC_yahoo_2005-2020.csv", "data/vix_indices/VIX_History.csv", "data/vix_indices/VIX9D_History.csv",
        "data/vix_indices/VIX3M_History.csv", "data/vix_indices/SKEW_History.csv", "data/rates/treasury_yield_curve_1990-2020.csv",
    ]
    static var available: Bool {
        files.allSatisfy { TestPaths.sharedFile($0) != nil } && TestPaths.sharedFile("data/vx_futures/cfe_per_contract") != nil
    }

    /// The database path; blocking (call it off the concurrency pool).
    static let database: Result<String, any Error> = Result {
        let shared = try #require(TestPaths.shared).appendingPathComponent("data")
        let db = try TestPaths.temporaryDirectory("replay-histories").appendingPathComponent("h.sqlite").path
        let loader = HistoryLoader(databasePath: db, logger: Harness.logger)
        func load(_ kind: String, _ options: [String: String], _ paths: [String]) throws {
            let outcomes = try loader.load(.init(kind: kind, options: options), inputs: paths)
            if let bad = outcomes.first(where: { $0.error != nil }) { throw PipelineError.invalidArgument("\(bad.input): \(bad.error!)") }
        }
        try load("ohlc_csv", ["symbol": "SPX"], [shared.appendingPathComponent("spx/GSPC_yahoo_2005-2020.csv").path])
        for symbol in ["VIX", "VIX9D", "VIX3M", "SKEW"] {
            try load("cboe_index_history", ["symbol": symbol], [shared.appendingPathComponent("vix_indices/\(symbol)_History.csv").path])
        }
        try load("treasury_par_curve", [:], [shared.appendingPathComponent("rates/treasury_yield_curve_1990-2020.csv").path])
        // The VX contracts of the test dates' curves (2008-09 and 2017 to 2021 contract years), from every folder.
        let root = shared.appendingPathComponent("vx_futures/cfe_per_contract")
        var vx: [String] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            vx += try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path).sorted()
                .filter { name in ["08", "09", "17", "18", "19", "20", "21"].contains { name.hasSuffix("\($0)_VX.csv") } }
                .map { root.appendingPathComponent("\(folder)/\($0)").path }
        }
        try load("cfe_vx_history", [:], vx)
        return db
    }

    static func path() async throws -> String { try await offPool { try database.get() } }
}

@Suite("Replay from reconstructed chains")
struct ReplayTests {
    /// One published session and what its reconstructed chain must reproduce.
    struct Case: CustomStringConvertible {
        var date: String
        var vix: Double
        var description: String { "\(date) (VIX \(vix))" }
    }

    /// The two stress days, a calm day, and a day whose SKEW (134.31) ρ alone cannot reach (η rises).
    static let cases = [Case(date: "2018-02-05", vix: 37.32), Case(date: "2020-03-16", vix: 82.69), Case(date: "2017-11-03", vix: 9.14),
                        Case(date: "2018-02-22", vix: 18.72)]

    /// Tolerances of the Cboe-method indices of the written chain, read back by the DataShop adapter and
    /// computed by the surface stage's own code (parity forwards, its strike walk), against the published
    /// closes: index points for VIX9D, VIX and VIX3M, SKEW points for SKEW. `ReplayFiles.reconstruct` corrects
    /// its inputs until its own reading of the strip is within 0.005 and 0.05; the rest is the surface stage
    /// reading the same quotes (the normalize stage's flags, its forward from its own parity strike).
    static let indexTolerance = 0.05, skewTolerance = 0.3

    @Test("the chain's Cboe-method VIX, VIX9D, VIX3M and SKEW reproduce the published closes; the surface is arbitrage-free",
          .enabled(if: RealHistories.available), arguments: cases)
    func reproducesPublishedIndices(_ c: Case) async throws {
        let db = try await RealHistories.path()
        let date = try #require(CalendarDate(iso: c.date))
        let (sessions, skipped) = try Reconstructor(databasePath: db).inputs(from: date, to: date)
        #expect(skipped.isEmpty, "\(skipped)")
        let inputs = try #require(sessions.first)
        #expect(inputs.vix == c.vix)

        // The continuous fit reproduces every index it is given, and SKEW when ρ is not clamped.
        let continuous = try ReconstructedSurface.fit(inputs)
        #expect(abs(continuous.continuousIndex(targetDays: 30) - inputs.vix) < 1e-6)
        #expect(abs(continuous.continuousIndex(targetDays: 9) - inputs.vix9d!) < 1e-6)
        #expect(abs(continuous.continuousIndex(targetDays: 93) - inputs.vix3m!) < 1e-6)
        #expect(abs(continuous.fittedSkewness - (100 - inputs.skew!) / 10) < 1e-6, "\(continuous.diagnostics)")

        let chain = try ReplayFiles.reconstruct(inputs, listing: .standard)
        let surface = chain.surface
        // Butterfly (g(k) ≥ 0) and calendar (w rising in T at every k) checks on every listed expiry.
        let close = EasternTime.close(on: date)
        let slices = ExpirySchedule.listedThen(on: date, config: ReplayListing.standard.config).map { e -> (timeToExpiryYears: Double, parameters: SVIParameters) in
            let minutes = e.expiryTime.minutes(since: close)
            return (Double(minutes) / ModelFreeVariance.minutesPerYear, surface.svi(minutes: minutes))
        }
        let grid = logMoneynessGrid(from: -2, to: 1, count: 301)
        for s in slices { #expect(s.parameters.minimumButterfly(over: grid).value >= 0, "butterfly at T = \(s.timeToExpiryYears)") }
        #expect(CalendarCheck.violations(slices: slices, grid: grid, tolerance: 1e-12).isEmpty)

        // The chain file, read back by the DataShop adapter, through the surface builder's Cboe method.
        let parsed = try Adapters.parse(.cboeDataShopEOD, data: chain.dataShopCSV, context: AdapterContext(sourceName: "reconstructed", asOf: date))
        guard case .optionChains(let snapshots) = parsed.payload else { Issue.record("not a chain"); return }
        var snapshot = try #require(snapshots.first { $0.quoteSet == .eod })
        let quoteCount = snapshot.quotes.count
        // Only the expiries the three indices use (up to 130 days): a full surface fit is not needed here.
        snapshot.quotes = snapshot.quotes.filter { $0.contract.expiryTime.minutes(since: close) <= 130 * 1440 }
        let built = SurfaceBuilder.build(chain: snapshot, valuationTime: close, fallbackRate: { _ in inputs.rate })
        let terms = SurfaceBuilder.listedTerms(built.expiries)
        let thirty = ModelFreeVariance.thirtyDayMinutes
        let vix = try #require(built.index30Day), vix9d = try #require(built.index9Day)
        let vix3m = try #require(ModelFreeVariance.constantMaturityIndex(terms, targetMinutes: 93 * 1440, minimumMinutes: 1440))
        let skew = try #require(ModelFreeVariance.skewIndex(terms, targetMinutes: thirty, minimumMinutes: 1440))
        let published = (vix: inputs.vix, vix9d: inputs.vix9d!, vix3m: inputs.vix3m!, skew: inputs.skew!)
        let uncorrected = ReplayFiles.listedIndices(ReplayFiles.chainRecords(continuous, listing: .standard), session: date, rate: inputs.rate)
        print(String(format: "replay %@: VIX %.3f vs %.2f, VIX9D %.3f vs %.2f, VIX3M %.3f vs %.2f, SKEW %.2f vs %.2f "
                     + "(uncorrected chain: %.3f, %.3f, %.3f, %.2f; rho %.4f, %d quotes)",
                     c.date, vix, published.vix, vix9d, published.vix9d, vix3m, published.vix3m, skew, published.skew,
                     uncorrected.vix ?? .nan, uncorrected.vix9d ?? .nan, uncorrected.vix3m ?? .nan, uncorrected.skew ?? .nan,
                     surface.rho, quoteCount))
        #expect(abs(vix - published.vix) < Self.indexTolerance, "VIX \(vix) vs \(published.vix)")
        #expect(abs(vix9d - published.vix9d) < Self.indexTolerance, "VIX9D \(vix9d) vs \(published.vix9d)")
        #expect(abs(vix3m - published.vix3m) < Self.indexTolerance, "VIX3M \(vix3m) vs \(published.vix3m)")
        #expect(abs(skew - published.skew) < Self.skewTolerance, "SKEW \(skew) vs \(published.skew)")
    }

    @Test("a SKEW beyond the model's reach clamps rho and eta at their bounds, says so, and still reproduces the VIX family",
          .enabled(if: RealHistories.available))
    func skewBeyondReach() async throws {
        let db = try await RealHistories.path()
        let date = CalendarDate(iso: "2018-02-12")!
        let inputs = try #require(try Reconstructor(databasePath: db).inputs(from: date, to: date).sessions.first)
        #expect(inputs.skew == 148.02)
        let model = ReconstructionModel()
        let chain = try ReplayFiles.reconstruct(inputs, listing: .standard, model: model)
        #expect(chain.surface.skewClamped && chain.surface.rho == model.rhoRange.lowerBound)
        #expect(chain.surface.eta * chain.surface.eta * (1 + abs(chain.surface.rho)) <= 4, "butterfly bound")
        #expect(chain.surface.diagnostics.contains { $0.contains("clamped") }, "\(chain.surface.diagnostics)")
        let listed = chain.listed
        print("replay 2018-02-12 (clamped): \(chain.summary)")
        #expect(abs(listed.vix! - inputs.vix) < 0.01 && abs(listed.vix9d! - inputs.vix9d!) < 0.01 && abs(listed.vix3m! - inputs.vix3m!) < 0.01)
        // As much skew as the model has: the listed SKEW falls short of the published one, never overshoots.
        #expect(listed.skew! > 130 && listed.skew! < inputs.skew!)
    }

    @Test("before VIX9D and VIX3M existed (20 November 2008, VIX 80.86) the VX curve sets the term structure, and the fit says so",
          .enabled(if: RealHistories.available))
    func fallbackBeforeVIX9DAndVIX3M() async throws {
        let db = try await RealHistories.path()
        let date = CalendarDate(iso: "2008-11-20")!
        let inputs = try #require(try Reconstructor(databasePath: db).inputs(from: date, to: date).sessions.first)
        #expect(inputs.vix == 80.86 && inputs.vix9d == nil && inputs.vix3m == nil && inputs.vxCurve.count == 3)
        let chain = try ReplayFiles.reconstruct(inputs, listing: .standard)
        let notes = chain.surface.diagnostics.joined(separator: "; ")
        #expect(notes.contains("no VIX9D") && notes.contains("no VIX3M"), "\(notes)")
        #expect(chain.surface.knots.map(\.source) == ["VIX", "VX/F9", "VX/G9", "VX/H9"])
        print("replay 2008-11-20 (fallback): \(chain.summary)")
        #expect(abs(try #require(chain.listed.vix) - inputs.vix) < 0.01)
        #expect(abs(try #require(chain.listed.skew) - inputs.skew!) < 0.1)
    }

    @Test("a replayed session lists only the SPXW weekdays Cboe listed then")
    func historicalListing() {
        let config = ReplayListing.standard.config
        func weekdays(_ iso: String) -> Set<Int> {
            let session = CalendarDate(iso: iso)!
            // Dailies only: the first two weeks, before any month-end or monthly.
            let dailies = ExpirySchedule.listedThen(on: session, config: config)
                .filter { $0.root == "SPXW" && $0.date.month == session.month && $0.date.day < 20 && $0.date.day > session.day }
            return Set(dailies.map(\.date.isoWeekday))
        }
        #expect(weekdays("2015-06-01") == [5])
        #expect(weekdays("2016-06-01") == [3, 5])
        #expect(weekdays("2018-02-05") == [1, 3, 5])
        #expect(weekdays("2023-03-01") == [1, 2, 3, 4, 5])
        // A holiday Friday's weekly moves to the Thursday before (Good Friday, 30 March 2018); the month's
        // last session (Wednesday 28 February 2018) stays listed.
        let listed = Set(ExpirySchedule.listedThen(on: CalendarDate(iso: "2018-02-05")!, config: config).filter { $0.root == "SPXW" }.map(\.date))
        #expect(listed.contains(CalendarDate(iso: "2018-03-29")!) && listed.contains(CalendarDate(iso: "2018-02-28")!))
        #expect(!listed.contains(CalendarDate(iso: "2018-02-13")!) && !listed.contains(CalendarDate(iso: "2018-02-15")!))
    }

    @Test("round trip: inputs made from a known SSVI surface give back its rho and ATM variances (seeded)")
    func roundTrip() throws {
        let seed: UInt64 = 20_180_205
        var rng = SplitMix64(seed: seed)
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + (range.upperBound - range.lowerBound) * Double(rng.next() >> 11) / Double(1 << 53)
        }
        let model = ReconstructionModel()
        let session = CalendarDate(iso: "2019-06-12")!
        let close = EasternTime.close(on: session)
        let vxExpiries = (0..<9).map { n -> CalendarDate in
            let (y, m) = ExpirySchedule.addMonths(n, to: session.year, session.month)
            return VXSchedule.monthlyExpiry(year: y, month: m)
        }.filter { $0 > session }
        for trial in 0..<12 {
            // The truth: ρ, and a model-free term structure with knots where the fit puts them.
            let rho = uniform(-0.9...0.1)
            var knots: [ReconstructedSurface.Knot] = []
            var w = 0.0
            for (days, name) in [(9, "VIX9D"), (30, "VIX"), (93, "VIX3M")] {
                let previous = knots.last?.minutes ?? 0
                w += pow(uniform(0.08...0.9), 2) * Double(days * 1440 - previous) / ModelFreeVariance.minutesPerYear
                knots.append(.init(minutes: days * 1440, totalVariance: w, source: name))
            }
            var vx: [VXSettlementInput] = []
            for (i, expiry) in vxExpiries.enumerated() {
                let start = EasternTime.open(on: expiry).minutes(since: close), end = start + 30 * 1440
                guard end >= knots.last!.minutes + model.vxKnotGapDays * 1440 else { continue }
                let floor = ReconstructedSurface.floorPerMinute(model)
                let wStart = ReconstructedSurface.interpolate(knots, minutes: start, floor: floor)
                // A calendar-free truth: W rises at least at the floor's rate from the knot before.
                let wEnd = max(wStart + pow(uniform(0.10...0.5), 2) * 30 / 365,
                               knots.last!.totalVariance + floor * Double(end - knots.last!.minutes))
                let forwardVariance = wEnd - wStart
                knots.append(.init(minutes: end, totalVariance: wEnd, source: "VX\(i)"))
                vx.append(VXSettlementInput(symbol: "VX\(i)", expiry: expiry, settle: 100 * (forwardVariance * 365 / 30).squareRoot()))
            }
            let truth = ReconstructedSurface(session: session, spot: 2880, rate: 0.022, dividendYield: model.dividendYield, rho: rho,
                                             eta: model.eta, knots: knots, targetSkewness: nil, fittedSkewness: 0, skewClamped: false, diagnostics: [],
                                             floorPerMinute: ReconstructedSurface.floorPerMinute(model))
            let skewness = SurfaceModel.logReturnSkewness(truth.svi(minutes: 30 * 1440))
            let inputs = ReconstructionInputs(session: session, spot: 2880, rate: 0.022, vix: truth.continuousIndex(targetDays: 30),
                                              vix9d: truth.continuousIndex(targetDays: 9), vix3m: truth.continuousIndex(targetDays: 93),
                                              skew: 100 - 10 * skewness, vxCurve: vx)
            let fit = try ReconstructedSurface.fit(inputs, model: model)
            let context = "seed \(seed) trial \(trial): rho \(rho), knots \(knots.map { ($0.minutes, $0.totalVariance) })"
            #expect(abs(fit.rho - rho) < 1e-5, "fitted rho \(fit.rho); \(context)")
            #expect(fit.knots.count == knots.count, "\(fit.knots.map(\.source)); \(context)")
            for minutes in [3 * 1440, 9 * 1440, 20 * 1440, 30 * 1440, 60 * 1440, 93 * 1440, 200 * 1440] {
                let a = fit.svi(minutes: minutes).totalVariance(atLogMoneyness: 0), b = truth.svi(minutes: minutes).totalVariance(atLogMoneyness: 0)
                #expect(abs(a / b - 1) < 1e-5, "ATM variance at \(minutes) minutes: \(a) vs \(b); \(context)")
            }
        }
    }

    @Test("the same session reconstructs to byte-identical files", .enabled(if: RealHistories.available))
    func deterministic() async throws {
        let db = try await RealHistories.path()
        let day = CalendarDate(iso: "2018-02-05")!
        let dirs = try [TestPaths.temporaryDirectory("replay-a"), TestPaths.temporaryDirectory("replay-b")]
        let manifests = try await offPool {
            try dirs.map { try Reconstructor(databasePath: db, listing: .compact).write(from: day, to: day, into: $0).manifest }
        }
        #expect(manifests[0].files == manifests[1].files && manifests[0].files.contains("datashop/UnderlyingOptionsEODCalcs_2018-02-05.csv"))
        for file in manifests[0].files {
            let a = try Data(contentsOf: dirs[0].appendingPathComponent(file)), b = try Data(contentsOf: dirs[1].appendingPathComponent(file))
            #expect(!a.isEmpty && a == b, "\(file) differs")
        }
    }

    @Test("a replay backfill around 5 February 2018 marks every row reconstructed, trades or says why not, and scores expired trades",
          .enabled(if: RealHistories.available))
    func backfill() async throws {
        let db = try await RealHistories.path()
        let from = CalendarDate(iso: "2018-01-29")!, to = CalendarDate(iso: "2018-02-07")!
        let out = try TestPaths.temporaryDirectory("replay-out")
        let outcome = try await offPool { try Reconstructor(databasePath: db, listing: .compact).write(from: from, to: to, into: out) }
        let days = TradingCalendar.nyse.tradingDays(from: from, through: to)
        #expect(outcome.manifest.sessions == days && outcome.skipped.isEmpty, "\(outcome.skipped)")

        var h = try Harness(marketDir: out)
        h.yaml = try #require(EmbeddedResources.files.first { $0.path == "pipelines/replay.yaml" }?.text)
        let report = try await h.run(days, jobs: 2)
        #expect(report.outcomes.map(\.date) == days)
        for o in report.outcomes { #expect(o.status == .ok, "\(o.date): \(o.status) \(o.reason ?? "")") }

        func count(_ sql: String) throws -> Int { try SQLiteProbe.count(h.dbPath, sql) }
        #expect(try count("SELECT COUNT(*) FROM option_quotes") > 10_000)
        #expect(try count("SELECT COUNT(*) FROM option_quotes WHERE (flags & \(QuoteFlags.reconstructed.rawValue)) = 0 OR flag_names NOT LIKE '%reconstructed%'") == 0)
        for table in ["chain_snapshots", "surface_slices", "surface_summaries", "vol_projections", "recommendations", "scenarios",
                      "position_advice", "hedge_recommendations", "outcomes"] {
            #expect(try count("SELECT COUNT(*) FROM \(table)") > 0, "no \(table) rows")
            #expect(try count("SELECT COUNT(*) FROM \(table) WHERE chain_origin <> 'reconstructed'") == 0, "\(table) rows not marked")
        }
        // Every profile decided every date: a trade, or a no_trade with its reason.
        #expect(try count("SELECT COUNT(DISTINCT as_of || profile) FROM recommendations WHERE rank = 1") == days.count * 3)
        #expect(try count("SELECT COUNT(*) FROM recommendations WHERE status = 'no_trade' AND (reason IS NULL OR reason = '')") == 0)
        #expect(try count("SELECT COUNT(*) FROM recommendations WHERE status = 'trade' AND rank = 1") >= days.count)
        // Every trade that expired inside the range is scored, at the SPX open (AM) or close (PM) of its expiry.
        let expired = "FROM recommendations r WHERE r.status = 'trade' AND r.expiry <= '\(to.isoString)'"
        #expect(try count("SELECT COUNT(*) \(expired)") > 0)
        #expect(try count("SELECT COUNT(*) \(expired) AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.as_of = r.as_of AND o.profile = r.profile AND o.rank = r.rank)") == 0)
        #expect(try count("""
            SELECT COUNT(*) FROM outcomes o JOIN index_history i ON i.symbol = 'SPX' AND i.date = o.expiry
            WHERE o.settlement_price <> CASE o.settlement_source WHEN 'opening_value' THEN i.open ELSE i.close END
            """) == 0)
    }

    @Test("a source's origin must be market, simulated or reconstructed")
    func originOption() throws {
        let yaml = try #require(EmbeddedResources.files.first { $0.path == "pipelines/replay.yaml" }?.text)
        let config = try PipelineConfig.parse(yaml: yaml, origin: "replay.yaml", sha256: "x")
        #expect(config.sources.first?.options["origin"] == "reconstructed")
        #expect(throws: (any Error).self) {
            _ = try PipelineConfig.parse(yaml: yaml.replacingOccurrences(of: "origin: reconstructed", with: "origin: rebuilt"), origin: "replay.yaml", sha256: "x")
        }
    }
}
