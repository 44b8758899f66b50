import Foundation
import Testing
import VixShieldCore
import VixShieldTestSupport
import Store
@testable import Pipeline

/// The report as a browser sees it: a simulated week is run, the pages are written, Chromium parses them
/// and the dumped DOM must hold every chart with labelled axes and series inside their plot areas.
@Suite("Report pages in headless Chromium", .serialized)
struct ReportBrowserTests {
    /// Short-dated profiles so condors expire (and are scored) inside the shared market's week.
    static let yaml = pipelineYAML().replacingOccurrences(of: "strategy:\n  capital_usd: 2000000\n  max_risk_fraction: 0.05", with: """
        strategy:
          capital_usd: 2000000
          max_risk_fraction: 0.05
          profiles:
            - {name: am_short, dte_min: 1, dte_max: 4, short_delta: 0.2, long_delta: 0.05, monthly_only: true}
            - {name: pm_short, dte_min: 1, dte_max: 2, short_delta: 0.2, long_delta: 0.05, monthly_only: false}
        """)

    static func problems(_ dom: ChartDOM) -> [String] { dom.charts.flatMap(\.problems) }

    /// A page's charts as Chromium parsed it (or, with `browser` false, as the file holds them). Reading,
    /// the browser and the scan all run off the concurrency pool.
    static func dom(_ page: URL, browser: Bool = true) async throws -> ChartDOM {
        try await offPool { ChartDOM(html: browser ? try HeadlessBrowser.dumpDOM(page) : try String(contentsOf: page, encoding: .utf8)) }
    }

    @Test("a traded date, a no-trade date and the performance page render with every chart sound",
          .enabled(if: HeadlessBrowser.shouldRun, "no chromium on PATH (set VIXSHIELD_REQUIRE_BROWSER=1 to fail instead)"))
    func rendersInChromium() async throws {
        try #require(HeadlessBrowser.binary != nil, "VIXSHIELD_REQUIRE_BROWSER=1 but no chromium or chromium-browser on PATH")
        #expect(Self.yaml.contains("am_short"), "the strategy block was not replaced")
        let h = try Harness(yaml: Self.yaml)
        let dates = TradingCalendar.nyse.tradingDays(from: SharedMarket.from, through: SharedMarket.to)
        let run = try await h.run(dates, jobs: 2)
        #expect(run.status == .ok)
        let out = try TestPaths.temporaryDirectory("report")
        let day = dates[1]
        let written = try await offPool { () throws -> [URL] in
            let store = try VixShieldDatabase(path: h.dbPath, readOnly: true)
            return try ReportWriter.write(store: store, underlying: "SPX", dates: dates, performanceRange: (nil, SharedMarket.to), to: out)
        }
        #expect(written.map(\.lastPathComponent) == dates.map { "report-\($0.isoString).html" } + ["performance.html", "index.html"])

        let db = try h.database()
        let traded = try db.recommendations(from: day, through: day).filter { $0.rank == 1 && $0.status == "trade" }
        try #require(!traded.isEmpty, "the shared market trades on \(day)")

        let page = out.appendingPathComponent("report-\(day.isoString).html")
        let dom = try await Self.dom(page)
        #expect(dom.charts.count == (try await Self.dom(page, browser: false)).charts.count, "the browser kept every chart the file holds")
        #expect(Self.problems(dom).isEmpty, "\(Self.problems(dom))")
        #expect(dom.chart(id: "term-structure")?.series.map(\.name) == ["model-free", "VX futures"])
        let smiles = dom.charts(kind: "smile")
        let slices = try db.surfaceSlices(asOf: day, underlying: "SPX")
        #expect(smiles.count >= 3 && smiles.count <= slices.count, "\(smiles.count) smiles of \(slices.count) slices")
        // Every smile has its quotes and fit; only an expiry settling by the next session's close has no roll.
        let forDate = try #require(CalendarDate(iso: traded[0].forDate))
        for smile in smiles {
            let expiry = try #require(CalendarDate(iso: String(smile.id.dropFirst("smile-".count).prefix(10))), "\(smile.id)")
            let names = expiry <= forDate ? ["market", "SVI fit"] : ["market", "SVI fit", "next session"]
            #expect(smile.series.map(\.name) == names, "\(smile.id): \(smile.series.map(\.name))")
        }
        #expect(smiles.allSatisfy { $0.xLabel == "Strike" && $0.yLabel == "Implied vol (%)" })
        for r in traded {
            let pnl = try #require(dom.chart(id: "pnl-\(r.profile)"), "no P&L chart for \(r.profile)")
            #expect(pnl.series.map(\.name) == ["condor next day", "with hedge next day", "condor at expiry", "with hedge at expiry"])
            #expect(pnl.xLabel == "SPX move (%)" && pnl.yLabel == "P&L (USD)")
        }
        for symbol in ["SPX", "VIX"] {
            for kind in ["rsi", "macd"] {
                let id = "\(kind)-\(symbol)"
                #expect(dom.chart(id: id) != nil || dom.noDataNotes.contains(id), "\(id): neither a chart nor a note")
            }
        }
        #expect(dom.chart(id: "rsi-SPX") != nil, "the compact market's SPX history warms RSI up")

        // The performance page: a curve with and without the hedge for every profile with a scored trade.
        let outcomes = try db.outcomes(from: nil, through: SharedMarket.to).filter { $0.rank == 1 }
        try #require(!outcomes.isEmpty, "a condor expires inside the week")
        let performance = try await Self.dom(out.appendingPathComponent("performance.html"))
        #expect(Self.problems(performance).isEmpty, "\(Self.problems(performance))")
        for profile in Set(outcomes.map(\.profile)) {
            let equity = try #require(performance.chart(id: "equity-\(profile)"), "no equity curve for \(profile)")
            #expect(equity.series.map(\.name) == ["condor only", "with hedge"])
            #expect(equity.series.allSatisfy { $0.points.count == 1 + outcomes.filter { $0.profile == profile }.count })
        }

        // Writing again gives byte-identical pages.
        let again = try TestPaths.temporaryDirectory("report-again")
        _ = try await offPool { () throws -> [URL] in
            try ReportWriter.write(store: try VixShieldDatabase(path: h.dbPath, readOnly: true), underlying: "SPX", dates: dates,
                                   performanceRange: (nil, SharedMarket.to), to: again)
        }
        let differing = try await offPool {
            try written.map(\.lastPathComponent).filter { try Data(contentsOf: out.appendingPathComponent($0)) != Data(contentsOf: again.appendingPathComponent($0)) }
        }
        #expect(differing.isEmpty, "rewritten pages differ: \(differing)")
    }

    @Test("a date whose chain is missing still renders: a no-trade note and notes for the charts without data",
          .enabled(if: HeadlessBrowser.shouldRun, "no chromium on PATH (set VIXSHIELD_REQUIRE_BROWSER=1 to fail instead)"))
    func noTradeDate() async throws {
        try #require(HeadlessBrowser.binary != nil, "VIXSHIELD_REQUIRE_BROWSER=1 but no chromium or chromium-browser on PATH")
        let h = try Harness(yaml: pipelineYAML(chain: "file://{data_dir}/cboe/options/missing_{date}.json"))
        let day = SharedMarket.to
        _ = try await h.run([day])
        let rows = try h.database().recommendations(from: day, through: day)
        try #require(!rows.isEmpty && rows.allSatisfy { $0.status == "no_trade" }, "\(rows.map(\.status))")
        let out = try TestPaths.temporaryDirectory("report-no-trade")
        _ = try await offPool { () throws -> [URL] in
            try ReportWriter.write(store: try VixShieldDatabase(path: h.dbPath, readOnly: true), underlying: "SPX", dates: [day],
                                   performanceRange: (nil, day), to: out)
        }
        let page = out.appendingPathComponent("report-\(day.isoString).html")
        let dom = try await Self.dom(page)
        #expect(Self.problems(dom).isEmpty, "\(Self.problems(dom))")
        #expect(dom.charts(kind: "smile").isEmpty && dom.noDataNotes.contains("smiles-none"), "\(dom.noDataNotes)")
        #expect(dom.noDataNotes.contains { $0.hasPrefix("pnl-") }, "\(dom.noDataNotes)")
        let text = try await offPool { try String(contentsOf: page, encoding: .utf8) }
        #expect(text.lowercased().contains("no trade — "), "the page says why the date did not trade")
        let performance = try await Self.dom(out.appendingPathComponent("performance.html"))
        #expect(performance.charts.isEmpty && performance.noDataNotes == ["equity-none"])
    }
}
