import Foundation
import Testing
import VixShieldCore
@testable import VolMath

@Suite("Surface builder on a synthetic chain with known truth")
struct SurfaceTests {
    static let session = CalendarDate(year: 2026, month: 7, day: 14)!
    static let valuation = EasternTime.close(on: session)

    /// Weekly PM expiries for ten weeks, a monthly AM and PM pair, a same-day (expired) and a next-morning one.
    static var expiries: [(date: CalendarDate, root: String)] {
        var out: [(CalendarDate, String)] = [(session, "SPXW"), (session.adding(days: 1), "SPXW")]
        for week in 0..<10 { out.append((session.adding(days: 3 + 7 * week), "SPXW")) }
        out.append((CalendarDate(year: 2026, month: 8, day: 21)!, "SPX"))
        out.append((CalendarDate(year: 2026, month: 9, day: 18)!, "SPX"))
        out.append((CalendarDate(year: 2026, month: 12, day: 18)!, "SPX"))
        return out
    }

    static func build(spec: SyntheticChain.Spec = SyntheticChain.Spec(), mutate: (inout OptionChainSnapshot) -> Void = { _ in })
        -> (VolatilitySurface, [SyntheticChain.Truth]) {
        var (chain, truth) = SyntheticChain.build(session: session, valuationTime: valuation, expiries: expiries, spec: spec)
        mutate(&chain)
        return (SurfaceBuilder.build(chain: chain, valuationTime: valuation, fallbackRate: { _ in 0.04 }), truth)
    }

    @Test func recoversTruth() throws {
        let (surface, truths) = Self.build()
        for truth in truths {
            let e = try #require(surface.expiries.first { $0.expiryTime == truth.expiryTime })
            #expect(abs(e.forward.forward - truth.forward) < 0.05 * max(1, truth.timeToExpiryYears * 4), "\(e.expiry): F \(e.forward) vs \(truth.forward)")
            if e.minutesToExpiry < 1_380 { #expect(e.flags.contains(.tooShort)); continue }
            let slice = try #require(e.slice, "\(e.expiry) \(e.flags) \(e.diagnostics)")
            #expect(!e.flags.contains(.butterflyArbitrage), "\(e.expiry): \(e.flags)")
            // Within the quoted range the fitted vol is within 0.25 vol points of the truth (tick noise).
            let ks = e.options.compactMap { $0.impliedVolatility != nil ? log($0.contract.strike / truth.forward) : nil }
            for k in stride(from: ks.min()! * 0.8, through: ks.max()! * 0.8, by: (ks.max()! - ks.min()!) / 40) {
                let fitted = slice.parameters.volatility(atLogMoneyness: k + log(truth.forward / e.forward.forward), timeToExpiryYears: e.timeToExpiryYears)
                let trueVol = truth.parameters.volatility(atLogMoneyness: k, timeToExpiryYears: truth.timeToExpiryYears)
                // Tick rounding weighs more on the cheap short-dated options.
                let tolerance = e.minutesToExpiry > 7 * 1_440 ? 0.0025 : 0.005
                #expect(abs(fitted - trueVol) < tolerance, "\(e.expiry) k=\(k): \(fitted) vs \(trueVol)")
            }
            #expect(slice.rmseVolPoints < 1, "\(e.expiry): \(slice)")
            // The slice's distribution prices like the truth: P(F_T < F) within 0.01.
            let rnd = try #require(e.distribution)
            let truthRND = RiskNeutralDistribution(parameters: truth.parameters, forward: truth.forward)
            #expect(abs(rnd.probabilityBelow(truth.forward) - truthRND.probabilityBelow(truth.forward)) < 0.01, "\(e.expiry)")
            // Every two-sided OTM option has an IV (deep ITM mids can sit below intrinsic after rounding).
            for o in e.options where o.issue != nil && (o.contract.right == .call) == (o.contract.strike >= e.forward.forward) {
                if case .noBid = o.issue! { continue }
                Issue.record("\(o.contract): \(String(describing: o.issue))")
            }
        }
        #expect(surface.calendarViolations.isEmpty, "\(surface.calendarViolations)")
    }

    /// The chain's 30-day index against the truth's fair variance: (2/T)∫ OTM(K)/K² dK · e^{rT} − …
    /// integrated finely on the true smile for the two bracketing expiries and interpolated the Cboe way.
    @Test func modelFreeIndexMatchesTruth() throws {
        let (surface, truths) = Self.build()
        let index = try #require(surface.index30Day)
        let eligible = surface.expiries.filter { $0.modelFree != nil && $0.minutesToExpiry >= 1_440 }
        let near = try #require(eligible.last { $0.minutesToExpiry <= 43_200 })
        let next = try #require(eligible.first { $0.minutesToExpiry > 43_200 })
        func fairVariance(_ e: ExpirySurface) -> Double {
            let truth = truths.first { $0.expiryTime == e.expiryTime }!
            let f = truth.forward, t = truth.timeToExpiryYears
            var sum = 0.0
            let dk = 0.0005
            for k in stride(from: -3.0, through: 2.0, by: dk) {
                let strike = f * exp(k)
                let s = truth.parameters.totalVariance(atLogMoneyness: k).squareRoot()
                let otm = Black76.undiscountedPrice(right: k < 0 ? .put : .call, forward: f, strike: strike, stdDev: s)
                sum += otm / strike * dk  // dK/K² = dk/K
            }
            return 2 / t * sum
        }
        func term(_ e: ExpirySurface, _ v: Double) -> ModelFreeTerm {
            ModelFreeTerm(timeToExpiryYears: e.timeToExpiryYears, rate: 0, parityStrike: 0, forward: 0, k0: 0, variance: v, contributions: [])
        }
        let truthIndex = ModelFreeVariance.constantMaturityIndex(near: term(near, fairVariance(near)), nearMinutes: Double(near.minutesToExpiry),
                                                                 next: term(next, fairVariance(next)), nextMinutes: Double(next.minutesToExpiry),
                                                                 targetMinutes: 43_200)
        // Strike truncation (−6/+3.5 ATM sd), 5-point steps and tick rounding: within 0.3 index points.
        #expect(abs(index - truthIndex) < 0.3, "index \(index) vs truth \(truthIndex)")
        #expect(surface.index9Day != nil)
    }

    @Test func unusableQuotesAreSkippedWithDiagnostics() throws {
        let (surface, _) = Self.build { chain in
            for i in chain.quotes.indices where i % 50 == 0 { chain.quotes[i].flags.insert(.crossed) }
        }
        let e = try #require(surface.expiries.first { $0.minutesToExpiry > 10_000 })
        #expect(e.diagnostics.contains { $0.hasPrefix("skipped unusable quotes: crossed") }, "\(e.diagnostics)")
        #expect(e.options.contains { $0.issue == .unusableQuote(.crossed) })
    }

    @Test func expiredExpiryIsFlagged() throws {
        let (surface, _) = Self.build { chain in
            chain.quotes.append(OptionQuote(contract: OptionContract(root: "SPXW", expiry: Self.session, right: .put, strikeMilli: 4_900_000),
                                            bid: 0.05, ask: 0.1))
        }
        let expired = try #require(surface.expiries.first)
        #expect(expired.flags == [.expired] && expired.options.allSatisfy { $0.issue == .expired }, "\(expired.flags)")
        #expect(expired.minutesToExpiry == 0 && expired.rate == 0)
    }

    @Test func tooFewStrikesIsAFlagNotACrash() {
        let chain = OptionChainSnapshot(underlying: "^SPX", session: Self.session, capturedAt: "", spot: 5_000, quotes: [
            OptionQuote(contract: OptionContract(root: "SPXW", expiry: Self.session.adding(days: 10), right: .call, strikeMilli: 5_000_000),
                        bid: 50, ask: 51),
        ])
        let surface = SurfaceBuilder.build(chain: chain, valuationTime: Self.valuation, fallbackRate: { _ in 0.04 })
        #expect(surface.expiries.count == 1)
        #expect(surface.expiries[0].flags.contains(.tooFewStrikes) && surface.expiries[0].flags.contains(.forwardFallback))
        #expect(surface.expiries[0].options[0].greeksSource == .market)
        #expect(surface.index30Day == nil)
    }

    /// The synthetic chain with bad quotes injected (a few mids lifted far above their neighbours, and one
    /// weekly's downside wing dropped below the previous weekly's): the tradable expiries do not change when
    /// every forward moves by ±1e-4 relative, or each by its own seeded draw in ±1e-4.
    @Test(arguments: [1e-4, -1e-4, 0])
    func tradableExpiriesSurviveAForwardPerturbationWithBadQuotes(shift: Double) {
        var (chain, _) = SyntheticChain.build(session: Self.session, valuationTime: Self.valuation, expiries: Self.expiries)
        let weeks = Array(Set(chain.quotes.map(\.contract.expiry))).sorted()
        for i in chain.quotes.indices {
            let c = chain.quotes[i].contract
            if i % 97 == 0 { chain.quotes[i].bid *= 3; chain.quotes[i].ask *= 3 }
            // The fifth expiry's puts 3-8 % out of the money at 40 % of their price: below the fourth expiry.
            if c.expiry == weeks[4], c.right == .put, c.strike < 0.97 * chain.spot, c.strike > 0.92 * chain.spot {
                chain.quotes[i].bid *= 0.4; chain.quotes[i].ask *= 0.4
            }
        }
        func tradable(_ config: SurfaceConfig) -> Set<String> {
            SPYArbitrageTests.tradable(SurfaceBuilder.build(chain: chain, valuationTime: Self.valuation, fallbackRate: { _ in 0.04 },
                                                            config: config))
        }
        let base = tradable(SurfaceConfig())
        var config = SurfaceConfig()
        config.forwardRelativeShift = shift
        if shift == 0 {
            let seed: UInt64 = 4_242
            var rng = SeededGenerator(seed: seed)
            for time in Set(chain.quotes.map(\.contract.expiryTime)).sorted() { config.forwardRelativeShifts[time] = rng.uniform(-1e-4, 1e-4) }
        }
        let moved = tradable(config)
        #expect(base.count >= 8, "\(base.sorted())")
        #expect(moved == base, "shift \(shift) (0: per expiry, seed 4242): lost \(base.subtracting(moved).sorted()), gained \(moved.subtracting(base).sorted())")
    }

    @Test func deterministic() {
        let (a, _) = Self.build()
        let (b, _) = Self.build()
        #expect(a == b)
    }

    /// On a date that lists both an AM-settled SPX and a PM-settled SPXW expiry, the constant-maturity index
    /// takes the AM one (the Cboe rules: the standard monthly on its third Friday). Without the rule the later
    /// PM expiry of that date would be the near term here and the index would differ.
    @Test func indexTakesTheAMExpiryOnADateListingBoth() throws {
        let friday = CalendarDate(year: 2026, month: 8, day: 21)!
        func expiry(_ minutes: Int, _ settlement: SettlementStyle, variance: Double) -> ExpirySurface {
            let t = Double(minutes) / 525_600
            return ExpirySurface(expiry: friday.adding(days: minutes > 30 * 1440 ? 14 : 0), roots: [settlement == .am ? "SPX" : "SPXW"],
                                 settlement: settlement, expiryTime: EasternTime.close(on: friday), minutesToExpiry: minutes,
                                 timeToExpiryYears: t,
                                 forward: ForwardEstimate(forward: 6000, discount: 1, method: .rateCurve, strikesUsed: [],
                                                          residualRMS: .nan, maxAbsResidual: .nan, note: ""),
                                 slice: nil,
                                 modelFree: ModelFreeTerm(timeToExpiryYears: t, rate: 0, parityStrike: 6000, forward: 6000, k0: 6000,
                                                          variance: variance, contributions: []),
                                 flags: [], diagnostics: [], options: [])
        }
        let am = expiry(25 * 1440, .am, variance: 0.04)
        let pm = expiry(25 * 1440 + 390, .pm, variance: 0.25)
        let next = expiry(39 * 1440, .pm, variance: 0.05)
        let index = try #require(SurfaceBuilder.constantMaturityIndex([am, pm, next], targetMinutes: 43_200, config: SurfaceConfig()))
        func cboe(_ near: ExpirySurface) -> Double {
            ModelFreeVariance.constantMaturityIndex(near: near.modelFree!, nearMinutes: Double(near.minutesToExpiry), next: next.modelFree!,
                                                    nextMinutes: Double(next.minutesToExpiry), targetMinutes: 43_200)
        }
        #expect(abs(index - cboe(am)) < 1e-12, "index \(index), AM-near \(cboe(am)), PM-near \(cboe(pm))")
        #expect(abs(cboe(am) - cboe(pm)) > 1, "the two near terms must give different indices for the test to mean anything")
        // Without the AM expiry, the PM one of that date is used.
        #expect(abs(try #require(SurfaceBuilder.constantMaturityIndex([pm, next], targetMinutes: 43_200, config: SurfaceConfig())) - cboe(pm)) < 1e-12)
    }

    /// American-style roots (SPY) keep the parity forward but never take their discount from the parity slope;
    /// the same quotes under a European index root (SPX) do. The chain is priced at 5 % and the curve says 1 %,
    /// so the two discounts are far apart.
    @Test func americanRootsDiscountWithTheCurveNotParity() throws {
        var spec = SyntheticChain.Spec()
        spec.rate = 0.05
        let expiry = CalendarDate(year: 2026, month: 12, day: 18)!
        for root in ["SPX", "SPY"] {
            let (chain, truths) = SyntheticChain.build(session: Self.session, valuationTime: Self.valuation, expiries: [(expiry, root)], spec: spec)
            let surface = SurfaceBuilder.build(chain: chain, valuationTime: Self.valuation, fallbackRate: { _ in 0.01 })
            let e = try #require(surface.expiries.first), truth = try #require(truths.first)
            let t = e.timeToExpiryYears
            #expect(abs(e.forward.forward - truth.forward) < 0.5, "\(root): F \(e.forward.forward) vs \(truth.forward)")
            if root == "SPX" {
                #expect(e.forward.method == .parityRegression, "\(e.forward)")
                #expect(abs(e.forward.discount - exp(-0.05 * t)) < 1e-3, "\(e.forward)")
            } else {
                #expect(e.forward.method == .parityWithCurveDiscount, "\(e.forward)")
                #expect(abs(e.forward.discount - exp(-0.01 * t)) < 1e-12, "\(e.forward)")
            }
        }
    }
}
