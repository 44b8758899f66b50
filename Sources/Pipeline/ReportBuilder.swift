import Foundation
import Reporting
import Store
import VixShieldCore
import VolMath

/// `vixshield report`: reads one date's (or a range's) stored results and turns them into the values the
/// report pages draw. Reads only; the pages themselves are pure (`Reporting`).
public enum ReportBuilder {
    /// Smiles are drawn for expiries up to this many calendar days out (plus every recommended expiry).
    public static let smileHorizonDays = 120
    /// Sessions of indicator history on the charts.
    public static let indicatorSessions = 120

    public enum BuildError: Error, CustomStringConvertible, Equatable {
        case nothingStored(CalendarDate)
        public var description: String {
            switch self {
            case .nothingStored(let d): return "nothing is stored for \(d) (run `vixshield run --date \(d)` first)"
            }
        }
    }

    // MARK: - Daily page

    public static func daily(store: VixShieldDatabase, asOf date: CalendarDate, underlying: String) throws -> DailyReportData {
        let recommendations = try store.recommendations(from: date, through: date).filter { $0.underlying == underlying }
        let summary = try store.surfaceSummary(asOf: date, underlying: underlying)
        let slices = try store.surfaceSlices(asOf: date, underlying: underlying)
        guard !recommendations.isEmpty || summary != nil || !slices.isEmpty else { throw BuildError.nothingStored(date) }

        let rankOne = recommendations.filter { $0.rank == 1 }
        let tradedExpiries = Set(rankOne.filter { $0.status == "trade" }.compactMap(\.expiry))
        let quotes = Dictionary(grouping: try store.smileQuotes(asOf: date, underlying: underlying)) { "\($0.expiry)|\($0.settlement)" }
        let projections = Dictionary(try store.projections(asOf: date, underlying: underlying)
            .filter { $0.horizon == "next_session" && $0.scenario == "sticky_moneyness" }.map { ($0.expiryTime, $0) },
            uniquingKeysWith: { a, _ in a })

        let forDate = recommendations.first.flatMap { CalendarDate(iso: $0.forDate) } ?? TradingCalendar.nyse.nextTradingDay(after: date)
        // The elapsed variance e(k) the project stage takes off every slice is one function of k; its shape is
        // read from the first slice it rolls (see `smile`).
        let front = slices.sorted { $0.expiryTime < $1.expiryTime }.first { s in projections[s.expiryTime] != nil && sviParameters(s) != nil }
        let elapsed = front.flatMap { f in projections[f.expiryTime].map { (svi: sviParameters(f)!, atTheMoney: $0.atmTotalVarianceNow - $0.atmTotalVarianceProjected) } }
        var smiles: [SmilePanel] = []
        var omitted = 0
        for slice in slices {
            guard let expiry = CalendarDate(iso: slice.expiry), slice.yearsToExpiry > 0 else { continue }
            let days = expiry.days(since: date)
            guard days <= smileHorizonDays || tradedExpiries.contains(slice.expiry) else { omitted += 1; continue }
            smiles.append(smile(slice, expiry: expiry, days: days, forDate: forDate, quotes: quotes["\(slice.expiry)|\(slice.settlement)"] ?? [],
                                projection: projections[slice.expiryTime], elapsed: elapsed))
        }

        let vx = Dictionary(try store.vixFutures(tradeDate: date).map { ($0.expiry, $0.settle) }, uniquingKeysWith: { a, _ in a })
        let term = TermStructurePanel(
            modelFree: slices.compactMap { s in
                s.modelFreeVariance.flatMap { $0 >= 0 ? ChartPoint(Double(s.minutesToExpiry) / 1440, $0.squareRoot() * 100) : nil }
            },
            vxCurve: vx.keys.sorted().compactMap { e in CalendarDate(iso: e).map { ChartPoint(Double($0.days(since: date)), vx[e]!) } },
            index30d: summary?.index30d, index9d: summary?.index9d)

        let spot = summary?.spot
        let scenarios = try store.scenarios(asOf: date, underlying: underlying)
        let hedges = try store.hedges(asOf: date, underlying: underlying)
        let condors = rankOne.map { condor($0, spot: spot, scenarios: scenarios, hedges: hedges) }

        var notes: [String] = []
        if recommendations.isEmpty { notes.append("No recommendation is stored for \(date): the recommend stage did not run for it.") }
        for r in rankOne where r.status != "trade" {
            let reason = r.reason ?? "no reason stored"
            notes.append(reason.hasPrefix("\(r.profile): ") ? "No trade — \(reason)." : "\(r.profile): no trade — \(reason).")
        }
        if slices.isEmpty { notes.append("No fitted surface is stored for \(date): no smile, no model-free term structure.") }

        let context = try store.volContext(asOf: date, underlying: underlying)
        let indicators = try ["SPX", "VIX"].map { symbol in
            try indicatorPanel(store: store, symbol: symbol, through: date, context: symbol == "SPX" ? context : nil)
        }
        return DailyReportData(asOf: date, forDate: forDate, underlying: underlying,
                               spot: spot, smiles: smiles, omittedExpiries: omitted, termStructure: term, condors: condors,
                               indicators: indicators, notes: notes)
    }

    /// Market IVs (out-of-the-money side), the fitted slice and its next-session roll, against strike.
    ///
    /// The roll is redrawn from stored rows: the project stage keeps forward variances, w′_j(k) = w_j(k) − e(k)
    /// with one elapsed-variance function e(k) for every slice, and stores its ATM value
    /// (`atm_total_variance_now − atm_total_variance_projected`). For the first slice it rolls, with no earlier
    /// slice and no event before the target, e(k) is that slice's w(k) times the elapsed share of its time, so
    /// e(k) = e(0)·w_front(k)/w_front(0); the page uses that shape for every slice (exact in that case, an
    /// approximation in the wings when an expiry or an event falls inside the elapsed session). Sticky
    /// moneyness: the forward and k are unchanged.
    static func sviParameters(_ s: SurfaceSliceRecord) -> SVIParameters? {
        guard let a = s.sviA, let b = s.sviB, let rho = s.sviRho, let m = s.sviM, let sigma = s.sviSigma else { return nil }
        return SVIParameters(a: a, b: b, rho: rho, m: m, sigma: sigma)
    }

    static func smile(_ s: SurfaceSliceRecord, expiry: CalendarDate, days: Int, forDate: CalendarDate, quotes: [SmileQuote],
                      projection: VolProjectionRecord?, elapsed: (svi: SVIParameters, atTheMoney: Double)?) -> SmilePanel {
        let svi = sviParameters(s)
        let atmTotalVariance = svi?.totalVariance(atLogMoneyness: 0) ?? (s.modelFreeVariance ?? 0.04) * s.yearsToExpiry
        // ±4 ATM standard deviations in log-moneyness (at least ±2 %): the part of the smile a condor lives in.
        let halfWidth = max(4 * max(atmTotalVariance, 0).squareRoot(), 0.02)
        let market = quotes.filter { q in
            let k = log(q.strike / s.forward)
            return abs(k) <= halfWidth && q.iv.isFinite && q.iv > 0 && (q.optionType == "P" ? q.strike < s.forward : q.strike >= s.forward)
        }.map { ChartPoint($0.strike, $0.iv * 100) }
        let kLow = market.first.map { log($0.x / s.forward) } ?? -halfWidth
        let kHigh = market.last.map { log($0.x / s.forward) } ?? halfWidth
        let grid = stride(from: 0, through: 80, by: 1).map { kLow + (kHigh - kLow) * Double($0) / 80 }
        var fitted: [ChartPoint] = [], projected: [ChartPoint] = []
        if let svi {
            fitted = grid.map { k in ChartPoint(s.forward * exp(k), (max(svi.totalVariance(atLogMoneyness: k), 0) / s.yearsToExpiry).squareRoot() * 100) }
            if let p = projection, p.yearsToExpiryProjected > 0, let elapsed, elapsed.svi.totalVariance(atLogMoneyness: 0) > 0 {
                let scale = elapsed.atTheMoney / elapsed.svi.totalVariance(atLogMoneyness: 0)
                projected = grid.compactMap { k in
                    let w = svi.totalVariance(atLogMoneyness: k) - scale * elapsed.svi.totalVariance(atLogMoneyness: k)
                    return w > 0 ? ChartPoint(s.forward * exp(k), (w / p.yearsToExpiryProjected).squareRoot() * 100) : nil
                }
            }
        }
        var note = svi == nil ? "no SVI fit" : "SVI RMSE \(fmt(s.rmseVolPoints, 2)) vol pts, max error \(fmt(s.maxErrorVolPoints, 2))"
        note += ", \(market.count) quotes"
        if !s.flags.isEmpty { note += "; flags: \(s.flags)" }
        if projection == nil {
            note += expiry <= forDate ? "; settles by the next session's close, so no next-session slice" : "; no next-session projection stored"
        }
        return SmilePanel(expiry: expiry, settlement: s.settlement, daysToExpiry: days, forward: s.forward, marketIVs: market,
                          fitted: fitted, projected: projected, note: note)
    }

    static func condor(_ r: RecommendationRecord, spot: Double?, scenarios: [ScenarioRecord],
                       hedges: [HedgeRecommendationRecord]) -> CondorPanel {
        guard r.status == "trade" else {
            return CondorPanel(profile: r.profile, status: r.status, facts: [Fact("reason", r.reason ?? "—")], rationale: r.rationale,
                               strikeMovesPct: [], scenarios: [], hedgeLayers: [])
        }
        let strikes = "\(fmt(r.longPut, 0)) / \(fmt(r.shortPut, 0)) / \(fmt(r.shortCall, 0)) / \(fmt(r.longCall, 0))"
        let facts = [
            Fact("expiry", "\(r.expiry ?? "—") \(r.root ?? "") (\(r.dte.map(String.init) ?? "—") DTE)"),
            Fact("strikes (long put / short put / short call / long call)", strikes),
            Fact("contracts", r.contracts.map(String.init) ?? "—"),
            Fact("credit (points)", fmt(r.credit, 2)), Fact("max loss (points)", fmt(r.maxLoss, 2)),
            Fact("credit (USD)", fmt(r.creditUsd, 0)), Fact("max loss (USD)", fmt(r.maxLossUsd, 0)),
            Fact("break-evens", "\(fmt(r.breakevenLow, 1)) – \(fmt(r.breakevenHigh, 1))"),
            Fact("POP", fmt(r.pop.map { $0 * 100 }, 1) + " %"), Fact("expected P&L (USD)", fmt(r.expectedPnl, 0)),
            Fact("net vega (USD per vol point)", fmt(r.netVega, 0)), Fact("net theta (USD per day)", fmt(r.netTheta, 0)),
        ]
        var references: [ReferenceLine] = []
        if let spot, spot > 0 {
            for (label, strike) in [("LP", r.longPut), ("SP", r.shortPut), ("SC", r.shortCall), ("LC", r.longCall)] {
                if let strike { references.append(ReferenceLine(x: (strike / spot - 1) * 100, label: label)) }
            }
        }
        let cells = scenarios.filter { $0.profile == r.profile && $0.rank == r.rank && $0.volShockPoints == 0 }
        let grids = ["next_day", "expiry"].compactMap { horizon -> CondorPanel.Scenario? in
            let row = cells.filter { $0.horizon == horizon }.sorted { $0.spxMovePct < $1.spxMovePct }
            guard !row.isEmpty else { return nil }
            return CondorPanel.Scenario(horizon: horizon, condorUSD: row.map { ChartPoint($0.spxMovePct, $0.condorPnlUsd) },
                                        totalUSD: row.map { ChartPoint($0.spxMovePct, $0.totalPnlUsd) })
        }
        let layers = hedges.filter { $0.profile == r.profile && $0.rank == r.rank && $0.condorAsOf == r.asOf && $0.active }.map {
            "\($0.layerName): \($0.side) \($0.quantity) \($0.contract) (\($0.instrument)), vega offset \(fixed($0.vegaOffset, 0)) USD/vol pt — \($0.trigger)"
        }
        return CondorPanel(profile: r.profile, status: r.status, facts: facts, rationale: r.rationale, strikeMovesPct: references,
                           scenarios: grids, hedgeLayers: layers)
    }

    static func indicatorPanel(store: VixShieldDatabase, symbol: String, through date: CalendarDate,
                               context: VolContextRecord?) throws -> IndicatorPanel {
        // Calendar days enough for the sessions wanted (252 sessions ≈ 365 days).
        let rows = Array(try store.indicators(symbol: symbol, from: date.adding(days: -indicatorSessions * 365 / 252 - 7), through: date)
            .suffix(indicatorSessions))
        func series(_ value: (IndicatorRecord) -> Double?) -> [ChartPoint] {
            rows.compactMap { r in
                guard let d = CalendarDate(iso: r.date), let v = value(r) else { return nil }
                return ChartPoint(Double(d.dayNumber), v)
            }
        }
        var latest: [Fact] = []
        if let last = rows.last {
            latest = [Fact("date", last.date), Fact("close", fixed(last.close, 2)), Fact("RSI 14", fmt(last.rsi14, 1)),
                      Fact("RSI bands", "\(fmt(last.rsiBandLow, 1)) – \(fmt(last.rsiBandHigh, 1))"),
                      Fact("MACD / signal / histogram", "\(fmt(last.macdLine, 2)) / \(fmt(last.macdSignal, 2)) / \(fmt(last.macdHistogram, 2))"),
                      Fact("realized vol 21d close-to-close / Yang–Zhang (%)", "\(fmt(last.rvCc21.map { $0 * 100 }, 1)) / \(fmt(last.rvYz21.map { $0 * 100 }, 1))")]
            if let d = last.adDivergence { latest.append(Fact("A/D divergence", d > 0 ? "bullish" : d < 0 ? "bearish" : "none")) }
        }
        if let c = context {
            latest += [Fact("VIX9D/VIX", fmt(c.vix9dOverVix, 3)), Fact("VIX/VIX3M", fmt(c.vixOverVix3m, 3)),
                       Fact("VX1 − VX2", fmt(c.vx1MinusVx2, 2)), Fact("term shape", c.termShape ?? "—"),
                       Fact("variance risk premium (vol points)", fmt(c.vrpVolPoints, 2))]
        }
        return IndicatorPanel(symbol: symbol, rsi: series(\.rsi14), rsiBandLow: series(\.rsiBandLow), rsiBandHigh: series(\.rsiBandHigh),
                              macdLine: series(\.macdLine), macdSignal: series(\.macdSignal), latest: latest)
    }

    // MARK: - Performance page

    /// Rank-1 outcomes whose expiry is in the range, per profile, accumulated in expiry order from 0 on the
    /// first trade's as-of date. "Without hedge" is the condor's settlement P&L, "with hedge" the total.
    public static func performance(store: VixShieldDatabase, underlying: String, from: CalendarDate?, through: CalendarDate?) throws -> PerformanceData {
        let outcomes = try store.outcomes(underlying: underlying, from: from, through: through).filter { $0.rank == 1 }
        let byProfile = Dictionary(grouping: outcomes, by: \.profile)
        let profiles = byProfile.keys.sorted().compactMap { name -> PerformanceData.Profile? in
            let trades = byProfile[name]!.sorted { ($0.expiry, $0.asOf) < ($1.expiry, $1.asOf) }
            guard let start = trades.compactMap({ CalendarDate(iso: $0.asOf) }).min() else { return nil }
            var bare = [ChartPoint(Double(start.dayNumber), 0)], hedged = bare
            var bareSum = 0.0, hedgedSum = 0.0
            for t in trades {
                guard let expiry = CalendarDate(iso: t.expiry) else { continue }
                bareSum += t.condorPnlUsd
                hedgedSum += t.totalPnlUsd
                bare.append(ChartPoint(Double(expiry.dayNumber), bareSum))
                hedged.append(ChartPoint(Double(expiry.dayNumber), hedgedSum))
            }
            return PerformanceData.Profile(name: name, withoutHedgeUSD: bare, withHedgeUSD: hedged, trades: trades.count,
                                           wins: trades.filter { $0.totalPnlUsd > 0 }.count)
        }
        return PerformanceData(from: from, through: through, profiles: profiles)
    }

    static func fmt(_ value: Double?, _ decimals: Int) -> String { value.map { fixed($0, decimals) } ?? "—" }
}

/// Writes the report pages into a folder: the daily pages asked for, the performance page and an index of
/// every daily page the folder holds.
public enum ReportWriter {
    /// Returns the files written, in the order written. `performanceRange` bounds the expiries scored.
    public static func write(store: VixShieldDatabase, underlying: String, dates: [CalendarDate],
                             performanceRange: (from: CalendarDate?, through: CalendarDate?), to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        func put(_ text: String, _ name: String) throws {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url, options: .atomic)
            written.append(url)
        }
        for date in dates {
            try put(ReportPages.daily(try ReportBuilder.daily(store: store, asOf: date, underlying: underlying)), ReportPages.dailyFileName(date))
        }
        try put(ReportPages.performance(try ReportBuilder.performance(store: store, underlying: underlying, from: performanceRange.from,
                                                                        through: performanceRange.through)), ReportPages.performanceFileName)
        let pages = try FileManager.default.contentsOfDirectory(atPath: directory.path).compactMap { name -> CalendarDate? in
            guard name.hasPrefix("report-"), name.hasSuffix(".html") else { return nil }
            return CalendarDate(iso: name.dropFirst("report-".count).dropLast(".html".count))
        }
        try put(ReportPages.index(dates: pages, hasPerformance: true), ReportPages.indexFileName)
        return written
    }
}
