import Foundation
import VixShieldCore
import VolMath

// MARK: - Profiles

/// How a scored profile picks its short strikes.
public enum ShortStrikeRule: Sendable, Hashable {
    /// Short legs whose |delta| lies in the range (e.g. 0.10…0.25).
    case delta(ClosedRange<Double>)
    /// Short legs whose distance from the forward, in projected 1-SD expected moves to expiry, lies in the
    /// range (e.g. 1.2…2.0).
    case standardDeviations(ClosedRange<Double>)
}

/// A scored profile: the space of condors searched and the rules a candidate must pass.
public struct ScoredCondorProfile: Sendable, Hashable {
    public var name: String
    public var dteRange: ClosedRange<Int>
    public var monthlyOnly: Bool
    public var shortStrikes: ShortStrikeRule
    /// Wing widths tried on each side, in index points.
    public var wingWidthsPoints: [Double]
    /// Smallest executable credit worth the trade, points per condor.
    public var minimumCreditPoints: Double
    /// Largest bid/ask spread of a short leg as a share of its mid.
    public var maximumSpreadFraction: Double
    /// Smallest open interest of a short leg.
    public var minimumOpenInterest: Double
    /// 0 trades at mid, 1 at the far side of the quote.
    public var slippageFraction: Double
    /// Ranked alternates after the best.
    public var alternates: Int
    /// Annual hurdle rate (the seed's WACC/IRR): a trade whose annualized expected return on risk is below
    /// it is not recommended.
    public var hurdleRate: Double
    /// Score deducted per scheduled release inside the trade's life (the projection prices the event; the
    /// penalty keeps an event-free trade ahead of an equal one that carries a jump).
    public var eventPenalty: Double

    public init(name: String, dteRange: ClosedRange<Int>, monthlyOnly: Bool = false, shortStrikes: ShortStrikeRule = .delta(0.10...0.25),
                wingWidthsPoints: [Double] = [25, 50, 100], minimumCreditPoints: Double = 1, maximumSpreadFraction: Double = 0.35,
                minimumOpenInterest: Double = 0, slippageFraction: Double = 0.5, alternates: Int = 2, hurdleRate: Double = 0.08,
                eventPenalty: Double = 0.05) {
        self.name = name; self.dteRange = dteRange; self.monthlyOnly = monthlyOnly; self.shortStrikes = shortStrikes
        self.wingWidthsPoints = wingWidthsPoints; self.minimumCreditPoints = minimumCreditPoints
        self.maximumSpreadFraction = maximumSpreadFraction; self.minimumOpenInterest = minimumOpenInterest
        self.slippageFraction = slippageFraction; self.alternates = alternates; self.hurdleRate = hurdleRate
        self.eventPenalty = eventPenalty
    }

    /// 5–10 days, shorts at 1.2–2 projected standard deviations, 25–100 point wings.
    public static func weekly(name: String = "weekly") -> ScoredCondorProfile {
        ScoredCondorProfile(name: name, dteRange: 5...10, shortStrikes: .standardDeviations(1.2...2.0), wingWidthsPoints: [25, 50, 100])
    }

    /// 30–45 days, shorts at 0.10–0.20 delta, 50–150 point wings.
    public static func monthly(name: String = "monthly") -> ScoredCondorProfile {
        ScoredCondorProfile(name: name, dteRange: 30...45, shortStrikes: .delta(0.10...0.20), wingWidthsPoints: [50, 100, 150],
                            minimumCreditPoints: 3)
    }

    public func admits(root: String, expiry: CalendarDate, tradeDate: CalendarDate) -> Bool {
        dteRange.contains(expiry.days(since: tradeDate)) && (!monthlyOnly || ExpiryChain.isStandardMonthly(root: root, expiry: expiry))
    }
}

// MARK: - Inputs and results

/// One expiry the search may trade, with what it is priced on.
public struct CandidateExpiry: Sendable {
    public var chain: ExpiryChain
    /// The terminal density the score uses: the fitted slice adjusted by the variance risk premium.
    public var realWorld: any TerminalDistribution
    /// Projected 1-SD move to expiry, index points (the projection stage's next-session surface).
    public var expectedMovePoints: Double?
    /// Scheduled releases inside the trade's life.
    public var events: [MarketEvent]

    public init(chain: ExpiryChain, realWorld: any TerminalDistribution, expectedMovePoints: Double?, events: [MarketEvent]) {
        self.chain = chain; self.realWorld = realWorld; self.expectedMovePoints = expectedMovePoints; self.events = events
    }
}

/// A ranked candidate: the condor in the stored shape, and what ranked it.
public struct ScoredCondor: Sendable {
    public var condor: IronCondor
    /// Annualized expected return on risk less the event penalty, times a liquidity factor.
    public var score: Double
    /// (expected P&L / max loss) × 365 / DTE, under the real-world density.
    public var annualizedReturn: Double
    /// Theta per day over |gamma| per point², both in dollars (decay bought per unit of convexity sold).
    public var thetaToGamma: Double
    public var events: [MarketEvent]
}

// MARK: - Search

/// The scored condor search: every expiry in the window, every short put/short call pair the rule admits,
/// every wing width, priced at executable prices and scored by the expected P&L under the variance-risk-
/// premium-adjusted density.
///
/// Expected payoff of a put vertical short K₂ long K₁ (K₁ < K₂) is E[(K₂ − S)⁺ − (K₁ − S)⁺] = ∫_{K₁}^{K₂} P(S < x) dx,
/// of a call vertical short K₁ long K₂ it is ∫_{K₁}^{K₂} P(S > x) dx; both integrals are taken with Simpson's rule
/// on 16 intervals (the integrand is a smooth CDF). The condor's expected P&L at expiry is the executable
/// credit minus the two, per point; dollars × 100 × contracts.
///
/// Score = annualized expected return on risk × (1 − mean relative spread of the four legs) − eventPenalty ×
/// events in life. Candidates with no positive expected P&L, under the minimum credit, outside the
/// liquidity limits or too large for one contract within the risk budget are dropped; the best must clear the
/// hurdle rate.
public enum CondorSearch {
    /// The fitted slice with its total variance scaled by `realizedOverImpliedVarianceRatio` (clamped to
    /// 0.3…1.5): a = λa, b = λb keep the smile's shape and scale its variance, the forward unchanged.
    public static func varianceAdjusted(parameters p: SVIParameters, forward: Double,
                                        realizedOverImpliedVarianceRatio ratio: Double) -> RiskNeutralDistribution {
        let lambda = ratio.isFinite ? min(max(ratio, 0.3), 1.5) : 1
        return RiskNeutralDistribution(parameters: SVIParameters(a: lambda * p.a, b: lambda * p.b, rho: p.rho, m: p.m, sigma: p.sigma),
                                       forward: forward)
    }

    public static func rank(tradeDate: CalendarDate, expiries: [CandidateExpiry], profile: ScoredCondorProfile,
                            sizing: SizingPolicy) -> Result<[ScoredCondor], NoTradeReason> {
        let window = expiries.filter { profile.admits(root: $0.chain.root, expiry: $0.chain.expiry, tradeDate: tradeDate) }
        guard !window.isEmpty else {
            return .failure(.noExpiryInWindow("no \(profile.monthlyOnly ? "standard monthly " : "")expiry with \(profile.dteRange.lowerBound)-\(profile.dteRange.upperBound) days to expiry from \(tradeDate)"))
        }
        let spaces = window.map { ExpirySpace($0, tradeDate: tradeDate, profile: profile, sizing: sizing) }
        var all: [Candidate] = []
        for (i, space) in spaces.enumerated() { space.score(into: &all, expiry: i, profile: profile, sizing: sizing) }
        guard !all.isEmpty else {
            return .failure(.noCandidate("\(profile.name): no condor in \(window.count) expir\(window.count == 1 ? "y" : "ies") passes the strike rule, liquidity, minimum credit, a positive expected P&L and the risk budget"))
        }
        // Best first; ties broken by expiry, then strikes, so the order never depends on input order.
        all.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            return a.key < b.key
        }
        guard all[0].annualizedReturn >= profile.hurdleRate else {
            return .failure(.hurdleNotMet(annualizedReturn: all[0].annualizedReturn, hurdle: profile.hurdleRate))
        }
        var picked: [ScoredCondor] = []
        var seen = Set<ShortPair>()
        for c in all where c.annualizedReturn >= profile.hurdleRate && picked.count <= profile.alternates {
            // Alternates differ in expiry or short strikes (another wing on the same shorts is not an alternative).
            if seen.insert(ShortPair(expiry: c.expiry, shortPut: c.key.shortPut, shortCall: c.key.shortCall)).inserted {
                picked.append(spaces[c.expiry].condor(c, profile: profile, sizing: sizing))
            }
        }
        return .success(picked)
    }

    /// What orders two candidates of equal score: expiry, then strikes.
    struct TieBreak: Comparable {
        var expiry: CalendarDate
        var shortPut: Double, shortCall: Double, longPut: Double, longCall: Double
        static func < (a: TieBreak, b: TieBreak) -> Bool {
            (a.expiry, a.shortPut, a.shortCall, a.longPut, a.longCall) < (b.expiry, b.shortPut, b.shortCall, b.longPut, b.longCall)
        }
    }

    /// Index of the expiry in the window and the two short strikes: what makes an alternate different.
    struct ShortPair: Hashable { var expiry: Int; var shortPut: Double; var shortCall: Double }

    /// A put vertical and a call vertical of one expiry with what ranks them; the condor itself (greeks,
    /// POP, rationale) is written out only for the few that are picked, since a full chain gives tens of
    /// thousands of pairs.
    struct Candidate {
        var expiry: Int
        var put: Int, call: Int
        var key: TieBreak
        var credit: Double, maxLoss: Double, expectedPoints: Double
        var contracts: Int
        var annualizedReturn: Double, score: Double
    }

    /// A vertical's executable credit and expected payout, computed once per (short, width).
    struct Vertical {
        var short: PricedOption, long: PricedOption
        var credit: Double, midCredit: Double, expectedPayout: Double
        var width: Double { abs(short.strike - long.strike) }
    }

    /// One expiry's search space: the short legs the rule admits and their verticals at every wing width.
    struct ExpirySpace {
        let expiry: CandidateExpiry
        let daysToExpiry: Int
        var putVerticals: [Vertical] = []
        var callVerticals: [Vertical] = []

        init(_ e: CandidateExpiry, tradeDate: CalendarDate, profile: ScoredCondorProfile, sizing: SizingPolicy) {
            expiry = e
            let chain = e.chain
            daysToExpiry = chain.expiry.days(since: tradeDate)
            guard daysToExpiry > 0 else { return }
            let twoSided = chain.options.filter { $0.bid > 0 && $0.ask >= $0.bid && $0.mid > 0 }
            var puts: [Double: PricedOption] = [:], calls: [Double: PricedOption] = [:]
            for o in twoSided { if o.contract.right == .put { puts[o.strike] = o } else { calls[o.strike] = o } }
            func liquid(_ o: PricedOption) -> Bool {
                (o.ask - o.bid) / o.mid <= profile.maximumSpreadFraction && o.openInterest >= profile.minimumOpenInterest
            }
            func admitted(_ o: PricedOption) -> Bool {
                switch profile.shortStrikes {
                case .delta(let range): return range.contains(abs(o.greeks.delta))
                case .standardDeviations(let range):
                    guard let move = e.expectedMovePoints, move > 0 else { return false }
                    return range.contains(abs(chain.forward - o.strike) / move)
                }
            }
            let shortPuts = puts.values.filter { $0.strike < chain.forward && admitted($0) && liquid($0) }.sorted { $0.strike < $1.strike }
            let shortCalls = calls.values.filter { $0.strike > chain.forward && admitted($0) && liquid($0) }.sorted { $0.strike < $1.strike }
            let slip = profile.slippageFraction
            func sell(_ o: PricedOption) -> Double { o.mid - slip * (o.mid - o.bid) }
            func buy(_ o: PricedOption) -> Double { o.mid + slip * (o.ask - o.mid) }
            let d = e.realWorld
            func integrate(_ a: Double, _ b: Double, _ f: (Double) -> Double) -> Double {
                let n = 16, h = (b - a) / Double(n)
                var sum = f(a) + f(b)
                for i in 1..<n { sum += (i % 2 == 1 ? 4 : 2) * f(a + Double(i) * h) }
                return sum * h / 3
            }
            for s in shortPuts {
                for w in profile.wingWidthsPoints {
                    guard let l = puts[s.strike - w] else { continue }
                    putVerticals.append(Vertical(short: s, long: l, credit: sell(s) - buy(l), midCredit: s.mid - l.mid,
                                                 expectedPayout: integrate(l.strike, s.strike) { d.probabilityBelow($0) }))
                }
            }
            for s in shortCalls {
                for w in profile.wingWidthsPoints {
                    guard let l = calls[s.strike + w] else { continue }
                    callVerticals.append(Vertical(short: s, long: l, credit: sell(s) - buy(l), midCredit: s.mid - l.mid,
                                                  expectedPayout: integrate(s.strike, l.strike) { 1 - d.probabilityBelow($0) }))
                }
            }
        }

        /// Every put × call pair that passes the credit, P&L and risk-budget rules, with its score.
        func score(into out: inout [Candidate], expiry index: Int, profile: ScoredCondorProfile, sizing: SizingPolicy) {
            let budget = sizing.capitalUSD * sizing.maxRiskFraction
            let eventPenalty = profile.eventPenalty * Double(expiry.events.count)
            func relativeSpread(_ o: PricedOption) -> Double { (o.ask - o.bid) / o.mid }
            let putSpreads = putVerticals.map { (relativeSpread($0.long), relativeSpread($0.short)) }
            let callSpreads = callVerticals.map { (relativeSpread($0.short), relativeSpread($0.long)) }
            for (i, p) in putVerticals.enumerated() {
                for (j, c) in callVerticals.enumerated() {
                    let credit = p.credit + c.credit
                    let widest = max(p.width, c.width), narrowest = min(p.width, c.width)
                    let maxLoss = widest - credit
                    guard credit >= profile.minimumCreditPoints, credit < narrowest, maxLoss > 0 else { continue }
                    let expectedPoints = credit - p.expectedPayout - c.expectedPayout
                    guard expectedPoints > 0 else { continue }
                    let fits = (budget / (maxLoss * sizing.multiplierUSD)).rounded(.down)
                    guard fits.isFinite, fits >= 1, fits < 1e9 else { continue }
                    let annualized = expectedPoints / maxLoss * 365 / Double(daysToExpiry)
                    // Legs in the order long put, short put, short call, long call (the sum's order is part of the digits).
                    let spread = (((0 + putSpreads[i].0) + putSpreads[i].1) + callSpreads[j].0 + callSpreads[j].1) / 4
                    let score = annualized * max(0, 1 - spread) - eventPenalty
                    out.append(Candidate(expiry: index, put: i, call: j,
                                         key: TieBreak(expiry: expiry.chain.expiry, shortPut: p.short.strike, shortCall: c.short.strike,
                                                       longPut: p.long.strike, longCall: c.long.strike),
                                         credit: credit, maxLoss: maxLoss, expectedPoints: expectedPoints, contracts: Int(fits),
                                         annualizedReturn: annualized, score: score))
                }
            }
        }

        /// The candidate written out as a condor: legs, break-evens, POP, position greeks and its rationale.
        func condor(_ k: Candidate, profile: ScoredCondorProfile, sizing: SizingPolicy) -> ScoredCondor {
            let p = putVerticals[k.put], c = callVerticals[k.call]
            let chain = expiry.chain, d = expiry.realWorld
            let credit = k.credit, dte = daysToExpiry
            let scale = Double(k.contracts) * sizing.multiplierUSD
            func net(_ g: (Greeks) -> Double) -> Double {
                (g(p.long.greeks) + g(c.long.greeks) - g(p.short.greeks) - g(c.short.greeks)) * scale
            }
            let low = p.short.strike - credit, high = c.short.strike + credit
            let pop = min(max(d.probabilityBelow(high) - d.probabilityBelow(low), 0), 1)
            let theta = net(\.thetaPerDay), gamma = net(\.gamma)
            let thetaToGamma = gamma != 0 ? theta / abs(gamma) : .infinity
            let events = expiry.events.map { "\($0.kind) \($0.date)" }.joined(separator: ", ")
            let rationale = "\(chain.root) \(chain.expiry) (\(dte) DTE) \(f(p.long.strike))/\(f(p.short.strike))p–\(f(c.short.strike))/\(f(c.long.strike))c "
                + "for \(f(credit)) credit, POP \(f(pop * 100, 0)) %, E[P&L] $\(f(k.expectedPoints * scale, 0)) "
                + "(\(f(k.annualizedReturn * 100, 1)) % a year on risk), theta/gamma \(f(thetaToGamma, 1)), "
                + (events.isEmpty ? "no scheduled release in life" : "in life: \(events)")
            let condor = IronCondor(
                expiry: chain.expiry, root: chain.root, daysToExpiry: dte, longPut: p.long, shortPut: p.short, shortCall: c.short,
                longCall: c.long, contracts: k.contracts, creditPoints: credit, midCreditPoints: p.midCredit + c.midCredit,
                maxLossPoints: k.maxLoss, breakevenLow: low, breakevenHigh: high, probabilityOfProfit: pop,
                expectedPnlUSD: k.expectedPoints * scale, netDeltaUSD: net(\.delta), netGammaUSD: gamma,
                netVegaUSD: net(\.vegaPerVolPoint), netThetaUSD: theta, rationale: rationale)
            return ScoredCondor(condor: condor, score: k.score, annualizedReturn: k.annualizedReturn, thetaToGamma: thetaToGamma,
                                events: expiry.events)
        }
    }

    static func f(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
}
