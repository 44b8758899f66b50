import Foundation
import VixShieldCore

/// Static-arbitrage screen of quotes before any fit: the quotes whose bid/ask interval cannot be
/// reconciled with their neighbours'.
///
/// Conditions (Carr & Madan 2005, "A note on sufficient conditions for no arbitrage"; Davis & Hobson
/// 2007), per expiry and side, on adjacent listed strikes K1 < K2 < K3 with discount D:
/// - **vertical spreads**: calls 0 ≤ (C(K1) − C(K2))/(K2 − K1) ≤ D, puts 0 ≤ (P(K2) − P(K1))/(K2 − K1) ≤ D;
/// - **butterflies**: the middle price at most the strike-weighted chord of the wings,
///   V(K2) ≤ λ V(K1) + (1 − λ) V(K3) with λ = (K3 − K2)/(K3 − K1);
/// - **calendar** (`calendarViolations`): at equal log-moneyness k = ln(K/F) the forward-normalised price
///   V/(D F) does not decrease with expiry (Jensen on the martingale S_T/F).
///
/// Each condition is judged on bid/ask: it is violated only when even the most favourable prices inside
/// the quotes break it, i.e. when the quotes themselves offer a riskless trade (sell at a bid, buy at an
/// ask). For calls: bid(K2) > ask(K1); bid(K1) − ask(K2) > D (K2 − K1); bid(K2) > λ ask(K1) + (1 − λ) ask(K3).
///
/// Culprits, not neighbours: a bad quote breaks conditions with each neighbour, so greedily the quote in
/// the most violations is removed, the violations are recomputed on the remaining quotes (new neighbours),
/// and so on until none is left. Ties go to the quote whose removal leaves the fewest violations (removing
/// an innocent neighbour leaves the culprit in conflict with its next neighbour), then the lower index.
public enum QuoteScreen {
    /// Settings of the screen.
    public struct Config: Hashable, Sendable {
        /// Violations smaller than this (index points) are rounding, not arbitrage.
        public var priceTolerance = 1e-6
        /// At most this share of a side's quotes is removed; beyond it the chain is not screenable quote by
        /// quote and the rest is left for the fit and its diagnostics.
        public var maximumRemovedShare = 0.25
        /// Candidates (tied at the most violations) whose removal is tried for the tie-break.
        public var tieCandidates = 8

        public init() {}
    }

    /// One quote as the screen sees it.
    public struct Quote: Hashable, Sendable {
        public var strike: Double
        public var bid: Double
        public var ask: Double

        public init(strike: Double, bid: Double, ask: Double) {
            self.strike = strike
            self.bid = bid
            self.ask = ask
        }
    }

    /// Indices (into `quotes`) of the quotes of one expiry and one side that the screen removes.
    ///
    /// - Parameters:
    ///   - quotes: one side of one expiry, any order; quotes with a non-finite price, a negative bid or
    ///     an ask below the bid are ignored (normalize flags them).
    ///   - right: call or put (the direction of the vertical bounds).
    ///   - discount: the expiry's discount factor D (bounds the vertical-spread slope).
    public static func screenSide(_ quotes: [Quote], right: OptionRight, discount: Double,
                                  config: Config = Config()) -> Set<Int> {
        let order = quotes.indices.filter { isScreenable(quotes[$0]) }.sorted { (quotes[$0].strike, $0) < (quotes[$1].strike, $1) }
        guard order.count >= 2, discount.isFinite, discount > 0 else { return [] }
        let tol = config.priceTolerance
        func violations(_ kept: [Int]) -> [[Int]] {
            var out: [[Int]] = []
            for n in kept.indices.dropLast() {
                let lo = quotes[kept[n]], hi = quotes[kept[n + 1]]
                let width = hi.strike - lo.strike
                guard width > 0 else { continue }
                // The one with the higher value at the low strike (call) or the high strike (put).
                let (rich, cheap) = right == .call ? (lo, hi) : (hi, lo)
                if cheap.bid > rich.ask + tol || rich.bid - cheap.ask > discount * width + tol {
                    out.append([kept[n], kept[n + 1]])
                }
            }
            for n in kept.indices.dropFirst().dropLast() {
                let a = quotes[kept[n - 1]], b = quotes[kept[n]], c = quotes[kept[n + 1]]
                guard b.strike > a.strike, c.strike > b.strike else { continue }
                let lambda = (c.strike - b.strike) / (c.strike - a.strike)
                if b.bid > lambda * a.ask + (1 - lambda) * c.ask + tol { out.append([kept[n - 1], kept[n], kept[n + 1]]) }
            }
            return out
        }
        let limit = max(1, Int(config.maximumRemovedShare * Double(order.count)))
        return greedyRemoval(initial: order, limit: limit, tieCandidates: config.tieCandidates) { violations($0) }
    }

    /// One expiry's side of the calendar check: out-of-the-money quotes with the expiry's forward and discount.
    public struct CalendarSlice: Sendable {
        public var forward: Double
        public var discount: Double
        public var calls: [Quote]
        public var puts: [Quote]

        public init(forward: Double, discount: Double, calls: [Quote], puts: [Quote]) {
            self.forward = forward
            self.discount = discount
            self.calls = calls
            self.puts = puts
        }
    }

    /// Quotes removed by the calendar check between an earlier and a later expiry of one family: for each
    /// side, the indices into `earlier`'s and `later`'s quote arrays.
    ///
    /// An earlier quote's normalised bid above the later expiry's normalised ask at the same k (the chord
    /// of the two later asks around k, an upper bound on the later price since prices are convex in
    /// strike) is a violation of the three quotes; the same greedy removal picks the culprits.
    public static func calendarViolations(earlier: CalendarSlice, later: CalendarSlice, config: Config = Config())
        -> (earlierCalls: Set<Int>, earlierPuts: Set<Int>, laterCalls: Set<Int>, laterPuts: Set<Int>) {
        func side(_ e: [Quote], _ l: [Quote]) -> (Set<Int>, Set<Int>) {
            guard earlier.forward > 0, later.forward > 0, earlier.discount > 0, later.discount > 0 else { return ([], []) }
            // Ids: earlier quotes 0..<e.count, later quotes e.count..<(e.count + l.count).
            let eScale = 1 / (earlier.discount * earlier.forward), lScale = 1 / (later.discount * later.forward)
            let eK = e.map { log($0.strike / earlier.forward) }, lK = l.map { log($0.strike / later.forward) }
            let eIDs = e.indices.filter { isScreenable(e[$0]) && e[$0].bid > 0 }
            let lIDs = l.indices.filter { isScreenable(l[$0]) }.sorted { (lK[$0], $0) < (lK[$1], $1) }.map { $0 + e.count }
            guard !eIDs.isEmpty, lIDs.count >= 2 else { return ([], []) }
            let tol = config.priceTolerance
            func violations(_ kept: [Int]) -> [[Int]] {
                let later = kept.filter { $0 >= e.count }
                var out: [[Int]] = []
                for id in kept where id < e.count {
                    let k = eK[id]
                    // The later quotes bracketing k (kept is in k order on the later side).
                    // Interpolation only: an earlier quote outside the later quotes' k range is not checked.
                    guard let upper = later.firstIndex(where: { lK[$0 - e.count] >= k }) else { continue }
                    let b = later[upper]
                    let kb = lK[b - e.count]
                    let a: Int
                    if kb == k { a = b } else { guard upper > 0 else { continue }; a = later[upper - 1] }
                    let ka = lK[a - e.count]
                    let w = kb > ka ? (k - ka) / (kb - ka) : 0
                    let ask = ((1 - w) * l[a - e.count].ask + w * l[b - e.count].ask) * lScale
                    if e[id].bid * eScale > ask + tol * lScale { out.append(a == b ? [id, b] : [id, a, b]) }
                }
                return out
            }
            let limit = max(1, Int(config.maximumRemovedShare * Double(eIDs.count + lIDs.count)))
            let removed = greedyRemoval(initial: eIDs + lIDs, limit: limit, tieCandidates: config.tieCandidates) { violations($0) }
            return (Set(removed.filter { $0 < e.count }), Set(removed.filter { $0 >= e.count }.map { $0 - e.count }))
        }
        let calls = side(earlier.calls, later.calls), puts = side(earlier.puts, later.puts)
        return (calls.0, puts.0, calls.1, puts.1)
    }

    // MARK: - Internals

    static func isScreenable(_ q: Quote) -> Bool {
        q.strike > 0 && q.strike.isFinite && q.bid.isFinite && q.ask.isFinite && q.bid >= 0 && q.ask >= q.bid && q.ask > 0
    }

    /// Removes, one at a time, the id in the most violations (ties: the one whose removal leaves the
    /// fewest, then the lowest id) until no violation is left or `limit` ids are gone. `initial` keeps
    /// its order (the neighbour order `violations` relies on).
    static func greedyRemoval(initial: [Int], limit: Int, tieCandidates: Int, violations: ([Int]) -> [[Int]]) -> Set<Int> {
        var kept = initial
        var removed = Set<Int>()
        var current = violations(kept)
        while !current.isEmpty, removed.count < limit {
            var counts: [Int: Int] = [:]
            for v in current { for id in v { counts[id, default: 0] += 1 } }
            let most = counts.values.max()!
            let tied = counts.filter { $0.value == most }.map(\.key).sorted().prefix(max(tieCandidates, 1))
            var best: (id: Int, left: [[Int]])? = nil
            for id in tied {
                let left = violations(kept.filter { $0 != id })
                if best == nil || left.count < best!.left.count { best = (id, left) }
            }
            removed.insert(best!.id)
            kept.removeAll { $0 == best!.id }
            current = best!.left
        }
        return removed
    }
}
