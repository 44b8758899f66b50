import Foundation
import VixShieldCore

// The charts are written by hand: the package mirror has no maintained Swift SVG charting library, and the
// few shapes we need (lines, dots, axes with ticks, a legend, reference lines) are short. The output is
// deterministic text: fixed decimals, no dictionaries iterated, so the same data gives the same bytes.

// MARK: - Numbers

/// Fixed-decimal text for SVG coordinates and labels ("-0.00" is written "0.00").
public func fixed(_ value: Double, _ decimals: Int) -> String {
    let text = String(format: "%.\(decimals)f", value)
    let zero = String(format: "%.\(decimals)f", 0.0)
    return text == "-" + zero ? zero : text
}

/// Text for HTML/SVG content and attribute values: `&`, `<`, `>`, `"` and `'` escaped.
public func escapeXML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

// MARK: - Scales and ticks

/// A linear map from a data interval onto a pixel interval (the pixel interval may run backwards, as y does).
public struct LinearScale: Sendable, Equatable {
    public var domain: ClosedRange<Double>
    public var pixelStart: Double
    public var pixelEnd: Double

    /// A zero-width domain is widened by one unit each side so a flat series still has a scale.
    public init(domain: ClosedRange<Double>, pixelStart: Double, pixelEnd: Double) {
        self.domain = domain.lowerBound < domain.upperBound ? domain : (domain.lowerBound - 1)...(domain.upperBound + 1)
        self.pixelStart = pixelStart
        self.pixelEnd = pixelEnd
    }

    public func pixel(_ value: Double) -> Double {
        pixelStart + (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound) * (pixelEnd - pixelStart)
    }
}

/// "Nice" tick values (steps of 1, 2 or 5 × 10ⁿ, Heckbert's *Graphics Gems* labelling) covering `range`
/// with about `target` ticks; the returned domain is the range widened to the outer ticks.
public func niceTicks(_ range: ClosedRange<Double>, target: Int = 5) -> (domain: ClosedRange<Double>, ticks: [Double], step: Double) {
    var lo = range.lowerBound, hi = range.upperBound
    if !(hi > lo) { lo -= 1; hi += 1 }
    let raw = (hi - lo) / Double(max(target, 1))
    let magnitude = pow(10, floor(log10(raw)))
    let residual = raw / magnitude
    let step = (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10) * magnitude
    let first = floor(lo / step + 1e-9) * step, last = ceil(hi / step - 1e-9) * step
    let count = Int(((last - first) / step).rounded())
    let ticks = (0...count).map { first + Double($0) * step }
    return (first...last, ticks, step)
}

/// Decimals that tell apart ticks `step` apart.
func decimals(forStep step: Double) -> Int { max(0, min(6, Int(ceil(-log10(step) - 1e-9)))) }

// MARK: - Chart description

/// How an axis writes its tick labels.
public enum TickFormat: Sendable, Equatable {
    /// Plain numbers, as many decimals as the tick step needs.
    case number
    /// Values are days since 1970-01-01, written as ISO dates.
    case isoDate
}

public struct Axis: Sendable, Equatable {
    public var label: String
    public var format: TickFormat
    /// Values the axis must include (e.g. 0 for P&L) besides the data.
    public var includes: [Double]

    public init(_ label: String, format: TickFormat = .number, includes: [Double] = []) {
        self.label = label
        self.format = format
        self.includes = includes
    }
}

public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

public struct ChartSeries: Sendable, Equatable {
    public enum Style: String, Sendable, Equatable { case line, dashed, dots }

    public var name: String
    public var style: Style
    /// Non-finite points are dropped when the chart is drawn (a gap, never a NaN in the SVG).
    public var points: [ChartPoint]

    public init(_ name: String, style: Style = .line, points: [ChartPoint]) {
        self.name = name
        self.style = style
        self.points = points
    }
}

/// A vertical marker across the plot (a strike, spot).
public struct ReferenceLine: Sendable, Equatable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String) { self.x = x; self.label = label }
}

/// One chart: its `id` (unique in the page), a `kind` (`data-chart`, what tests look for), axes and series.
public struct Chart: Sendable, Equatable {
    public var id: String
    public var kind: String
    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [ChartSeries]
    public var references: [ReferenceLine]
    public var width: Double
    public var height: Double

    public init(id: String, kind: String, title: String, xAxis: Axis, yAxis: Axis, series: [ChartSeries],
                references: [ReferenceLine] = [], width: Double = 560, height: Double = 320) {
        self.id = id; self.kind = kind; self.title = title; self.xAxis = xAxis; self.yAxis = yAxis
        self.series = series; self.references = references; self.width = width; self.height = height
    }

    /// Series with their non-finite points removed, and only those with two points left: one point is no
    /// line, and a lone dot with a scale invented around it would read as data.
    var drawableSeries: [ChartSeries] {
        series.map { s in ChartSeries(s.name, style: s.style, points: s.points.filter { $0.x.isFinite && $0.y.isFinite }) }
            .filter { $0.points.count >= 2 }
    }

    /// True when some series has something to draw.
    public var hasData: Bool { !drawableSeries.isEmpty }
}

// MARK: - Rendering

/// The plot area inside the chart (margins hold the axes, their labels and the legend).
struct PlotFrame {
    static let left = 70.0, right = 16.0, top = 34.0, bottom = 50.0
    static let legendRow = 18.0
    var x0: Double, y0: Double, x1: Double, y1: Double
}

private let palette = ["#1f5fa8", "#d0622a", "#2e8b57", "#8a3fa0", "#b8860b", "#555555"]

extension Chart {
    /// The chart as an inline `<svg>` element. An empty chart (no series with two finite points) gives a `<p class="no-data">`
    /// with the reason instead, so a page never shows an empty frame.
    public func svg(noDataNote: String = "no data") -> String {
        let drawn = drawableSeries
        guard !drawn.isEmpty else {
            return "<p class=\"no-data\" data-chart=\"\(escapeXML(kind))\" id=\"\(escapeXML(id))\">\(escapeXML(title)): \(escapeXML(noDataNote))</p>"
        }
        let legendRows = Double((drawn.count + 2) / 3)
        let frame = PlotFrame(x0: PlotFrame.left, y0: PlotFrame.top, x1: width - PlotFrame.right,
                              y1: height - PlotFrame.bottom - legendRows * PlotFrame.legendRow)
        let xs = drawn.flatMap { $0.points.map(\.x) } + references.map(\.x) + xAxis.includes
        let ys = drawn.flatMap { $0.points.map(\.y) } + yAxis.includes
        let xTicks = niceTicks(xs.min()!...xs.max()!, target: 6)
        let yTicks = niceTicks(ys.min()!...ys.max()!, target: 5)
        let xScale = LinearScale(domain: xTicks.domain, pixelStart: frame.x0, pixelEnd: frame.x1)
        let yScale = LinearScale(domain: yTicks.domain, pixelStart: frame.y1, pixelEnd: frame.y0)

        var out = "<svg class=\"chart\" id=\"\(escapeXML(id))\" data-chart=\"\(escapeXML(kind))\""
        out += " width=\"\(fixed(width, 0))\" height=\"\(fixed(height, 0))\" viewBox=\"0 0 \(fixed(width, 0)) \(fixed(height, 0))\" role=\"img\">\n"
        out += "<title>\(escapeXML(title))</title>\n"
        out += "<text class=\"chart-title\" x=\"\(fixed(frame.x0, 1))\" y=\"20\">\(escapeXML(title))</text>\n"
        out += "<rect class=\"plot-area\" x=\"\(fixed(frame.x0, 2))\" y=\"\(fixed(frame.y0, 2))\" width=\"\(fixed(frame.x1 - frame.x0, 2))\""
        out += " height=\"\(fixed(frame.y1 - frame.y0, 2))\"></rect>\n"

        // Axes: tick marks, grid lines and labels.
        let xDecimals = decimals(forStep: xTicks.step), yDecimals = decimals(forStep: yTicks.step)
        out += "<g class=\"axis x-axis\">\n"
        for t in xTicks.ticks {
            let px = fixed(xScale.pixel(t), 2)
            out += "<g class=\"tick\"><line class=\"gridline\" x1=\"\(px)\" y1=\"\(fixed(frame.y0, 2))\" x2=\"\(px)\" y2=\"\(fixed(frame.y1, 2))\"></line>"
            out += "<text x=\"\(px)\" y=\"\(fixed(frame.y1 + 16, 2))\" text-anchor=\"middle\">\(escapeXML(tickLabel(t, xAxis.format, xDecimals)))</text></g>\n"
        }
        out += "<text class=\"axis-label\" x=\"\(fixed((frame.x0 + frame.x1) / 2, 2))\" y=\"\(fixed(frame.y1 + 36, 2))\" text-anchor=\"middle\">"
        out += "\(escapeXML(xAxis.label))</text>\n</g>\n"
        out += "<g class=\"axis y-axis\">\n"
        for t in yTicks.ticks {
            let py = fixed(yScale.pixel(t), 2)
            out += "<g class=\"tick\"><line class=\"gridline\" x1=\"\(fixed(frame.x0, 2))\" y1=\"\(py)\" x2=\"\(fixed(frame.x1, 2))\" y2=\"\(py)\"></line>"
            out += "<text x=\"\(fixed(frame.x0 - 6, 2))\" y=\"\(fixed(yScale.pixel(t) + 4, 2))\" text-anchor=\"end\">\(escapeXML(tickLabel(t, yAxis.format, yDecimals)))</text></g>\n"
        }
        let midY = fixed((frame.y0 + frame.y1) / 2, 2)
        out += "<text class=\"axis-label\" x=\"16\" y=\"\(midY)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(midY))\">\(escapeXML(yAxis.label))</text>\n</g>\n"

        // Labels alternate above and just inside the top edge so neighbouring strikes stay readable.
        for (i, r) in references.enumerated() where r.x.isFinite {
            let px = fixed(xScale.pixel(r.x), 2)
            out += "<g class=\"reference\"><line x1=\"\(px)\" y1=\"\(fixed(frame.y0, 2))\" x2=\"\(px)\" y2=\"\(fixed(frame.y1, 2))\"></line>"
            out += "<text x=\"\(px)\" y=\"\(fixed(i % 2 == 0 ? frame.y0 - 3 : frame.y0 + 10, 2))\" text-anchor=\"middle\">\(escapeXML(r.label))</text></g>\n"
        }

        for (i, s) in drawn.enumerated() {
            let color = palette[i % palette.count]
            let coordinates = s.points.map { "\(fixed(xScale.pixel($0.x), 2)),\(fixed(yScale.pixel($0.y), 2))" }
            out += "<g class=\"series\" data-series=\"\(escapeXML(s.name))\" data-points=\"\(s.points.count)\">"
            switch s.style {
            case .dots:
                for c in coordinates {
                    let xy = c.split(separator: ",")
                    out += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"2.2\" fill=\"\(color)\"></circle>"
                }
            case .line, .dashed:
                let dash = s.style == .dashed ? " stroke-dasharray=\"6 4\"" : ""
                out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"\(dash) points=\"\(coordinates.joined(separator: " "))\"></polyline>"
            }
            out += "</g>\n"
        }

        out += "<g class=\"legend\">"
        for (i, s) in drawn.enumerated() {
            let color = palette[i % palette.count]
            let lx = frame.x0 + Double(i % 3) * ((frame.x1 - frame.x0) / 3)
            let ly = height - 12 - (legendRows - 1 - Double(i / 3)) * PlotFrame.legendRow
            let swatch = s.style == .dots
                ? "<circle cx=\"\(fixed(lx + 8, 2))\" cy=\"\(fixed(ly - 4, 2))\" r=\"3\" fill=\"\(color)\"></circle>"
                : "<line x1=\"\(fixed(lx, 2))\" y1=\"\(fixed(ly - 4, 2))\" x2=\"\(fixed(lx + 16, 2))\" y2=\"\(fixed(ly - 4, 2))\" stroke=\"\(color)\" stroke-width=\"2\"\(s.style == .dashed ? " stroke-dasharray=\"6 4\"" : "")></line>"
            out += "<g class=\"legend-item\">\(swatch)<text x=\"\(fixed(lx + 22, 2))\" y=\"\(fixed(ly, 2))\">\(escapeXML(s.name))</text></g>"
        }
        out += "</g>\n</svg>"
        return out
    }
}

func tickLabel(_ value: Double, _ format: TickFormat, _ decimals: Int) -> String {
    switch format {
    case .number: return fixed(value, decimals)
    case .isoDate: return CalendarDate(dayNumber: Int(value.rounded())).isoString
    }
}
