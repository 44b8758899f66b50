/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
/// the project's one small seeded generator, for retry jitter, simulator seeding, benches and tests.
/// The same seed gives the same sequence on every platform and Swift release, which the standard
/// library's generators do not promise.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 { Self.mix(&state) }

    /// One step: advances `state` by the golden-ratio increment and returns its mixed value.
    @inlinable
    public static func mix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnitDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
