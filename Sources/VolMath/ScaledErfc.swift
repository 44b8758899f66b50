import Foundation

/// The scaled complementary error function erfcx(u) = e^{u²} erfc(u), and the normal Mills ratio built
/// on it, for the implied-volatility iteration.
///
/// Working with erfcx instead of erfc lets the normalised Black price share a single exponential with
/// its vega and, in the low-price tail, be taken as a logarithm without any exponential at all.
///
/// Coefficients: W. J. Cody, "Rational Chebyshev approximations for the error function",
/// Math. Comp. 23 (1969) 631–637, as tabulated in Cody's SPECFUN routine CALERF (netlib): three
/// rational approximations, on |u| ≤ 0.46875 (for erf), 0.46875 < u ≤ 4 and u > 4 (for erfcx), each
/// with a maximal relative error below 1e-17 in exact arithmetic. Checked against mpmath in
/// `ScaledErfcTests`.
@usableFromInline
enum ScaledErfc {
    /// erfcx(u) = e^{u²} erfc(u) for any finite u (overflows to +∞ for u below about −26.6).
    @inline(__always) @usableFromInline
    static func erfcx(_ u: Double) -> Double {
        // Reflection erfc(−v) = 2 − erfc(v); rare in the solver (rounding at the branch points).
        if u < 0 { return 2 * exp(u * u) - erfcxNonNegative(-u) }
        return erfcxNonNegative(u)
    }

    @inline(__always) @usableFromInline
    static func erfcxNonNegative(_ u: Double) -> Double {
        if u <= 0.468_75 { return exp(u * u) * (1 - erfSmall(u)) }
        if u <= 4 { return erfcxMiddle(u) }
        return erfcxLarge(u)
    }

    /// erf(u) for |u| ≤ 0.46875: u · P(u²)/Q(u²).
    @inlinable
    static func erfSmall(_ u: Double) -> Double {
        let z = u * u
        let numerator = (((0.185_777_706_184_603_153 * z + 3.161_123_743_870_565_6) * z + 113.864_154_151_050_156) * z
            + 377.485_237_685_302_021) * z + 3209.377_589_138_469_47
        let denominator = (((z + 23.601_290_952_344_120_9) * z + 244.024_637_934_444_173) * z
            + 1282.616_526_077_372_28) * z + 2844.236_833_439_170_62
        return u * numerator / denominator
    }

    /// erfcx(u) for 0.46875 < u ≤ 4: P(u)/Q(u), degree 8 over degree 8, in Estrin's scheme (the
    /// solver is latency-bound, and Horner's rule is one long chain of dependent operations).
    @inline(__always) @usableFromInline
    static func erfcxMiddle(_ u: Double) -> Double {
        let u2 = u * u, u4 = u2 * u2, u8 = u4 * u4
        let n01 = 1230.339_354_797_997_25 + 2051.078_377_826_071_47 * u
        let n23 = 1712.047_612_634_070_58 + 881.952_221_241_769_09 * u
        let n45 = 298.635_138_197_400_131 + 66.119_190_637_141_629_5 * u
        let n67 = 8.883_149_794_388_375_94 + 0.564_188_496_988_670_089 * u
        let numerator = (n01 + n23 * u2) + (n45 + n67 * u2) * u4 + 2.153_115_354_744_038_46e-8 * u8
        let d01 = 1230.339_354_803_749_42 + 3439.367_674_143_721_64 * u
        let d23 = 4362.619_090_143_247_16 + 3290.799_235_733_459_63 * u
        let d45 = 1621.389_574_566_690_19 + 537.181_101_862_009_858 * u
        let d67 = 117.693_950_891_312_499 + 15.744_926_110_709_834_7 * u
        let denominator = (d01 + d23 * u2) + (d45 + d67 * u2) * u4 + u8
        return numerator / denominator
    }

    /// erfcx(u) for u > 4: (1/√π − z P(z)/Q(z)) / u with z = 1/u², in Estrin's scheme.
    @inline(__always) @usableFromInline
    static func erfcxLarge(_ u: Double) -> Double {
        let z = 1 / (u * u)
        let z2 = z * z, z4 = z2 * z2
        let numerator = (6.587_491_615_298_378_03e-4 + 0.016_083_785_148_742_276_6 * z)
            + (0.125_781_726_111_229_246 + 0.360_344_899_949_804_439 * z) * z2
            + (0.305_326_634_961_232_344 + 0.016_315_387_137_302_097_8 * z) * z4
        let denominator = (0.002_335_204_976_268_691_85 + 0.060_518_341_312_441_319_1 * z)
            + (0.527_905_102_951_428_412 + 1.872_952_849_923_460_47 * z) * z2
            + (2.568_520_192_289_822_42 + z) * z4
        return (0.564_189_583_547_756_286_95 * denominator - z * numerator) / (denominator * u)
    }

    /// The Mills ratio Y(z) = Φ(z)/φ(z) of the standard normal, for z ≤ 0 (finite and positive; about
    /// 1/|z| in the far tail): Y(z) = √(π/2) erfcx(−z/√2).
    @inlinable
    static func millsRatio(_ z: Double) -> Double {
        1.253_314_137_315_500_251 * erfcx(-0.707_106_781_186_547_524_4 * z)
    }
}
