import Foundation
import VixShieldCore

/// A small seeded generator: xoshiro256** (Blackman & Vigna, 2018) with its state filled by SplitMix64.
///
/// The simulator owns its generator so the same seed gives the same market on every platform and every
/// Swift release (the standard library's generators and `random(in:)` algorithms are not promised to
/// stay fixed). Independent streams (the price path, the chain of one day, …) come from mixing a stream
/// number into the seed, so adding draws to one stream never shifts another.
struct SeededRandom {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    private var spareNormal: Double?

    /// A generator for `stream` of `seed`.
    init(seed: UInt64, stream: UInt64 = 0) {
        var salt = SeededRandom.streamSalt(stream)
        var sm = seed ^ SeededRandom.splitMix(&salt)
        s0 = SeededRandom.splitMix(&sm)
        s1 = SeededRandom.splitMix(&sm)
        s2 = SeededRandom.splitMix(&sm)
        s3 = SeededRandom.splitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the all-zero state is the one fixed point of xoshiro
    }

    /// A generator with an explicit xoshiro state (for checking against the reference implementation).
    init(rawState: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = rawState
        precondition(s0 | s1 | s2 | s3 != 0, "the all-zero xoshiro state never leaves zero")
    }

    private static func streamSalt(_ stream: UInt64) -> UInt64 { stream &* 0xD1B5_4A32_D192_ED03 &+ 0x632B_E59B_D9B4_E019 }

    private static func splitMix(_ state: inout UInt64) -> UInt64 { SplitMix64.mix(&state) }

    mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform on the open interval (0, 1): never 0, so `log` of it is always finite.
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Uniform on (lower, upper).
    mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * uniform() }

    /// An integer in 0..<bound (the modulo bias of a 64-bit draw is far below anything we measure).
    mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "empty range")
        return Int(next() % UInt64(bound))
    }

    /// A standard normal draw (Box–Muller; the second value of each pair is kept for the next call).
    mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let radius = (-2 * log(uniform())).squareRoot()
        let angle = 2 * Double.pi * uniform()
        spareNormal = radius * sin(angle)
        return radius * cos(angle)
    }

    /// exp(σ·Z − σ²/2): a mean-one lognormal multiplier for noisy sizes and volumes.
    mutating func lognormalFactor(sigma: Double) -> Double { exp(sigma * normal() - sigma * sigma / 2) }
}

/// Stream numbers, so each part of the market draws from its own sequence.
enum RandomStream {
    static let path: UInt64 = 1
    static let indices: UInt64 = 2
    static let breadth: UInt64 = 3
    static let futures: UInt64 = 4
    /// Chains use `chainBase + day number`, one stream per session.
    static let chainBase: UInt64 = 1 << 32
    /// VIX option chains use `vixChainBase + day number`.
    static let vixChainBase: UInt64 = 3 << 32
}
