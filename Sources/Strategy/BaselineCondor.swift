import Foundation
import VixShieldCore
import VolMath

/// Parameters of one condor profile, after Cboe's CNDR index rules: sell the ~0.20-delta put and call,
/// buy the ~0.05-delta wings, in the standard monthly expiry inside a days-to-expiry window.
public struct CondorProfile: Sendable, Hashable {
    public var name: String
    /// Calendar days from the trade date to expiry.
    public var dteRange: ClosedRange<Int>
    public var shortDelta: Double
    public var longDelta: Double
    /// Only standard monthly (AM-settled, third Friday) expiries when true; otherwise any expiry.
    public var monthlyOnly: Bool
    /// How far from the mid toward the far side of the spread each leg is assumed to fill (0 = mid,
    /// 1 = the bid when selling and the ask when buying).
    public var slippageFraction: Double
    /// Ranked alternatives to emit besides the best (other expiries in the window).
    public var alternates: Int

    public init(name: String, dteRange: ClosedRange<Int> = 25...45, shortDelta: Double = 0.20, longDelta: Double = 0.05,
                monthlyOnly: Bool = true, slippageFraction: Double = 0.5, alternates: Int = 2) {
        self.name = name
        self.dteRange = dteRange
        self.shortDelta = shortDelta
        self.longDelta = longDelta
        self.monthlyOnly = monthlyOnly
        self.slippageFraction = slippageFraction
        self.alternates = alternates
    }
}

/// Capital and risk limits that set the number of contracts. The defaults suit CNDR-style condors,
/// whose 0.05-delta wings put one contract's maximum loss in the tens of thousands of dollars.
public struct SizingPolicy: Sendable, Hashable {
    public var capitalUSD: Double
    /// Largest share of capital a single trade may lose at expiry (0.02 = 2 %).
    public var maxRiskFraction: Double
    /// Dollars per index point per contract (100 for SPX).
    public var multiplierUSD: Double

    public init(capitalUSD: Double = 2_000_000, maxRiskFraction: Double = 0.05, multiplierUSD: Double = 100) {
        self.capitalUSD = capitalUSD
        self.maxRiskFraction = maxRiskFraction
        self.multiplierUSD = multiplierUSD
    }
}

/// A fully described iron condor position.
public struct IronCondor: Sendable, Hashable {
    public var expiry: CalendarDate
    public var root: String
    public var daysToExpiry: Int
    public var longPut: PricedOption
    public var shortPut: PricedOption
    public var shortCall: PricedOption
    public var longCall: PricedOption
    public var contracts: Int
    /// Net credit per condor in index points, after slippage.
    public var creditPoints: Double
    /// Credit at mid prices, for reference.
    public var midCreditPoints: Double
    /// Worst loss at expiry per condor in index points: the wider wing minus the credit.
    public var maxLossPoints: Double
    public var breakevenLow: Double
    public var breakevenHigh: Double
    /// Risk-neutral probability that the index settles between the break-evens.
    public var probabilityOfProfit: Double
    /// Expected P&L of the whole position in dollars, under the risk-neutral measure implied by the
    /// quotes (the condor's mid value is its risk-neutral expectation): what crossing the spread costs.
    public var expectedPnlUSD: Double
    /// Position greeks in dollars: delta per index point, gamma per point², vega per vol point, theta per day.
    public var netDeltaUSD: Double
    public var netGammaUSD: Double
    public var netVegaUSD: Double
    public var netThetaUSD: Double
    public var rationale: String
}

public enum CondorDecision: Sendable, Hashable {
    case trade(IronCondor)
    case noTrade(reason: String)
}

extension CondorProfile {
    /// Whether an expiry of `root` lies in this profile's window for a trade placed on `tradeDate`.
    public func admits(root: String, expiry: CalendarDate, tradeDate: CalendarDate) -> Bool {
        dteRange.contains(expiry.days(since: tradeDate)) && (!monthlyOnly || ExpiryChain.isStandardMonthly(root: root, expiry: expiry))
    }
}

/// The baseline condor picker: CNDR-style strikes by delta, sized by the risk budget.
public enum BaselineCondor {
    /// Ranked condors for a trade placed on `tradeDate`, best first; a single `.noTrade` with the reason
    /// when no expiry in the window yields a valid condor. Each expiry comes with its terminal distribution.
    public static func recommend(tradeDate: CalendarDate, expiries: [(chain: ExpiryChain, distribution: any TerminalDistribution)],
                                 profile: CondorProfile, sizing: SizingPolicy) -> [CondorDecision] {
        let inWindow = expiries.filter { profile.admits(root: $0.chain.root, expiry: $0.chain.expiry, tradeDate: tradeDate) }
        guard !inWindow.isEmpty else {
            let kind = profile.monthlyOnly ? "standard monthly expiry" : "expiry"
            return [.noTrade(reason: "no \(kind) with \(profile.dteRange.lowerBound)-\(profile.dteRange.upperBound) days to expiry from \(tradeDate)")]
        }
        // Closest to the middle of the window first; ties go to the earlier expiry.
        let target = Double(profile.dteRange.lowerBound + profile.dteRange.upperBound) / 2
        let ordered = inWindow.sorted {
            let a = abs(Double($0.chain.expiry.days(since: tradeDate)) - target), b = abs(Double($1.chain.expiry.days(since: tradeDate)) - target)
            return a != b ? a < b : $0.chain.expiry < $1.chain.expiry
        }
        var trades: [CondorDecision] = []
        var reasons: [String] = []
        for e in ordered where trades.count <= profile.alternates {
            switch build(tradeDate: tradeDate, chain: e.chain, profile: profile, sizing: sizing, distribution: e.distribution) {
            case .trade(let c): trades.append(.trade(c))
            case .noTrade(let reason): reasons.append(reason)
            }
        }
        return trades.isEmpty ? [.noTrade(reason: reasons.joined(separator: "; "))] : trades
    }

    /// The same, with one function giving each chain's distribution.
    public static func recommend(tradeDate: CalendarDate, chains: [ExpiryChain], profile: CondorProfile,
                                 sizing: SizingPolicy,
                                 distribution: (ExpiryChain) -> any TerminalDistribution) -> [CondorDecision] {
        recommend(tradeDate: tradeDate, expiries: chains.map { ($0, distribution($0)) }, profile: profile, sizing: sizing)
    }

    /// One condor on one expiry, or the reason there is none.
    static func build(tradeDate: CalendarDate, chain: ExpiryChain, profile: CondorProfile, sizing: SizingPolicy,
                      distribution: any TerminalDistribution) -> CondorDecision {
        let label = "\(chain.root) \(chain.expiry)"
        let puts = chain.options.filter { $0.contract.right == .put && $0.strike < chain.forward && $0.ask > 0 }
        let calls = chain.options.filter { $0.contract.right == .call && $0.strike > chain.forward && $0.ask > 0 }
        guard let shortPut = closest(puts.filter { $0.bid > 0 }, toDelta: -profile.shortDelta),
              let shortCall = closest(calls.filter { $0.bid > 0 }, toDelta: profile.shortDelta) else {
            return .noTrade(reason: "\(label): no two-sided out-of-the-money quotes near \(profile.shortDelta) delta")
        }
        guard let longPut = closest(puts.filter { $0.strike < shortPut.strike }, toDelta: -profile.longDelta),
              let longCall = closest(calls.filter { $0.strike > shortCall.strike }, toDelta: profile.longDelta) else {
            return .noTrade(reason: "\(label): no wing quotes beyond the short strikes")
        }
        let slip = profile.slippageFraction
        func sellPrice(_ o: PricedOption) -> Double { o.mid - slip * (o.mid - o.bid) }
        func buyPrice(_ o: PricedOption) -> Double { o.mid + slip * (o.ask - o.mid) }
        let credit = sellPrice(shortPut) + sellPrice(shortCall) - buyPrice(longPut) - buyPrice(longCall)
        let midCredit = shortPut.mid + shortCall.mid - longPut.mid - longCall.mid
        let widest = max(shortPut.strike - longPut.strike, longCall.strike - shortCall.strike)
        guard credit > 0 else {
            return .noTrade(reason: "\(label): no credit after slippage (\(format(credit)) points)")
        }
        let maxLoss = widest - credit
        guard maxLoss > 0 else {
            return .noTrade(reason: "\(label): credit \(format(credit)) not below the wing width \(format(widest)): quotes inconsistent")
        }
        let budget = sizing.capitalUSD * sizing.maxRiskFraction
        // A max loss of a hair (inconsistent quotes) would size past Int: nil counts as no contract.
        let contracts = Int(truncatingIfRepresentable: (budget / (maxLoss * sizing.multiplierUSD)).rounded(.down)) ?? 0
        guard contracts < 1_000_000_000 else {
            return .noTrade(reason: "\(label): max loss \(format(maxLoss)) points is implausibly small for the risk budget: quotes inconsistent")
        }
        guard contracts >= 1 else {
            return .noTrade(reason: "\(label): risk budget $\(format(budget)) is below one condor's max loss $\(format(maxLoss * sizing.multiplierUSD))")
        }
        let low = shortPut.strike - credit, high = shortCall.strike + credit
        let pop = min(max(distribution.probabilityBelow(high) - distribution.probabilityBelow(low), 0), 1)
        let scale = Double(contracts) * sizing.multiplierUSD
        // The mid value of the condor is the discounted risk-neutral expectation of its payoff, so the
        // risk-neutral expected P&L is what the fill gives away against the mid, carried to expiry.
        let expectedPnl = (credit - midCredit) / chain.discount * scale
        func net(_ g: (Greeks) -> Double) -> Double {
            (g(longPut.greeks) + g(longCall.greeks) - g(shortPut.greeks) - g(shortCall.greeks)) * scale
        }
        let dte = chain.expiry.days(since: tradeDate)
        let rationale = """
            CNDR-style \(chain.root) \(chain.expiry) (\(dte) DTE): short \(format(shortPut.strike))P at \
            delta \(format(shortPut.greeks.delta, 3)) and \(format(shortCall.strike))C at delta \
            \(format(shortCall.greeks.delta, 3)), wings \(format(longPut.strike))P/\(format(longCall.strike))C; \
            credit \(format(credit)) (mid \(format(midCredit))), max loss \(format(maxLoss)) points; \
            \(contracts) contracts for a $\(format(budget)) risk budget; risk-neutral POP \(format(pop * 100, 1))%
            """
        return .trade(IronCondor(
            expiry: chain.expiry, root: chain.root, daysToExpiry: dte, longPut: longPut, shortPut: shortPut,
            shortCall: shortCall, longCall: longCall, contracts: contracts, creditPoints: credit,
            midCreditPoints: midCredit, maxLossPoints: maxLoss, breakevenLow: low, breakevenHigh: high,
            probabilityOfProfit: pop, expectedPnlUSD: expectedPnl,
            netDeltaUSD: net(\.delta), netGammaUSD: net(\.gamma), netVegaUSD: net(\.vegaPerVolPoint),
            netThetaUSD: net(\.thetaPerDay), rationale: rationale))
    }

    /// The option whose delta is nearest `target`; ties go to the further out-of-the-money strike.
    static func closest(_ options: [PricedOption], toDelta target: Double) -> PricedOption? {
        options.min { a, b in
            let da = abs(a.greeks.delta - target), db = abs(b.greeks.delta - target)
            if da != db { return da < db }
            return a.contract.right == .put ? a.strike < b.strike : a.strike > b.strike
        }
    }

    static func format(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
}
