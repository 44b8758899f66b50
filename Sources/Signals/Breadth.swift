import VixShieldCore

// MARK: - Advance-decline line

/// One session's breadth: issues that advanced and declined (unchanged ones do not move the line).
public struct BreadthCount: Hashable, Sendable, IndicatorInput {
    public var advances: Int
    public var declines: Int

    public init(advances: Int, declines: Int) {
        self.advances = advances
        self.declines = declines
    }

    public init(_ row: BreadthRow) { self.init(advances: row.advances, declines: row.declines) }

    public var invalidReason: String? {
        advances >= 0 && declines >= 0 ? nil : "negative advances or declines"
    }
}

/// The cumulative advance-decline line: Σ (advances − declines) over the observations so far, starting
/// from the first observation's net (no warm-up). A missing session adds nothing: its breadth is unknown,
/// and the line's level is arbitrary anyway; only its highs and lows relative to itself matter.
public struct AdvanceDeclineLine: StreamingIndicator {
    private var level = 0.0

    public init() {}

    public var warmUpCount: Int { 0 }

    public mutating func update(_ day: BreadthCount) -> Double? {
        level += Double(day.advances) - Double(day.declines)
        return level
    }

    public mutating func reset() { level = 0 }
}

// MARK: - Divergence

/// Bearish (−1), none (0) or bullish (+1) divergence between the index and the A/D line.
public enum Divergence: Int, Hashable, Sendable, Comparable {
    case bearish = -1
    case none = 0
    case bullish = 1

    public static func < (a: Divergence, b: Divergence) -> Bool { a.rawValue < b.rawValue }
}

/// One session's index close and A/D line level (join the two series on date first).
public struct IndexBreadthPoint: Hashable, Sendable, IndicatorInput {
    public var indexClose: Double
    public var advanceDeclineLevel: Double

    public init(indexClose: Double, advanceDeclineLevel: Double) {
        self.indexClose = indexClose
        self.advanceDeclineLevel = advanceDeclineLevel
    }

    public var invalidReason: String? {
        indexClose.isFinite && advanceDeclineLevel.isFinite ? nil : "not finite"
    }
}

/// Divergence of the index against the A/D line over the previous `lookback` observations.
///
/// Bearish: the index closes strictly above its highest close of the previous `lookback` observations
/// while the A/D line stays at or below its own previous high (breadth does not confirm the new high).
/// Bullish: the index closes strictly below its previous `lookback` low while the A/D line stays at or
/// above its previous low. Otherwise none. First value at index `lookback` (20 by default: about a
/// month, the horizon of a short-dated condor; shorter lookbacks flag every wiggle).
public struct BreadthDivergence: StreamingIndicator {
    public let lookback: Int
    private var window: RollingWindow<IndexBreadthPoint>

    public init(lookback: Int = 20) throws(SignalsError) {
        guard lookback >= 1 else { throw .invalidParameter("divergence lookback \(lookback) < 1") }
        self.lookback = lookback
        window = RollingWindow(capacity: lookback)
    }

    public var warmUpCount: Int { lookback }

    public mutating func update(_ p: IndexBreadthPoint) -> Divergence? {
        defer { window.append(p) }
        guard window.isFull else { return nil }
        let previous = window.elements
        let indexHigh = previous.map(\.indexClose).max()!, indexLow = previous.map(\.indexClose).min()!
        let lineHigh = previous.map(\.advanceDeclineLevel).max()!, lineLow = previous.map(\.advanceDeclineLevel).min()!
        if p.indexClose > indexHigh && p.advanceDeclineLevel <= lineHigh { return .bearish }
        if p.indexClose < indexLow && p.advanceDeclineLevel >= lineLow { return .bullish }
        return Divergence.none
    }

    public mutating func reset() { window.removeAll() }
}
