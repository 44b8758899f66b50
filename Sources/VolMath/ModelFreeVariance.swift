import Foundation
import VixShieldCore

/// Call and put bid/ask at one strike, as the Cboe VIX calculation reads them (nil when not listed or
/// unusable).
public struct StrikeQuotes: Hashable, Sendable {
    public var strike: Double
    public var callBid: Double?
    public var callAsk: Double?
    public var putBid: Double?
    public var putAsk: Double?

    public init(strike: Double, callBid: Double?, callAsk: Double?, putBid: Double?, putAsk: Double?) {
        self.strike = strike
        self.callBid = callBid
        self.callAsk = callAsk
        self.putBid = putBid
        self.putAsk = putAsk
    }

    var callMid: Double? { if let b = callBid, let a = callAsk { (b + a) / 2 } else { nil } }
    var putMid: Double? { if let b = putBid, let a = putAsk { (b + a) / 2 } else { nil } }

    /// Groups one expiry's quotes by strike. A side is present (listed) when its quote is usable: not
    /// `QuoteFlags.unusable`, finite, bid ≥ 0 and ask ≥ bid. Zero bids are kept, with or without an
    /// offer (a listed 0/0 quote is a zero bid to the cut-off rule); an unusable quote leaves its side
    /// absent, which the walk neither uses nor counts as a zero bid.
    public static func table(from quotes: [OptionQuote]) -> [StrikeQuotes] {
        table(quotes.lazy.filter { q in
            q.flags.isDisjoint(with: .unusable) && q.bid.isFinite && q.ask.isFinite && q.bid >= 0 && q.ask >= q.bid
        }.map { (contract: $0.contract, bid: $0.bid, ask: $0.ask) })
    }

    /// One row per strike of one expiry's (contract, bid, ask) sides, sorted by strike; a later side of a
    /// contract replaces an earlier one. The caller has already chosen which quotes count.
    public static func table(_ sides: some Sequence<(contract: OptionContract, bid: Double, ask: Double)>) -> [StrikeQuotes] {
        var byStrike: [Int: StrikeQuotes] = [:]
        for (contract, bid, ask) in sides {
            var row = byStrike[contract.strikeMilli]
                ?? StrikeQuotes(strike: contract.strike, callBid: nil, callAsk: nil, putBid: nil, putAsk: nil)
            switch contract.right {
            case .call: row.callBid = bid; row.callAsk = ask
            case .put: row.putBid = bid; row.putAsk = ask
            }
            byStrike[contract.strikeMilli] = row
        }
        return byStrike.keys.sorted().map { byStrike[$0]! }
    }
}

/// One option's part in the model-free variance sum.
public struct ModelFreeContribution: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case put, call, putCallAverage = "put_call_average" }
    public var strike: Double
    public var kind: Kind
    /// Q(K): the mid price (the put/call average at K0).
    public var midPrice: Double
    public var deltaStrike: Double
    /// ΔK/K² · e^{RT} · Q(K).
    public var contribution: Double
}

/// One expiry's model-free variance by the Cboe VIX method.
public struct ModelFreeTerm: Hashable, Sendable {
    public var timeToExpiryYears: Double
    public var rate: Double
    /// The strike where |C − P| of the mids is smallest among strikes with both bids positive; F is read there.
    public var parityStrike: Double
    public var forward: Double
    /// The first listed strike at or below the forward.
    public var k0: Double
    /// σ² = 2/T Σ ΔK/K² e^{RT} Q(K) − 1/T (F/K0 − 1)² (annualized variance).
    public var variance: Double
    /// The options in the sum, by strike (K0 once, as the put/call average).
    public var contributions: [ModelFreeContribution]

    /// Options in the sum as the white paper counts them: one per strike, K0's put/call average as one.
    public var optionsUsed: Int { contributions.count }
}

/// Why a term's model-free variance could not be computed.
public enum ModelFreeVarianceError: Error, Hashable, Sendable {
    case nonPositiveTimeToExpiry
    /// No strike has a call and a put with bids, so the forward cannot be read.
    case noParityStrike
    /// No strike lies at or below the forward.
    case noStrikeBelowForward
    /// The two-zero-bid rule left no out-of-the-money options.
    case noOptionsSelected
}

/// The Cboe VIX white paper's model-free variance and its constant-maturity interpolation.
public enum ModelFreeVariance {
    /// Model-free variance of one expiry.
    ///
    /// - Parameters:
    ///   - strikes: the expiry's strikes (any order; duplicates not allowed).
    ///   - timeToExpiryYears: T (minutes/525,600 in the current method, days/365 in the old one).
    ///   - rate: the risk-free rate R (continuously compounded, decimal) used in e^{RT}.
    public static func term(strikes unsorted: [StrikeQuotes], timeToExpiryYears t: Double,
                            rate: Double) throws(ModelFreeVarianceError) -> ModelFreeTerm {
        guard t > 0, t.isFinite else { throw .nonPositiveTimeToExpiry }
        let strikes = unsorted.sorted { $0.strike < $1.strike }
        let growth = exp(rate * t)
        // 1. Forward from the strike with the smallest |C − P| of the mids.
        var best: (strike: Double, difference: Double)? = nil
        for row in strikes {
            // Only strikes with a bid on both sides: a 0/0 "quote" has |C − P| = 0 and would pick any strike.
            guard let c = row.callMid, let p = row.putMid, (row.callBid ?? 0) > 0, (row.putBid ?? 0) > 0 else { continue }
            if best == nil || abs(c - p) < abs(best!.difference) { best = (row.strike, c - p) }
        }
        guard let parity = best else { throw .noParityStrike }
        let forward = parity.strike + growth * parity.difference
        // 2. K0: the first strike at or below the forward.
        guard let k0Index = strikes.lastIndex(where: { $0.strike <= forward }) else { throw .noStrikeBelowForward }
        let k0 = strikes[k0Index].strike

        // 3. Out-of-the-money selection, walking away from K0 over the strikes where that side is listed
        //    (an absent side is not a zero bid: SPX lists many strikes on one side only); a zero bid is
        //    skipped, two consecutive listed zero bids end the walk.
        func walk(_ indices: some Sequence<Int>, bid: (StrikeQuotes) -> Double?, mid: (StrikeQuotes) -> Double?) -> [(Double, Double)] {
            var out: [(Double, Double)] = []
            var zeroRun = 0
            for i in indices {
                let row = strikes[i]
                guard let b = bid(row) else { continue }
                guard b > 0, let m = mid(row) else {
                    zeroRun += 1
                    if zeroRun == 2 { break }
                    continue
                }
                zeroRun = 0
                out.append((row.strike, m))
            }
            return out
        }
        let puts = walk(stride(from: k0Index - 1, through: 0, by: -1), bid: \.putBid, mid: \.putMid).reversed()
        let calls = walk((k0Index + 1)..<strikes.count, bid: \.callBid, mid: \.callMid)
        // K0: the put/call average; a side without a bid (or not listed) leaves the other side alone.
        let atK0 = strikes[k0Index]
        let callAtK0 = (atK0.callBid ?? 0) > 0 ? atK0.callMid : nil, putAtK0 = (atK0.putBid ?? 0) > 0 ? atK0.putMid : nil
        let k0Mid: Double
        if let c = callAtK0, let p = putAtK0 {
            k0Mid = (c + p) / 2
        } else if let p = putAtK0 ?? callAtK0 {
            k0Mid = p
        } else {
            throw .noOptionsSelected
        }
        var selected: [(strike: Double, kind: ModelFreeContribution.Kind, mid: Double)] = puts.map { ($0.0, .put, $0.1) }
        selected.append((k0, .putCallAverage, k0Mid))
        selected += calls.map { ($0.0, .call, $0.1) }
        guard selected.count >= 2 else { throw .noOptionsSelected }

        // 4. ΔK from the neighbouring selected strikes; one-sided at the ends.
        var sum = 0.0
        var contributions: [ModelFreeContribution] = []
        contributions.reserveCapacity(selected.count)
        for (i, item) in selected.enumerated() {
            let deltaK: Double
            if i == 0 { deltaK = selected[1].strike - item.strike }
            else if i == selected.count - 1 { deltaK = item.strike - selected[i - 1].strike }
            else { deltaK = (selected[i + 1].strike - selected[i - 1].strike) / 2 }
            let c = deltaK / (item.strike * item.strike) * growth * item.mid
            sum += c
            contributions.append(ModelFreeContribution(strike: item.strike, kind: item.kind, midPrice: item.mid,
                                                       deltaStrike: deltaK, contribution: c))
        }
        let variance = 2 / t * sum - 1 / t * (forward / k0 - 1) * (forward / k0 - 1)
        return ModelFreeTerm(timeToExpiryYears: t, rate: rate, parityStrike: parity.strike, forward: forward, k0: k0,
                             variance: variance, contributions: contributions)
    }

    /// Constant-maturity index 100·√(σ²_target) from two terms by the white paper's linear interpolation
    /// of total variance in minutes: σ²_target = [T₁σ₁² w₁ + T₂σ₂² w₂]·N₃₆₅/N_target with
    /// w₁ = (N_T₂ − N_target)/(N_T₂ − N_T₁), w₂ = 1 − w₁. Extrapolates linearly when the target lies
    /// outside [N_T₁, N_T₂] (the Cboe uses a single term when only one straddles; callers decide).
    ///
    /// - Parameters:
    ///   - near/next: the terms with their minutes to expiry (N_T₁ < N_T₂).
    ///   - targetMinutes: 43,200 for 30 days (VIX), 12,960 for 9 days (VIX9D).
    public static func constantMaturityIndex(near: ModelFreeTerm, nearMinutes: Double, next: ModelFreeTerm,
                                             nextMinutes: Double, targetMinutes: Double) -> Double {
        let w1 = (nextMinutes - targetMinutes) / (nextMinutes - nearMinutes)
        let w2 = 1 - w1
        let totalVariance = near.timeToExpiryYears * near.variance * w1 + next.timeToExpiryYears * next.variance * w2
        return 100 * (totalVariance * minutesPerYear / targetMinutes).squareRoot()
    }

    public static let minutesPerYear = 525_600.0
    public static let thirtyDayMinutes = 43_200.0
    public static let nineDayMinutes = 12_960.0
}

// MARK: - Skewness (Cboe SKEW)

extension ModelFreeVariance {
    /// Risk-neutral skewness of the log return ln(S_T/F₀) from one term's out-of-the-money strip, as the
    /// Cboe SKEW white paper computes it (Bakshi, Kapadia & Madan 2003 on the listed strikes): with
    /// c_i = ΔK_i/K_i² · e^{RT} · Q(K_i) (the term's `contributions`) and x_i = ln(K_i/F₀),
    ///
    ///     P₁ = −Σ c_i + ε₁,   P₂ = Σ 2(1 − x_i) c_i + ε₂,   P₃ = Σ 3(2x_i − x_i²) c_i + ε₃,
    ///     ε₁ = −(1 + ln(F₀/K₀) − F₀/K₀),  ε₂ = 2 ln(K₀/F₀)(F₀/K₀ − 1) + ½ ln²(K₀/F₀),
    ///     ε₃ = 3 ln²(K₀/F₀)(⅓ ln(K₀/F₀) − 1 + F₀/K₀),
    ///     S = (P₃ − 3P₁P₂ + 2P₁³) / (P₂ − P₁²)^{3/2}.
    ///
    /// The ε terms correct for K₀ lying below the forward (the strip is split at K₀, not at F₀).
    public static func skewness(_ term: ModelFreeTerm) -> Double {
        let f = term.forward, k0 = term.k0
        var p1 = -(1 + log(f / k0) - f / k0)
        var p2 = 2 * log(k0 / f) * (f / k0 - 1) + 0.5 * pow(log(k0 / f), 2)
        var p3 = 3 * pow(log(k0 / f), 2) * (log(k0 / f) / 3 - 1 + f / k0)
        for c in term.contributions {
            let x = log(c.strike / f)
            p1 -= c.contribution
            p2 += 2 * (1 - x) * c.contribution
            p3 += 3 * (2 * x - x * x) * c.contribution
        }
        return (p3 - 3 * p1 * p2 + 2 * p1 * p1 * p1) / pow(p2 - p1 * p1, 1.5)
    }

    /// Cboe SKEW = 100 − 10 S at `targetMinutes` (30 days: 43,200), S interpolated linearly in time
    /// between the near and next terms, w = (N_next − N_target)/(N_next − N_near) (SKEW white paper).
    public static func skewIndex(near: ModelFreeTerm, nearMinutes: Double, next: ModelFreeTerm, nextMinutes: Double,
                                 targetMinutes: Double) -> Double {
        let w = (nextMinutes - targetMinutes) / (nextMinutes - nearMinutes)
        return 100 - 10 * (w * skewness(near) + (1 - w) * skewness(next))
    }
}

// MARK: - Constant-maturity selection

/// One listed expiry's model-free term with its clock, as the constant-maturity indices pick them.
public struct ListedTerm: Hashable, Sendable {
    public var expiry: CalendarDate
    public var settlement: SettlementStyle
    public var minutesToExpiry: Int
    public var term: ModelFreeTerm

    public init(expiry: CalendarDate, settlement: SettlementStyle, minutesToExpiry: Int, term: ModelFreeTerm) {
        self.expiry = expiry
        self.settlement = settlement
        self.minutesToExpiry = minutesToExpiry
        self.term = term
    }
}

extension ModelFreeVariance {
    /// The near and next terms around `targetMinutes` (nil when the target is not bracketed): terms with at
    /// least `minimumMinutes` to go; on a date listing both an AM-settled (standard SPX) and a PM-settled
    /// (SPXW) expiry only the AM one (the Cboe VIX rules take the standard monthly on its third Friday;
    /// white paper 2014 example: near term the standard AM monthly, next term a PM weekly).
    public static func bracketing(_ terms: [ListedTerm], targetMinutes: Double, minimumMinutes: Int) -> (near: ListedTerm, next: ListedTerm)? {
        let live = terms.filter { $0.minutesToExpiry >= minimumMinutes }.sorted { $0.minutesToExpiry < $1.minutesToExpiry }
        let amDates = Set(live.filter { $0.settlement == .am }.map(\.expiry))
        let eligible = live.filter { $0.settlement == .am || !amDates.contains($0.expiry) }
        guard let near = eligible.last(where: { Double($0.minutesToExpiry) <= targetMinutes }),
              let next = eligible.first(where: { Double($0.minutesToExpiry) > targetMinutes }) else { return nil }
        return (near, next)
    }

    /// The constant-maturity index at `targetMinutes` from the bracketing terms (nil when not bracketed
    /// or not finite).
    public static func constantMaturityIndex(_ terms: [ListedTerm], targetMinutes: Double, minimumMinutes: Int) -> Double? {
        guard let (near, next) = bracketing(terms, targetMinutes: targetMinutes, minimumMinutes: minimumMinutes) else { return nil }
        let value = constantMaturityIndex(near: near.term, nearMinutes: Double(near.minutesToExpiry), next: next.term,
                                          nextMinutes: Double(next.minutesToExpiry), targetMinutes: targetMinutes)
        return value.isFinite ? value : nil
    }

    /// Cboe SKEW at `targetMinutes` from the bracketing terms (nil when not bracketed or not finite).
    public static func skewIndex(_ terms: [ListedTerm], targetMinutes: Double, minimumMinutes: Int) -> Double? {
        guard let (near, next) = bracketing(terms, targetMinutes: targetMinutes, minimumMinutes: minimumMinutes) else { return nil }
        let value = skewIndex(near: near.term, nearMinutes: Double(near.minutesToExpiry), next: next.term,
                              nextMinutes: Double(next.minutesToExpiry), targetMinutes: targetMinutes)
        return value.isFinite ? value : nil
    }
}
