import Foundation
import Testing
@testable import VolMath

@Suite("Scaled complementary error function and the normalised Black evaluations")
struct ScaledErfcTests {
    /// erfcx(u) = e^{u²} erfc(u) from mpmath 1.3.0 at 40 digits, printed to 21; every range of the
    /// rational approximations, both sides of each range boundary, and the reflection for u < 0.
    /// Tolerance: 4 ulps relative (Cody's approximations are good to about 1e-17 before rounding).
    @Test(arguments: [
        (0, 1.0),
        (1e-08, 9.99999988716208429045e-1),
        (0.1, 8.96456979969126636663e-1),
        (0.3, 7.3459933456765514992e-1),
        (0.46875, 6.32069689249556078156e-1),
        (0.46876, 6.32064331149312289569e-1),
        (0.75, 5.06937650293144805791e-1),
        (1, 4.27583576155807004411e-1),
        (1.5, 3.21585416454317502354e-1),
        (2.5, 2.10806364061143580647e-1),
        (3.5, 1.55293655608894297403e-1),
        (4, 1.36999457625061389889e-1),
        (4.000001, 1.36999425241562755773e-1),
        (5, 1.1070463773306862637e-1),
        (7.5, 7.45736930628766830051e-2),
        (12, 4.68542210148937626196e-2),
        (26.5, 2.12750466853711059552e-2),
        (100, 5.64161378298943290356e-3),
        (1e4, 5.64189580726808411524e-5),
        (1e8, 5.64189583547756258739e-9),
        (-0.2, 1.27260202848319572993),
        (-0.46875, 1.85940241687142214644),
        (-1, 5.00898008076228346631),
        (-3, 1.62059888539995866255e+4),
        (-6, 8.62246309423039036145e+15),
    ] as [(Double, Double)])
    func mpmathReference(u: Double, expected: Double) {
        let value = ScaledErfc.erfcx(u)
        // The reflection multiplies e^{u²}, whose argument carries a rounding of u²: allow u²·ε more.
        let tolerance = (4 + (u < 0 ? 2 * u * u : 0)) * Double.ulpOfOne
        #expect(abs(value / expected - 1) <= tolerance, "erfcx(\(u)) = \(value), expected \(expected)")
    }

    /// The Mills ratio agrees with Φ(z)/φ(z) from the C library's erfc where that quotient is itself
    /// accurate (|z| ≤ 20, seeded), to 8 ulps relative plus the quotient's own argument rounding.
    @Test func millsRatioMatchesTheLibraryQuotient() {
        var rng = SeededGenerator(seed: 77)
        for _ in 0..<20_000 {
            let z = -20 * Double.random(in: 0...1, using: &rng)
            let quotient = Black76.normalCDF(z) / Black76.normalPDF(z)
            let mills = ScaledErfc.millsRatio(z)
            // The quotient rounds the arguments of erfc and exp: each costs up to about z²·ε relative.
            let tolerance = (8 + 2 * z * z) * Double.ulpOfOne
            #expect(abs(mills / quotient - 1) <= tolerance, "z = \(z): \(mills) vs \(quotient)")
        }
    }

    /// The solver's Mills-ratio form of the normalised Black price agrees with the Black-76 kernel, on
    /// both sides of the inflection point s_c = √(2|x|), and its log form agrees where the price is normal.
    @Test func normalisedBlackAgreesWithTheKernel() {
        var rng = SeededGenerator(seed: 2026)
        for _ in 0..<20_000 {
            let x = -6 * Double.random(in: 0...1, using: &rng)
            let s = exp(Double.random(in: log(1e-3)...log(8), using: &rng))
            let ex2 = exp(0.5 * x)
            let forward = 1.0, strike = exp(-x)
            let kernel = Black76.undiscountedPrice(right: .call, forward: forward, strike: strike, stdDev: s) / strike.squareRoot()
            guard kernel > 1e-250 else { continue }
            let at = NormalisedBlack.evaluate(x: x, s: s, ex2: ex2)
            // Both sides round, and a few more ulps of e^{x/2} where the price is a difference.
            let tolerance = 1e-13 * kernel + 16 * Double.ulpOfOne * ex2
            #expect(abs(at.price - kernel) <= tolerance, "x = \(x), s = \(s): \(at.price) vs \(kernel)")
            #expect(abs(at.price + at.complement - ex2) <= 4 * Double.ulpOfOne * ex2)
            let exponent = -0.5 * (x * x / (s * s) + s * s / 4)
            let vega = exp(exponent) / (2 * Double.pi).squareRoot()
            // Both round an exponent of size |exponent|: relative error up to about |exponent|·ε each.
            #expect(abs(at.vega - vega) <= (8 + 4 * abs(exponent)) * Double.ulpOfOne * vega + .leastNormalMagnitude)
            if s * s <= -2 * x, at.price > 1e-300 {
                let logForm = NormalisedBlack.evaluateLog(x: x, s: s)
                #expect(abs(logForm.logPrice - log(at.price)) <= 1e-12 * max(1, abs(logForm.logPrice)), "x = \(x), s = \(s)")
                #expect(abs(logForm.vegaOverPrice * at.price / at.vega - 1) <= 1e-12, "x = \(x), s = \(s)")
            }
        }
    }
}
