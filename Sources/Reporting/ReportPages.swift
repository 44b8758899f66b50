import Plot
import VixShieldCore

/// The report's HTML pages: self-contained (inline CSS and SVG, no script, no external URL) and
/// deterministic (the same data gives the same bytes).
public enum ReportPages {
    /// File name of one as-of date's page.
    public static func dailyFileName(_ date: CalendarDate) -> String { "report-\(date.isoString).html" }
    public static let performanceFileName = "performance.html"
    public static let indexFileName = "index.html"

    // MARK: - Daily page

    /// One as-of date: smiles, term structure, the recommended condors' P&L, the indicators.
    public static func daily(_ data: DailyReportData) -> String {
        let title = "VixShield \(data.underlying) report \(data.asOf.isoString)"
        var summary = [Fact("as of", data.asOf.isoString), Fact("for", data.forDate?.isoString ?? "—")]
        if let spot = data.spot { summary.append(Fact("spot", fixed(spot, 2))) }
        if let v = data.termStructure.index30d { summary.append(Fact("30-day index", fixed(v, 2))) }
        if let v = data.termStructure.index9d { summary.append(Fact("9-day index", fixed(v, 2))) }

        let condorNodes: [Node<HTML.BodyContext>] = data.condors.isEmpty
            ? [.p(.class("no-data"), .text("No recommendation is stored for this date."))]
            : data.condors.map(condorSection)
        let smileNodes: [Node<HTML.BodyContext>] = data.smiles.isEmpty
            ? [.p(.class("no-data"), .id("smiles-none"), .text("No fitted surface for this date (the chain did not pass the quality gate or was missing)."))]
            : data.smiles.map { smile in .div(.class("panel"), .raw(smileChart(smile).svg(noDataNote: "no implied vols")), .p(.class("note"), .text(smile.note))) }
        var smileIntro = "Market implied vols (out-of-the-money side), the fitted SVI slice and the slice rolled to the next session's close."
        if data.omittedExpiries > 0 { smileIntro += " \(data.omittedExpiries) later expiries are left out." }

        let body: Node<HTML.BodyContext> = .group(
            .header(.h1(.text(title)), factsTable(summary, id: "summary")),
            .group(data.notes.map { .p(.class("notice"), .text($0)) }),
            .section(.id("condors"), .h2(.text("Recommended condors")), .group(condorNodes)),
            .section(.id("term-structure"), .h2(.text("Term structure")),
                     .div(.class("panel"), .raw(termChart(data.termStructure).svg(noDataNote: "no model-free variance or VX curve stored")))),
            .section(.id("smiles"), .h2(.text("Smiles per expiry")), .p(.text(smileIntro)), .div(.class("grid"), .group(smileNodes))),
            .section(.id("indicators"), .h2(.text("Indicators")), .group(data.indicators.map(indicatorSection))),
            .footer(.p(.a(.href(indexFileName), .text("All reports")), .text(" · "), .a(.href(performanceFileName), .text("Performance"))))
        )
        return page(title: title, body: body)
    }

    static func condorSection(_ c: CondorPanel) -> Node<HTML.BodyContext> {
        let chart = Chart(
            id: "pnl-\(c.profile)", kind: "condor-pnl", title: "\(c.profile): P&L by SPX move (no vol shock)",
            xAxis: Axis("SPX move (%)", includes: [0]), yAxis: Axis("P&L (USD)", includes: [0]),
            series: c.scenarios.flatMap { s in
                let horizon = s.horizon == "expiry" ? "at expiry" : "next day"
                return [ChartSeries("condor \(horizon)", style: s.horizon == "expiry" ? .line : .dashed, points: s.condorUSD),
                        ChartSeries("with hedge \(horizon)", style: s.horizon == "expiry" ? .line : .dashed, points: s.totalUSD)]
            },
            references: c.strikeMovesPct, width: 720, height: 360)
        let noData = c.status == "trade" ? "no scenario grid stored" : "no trade, so no P&L to draw"
        return .div(.class("condor"), .data(named: "profile", value: c.profile), .data(named: "status", value: c.status),
                    .h3(.text("\(c.profile): \(c.status == "trade" ? "trade" : "no trade")")),
                    factsTable(c.facts, id: "ticket-\(c.profile)"),
                    .p(.class("rationale"), .text(c.rationale)),
                    .raw(chart.svg(noDataNote: noData)),
                    .if(!c.hedgeLayers.isEmpty, .ul(.class("hedge"), .group(c.hedgeLayers.map { .li(.text($0)) }))))
    }

    static func smileChart(_ s: SmilePanel) -> Chart {
        Chart(id: "smile-\(s.expiry.isoString)-\(s.settlement)", kind: "smile",
              title: "\(s.expiry.isoString) \(s.settlement.uppercased()) (\(s.daysToExpiry) d), forward \(fixed(s.forward, 1))",
              xAxis: Axis("Strike"), yAxis: Axis("Implied vol (%)"),
              series: [ChartSeries("market", style: .dots, points: s.marketIVs), ChartSeries("SVI fit", points: s.fitted),
                       ChartSeries("next session", style: .dashed, points: s.projected)],
              references: [ReferenceLine(x: s.forward, label: "F")], width: 460, height: 300)
    }

    static func termChart(_ t: TermStructurePanel) -> Chart {
        Chart(id: "term-structure", kind: "term-structure", title: "Model-free vol per expiry and the VX futures curve",
              xAxis: Axis("Days to expiry"), yAxis: Axis("Vol points (VIX points for VX)"),
              series: [ChartSeries("model-free", points: t.modelFree), ChartSeries("VX futures", style: .dashed, points: t.vxCurve)],
              width: 720, height: 340)
    }

    static func indicatorSection(_ p: IndicatorPanel) -> Node<HTML.BodyContext> {
        let days = Axis("Date", format: .isoDate)
        let rsi = Chart(id: "rsi-\(p.symbol)", kind: "indicator-rsi", title: "\(p.symbol) RSI (14) and adaptive bands",
                        xAxis: days, yAxis: Axis("RSI"),
                        series: [ChartSeries("RSI 14", points: p.rsi), ChartSeries("band low", style: .dashed, points: p.rsiBandLow),
                                 ChartSeries("band high", style: .dashed, points: p.rsiBandHigh)])
        let macd = Chart(id: "macd-\(p.symbol)", kind: "indicator-macd", title: "\(p.symbol) MACD (12, 26, 9)",
                         xAxis: days, yAxis: Axis("MACD (index points)", includes: [0]),
                         series: [ChartSeries("MACD", points: p.macdLine), ChartSeries("signal", style: .dashed, points: p.macdSignal)])
        return .div(.class("indicators"), .data(named: "symbol", value: p.symbol),
                    .h3(.text(p.symbol)), factsTable(p.latest, id: "latest-\(p.symbol)"),
                    .div(.class("grid"),
                         .div(.class("panel"), .raw(rsi.svg(noDataNote: "fewer than two stored sessions with an RSI (run or backfill more dates)"))),
                         .div(.class("panel"), .raw(macd.svg(noDataNote: "fewer than two stored sessions with a MACD (run or backfill more dates)")))))
    }

    // MARK: - Performance page

    /// Per profile, the cumulative P&L of the scored rank-1 trades with and without the hedge.
    public static func performance(_ data: PerformanceData) -> String {
        let range = "\(data.from?.isoString ?? "start") to \(data.through?.isoString ?? "latest")"
        let title = "VixShield performance, expiries \(range)"
        let sections: [Node<HTML.BodyContext>] = data.profiles.isEmpty
            ? [.p(.class("no-data"), .id("equity-none"), .text("No scored trade expires in this range yet."))]
            : data.profiles.map { p in
                let chart = Chart(id: "equity-\(p.name)", kind: "equity", title: "\(p.name): cumulative P&L",
                                  xAxis: Axis("Expiry date", format: .isoDate), yAxis: Axis("Cumulative P&L (USD)", includes: [0]),
                                  series: [ChartSeries("condor only", style: .dashed, points: p.withoutHedgeUSD),
                                           ChartSeries("with hedge", points: p.withHedgeUSD)],
                                  width: 720, height: 340)
                let final = p.withHedgeUSD.last?.y ?? 0, bare = p.withoutHedgeUSD.last?.y ?? 0
                return .div(.class("profile"), .data(named: "profile", value: p.name), .h2(.text(p.name)),
                            factsTable([Fact("trades", String(p.trades)), Fact("wins", String(p.wins)),
                                        Fact("total without hedge (USD)", fixed(bare, 0)), Fact("total with hedge (USD)", fixed(final, 0))],
                                       id: "totals-\(p.name)"),
                            .raw(chart.svg()))
            }
        return page(title: title, body: .group(.header(.h1(.text(title))), .group(sections),
                                               .footer(.p(.a(.href(indexFileName), .text("All reports"))))))
    }

    // MARK: - Index

    /// Links to every daily page written, newest first, and the performance page.
    public static func index(dates: [CalendarDate], hasPerformance: Bool) -> String {
        let title = "VixShield reports"
        return page(title: title, body: .group(
            .h1(.text(title)),
            .if(hasPerformance, .p(.a(.href(performanceFileName), .text("Performance")))),
            .ul(.id("reports"), .group(dates.sorted(by: >).map { .li(.a(.href(dailyFileName($0)), .text($0.isoString))) }))))
    }

    // MARK: - Shared

    static func factsTable(_ facts: [Fact], id: String) -> Node<HTML.BodyContext> {
        .table(.class("facts"), .id(id), .group(facts.map { .tr(.th(.text($0.label)), .td(.text($0.value))) }))
    }

    static func page(title: String, body: Node<HTML.BodyContext>) -> String {
        HTML(.lang(.english),
             .head(.encoding(.utf8), .element(named: "title", text: title), .style(css)),
             .body(body)).render(indentedBy: .spaces(1))
    }

    /// The page's only style sheet, inline so the file stands alone.
    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1500px}
        h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}h3{font-size:15px}
        table.facts{border-collapse:collapse;margin:6px 0;font-size:13px}
        table.facts th{text-align:left;font-weight:600;padding:2px 10px 2px 0;color:#555}table.facts td{padding:2px 12px 2px 0}
        .grid{display:flex;flex-wrap:wrap;gap:12px}.panel{border:1px solid #e2e2e2;padding:4px}
        .notice{background:#fff4e0;border-left:4px solid #e0a030;padding:6px 10px}.no-data{color:#777;font-style:italic}
        .note,.rationale{font-size:12px;color:#555;max-width:720px}
        svg.chart{font-size:11px;background:#fff}svg .chart-title{font-size:13px;font-weight:600}
        svg .plot-area{fill:none;stroke:#999}svg .gridline{stroke:#eee}svg .axis-label{font-size:12px;fill:#333}
        svg .reference line{stroke:#aaa;stroke-dasharray:2 3}svg .reference text{font-size:10px;fill:#777}
        """
}
