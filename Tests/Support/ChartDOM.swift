import Foundation

/// The report's SVG charts read back from HTML text: the page as written or the DOM a browser dumped
/// (`chromium --dump-dom`). Both write every SVG element with an explicit end tag and double-quoted
/// attributes, so a small tag scanner is enough; anything it cannot read is reported, not skipped.
public struct ChartDOM: Sendable {
    public struct Rect: Sendable, Equatable {
        public var x: Double, y: Double, width: Double, height: Double
        public func contains(_ p: (x: Double, y: Double), tolerance: Double = 0.01) -> Bool {
            p.x >= x - tolerance && p.x <= x + width + tolerance && p.y >= y - tolerance && p.y <= y + height + tolerance
        }
    }

    public struct Series: Sendable {
        public var name: String
        public var declaredPoints: Int?
        public var points: [(x: Double, y: Double)]
    }

    public struct Chart: Sendable {
        public var id: String
        public var kind: String
        public var plotArea: Rect?
        public var xLabel: String?
        public var yLabel: String?
        public var xTickLabels: [String]
        public var yTickLabels: [String]
        public var series: [Series]

        /// What is wrong with the chart for a reader: no axis labels, no ticks, a series with fewer than two
        /// points or a point that is not finite or outside the plot area. Empty when the chart is sound.
        public var problems: [String] {
            var out: [String] = []
            guard let area = plotArea else { return ["\(id): no plot area"] }
            if (xLabel ?? "").isEmpty { out.append("\(id): no x-axis label") }
            if (yLabel ?? "").isEmpty { out.append("\(id): no y-axis label") }
            if xTickLabels.count < 2 || yTickLabels.count < 2 { out.append("\(id): ticks x \(xTickLabels.count), y \(yTickLabels.count)") }
            if series.isEmpty { out.append("\(id): no series") }
            for s in series {
                if s.points.count < 2 { out.append("\(id) / \(s.name): \(s.points.count) point(s)") }
                if let n = s.declaredPoints, n != s.points.count { out.append("\(id) / \(s.name): declares \(n) points, draws \(s.points.count)") }
                if let bad = s.points.first(where: { !$0.x.isFinite || !$0.y.isFinite || !area.contains($0) }) {
                    out.append("\(id) / \(s.name): point \(bad) outside \(area) or not finite")
                }
            }
            return out
        }
    }

    public var charts: [Chart]
    /// `id`s of the `no-data` notes that stand in for charts with nothing to draw.
    public var noDataNotes: [String]

    public init(html: String) {
        charts = Self.blocks(html, open: "<svg", close: "</svg>").map(Self.chart)
        noDataNotes = Self.tags(html, named: "p").filter { ($0["class"] ?? "").split(separator: " ").contains("no-data") }.compactMap { $0["id"] }
    }

    public func chart(id: String) -> Chart? { charts.first { $0.id == id } }
    public func charts(kind: String) -> [Chart] { charts.filter { $0.kind == kind } }

    // MARK: - Scanning

    static func chart(_ svg: String) -> Chart {
        let root = tags(svg, named: "svg").first ?? [:]
        let rect = tags(svg, named: "rect").first { $0["class"] == "plot-area" }.flatMap { a -> Rect? in
            guard let x = a["x"].flatMap(Double.init), let y = a["y"].flatMap(Double.init),
                  let w = a["width"].flatMap(Double.init), let h = a["height"].flatMap(Double.init) else { return nil }
            return Rect(x: x, y: y, width: w, height: h)
        }
        func axis(_ cls: String) -> (label: String?, ticks: [String]) {
            guard let block = blocks(svg, open: "<g class=\"axis \(cls)\"", close: "\n</g>").first else { return (nil, []) }
            let ticks = blocks(block, open: "<g class=\"tick\"", close: "</g>").compactMap { texts($0).first }
            let label = matches(block, #"<text class="axis-label"[^>]*>([^<]*)</text>"#).first
            return (label.map(unescape), ticks)
        }
        let x = axis("x-axis"), y = axis("y-axis")
        let series = blocks(svg, open: "<g class=\"series\"", close: "</g>").map { block -> Series in
            let attrs = tags(block, named: "g").first ?? [:]
            var points: [(x: Double, y: Double)] = []
            for poly in tags(block, named: "polyline") {
                for pair in (poly["points"] ?? "").split(separator: " ") {
                    let xy = pair.split(separator: ",").map { Double($0) ?? .nan }
                    points.append(xy.count == 2 ? (xy[0], xy[1]) : (.nan, .nan))
                }
            }
            for c in tags(block, named: "circle") {
                points.append((c["cx"].flatMap(Double.init) ?? .nan, c["cy"].flatMap(Double.init) ?? .nan))
            }
            return Series(name: unescape(attrs["data-series"] ?? ""), declaredPoints: attrs["data-points"].flatMap(Int.init), points: points)
        }
        return Chart(id: root["id"] ?? "", kind: root["data-chart"] ?? "", plotArea: rect, xLabel: x.label, yLabel: y.label,
                     xTickLabels: x.ticks, yTickLabels: y.ticks, series: series)
    }

    /// Substrings from each `open` to the next `close` (inclusive), in order.
    static func blocks(_ text: String, open: String, close: String) -> [String] {
        var out: [String] = []
        var rest = text[...]
        while let start = rest.range(of: open), let end = rest[start.upperBound...].range(of: close) {
            out.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return out
    }

    /// Attributes of every start tag `<name …>` in `text`.
    static func tags(_ text: String, named name: String) -> [[String: String]] {
        matches(text, "<\(name)(\\s[^>]*)?>").map { attributes in
            var out: [String: String] = [:]
            for pair in pairs(attributes, #"([A-Za-z_:][-A-Za-z0-9_:.]*)="([^"]*)""#) { out[pair.0] = unescape(pair.1) }
            return out
        }
    }

    static func texts(_ text: String) -> [String] { matches(text, #"<text[^>]*>([^<]*)</text>"#).map(unescape) }

    /// The first capture group of every match.
    static func matches(_ text: String, _ pattern: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            m.range(at: 1).location == NSNotFound ? "" : ns.substring(with: m.range(at: 1))
        }
    }

    static func pairs(_ text: String, _ pattern: String) -> [(String, String)] {
        let regex = try! NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
            (ns.substring(with: $0.range(at: 1)), ns.substring(with: $0.range(at: 2)))
        }
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
