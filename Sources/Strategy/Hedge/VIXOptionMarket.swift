import VixShieldCore
import VolMath

/// One stored VIX option quote as the hedge reads it.
public struct VIXOptionQuote: Hashable, Sendable {
    public var expiry: CalendarDate
    public var right: OptionRight
    public var strike: Double
    public var bid: Double?
    public var ask: Double?
    /// No quality flag (crossed, locked, zero bid, wide spread, stale, …): only these are traded on.
    public var clean: Bool

    public init(expiry: CalendarDate, right: OptionRight, strike: Double, bid: Double?, ask: Double?, clean: Bool) {
        self.expiry = expiry; self.right = right; self.strike = strike; self.bid = bid; self.ask = ask; self.clean = clean
    }
}

/// The VX forward of one VIX option expiry against the forward its options imply by put-call parity.
public struct VIXForwardCheck: Hashable, Sendable {
    public var expiry: CalendarDate
    /// The stored VX settle of the same expiry: the forward the hedge prices on.
    public var vxSettle: Double
    /// C − P = D (F − K) regressed over the clean two-sided pairs (nil with fewer than three).
    public var parityForward: Double?
    public var pairs: Int
    /// Whether the two agree to within the threshold (true when parity could not be estimated).
    public var agrees: Bool
}

/// The VIX option chain of the as-of date, turned into what the hedge trades: the quoted calls of the
/// expiries that have a monthly VX settle, with their forward checked by parity.
///
/// VIX options are European and AM-settled on the VX final settlement Wednesday, at the same special
/// opening quotation as the VX future of that expiry, so the future is their forward exactly (no carry,
/// no dividend guesswork). The stored VX settle is used; parity only checks it, because near-the-money
/// VIX quotes are a few ticks wide and a regression on them is noisier than the exchange's settle.
public enum VIXOptionMarket {
    /// Parity forward and VX settle further apart than this (VIX points) is reported.
    public static let forwardToleranceDefault = 0.25

    /// Clean calls (with an ask) on monthly VX expiries, and one forward check per such expiry.
    /// - Parameter fallbackRate: the rate used for expiries too short to estimate the discount by parity.
    public static func hedgeQuotes(_ quotes: [VIXOptionQuote], curve: [VIXFutureSettlement], asOf: CalendarDate,
                                   fallbackRate: Double = 0.04,
                                   forwardTolerance: Double = forwardToleranceDefault) -> (calls: [VIXCallQuote], checks: [VIXForwardCheck]) {
        let settles = Dictionary(curve.filter { !$0.isWeekly }.map { ($0.expiry, $0.settle) }, uniquingKeysWith: { a, _ in a })
        var calls: [VIXCallQuote] = []
        var checks: [VIXForwardCheck] = []
        for (expiry, rows) in Dictionary(grouping: quotes.filter(\.clean), by: \.expiry).sorted(by: { $0.key < $1.key }) {
            guard let settle = settles[expiry], expiry > asOf else { continue }
            for q in rows where q.right == .call {
                guard let ask = q.ask, ask > 0, ask.isFinite else { continue }
                calls.append(VIXCallQuote(expiry: expiry, strike: q.strike, bid: q.bid, ask: ask))
            }
            let puts = Dictionary(rows.filter { $0.right == .put }.map { ($0.strike, $0) }, uniquingKeysWith: { a, _ in a })
            let pairs = rows.filter { $0.right == .call }.compactMap { c -> ParityPair? in
                guard let p = puts[c.strike], let cb = c.bid, let ca = c.ask, let pb = p.bid, let pa = p.ask, cb > 0, pb > 0 else { return nil }
                return ParityPair(strike: c.strike, callMid: (cb + ca) / 2, putMid: (pb + pa) / 2, combinedSpread: ca - cb + pa - pb)
            }
            let t = Double(expiry.days(since: asOf)) / 365
            let estimate = ParityForward.estimate(pairs: pairs, timeToExpiryYears: t, fallbackRate: fallbackRate, spot: settle)
            let parity = estimate.method == .rateCurve ? nil : estimate.forward
            checks.append(VIXForwardCheck(expiry: expiry, vxSettle: settle, parityForward: parity, pairs: pairs.count,
                                          agrees: parity.map { abs($0 - settle) <= forwardTolerance } ?? true))
        }
        return (calls.sorted { ($0.expiry, $0.strike) < ($1.expiry, $1.strike) }, checks)
    }
}
