import Foundation
import VixShieldCore
import VolMath

/// One expiry of the true surface on one session: what the truth file records and the chain is priced on.
public struct TrueSlice: Sendable, Hashable {
    public var expiry: ListedExpiry
    /// Minutes from 16:00 ET of the session to the settlement time.
    public var minutesToExpiry: Int
    public var timeToExpiryYears: Double
    public var forward: Double
    public var discount: Double
    /// ATM total implied variance θ (diffusive part plus event variance).
    public var atmTotalVariance: Double
    /// The part of θ that comes from scheduled events before the expiry.
    public var eventTotalVariance: Double
    public var svi: SVIParameters
}

/// The true implied-volatility surface of one session.
///
/// Term structure: the ATM total variance to a horizon T (calendar years) is the risk-neutral expected
/// integrated variance of the Heston-like process, scaled by the variance risk premium,
///
///     θ_diff(T) = (1 + vrp) · [θ̄ T + (v − θ̄)(1 − e^{−κT}) / κ],
///
/// plus the implied variance of every scheduled event that lands between the session close and the
/// expiry. The smile of each expiry is SSVI (Gatheral & Jacquier 2014) with the power-law
/// φ(θ) = η / (√θ √(1+θ)), written as raw SVI; with η²(1+|ρ|) ≤ 4 every slice is free of butterfly
/// arbitrage, and the ATM skew ∝ 1/√θ makes short expiries' wings steeper.
struct SurfaceModel: Sendable {
    let session: CalendarDate
    let spot: Double
    let rate: Double
    let dividendYield: Double
    let variance: Double
    let config: SimulationConfig
    /// Upcoming events as (minutes after the session close, implied total variance).
    let events: [(minutes: Int, variance: Double)]

    static let minutesPerYear = 525_600.0

    init(session: CalendarDate, spot: Double, rate: Double, variance: Double, config: SimulationConfig,
         upcomingEvents: [SimulatedEvent]) {
        self.session = session
        self.spot = spot
        self.rate = rate
        self.dividendYield = config.dividendYield
        self.variance = variance
        self.config = config
        let close = EasternTime.close(on: session)
        self.events = upcomingEvents.compactMap { e in
            let m = e.time.minutes(since: close)
            guard m > 0 else { return nil }
            let move = e.kind == .fomc ? config.fomcMoveStdDev : config.cpiMoveStdDev
            return (m, move * move * (1 + config.varianceRiskPremium))
        }
    }

    /// Implied variance of the diffusion over `t` years (no events).
    func diffusiveTotalVariance(_ t: Double) -> Double {
        let kappa = config.meanReversionPerYear, theta = config.longRunVariance
        let expected = theta * t + (variance - theta) * (-expm1(-kappa * t)) / kappa
        return (1 + config.varianceRiskPremium) * expected
    }

    /// Implied event variance of events strictly before `minutes` after the close.
    func eventTotalVariance(beforeMinutes minutes: Int) -> Double {
        events.reduce(0) { $0 + ($1.minutes < minutes ? $1.variance : 0) }
    }

    func rho(_ t: Double) -> Double {
        config.rhoLongDated + (config.rhoShortDated - config.rhoLongDated) * exp(-t / config.rhoTimescaleYears)
    }

    /// Raw SVI of the SSVI slice with ATM total variance `theta`.
    func svi(atmTotalVariance theta: Double, timeToExpiryYears t: Double) -> SVIParameters {
        Self.ssvi(atmTotalVariance: theta, rho: rho(t), eta: config.skewEta)
    }

    /// Raw SVI of an SSVI slice (Gatheral–Jacquier 2014) with the power-law φ(θ) = η / (√θ √(1+θ)):
    /// a = θ(1 − ρ²)/2, b = θφ/2, m = −ρ/φ, σ = √(1 − ρ²)/φ. Butterfly-free when η²(1 + |ρ|) ≤ 4.
    static func ssvi(atmTotalVariance theta: Double, rho r: Double, eta: Double) -> SVIParameters {
        let phi = eta / (theta.squareRoot() * (1 + theta).squareRoot())
        return SVIParameters(a: theta * (1 - r * r) / 2, b: theta * phi / 2, rho: r, m: -r / phi,
                             sigma: (1 - r * r).squareRoot() / phi)
    }

    /// The slice `minutes` after the close (any horizon, listed or not).
    func slice(minutes: Int, expiry: ListedExpiry) -> TrueSlice {
        let t = Double(minutes) / Self.minutesPerYear
        let events = eventTotalVariance(beforeMinutes: minutes)
        let theta = diffusiveTotalVariance(t) + events
        return TrueSlice(expiry: expiry, minutesToExpiry: minutes, timeToExpiryYears: t,
                         forward: spot * exp((rate - dividendYield) * t), discount: exp(-rate * t),
                         atmTotalVariance: theta, eventTotalVariance: events,
                         svi: svi(atmTotalVariance: theta, timeToExpiryYears: t))
    }

    func slice(for expiry: ListedExpiry) -> TrueSlice {
        slice(minutes: expiry.expiryTime.minutes(since: EasternTime.close(on: session)), expiry: expiry)
    }

    /// Model-free total variance (σ²_VIX · T) of a slice, by integrating the true smile.
    ///
    /// For a continuum of strikes the Cboe formula reduces to the log-contract replication
    /// σ²T = 2 ∫ Q(K)/K² dK / D with Q the out-of-the-money price; in log-moneyness k = ln(K/F) and
    /// forward units this is 2 ∫ q(k) e^{−k} dk, with q the undiscounted OTM price of a unit forward.
    static func modelFreeTotalVariance(_ svi: SVIParameters, points: Int = 300) -> Double {
        2 * otmIntegrals(svi, points: points).i0
    }

    /// The OTM strip integrals I_n = ∫ kⁿ q(k) e^{−k} dk, n = 0, 1, 2, of a slice (q the undiscounted OTM
    /// price of a unit forward), from which every log-contract moment follows (see `logReturnMoments`).
    ///
    /// The range reaches where the OTM price is negligible (k/√w(k) beyond ±9, at most |k| = 6). The
    /// substitution k = s·sinh(u), s = √w(0), puts most nodes within a few standard deviations of the
    /// money while still reaching the far wings; Simpson's rule in u.
    static func otmIntegrals(_ svi: SVIParameters, points: Int = 300) -> (i0: Double, i1: Double, i2: Double) {
        func cutoff(_ direction: Double) -> Double {
            var k = direction * 0.01
            while abs(k) / max(svi.totalVariance(atLogMoneyness: k), 1e-12).squareRoot() < 9 && abs(k) < 6 { k *= 1.25 }
            return k
        }
        let s = max(svi.totalVariance(atLogMoneyness: 0), 1e-12).squareRoot()
        // The OTM price has a kink at the money (put side to call side), so each side is its own
        // Simpson panel, meeting at u = 0.
        func side(from lower: Double, to upper: Double, intervals: Int) -> (Double, Double, Double) {
            let n = intervals % 2 == 0 ? intervals : intervals + 1
            let h = (upper - lower) / Double(n)
            var sum = 0.0, sum1 = 0.0, sum2 = 0.0
            for i in 0...n {
                let u = lower + Double(i) * h
                let k = s * sinh(u)
                let sd = max(svi.totalVariance(atLogMoneyness: k), 0).squareRoot()
                let right: OptionRight = upper <= 0 ? .put : .call
                let q = Black76.undiscountedPrice(right: right, forward: 1, strike: exp(k), stdDev: sd)
                let weight: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
                let term = weight * q * exp(-k) * s * cosh(u)
                sum += term
                sum1 += term * k
                sum2 += term * k * k
            }
            return (sum * h / 3, sum1 * h / 3, sum2 * h / 3)
        }
        let lower = asinh(cutoff(-1) / s), upper = asinh(cutoff(1) / s)
        let putShare = -lower / (upper - lower)
        let putIntervals = max(2, Int(Double(points) * putShare))
        let puts = side(from: lower, to: 0, intervals: putIntervals)
        let calls = side(from: 0, to: upper, intervals: max(2, points - putIntervals))
        return (puts.0 + calls.0, puts.1 + calls.1, puts.2 + calls.2)
    }

    /// Risk-neutral skewness of the log return R = ln(S_T/F) of a slice, from the log-contract spanning
    /// (Carr–Madan; Bakshi, Kapadia & Madan 2003): for a payoff f(S_T) twice differentiable,
    /// E f = f(F) + ∫ f''(K) Q(K) dK. With f = R, R², R³ the second derivatives are −1/K², 2(1−k)/K² and
    /// (6k − 3k²)/K², so E R = −I₀, E R² = 2I₀ − 2I₁, E R³ = 6I₁ − 3I₂, and
    /// skewness = (E R³ − 3 E R E R² + 2 (E R)³) / (E R² − (E R)²)^{3/2}. Cboe SKEW = 100 − 10 · skewness
    /// (Cboe SKEW white paper), there from the listed strikes and here from the continuous smile.
    static func logReturnSkewness(_ svi: SVIParameters, points: Int = 300) -> Double {
        let i = otmIntegrals(svi, points: points)
        let m1 = -i.i0, m2 = 2 * i.i0 - 2 * i.i1, m3 = 6 * i.i1 - 3 * i.i2
        let variance = m2 - m1 * m1
        return (m3 - 3 * m1 * m2 + 2 * m1 * m1 * m1) / pow(max(variance, 1e-300), 1.5)
    }

    /// Model-free total variance to `minutes` after the close, on the continuous surface.
    func modelFreeTotalVariance(minutes: Int) -> Double {
        Self.modelFreeTotalVariance(slice(minutes: minutes, expiry: ListedExpiry(root: "SPXW", date: session)).svi)
    }

    /// A Cboe-style volatility index over `targetDays` (30 for the VIX, 9 for VIX9D, 93 for VIX3M):
    /// the model-free variances of the two PM-settled listed expiries around the target, interpolated
    /// linearly in total variance by minutes and annualized over the target, ×100.
    func volatilityIndex(targetDays: Int, expiries: [ListedExpiry]) -> Double {
        let close = EasternTime.close(on: session)
        let target = targetDays * 1440
        // One expiry per date: the PM-settled SPXW where listed.
        let pm = expiries.filter { $0.settlement == .pm }.map { ($0, $0.expiryTime.minutes(since: close)) }
        guard let nextIndex = pm.firstIndex(where: { $0.1 > target }) else {
            preconditionFailure("no listed expiry beyond \(targetDays) days; the listing horizon is too short")
        }
        let next = pm[nextIndex]
        let near = nextIndex > 0 ? pm[nextIndex - 1] : next
        let w2 = Self.modelFreeTotalVariance(slice(for: next.0).svi)
        let totalVariance: Double
        if near.1 == next.1 {
            totalVariance = w2 * Double(target) / Double(next.1)
        } else {
            let w1 = Self.modelFreeTotalVariance(slice(for: near.0).svi)
            let n1 = Double(near.1), n2 = Double(next.1), nt = Double(target)
            totalVariance = (w1 * (n2 - nt) + w2 * (nt - n1)) / (n2 - n1)
        }
        return 100 * (max(totalVariance, 0) * Self.minutesPerYear / Double(target)).squareRoot()
    }
}
