import Foundation
import Testing
import VixShieldTestSupport
@testable import Reporting

@Suite("SVG chart builder")
struct ChartTests {
    @Test("fixed decimals never write negative zero", arguments: [
        (-0.0001, 2, "0.00"), (0.0, 0, "0"), (-1.5, 1, "-1.5"), (1234.5678, 2, "1234.57"), (-0.004, 2, "0.00"), (-0.006, 2, "-0.01"),
    ])
    func fixedDecimals(value: Double, decimals: Int, expected: String) {
        #expect(fixed(value, decimals) == expected, "fixed(\(value), \(decimals))")
    }

    @Test("text is escaped for XML content and attributes")
    func escaping() {
        #expect(escapeXML(#"<a href="x">Tom & Jerry's</a>"#) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(escapeXML("plain 1.2–2σ") == "plain 1.2–2σ")
    }

    @Test("nice ticks: steps of 1, 2 or 5 × 10ⁿ that cover the range", arguments: [
        (0.3, 9.7, 5, [0.0, 2, 4, 6, 8, 10]),
        (-1234.0, 5678.0, 5, [-2000.0, 0, 2000, 4000, 6000]),
        (0.0112, 0.0187, 5, [0.010, 0.012, 0.014, 0.016, 0.018, 0.020]),
        (-10.0, 5.0, 6, [-10.0, -5, 0, 5]),
        (42.0, 42.0, 5, [41.0, 41.5, 42, 42.5, 43]),
    ])
    func ticks(lo: Double, hi: Double, target: Int, expected: [Double]) {
        let t = niceTicks(lo...hi, target: target)
        #expect(t.ticks.count == expected.count, "niceTicks(\(lo)...\(hi), \(target)) = \(t.ticks)")
        for (a, e) in zip(t.ticks, expected) { #expect(abs(a - e) < 1e-9 * max(1, abs(e)), "niceTicks(\(lo)...\(hi)) = \(t.ticks)") }
        #expect(t.domain.lowerBound <= lo && t.domain.upperBound >= hi)
    }

    @Test("a linear scale maps the domain ends onto the pixel ends, backwards too")
    func scale() {
        let x = LinearScale(domain: 10...20, pixelStart: 100, pixelEnd: 300)
        #expect(x.pixel(10) == 100 && x.pixel(20) == 300 && x.pixel(15) == 200)
        let y = LinearScale(domain: -5...5, pixelStart: 250, pixelEnd: 50)
        #expect(y.pixel(-5) == 250 && y.pixel(5) == 50 && y.pixel(0) == 150)
        let flat = LinearScale(domain: 3...3, pixelStart: 0, pixelEnd: 10)
        #expect(flat.pixel(3) == 5)
    }

    static let sample = Chart(
        id: "pnl-weekly", kind: "condor-pnl", title: "P&L <weekly>", xAxis: Axis("SPX move (%)", includes: [0]),
        yAxis: Axis("P&L (USD) & more"),
        series: [ChartSeries("condor", points: [ChartPoint(-10, -5000), ChartPoint(-5, 100), ChartPoint(0, 800), ChartPoint(.nan, 3), ChartPoint(5, -2000)]),
                 ChartSeries("market", style: .dots, points: [ChartPoint(-2, 10), ChartPoint(2, 20)]),
                 ChartSeries("empty", points: [ChartPoint(.infinity, 1)])],
        references: [ReferenceLine(x: -3, label: "SP")])

    @Test("a chart draws every finite point inside its plot area, with labelled axes, and drops the rest")
    func chartStructure() throws {
        let dom = ChartDOM(html: Self.sample.svg())
        let chart = try #require(dom.chart(id: "pnl-weekly"))
        #expect(chart.kind == "condor-pnl")
        #expect(chart.problems.isEmpty, "\(chart.problems)")
        #expect(chart.xLabel == "SPX move (%)" && chart.yLabel == "P&L (USD) & more")
        #expect(chart.series.map(\.name) == ["condor", "market"], "a series with no finite point is not drawn")
        #expect(chart.series[0].points.count == 4 && chart.series[1].points.count == 2)
        #expect(chart.xTickLabels.contains("0") && chart.xTickLabels.first == "-10")
        // The x scale is increasing and the y scale decreasing in pixels.
        let p = chart.series[0].points
        #expect(p[0].x < p[1].x && p[0].y > p[2].y)
        let svg = Self.sample.svg()
        #expect(svg.contains("P&amp;L &lt;weekly&gt;") && !svg.contains("<weekly>"))
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test("the same chart gives the same bytes")
    func deterministic() {
        #expect(Self.sample.svg() == Self.sample.svg())
        #expect(Self.sample.svg() != Chart(id: "pnl-weekly", kind: "condor-pnl", title: "P&L <weekly>", xAxis: Self.sample.xAxis,
                                           yAxis: Self.sample.yAxis, series: Array(Self.sample.series.prefix(1))).svg())
    }

    @Test("a chart with no series of two finite points is a note, not an empty frame")
    func noData() {
        let empty = Chart(id: "smile-x", kind: "smile", title: "Smile", xAxis: Axis("Strike"), yAxis: Axis("IV"),
                          series: [ChartSeries("market", points: [ChartPoint(.nan, 1), ChartPoint(2, 3)]),
                                   ChartSeries("fit", style: .dots, points: [ChartPoint(4, 5)])])
        #expect(!empty.hasData)
        let html = empty.svg(noDataNote: "no quotes <today>")
        #expect(!html.contains("<svg") && html.contains("no quotes &lt;today&gt;"))
        #expect(ChartDOM(html: html).noDataNotes == ["smile-x"])
    }

    @Test("date axes write ISO dates")
    func dateAxis() throws {
        let start = CalendarDate(iso: "2026-07-01")!.dayNumber
        let chart = Chart(id: "equity-weekly", kind: "equity", title: "Equity", xAxis: Axis("Expiry date", format: .isoDate),
                          yAxis: Axis("USD"), series: [ChartSeries("with hedge", points: (0..<40).map { ChartPoint(Double(start + $0), Double($0 * $0)) })])
        let read = try #require(ChartDOM(html: chart.svg()).chart(id: "equity-weekly"))
        #expect(read.problems.isEmpty, "\(read.problems)")
        #expect(read.xTickLabels.allSatisfy { CalendarDate(iso: $0) != nil }, "\(read.xTickLabels)")
        #expect(read.xTickLabels.count >= 2 && read.xTickLabels == read.xTickLabels.sorted(), "\(read.xTickLabels)")
        #expect(read.xTickLabels.first! <= "2026-07-01" && read.xTickLabels.last! >= "2026-08-09", "\(read.xTickLabels)")
    }
}

@Suite("Report pages")
struct ReportPageTests {
    static func points(_ f: (Double) -> Double, from: Double, to: Double, count: Int = 20) -> [ChartPoint] {
        (0..<count).map { i in let x = from + (to - from) * Double(i) / Double(count - 1); return ChartPoint(x, f(x)) }
    }

    static let data: DailyReportData = {
        let day = CalendarDate(iso: "2026-07-16")!
        let smile = SmilePanel(expiry: CalendarDate(iso: "2026-07-24")!, settlement: "pm", daysToExpiry: 8, forward: 6000,
                               marketIVs: points({ 20 + 0.0001 * ($0 - 6000) * ($0 - 6000) / 100 }, from: 5700, to: 6200),
                               fitted: points({ 20 + 0.0001 * ($0 - 6000) * ($0 - 6000) / 100 }, from: 5700, to: 6200),
                               projected: points({ 19 + 0.0001 * ($0 - 6000) * ($0 - 6000) / 100 }, from: 5700, to: 6200), note: "fit ok")
        let condor = CondorPanel(profile: "weekly", status: "trade", facts: [Fact("credit", "2.10")], rationale: "shorts at 1.5 σ <tested>",
                                 strikeMovesPct: [ReferenceLine(x: -3, label: "SP"), ReferenceLine(x: 2.5, label: "SC")],
                                 scenarios: [.init(horizon: "next_day", condorUSD: points({ 500 - $0 * $0 * 50 }, from: -10, to: 5),
                                                   totalUSD: points({ 400 - $0 * $0 * 30 }, from: -10, to: 5)),
                                             .init(horizon: "expiry", condorUSD: points({ 800 - $0 * $0 * 80 }, from: -10, to: 5),
                                                   totalUSD: points({ 700 - $0 * $0 * 60 }, from: -10, to: 5))],
                                 hedgeLayers: ["base: buy 1 VX/Q6"])
        let noTrade = CondorPanel(profile: "monthly", status: "no_trade", facts: [Fact("reason", "hurdle not met")], rationale: "",
                                  strikeMovesPct: [], scenarios: [], hedgeLayers: [])
        let d0 = Double(day.dayNumber)
        let indicators = IndicatorPanel(symbol: "SPX", rsi: points({ 50 + 10 * sin($0) }, from: d0 - 30, to: d0),
                                        rsiBandLow: points({ _ in 30 }, from: d0 - 30, to: d0), rsiBandHigh: points({ _ in 70 }, from: d0 - 30, to: d0),
                                        macdLine: [], macdSignal: [], latest: [Fact("RSI 14", "55.0")])
        return DailyReportData(asOf: day, forDate: CalendarDate(iso: "2026-07-17"), underlying: "SPX", spot: 6000, smiles: [smile],
                               omittedExpiries: 3, termStructure: TermStructurePanel(modelFree: points({ 18 + $0 / 50 }, from: 1, to: 120),
                                                                                    vxCurve: [], index30d: 19.2, index9d: nil),
                               condors: [condor, noTrade], indicators: [indicators], notes: ["monthly: no trade — hurdle not met."])
    }()

    @Test("the daily page holds every chart with its data, notes where there is none, and no script or external URL")
    func dailyPage() throws {
        let html = ReportPages.daily(Self.data)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let dom = ChartDOM(html: html)
        for id in ["smile-2026-07-24-pm", "term-structure", "pnl-weekly", "rsi-SPX"] {
            let chart = try #require(dom.chart(id: id), "no chart \(id) in \(dom.charts.map(\.id))")
            #expect(chart.problems.isEmpty, "\(chart.problems)")
        }
        #expect(dom.chart(id: "pnl-weekly")?.series.count == 4)
        #expect(dom.chart(id: "smile-2026-07-24-pm")?.series.map(\.name) == ["market", "SVI fit", "next session"])
        #expect(dom.chart(id: "term-structure")?.series.map(\.name) == ["model-free"], "the VX curve is empty, so not drawn")
        #expect(Set(dom.noDataNotes) == ["pnl-monthly", "macd-SPX"], "\(dom.noDataNotes)")
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://") && !html.contains("src="))
        #expect(html.contains("shorts at 1.5 σ &lt;tested&gt;"))
        #expect(html.contains("monthly: no trade — hurdle not met."))
        #expect(html == ReportPages.daily(Self.data), "same data, same bytes")
    }

    @Test("the performance page draws each profile's curve with and without the hedge")
    func performancePage() throws {
        let start = Double(CalendarDate(iso: "2026-07-01")!.dayNumber)
        let profile = PerformanceData.Profile(name: "weekly", withoutHedgeUSD: [ChartPoint(start, 0), ChartPoint(start + 7, 500), ChartPoint(start + 14, -200)],
                                              withHedgeUSD: [ChartPoint(start, 0), ChartPoint(start + 7, 300), ChartPoint(start + 14, 100)], trades: 2, wins: 1)
        let html = ReportPages.performance(PerformanceData(from: nil, through: CalendarDate(iso: "2026-07-31"), profiles: [profile]))
        let chart = try #require(ChartDOM(html: html).chart(id: "equity-weekly"))
        #expect(chart.problems.isEmpty, "\(chart.problems)")
        #expect(chart.series.map(\.name) == ["condor only", "with hedge"])
        let empty = ReportPages.performance(PerformanceData(from: nil, through: nil, profiles: []))
        #expect(ChartDOM(html: empty).charts.isEmpty && ChartDOM(html: empty).noDataNotes == ["equity-none"])
    }
}
