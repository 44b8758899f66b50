#if canImport(Glibc)
import Glibc  // log, exp: the C math library only, no Foundation
#elseif canImport(Darwin)
import Darwin
#endif
import VixShieldCore

/// One session's prices. Index CSVs sometimes carry only the close: open, high and low are optional.
public struct PriceBar: Hashable, Sendable, IndicatorInput {
    public var open: Double?
    public var high: Double?
    public var low: Double?
    public var close: Double

    public init(open: Double? = nil, high: Double? = nil, low: Double? = nil, close: Double) {
        self.open = open
        self.high = high
        self.low = low
        self.close = close
    }

    public init(_ bar: IndexBar) { self.init(open: bar.open, high: bar.high, low: bar.low, close: bar.close) }

    /// Only the close is required; a bad open/high/low makes the bar "close only" for the range estimators.
    public var invalidReason: String? { close.isFinite && close > 0 ? nil : "close not a positive number" }

    /// (open, high, low) when all three are present, positive, finite and consistent (low ≤ open, close ≤ high).
    var range: (open: Double, high: Double, low: Double)? {
        guard let o = open, let h = high, let l = low, o.isFinite, h.isFinite, l.isFinite, l > 0,
              l <= h, l <= o, o <= h, l <= close, close <= h else { return nil }
        return (o, h, l)
    }
}

/// Which realized-volatility estimator.
public enum RealizedVolatilityEstimator: String, Hashable, Sendable, CaseIterable {
    /// Sample standard deviation (divisor n − 1) of n close-to-close log returns.
    case closeToClose = "close_to_close"
    /// Parkinson (1980): σ² = mean(ln(H/L)²) / (4 ln 2). High and low only.
    case parkinson
    /// Garman–Klass (1980): σ² = mean(½ ln(H/L)² − (2 ln 2 − 1) ln(C/O)²). No overnight term.
    case garmanKlass = "garman_klass"
    /// Yang–Zhang (2000): σ² = σ²_overnight + k σ²_open-close + (1 − k) σ²_Rogers–Satchell, with
    /// k = 0.34 / (1.34 + (n + 1)/(n − 1)); the two σ² are sample variances (n − 1).
    case yangZhang = "yang_zhang"
}

/// Annualized realized volatility over the last `windowSessions` observations (default 21, about a
/// month; 10 for the short window), annualized by `sessionsPerYear` (252).
///
/// Per-observation terms run over consecutive *observations*: across a missing date a close-to-close or
/// overnight return spans both sessions (the gap is not filled or rescaled).
/// Warm-ups: close-to-close and Yang–Zhang need the previous close, so n + 1 bars (first value at index
/// n); Parkinson and Garman–Klass use each bar alone (first value at index n − 1).
/// The range estimators return nil (after the warm-up) while any bar in the window lacks a usable open,
/// high and low, rather than pretending a close-only bar had no range.
public struct RealizedVolatility: StreamingIndicator {
    public let estimator: RealizedVolatilityEstimator
    public let windowSessions: Int
    public let sessionsPerYear: Double
    private var previousClose: Double?
    private var seen = 0
    /// Per-bar terms for the estimator, nil for a bar without a usable range.
    private var terms: RollingWindow<Term?>

    struct Term: Sendable {
        /// ln(C_i / C_{i−1}) (close-to-close), or ln(O_i / C_{i−1}) (overnight, Yang–Zhang).
        var fromPreviousClose: Double
        /// ln(C/O).
        var openToClose: Double
        /// Parkinson, Garman–Klass or Rogers–Satchell per-bar variance term.
        var rangeTerm: Double
    }

    public init(_ estimator: RealizedVolatilityEstimator, windowSessions: Int = 21, sessionsPerYear: Double = 252) throws(SignalsError) {
        guard windowSessions >= 2 else { throw .invalidParameter("realized-vol window \(windowSessions) < 2") }
        guard sessionsPerYear.isFinite, sessionsPerYear > 0 else { throw .invalidParameter("sessionsPerYear \(sessionsPerYear)") }
        self.estimator = estimator
        self.windowSessions = windowSessions
        self.sessionsPerYear = sessionsPerYear
        terms = RollingWindow(capacity: windowSessions)
    }

    private var needsPreviousClose: Bool { estimator == .closeToClose || estimator == .yangZhang }

    public var warmUpCount: Int { needsPreviousClose ? windowSessions : windowSessions - 1 }

    /// Annualized volatility (decimal), or nil in the warm-up or (range estimators) without ranges.
    public mutating func update(_ bar: PriceBar) -> Double?? {
        defer { previousClose = bar.close }
        seen += 1
        if needsPreviousClose && previousClose == nil { return nil }
        terms.append(term(bar))
        guard terms.isFull else { return nil }
        return .some(variance().flatMap { $0 >= 0 ? ($0 * sessionsPerYear).squareRoot() : nil })
    }

    public mutating func reset() {
        previousClose = nil
        seen = 0
        terms.removeAll()
    }

    private func term(_ bar: PriceBar) -> Term? {
        let c = bar.close
        switch estimator {
        case .closeToClose:
            return Term(fromPreviousClose: log(c / previousClose!), openToClose: 0, rangeTerm: 0)
        case .parkinson:
            guard let r = bar.range else { return nil }
            let hl = log(r.high / r.low)
            return Term(fromPreviousClose: 0, openToClose: 0, rangeTerm: hl * hl / (4 * log(2.0)))
        case .garmanKlass:
            guard let r = bar.range else { return nil }
            let hl = log(r.high / r.low), co = log(c / r.open)
            return Term(fromPreviousClose: 0, openToClose: co, rangeTerm: 0.5 * hl * hl - (2 * log(2.0) - 1) * co * co)
        case .yangZhang:
            guard let r = bar.range else { return nil }
            // Rogers–Satchell (1991): ln(H/C)·ln(H/O) + ln(L/C)·ln(L/O), drift-free.
            let rs = log(r.high / c) * log(r.high / r.open) + log(r.low / c) * log(r.low / r.open)
            return Term(fromPreviousClose: log(r.open / previousClose!), openToClose: log(c / r.open), rangeTerm: rs)
        }
    }

    /// Per-session variance of the window, nil when a range term is missing. Two passes over the ring
    /// (means, then squared deviations), no allocation: this runs once per observation.
    private func variance() -> Double? {
        var missing = false
        var sumFrom = 0.0, sumOpenClose = 0.0, sumRange = 0.0
        terms.forEach { t in
            guard let t else { missing = true; return }
            sumFrom += t.fromPreviousClose
            sumOpenClose += t.openToClose
            sumRange += t.rangeTerm
        }
        let n = Double(terms.count)
        if estimator != .closeToClose && missing { return nil }
        let meanFrom = sumFrom / n, meanOpenClose = sumOpenClose / n
        var ssFrom = 0.0, ssOpenClose = 0.0
        terms.forEach { t in
            guard let t else { return }
            ssFrom += (t.fromPreviousClose - meanFrom) * (t.fromPreviousClose - meanFrom)
            ssOpenClose += (t.openToClose - meanOpenClose) * (t.openToClose - meanOpenClose)
        }
        switch estimator {
        case .closeToClose:
            return ssFrom / (n - 1)
        case .parkinson, .garmanKlass:
            return sumRange / n
        case .yangZhang:
            let k = 0.34 / (1.34 + (n + 1) / (n - 1))
            return ssFrom / (n - 1) + k * ssOpenClose / (n - 1) + (1 - k) * sumRange / n
        }
    }
}
