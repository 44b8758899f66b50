import VixShieldCore

/// The arithmetic and text of a backfill's progress: dates done of the total, the rate, the time left and
/// the failures so far, as one terminal line, plus the closing summary. Pure: the caller passes the
/// elapsed wall time, so tests need no clock.
public struct ProgressMeter: Sendable, Equatable {
    public let total: Int
    public private(set) var counts: [DateStatus: Int] = [:]
    /// Dates left out because they had already completed (not counted in the rate).
    public var skipped = 0

    public init(total: Int) { self.total = total }

    public var done: Int { counts.values.reduce(0, +) }

    public mutating func record(_ status: DateStatus) { counts[status, default: 0] += 1 }

    /// Dates per minute so far; nil before the first date or the first instant.
    public func datesPerMinute(elapsedSeconds: Double) -> Double? {
        guard done > 0, elapsedSeconds > 0 else { return nil }
        return Double(done) / elapsedSeconds * 60
    }

    /// Seconds left at the rate so far; nil while the rate is unknown, 0 once every date is done.
    public func etaSeconds(elapsedSeconds: Double) -> Double? {
        if done >= total { return 0 }
        guard let rate = datesPerMinute(elapsedSeconds: elapsedSeconds) else { return nil }
        return Double(total - done) / rate * 60
    }

    /// `[########------------]  12/40 dates  3.2/min  ETA 8m45s  1 failed`: `barWidth` cells of the bar.
    public func line(elapsedSeconds: Double, barWidth: Int = 20) -> String {
        let filled = total == 0 ? barWidth : min(barWidth, done * barWidth / total)
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "]"
        let width = String(total).count
        let doneText = String(repeating: " ", count: max(0, width - String(done).count)) + String(done)
        var parts = ["\(bar) \(doneText)/\(total) dates"]
        parts.append(datesPerMinute(elapsedSeconds: elapsedSeconds).map { "\(Self.decimal($0))/min" } ?? "-/min")
        parts.append("ETA " + (etaSeconds(elapsedSeconds: elapsedSeconds).map(Self.duration) ?? "--"))
        let failed = counts[.failed, default: 0]
        if failed > 0 { parts.append("\(failed) failed") }
        return parts.joined(separator: "  ")
    }

    /// `40 date(s) in 12m30s (3.2/min): 35 ok, 4 no_trade, 1 failed; 3 skipped`.
    public func summary(elapsedSeconds: Double) -> String {
        let rate = datesPerMinute(elapsedSeconds: elapsedSeconds).map { " (\(Self.decimal($0))/min)" } ?? ""
        let byStatus = DateStatus.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }
        var text = "\(done) date(s) in \(Self.duration(elapsedSeconds))\(rate)"
        if !byStatus.isEmpty { text += ": " + byStatus.joined(separator: ", ") }
        if skipped > 0 { text += "; \(skipped) already complete, skipped" }
        return text
    }

    /// `45s`, `8m05s`, `2h03m` (rounded to the second).
    public static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + pad(s % 60) + "s" }
        return "\(s / 3600)h" + pad(s % 3600 / 60) + "m"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// One decimal below 10, whole numbers above (a rate needs no more).
    static func decimal(_ x: Double) -> String {
        if x >= 10 { return String(Int(x.rounded())) }
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
