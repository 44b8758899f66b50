/// Small order statistics shared by the bands, the ranks and the event summaries.
public enum Statistics {
    /// The p-quantile (p in [0, 1]) of ascending `sorted` values by linear interpolation between order
    /// statistics: Hyndman & Fan (1996) type 7, the default of R, NumPy and Excel's PERCENTILE.INC.
    /// h = (n − 1)·p, Q = x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋). Nil for no values or p outside [0, 1].
    public static func quantile(sorted: [Double], probability p: Double) -> Double? {
        guard !sorted.isEmpty, p >= 0, p <= 1 else { return nil }
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        guard lo + 1 < sorted.count else { return sorted[sorted.count - 1] }
        return sorted[lo] + (h - Double(lo)) * (sorted[lo + 1] - sorted[lo])
    }

    /// Mid-rank percentile of `x` among `values` (which include `x` itself), in [0, 1]:
    /// (#{v < x} + ½(#{v = x} − 1)) / (n − 1). The minimum ranks 0, the maximum 1, ties share a rank.
    /// Nil for fewer than two values.
    public static func percentRank(of x: Double, among values: some Collection<Double>) -> Double? {
        var less = 0, equal = 0
        for v in values { if v < x { less += 1 } else if v == x { equal += 1 } }
        return midRank(less: less, equal: equal, count: values.count)
    }

    /// (less + ½(equal − 1)) / (count − 1); nil unless x is among at least two values.
    static func midRank(less: Int, equal: Int, count: Int) -> Double? {
        guard count >= 2, equal >= 1 else { return nil }
        return (Double(less) + 0.5 * Double(equal - 1)) / Double(count - 1)
    }

    /// Mean; nil when empty.
    public static func mean(_ values: some Collection<Double>) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// Sample variance (divisor n − 1), two-pass for accuracy; nil for fewer than two values.
    public static func sampleVariance(_ values: some Collection<Double>) -> Double? {
        guard values.count >= 2, let m = mean(values) else { return nil }
        return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
    }

    /// Inserts `x` into ascending `sorted` (binary search), keeping it sorted.
    static func insert(_ x: Double, into sorted: inout [Double]) {
        sorted.insert(x, at: lowerBound(x, in: sorted))
    }

    /// Removes one copy of `x` from ascending `sorted` (a no-op when absent).
    static func remove(_ x: Double, from sorted: inout [Double]) {
        let i = lowerBound(x, in: sorted)
        if i < sorted.count, sorted[i] == x { sorted.remove(at: i) }
    }

    private static func lowerBound(_ x: Double, in sorted: [Double]) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// The last `capacity` values in arrival order (a fixed ring), for rolling windows.
struct RollingWindow<Element: Sendable>: Sendable {
    let capacity: Int
    private var storage: [Element] = []
    private var head = 0

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    var count: Int { storage.count }
    var isFull: Bool { storage.count == capacity }

    /// Appends `x`; returns the element it pushed out when the window was full.
    @discardableResult
    mutating func append(_ x: Element) -> Element? {
        if storage.count < capacity { storage.append(x); return nil }
        let old = storage[head]
        storage[head] = x
        head = (head + 1) % capacity
        return old
    }

    /// Oldest first.
    var elements: [Element] { Array(storage[head...] + storage[..<head]) }

    /// Calls `body` on each element, oldest first, without allocating.
    func forEach(_ body: (Element) -> Void) {
        for i in head..<storage.count { body(storage[i]) }
        for i in 0..<head { body(storage[i]) }
    }

    /// The most recent element, or nil.
    var last: Element? {
        guard !storage.isEmpty else { return nil }
        return storage.count < capacity ? storage.last : storage[(head + capacity - 1) % capacity]
    }

    mutating func removeAll() { storage.removeAll(keepingCapacity: true); head = 0 }
}
