import VixShieldCore

// MARK: - RSI

/// Wilder's relative strength index, TA-Lib compatible (`TA_RSI`, default compatibility, no unstable
/// period).
///
/// Changes d_i = x_i − x_{i−1}. The first average gain (loss) is the simple mean of the first `period`
/// positive parts (negated negative parts); then Wilder smoothing avg ← (avg·(n − 1) + current)/n.
/// RSI = 100·gain/(gain + loss). First value at observation index `period` (14 for the default).
/// A window with no change at all (gain + loss = 0) reads 50, neutral; TA-Lib writes 0 there, which
/// would look maximally oversold.
public struct RSI: StreamingIndicator {
    public let period: Int
    private var previous: Double?
    private var seen = 0
    private var averageGain = 0.0
    private var averageLoss = 0.0

    /// `period` must be at least 2.
    public init(period: Int = 14) throws(SignalsError) {
        guard period >= 2 else { throw .invalidParameter("RSI period \(period) < 2") }
        self.period = period
    }

    public var warmUpCount: Int { period }

    public mutating func update(_ x: Double) -> Double? {
        defer { previous = x }
        guard let p = previous else { return nil }
        let change = x - p
        let gain = max(change, 0), loss = max(-change, 0)
        seen += 1
        let n = Double(period)
        if seen < period {
            averageGain += gain
            averageLoss += loss
            return nil
        }
        if seen == period {
            averageGain = (averageGain + gain) / n
            averageLoss = (averageLoss + loss) / n
        } else {
            averageGain = (averageGain * (n - 1) + gain) / n
            averageLoss = (averageLoss * (n - 1) + loss) / n
        }
        let total = averageGain + averageLoss
        return total > 0 ? 100 * averageGain / total : 50
    }

    public mutating func reset() {
        previous = nil
        seen = 0
        averageGain = 0
        averageLoss = 0
    }
}

// MARK: - EMA (TA-Lib seeding)

/// An exponential moving average seeded with the simple mean of its first `period` inputs (TA-Lib's
/// `INT_EMA` in default compatibility), smoothing k = 2/(period + 1). First value after `period` inputs.
struct SeededEMA: Sendable {
    let period: Int
    let k: Double
    private var sum = 0.0
    private var seen = 0
    private(set) var value: Double?

    init(period: Int) {
        self.period = period
        self.k = 2 / Double(period + 1)
    }

    mutating func update(_ x: Double) -> Double? {
        if let v = value {
            value = (x - v) * k + v
        } else {
            sum += x
            seen += 1
            if seen == period { value = sum / Double(period) }
        }
        return value
    }

    mutating func reset() {
        sum = 0
        seen = 0
        value = nil
    }
}

// MARK: - MACD

/// One MACD observation.
public struct MACDValue: Hashable, Sendable {
    /// Fast EMA − slow EMA.
    public var line: Double
    /// EMA of the line.
    public var signal: Double
    /// Line − signal.
    public var histogram: Double
}

/// Moving average convergence/divergence, matching TA-Lib's `TA_MACD` exactly.
///
/// TA-Lib's convention (which differs from a plain "EMA from the first price" implementation):
/// - the slow EMA is seeded with the simple mean of inputs 0…slow−1, so it starts at index slow − 1;
/// - the fast EMA is *aligned* to start at the same index: it is seeded with the mean of the `fast`
///   inputs ending there (inputs slow−fast … slow−1) and ignores everything earlier;
/// - the signal EMA is seeded with the mean of the first `signal` MACD line values;
/// - all three outputs appear together, first at index (slow − 1) + (signal − 1): 33 for 12/26/9.
/// Smoothing k = 2/(n + 1) for each EMA.
public struct MACD: StreamingIndicator {
    public let fastPeriod: Int
    public let slowPeriod: Int
    public let signalPeriod: Int
    private var fast: SeededEMA
    private var slow: SeededEMA
    private var signal: SeededEMA
    private var seen = 0

    /// Periods must be at least 2 and fast < slow.
    public init(fast: Int = 12, slow: Int = 26, signal: Int = 9) throws(SignalsError) {
        guard fast >= 2, slow > fast, signal >= 2 else {
            throw .invalidParameter("MACD periods \(fast)/\(slow)/\(signal): need 2 ≤ fast < slow and signal ≥ 2")
        }
        fastPeriod = fast
        slowPeriod = slow
        signalPeriod = signal
        self.fast = SeededEMA(period: fast)
        self.slow = SeededEMA(period: slow)
        self.signal = SeededEMA(period: signal)
    }

    public var warmUpCount: Int { slowPeriod - 1 + signalPeriod - 1 }

    public mutating func update(_ x: Double) -> MACDValue? {
        seen += 1
        // The fast EMA only sees the inputs from index slow − fast on (TA-Lib's alignment).
        let fastValue = seen > slowPeriod - fastPeriod ? fast.update(x) : nil
        guard let s = slow.update(x), let f = fastValue else { return nil }
        let line = f - s
        guard let sig = signal.update(line) else { return nil }
        return MACDValue(line: line, signal: sig, histogram: line - sig)
    }

    public mutating func reset() {
        fast.reset()
        slow.reset()
        signal.reset()
        seen = 0
    }
}

// MARK: - Rolling percentile bands

/// Rolling low and high percentiles of an input (the adaptive RSI bands: `RSI().then(PercentileBands())`).
public struct PercentileBand: Hashable, Sendable {
    /// The low percentile of the window (e.g. the 10th).
    public var low: Double
    /// The high percentile (e.g. the 90th).
    public var high: Double
    /// The latest input, so a consumer can compare it with its own band.
    public var value: Double
}

/// Percentiles of the last `window` inputs *including the current one*, by linear interpolation
/// (`Statistics.quantile`, Hyndman–Fan type 7). First value once the window is full: warm-up
/// `window − 1` (after an RSI(14), index 14 + 251 = 265 for the default 252-session window).
public struct PercentileBands: StreamingIndicator {
    public let window: Int
    /// Percentiles in percent, 0…100.
    public let lowPercentile: Double
    public let highPercentile: Double
    private var recent: RollingWindow<Double>
    private var sorted: [Double] = []

    public init(window: Int = 252, lowPercentile: Double = 10, highPercentile: Double = 90) throws(SignalsError) {
        guard window >= 2 else { throw .invalidParameter("band window \(window) < 2") }
        guard lowPercentile >= 0, lowPercentile <= highPercentile, highPercentile <= 100 else {
            throw .invalidParameter("band percentiles \(lowPercentile)/\(highPercentile): need 0 ≤ low ≤ high ≤ 100")
        }
        self.window = window
        self.lowPercentile = lowPercentile
        self.highPercentile = highPercentile
        recent = RollingWindow(capacity: window)
        sorted.reserveCapacity(window)
    }

    public var warmUpCount: Int { window - 1 }

    public mutating func update(_ x: Double) -> PercentileBand? {
        if let old = recent.append(x) { Statistics.remove(old, from: &sorted) }
        Statistics.insert(x, into: &sorted)
        guard recent.isFull,
              let low = Statistics.quantile(sorted: sorted, probability: lowPercentile / 100),
              let high = Statistics.quantile(sorted: sorted, probability: highPercentile / 100) else { return nil }
        return PercentileBand(low: low, high: high, value: x)
    }

    public mutating func reset() {
        recent.removeAll()
        sorted.removeAll(keepingCapacity: true)
    }
}

extension PercentileBand: IndicatorInput {
    public var invalidReason: String? { low.isFinite && high.isFinite && value.isFinite ? nil : "not finite" }
}
extension MACDValue: IndicatorInput {
    public var invalidReason: String? { line.isFinite && signal.isFinite ? nil : "not finite" }
}
