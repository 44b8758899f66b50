import Foundation
import Testing
import VixShieldTestSupport
import VixShieldCore
@testable import VolMath

@Suite("Black-76 kernel and implied volatility")
struct ImpliedVolatilityTests {
    /// Published Black-76 values: one row per book example, tolerance from the digits printed.
    @Test(arguments: [
        // Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed., §1.1.2 (Black-76 example):
        // F = 19, K = 19, T = 0.75, r = 10 %, σ = 28 % gives c = p = 1.7011.
        (OptionRight.call, 19.0, 19.0, 0.75, 0.10, 0.28, 1.7011, 5e-5),
        (OptionRight.put, 19.0, 19.0, 0.75, 0.10, 0.28, 1.7011, 5e-5),
        // Hull, "Options, Futures, and Other Derivatives", futures-option example (crude oil put):
        // F = 20, K = 20, T = 4/12, r = 9 %, σ = 25 % gives p = 1.12.
        (OptionRight.put, 20.0, 20.0, 4.0 / 12, 0.09, 0.25, 1.12, 5e-3),
    ])
    func publishedPrices(right: OptionRight, forward: Double, strike: Double, t: Double, rate: Double,
                         vol: Double, expected: Double, tolerance: Double) throws {
        let d = exp(-rate * t)
        let p = Black76.price(right: right, forward: forward, strike: strike, stdDev: vol * t.squareRoot(), discount: d)
        #expect(abs(p - expected) <= tolerance, "\(right) F=\(forward) K=\(strike) T=\(t) r=\(rate) σ=\(vol): \(p) vs \(expected)")
        let iv = try ImpliedVolatility.solve(price: p, right: right, forward: forward, strike: strike,
                                             timeToExpiryYears: t, discount: d)
        #expect(abs(iv - vol) <= 1e-13, "IV \(iv) vs \(vol)")
    }

    /// Exact prices (mpmath, 50 digits) rounded to double: the solver recovers σ to 1e-12 plus the
    /// unavoidable price-rounding term 4ε·price/vega (which only matters where vega is negligible).
    @Test func mpmathReferenceTable() throws {
        for row in blackReferenceTable {
            // Rounding the price to double moves σ by up to ε·price/vega, plus ε·K/vega for the intrinsic
            // value subtracted from in-the-money prices.
            let conditioning = 4 * Double.ulpOfOne * max(row.undiscountedPrice, row.strike) / row.vegaPerUnitVol
            let vol: Double
            do {
                let s = try ImpliedVolatility.stdDev(undiscountedPrice: row.undiscountedPrice, right: row.right,
                                                     forward: blackReferenceForward, strike: row.strike)
                vol = s / row.timeToExpiryYears.squareRoot()
            } catch {
                // Only where double rounding has erased the time value (vega utterly negligible).
                #expect(conditioning > 1e-3, "\(row): \(error)")
                continue
            }
            let tolerance = 1e-12 + conditioning
            #expect(abs(vol - row.volatility) <= tolerance,
                    "\(row): got \(vol), error \(vol - row.volatility), tolerance \(tolerance)")
            // The kernel itself agrees with the exact price to a few ulps of the larger of price and strike.
            let p = Black76.undiscountedPrice(right: row.right, forward: blackReferenceForward, strike: row.strike,
                                              stdDev: row.volatility * row.timeToExpiryYears.squareRoot())
            #expect(abs(p - row.undiscountedPrice) <= 8 * Double.ulpOfOne * max(row.strike, blackReferenceForward),
                    "\(row): kernel price \(p)")
        }
    }

    /// How far rounding of a computed price moves σ: its absolute error is a few ulps of D·max(F, K), divided
    /// by vega per unit vol.
    func priceRoundingConditioning(forward: Double, strike: Double, stdDev s: Double, timeToExpiryYears t: Double,
                                   discount: Double) -> Double {
        let d1 = log(forward / strike) / s + s / 2
        let vegaPerUnitVol = discount * forward * Black76.normalPDF(d1) * t.squareRoot()
        return 8 * Double.ulpOfOne * discount * max(forward, strike) / vegaPerUnitVol
    }

    /// σ → price → σ over the whole specified domain: |ln(K/F)| ≤ 6 s, T from 1 minute to 5 years,
    /// σ from 0.5 % to 500 %, calls and puts, in and out of the money.
    @Test func seededRoundTrip() throws {
        let seed: UInt64 = 20_261_125
        var rng = SeededGenerator(seed: seed)
        var checked = 0
        var worstStrict = 0.0
        for i in 0..<200_000 {
            let t = rng.logUniform(1.0 / 525_600, 5)
            let vol = rng.logUniform(0.005, 5)
            let s = vol * t.squareRoot()
            let forward = rng.logUniform(1, 10_000)
            let strike = forward * exp(rng.uniform(-6, 6) * s)
            let right: OptionRight = rng.next() & 1 == 0 ? .call : .put
            let discount = exp(-rng.uniform(0, 0.08) * t)
            let price = Black76.price(right: right, forward: forward, strike: strike, stdDev: s, discount: discount)
            let conditioning = priceRoundingConditioning(forward: forward, strike: strike, stdDev: s, timeToExpiryYears: t,
                                                         discount: discount)
            let iv: Double
            do {
                iv = try ImpliedVolatility.solve(price: price, right: right, forward: forward, strike: strike,
                                                 timeToExpiryYears: t, discount: discount)
            } catch {
                #expect(error != .noConvergence, "seed \(seed) case \(i): \(right) F=\(forward) K=\(strike) T=\(t) σ=\(vol)")
                // Only allowed where rounding has erased the time value altogether.
                #expect(conditioning > 1e-3, "seed \(seed) case \(i): \(error) for \(right) F=\(forward) K=\(strike) T=\(t) σ=\(vol) D=\(discount) price=\(price)")
                continue
            }
            let error = abs(iv - vol)
            #expect(error <= 1e-12 + conditioning,
                    "seed \(seed) case \(i): \(right) F=\(forward) K=\(strike) T=\(t) σ=\(vol) D=\(discount) → \(iv) (error \(error))")
            if conditioning < 1e-13 { worstStrict = max(worstStrict, error); checked += 1 }
        }
        #expect(checked > 20_000, "seed \(seed): only \(checked) well-conditioned cases")
        #expect(worstStrict <= 1e-12, "seed \(seed): worst well-conditioned error \(worstStrict)")
    }

    @Test func typedErrors() {
        func attempt(_ price: Double, _ right: OptionRight, f: Double = 100, k: Double = 90, t: Double = 0.5,
                     d: Double = 0.99) -> ImpliedVolError? {
            do {
                _ = try ImpliedVolatility.solve(price: price, right: right, forward: f, strike: k, timeToExpiryYears: t, discount: d)
                return nil
            } catch { return error }
        }
        // Intrinsic of the 90 call on F = 100 is 10 undiscounted, 9.9 discounted.
        #expect(attempt(9.9, .call) == .belowIntrinsic(undiscountedPrice: 10, intrinsic: 10))
        #expect(attempt(9.0, .call) == .belowIntrinsic(undiscountedPrice: 9.0 / 0.99, intrinsic: 10))
        #expect(attempt(0, .put) == .belowIntrinsic(undiscountedPrice: 0, intrinsic: 0))
        #expect(attempt(99, .call) == .aboveUpperBound(undiscountedPrice: 100, bound: 100))
        #expect(attempt(90, .put) == .aboveUpperBound(undiscountedPrice: 90 / 0.99, bound: 90))
        #expect(attempt(.nan, .call) == .nonFiniteInput("price"))
        #expect(attempt(1, .call, f: .infinity) == .nonFiniteInput("forward"))
        #expect(attempt(1, .call, k: -5) == .nonPositiveInput("strike"))
        #expect(attempt(1, .call, t: 0) == .nonPositiveInput("timeToExpiryYears"))
        #expect(attempt(1, .call, d: 0) == .nonPositiveInput("discount"))
        #expect(attempt(1e-320, .put) == .timeValueUnderflow)
    }

    /// C − P = D (F − K) for the kernel at any volatility.
    @Test func putCallParity() {
        var rng = SeededGenerator(seed: 7)
        for i in 0..<2_000 {
            let f = rng.logUniform(10, 5_000), k = f * exp(rng.uniform(-0.5, 0.5)), s = rng.logUniform(0.001, 2)
            let d = rng.uniform(0.9, 1)
            let c = Black76.price(right: .call, forward: f, strike: k, stdDev: s, discount: d)
            let p = Black76.price(right: .put, forward: f, strike: k, stdDev: s, discount: d)
            #expect(abs((c - p) - d * (f - k)) <= 1e-12 * max(f, k), "seed 7 case \(i): F=\(f) K=\(k) s=\(s) D=\(d)")
        }
    }

    /// Every greek against a central finite difference of the kernel price.
    @Test func greeksMatchFiniteDifferences() {
        let seed: UInt64 = 42
        var rng = SeededGenerator(seed: seed)
        for i in 0..<500 {
            let f = rng.logUniform(50, 5_000), vol = rng.logUniform(0.05, 1.5), t = rng.logUniform(7.0 / 365, 2)
            let k = f * exp(rng.uniform(-1.5, 1.5) * vol * t.squareRoot())
            let r = rng.uniform(0, 0.06)
            let right: OptionRight = i % 2 == 0 ? .call : .put
            func v(_ f: Double, _ vol: Double, _ t: Double) -> Double {
                Black76.price(right: right, forward: f, strike: k, stdDev: vol * t.squareRoot(), discount: exp(-r * t))
            }
            let greeks = Black76.greeks(right: right, forward: f, strike: k, volatility: vol, timeToExpiryYears: t, rate: r)
            // Steps scaled to the option's own width (F·σ√T, σ, T): truncation near 1e-8 relative, rounding
            // far below the tolerances.
            let hf = f * vol * t.squareRoot() * 1e-4, hv = vol * 1e-4, ht = t * 1e-4
            let delta = (v(f + hf, vol, t) - v(f - hf, vol, t)) / (2 * hf)
            let gamma = (v(f + hf, vol, t) - 2 * v(f, vol, t) + v(f - hf, vol, t)) / (hf * hf)
            let vega = (v(f, vol + hv, t) - v(f, vol - hv, t)) / (2 * hv)
            // Second-order vol greeks as differences of the (separately checked) first-order ones, which
            // keeps rounding out of the comparison.
            func g(_ vol: Double) -> Greeks {
                Black76.greeks(right: right, forward: f, strike: k, volatility: vol, timeToExpiryYears: t, rate: r)
            }
            let volga = (g(vol + hv).vegaPerVolPoint - g(vol - hv).vegaPerVolPoint) * 100 / (2 * hv)
            let vanna = (g(vol + hv).delta - g(vol - hv).delta) / (2 * hv)
            // Theta is the change as calendar time passes, i.e. as T shrinks.
            let theta = -(v(f, vol, t + ht) - v(f, vol, t - ht)) / (2 * ht)
            let context = "seed \(seed) case \(i): \(right) F=\(f) K=\(k) σ=\(vol) T=\(t) r=\(r)"
            func close(_ a: Double, _ b: Double, _ rel: Double, _ scale: Double) -> Bool { abs(a - b) <= rel * max(abs(b), scale) }
            #expect(close(greeks.delta, delta, 1e-6, 1e-3), "delta \(greeks.delta) vs \(delta); \(context)")
            #expect(close(greeks.gamma, gamma, 1e-3, 1e-6 / f), "gamma \(greeks.gamma) vs \(gamma); \(context)")
            #expect(close(greeks.vegaPerVolPoint, vega / 100, 1e-6, 1e-4 * f / 100), "vega \(greeks.vegaPerVolPoint) vs \(vega / 100); \(context)")
            #expect(close(greeks.thetaPerDay, theta / 365, 1e-4, 1e-5 * f / 365), "theta \(greeks.thetaPerDay) vs \(theta / 365); \(context)")
            #expect(close(greeks.vannaPerVolPoint, vanna / 100, 1e-3, 1e-4), "vanna \(greeks.vannaPerVolPoint) vs \(vanna / 100); \(context)")
            #expect(close(greeks.volgaPerVolPointSquared, volga / 10_000, 1e-3, 1e-3 * f / 10_000), "volga \(greeks.volgaPerVolPointSquared) vs \(volga / 10_000); \(context)")
        }
    }

    /// The small-s initial guess (inverse of the Bachelier limit plus its s² correction, from generated
    /// rational fits) against exact roots, over the whole range of a = |x|/s it is fitted for: its
    /// accuracy is what lets most solves converge in one step, so a bad refit of the coefficients fails here.
    @Test func bachelierLimitGuessAccuracy() {
        var rng = SeededGenerator(seed: 20_261_129)
        var worst: [(limit: Double, tolerance: Double, error: Double)] = [(0.1, 1e-5, 0), (1, 5e-3, 0), (2, 6e-2, 0)]
        var checked = 0
        for _ in 0..<100_000 {
            let s = rng.logUniform(1e-6, 2)
            let a = rng.next() & 3 == 0 ? rng.uniform(0, 1) : rng.uniform(0, 38)
            let x = -a * s
            let ex2 = exp(0.5 * x)
            let beta = NormalisedBlack.evaluate(x: x, s: s, ex2: ex2).price
            guard beta.isNormal else { continue }
            let guess = ImpliedVolatility.bachelierLimitGuess(beta: beta, u: -x)
            let error = abs(guess / s - 1)
            for j in worst.indices where s <= worst[j].limit {
                worst[j].error = max(worst[j].error, error.isNaN ? .infinity : error)
            }
            checked += 1
        }
        #expect(checked > 90_000)
        for bound in worst {
            #expect(bound.error <= bound.tolerance, "s ≤ \(bound.limit): worst relative guess error \(bound.error)")
        }
    }

    /// At the money (x = 0) and at the edges of the guess's range the solver still recovers σ.
    @Test(arguments: [(100.0, 100.0), (100.0, 100.0 * (1 + 1e-15)), (100.0, 99.999)])
    func guessRegionEdges(forward: Double, strike: Double) throws {
        for vol in [0.005, 0.2, 1.5, 5.0] {
            for t in [1.0 / 525_600, 1.0 / 365, 0.25, 5.0] {
                let s = vol * t.squareRoot()
                for right in [OptionRight.call, .put] {
                    let price = Black76.undiscountedPrice(right: right, forward: forward, strike: strike, stdDev: s)
                    let iv = try ImpliedVolatility.stdDev(undiscountedPrice: price, right: right, forward: forward,
                                                          strike: strike) / t.squareRoot()
                    let conditioning = priceRoundingConditioning(forward: forward, strike: strike, stdDev: s,
                                                                 timeToExpiryYears: t, discount: 1)
                    #expect(abs(iv - vol) <= 1e-12 + conditioning, "\(right) F=\(forward) K=\(strike) σ=\(vol) T=\(t): \(iv)")
                }
            }
        }
    }
}
