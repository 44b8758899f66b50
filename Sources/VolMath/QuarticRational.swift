/// A rational function P(v)/Q(v) with numerator and denominator of degree four, both evaluated in
/// Estrin's scheme (short dependency chains: the implied-volatility solver is latency-bound). The two
/// polynomials are returned separately so a caller can fold the division into one of its own.
@usableFromInline
struct QuarticRational: Sendable {
    @usableFromInline let numerator: (Double, Double, Double, Double, Double)
    @usableFromInline let denominator: (Double, Double, Double, Double, Double)

    @inlinable
    init(numerator: (Double, Double, Double, Double, Double), denominator: (Double, Double, Double, Double, Double)) {
        self.numerator = numerator
        self.denominator = denominator
    }

    @inline(__always) @usableFromInline
    func callAsFunction(_ v: Double) -> (numerator: Double, denominator: Double) {
        let v2 = v * v, v4 = v2 * v2
        let p = numerator, q = denominator
        return ((p.0 + p.1 * v) + (p.2 + p.3 * v) * v2 + p.4 * v4,
                (q.0 + q.1 * v) + (q.2 + q.3 * v) * v2 + q.4 * v4)
    }
}
