import VixShieldCore

/// The full ALVH target: the long VX exposure that offsets `fraction` of the condor's short vega,
/// plus an add-on for its short gamma.
public struct HedgeTarget: Hashable, Sendable {
    /// The condor's net vega being offset, USD per SPX vol point (negative for a short condor).
    public var netVegaUSD: Double
    /// The gamma add-on, in the same units as vega (USD per SPX vol point); 0 for long gamma.
    public var gammaAddOnVegaUSD: Double
    /// Vega to offset with every layer on: (−netVegaUSD + gammaAddOnVegaUSD) · fraction, ≥ 0.
    public var vegaToOffsetUSD: Double
    /// VX points per SPX ATM vol point used to convert.
    public var beta: Double
    /// Long VX futures (at $1,000 per point) that offset `vegaToOffsetUSD`: not rounded.
    public var vxContracts: Double
}

extension HedgeTarget {
    /// VX futures multiplier, USD per VIX point.
    public static let vxMultiplierUSD = 1_000.0
    /// Mini VX (VXM) multiplier, USD per VIX point.
    public static let vxmMultiplierUSD = 100.0
    /// VIX options multiplier, USD per VIX point.
    public static let vixOptionMultiplierUSD = 100.0

    /// The target for one condor.
    ///
    /// Vega: a short condor loses |netVegaUSD| per SPX vol point; a long VX contract gains
    /// beta · $1,000 per SPX vol point, so n = −netVegaUSD · fraction / (beta · $1,000).
    ///
    /// Gamma add-on (only when net gamma is negative): short gamma loses on the move itself, and in SPX
    /// the down moves that hurt come with vol rising. The loss of a one-sigma day,
    /// ½·|Γ$|·(S·σ/√252)², is converted into vega units by dividing by the vol points such a day adds
    /// (`volPointsPerSigmaDay`, default 1). Gamma grows as the short strikes near spot, so the add-on
    /// grows with it without any strike rule; it is capped at `gammaAddOnCap` × |vega| so it stays an add-on.
    ///
    /// - Parameters:
    ///   - netVegaUSD: condor vega, USD per SPX vol point (IronCondor.netVegaUSD).
    ///   - netGammaUSD: condor gamma, USD per SPX point² (IronCondor.netGammaUSD).
    ///   - spot: SPX level. `atmVolatility`: annualized σ (0.18 for 18 %).
    public static func compute(netVegaUSD: Double, netGammaUSD: Double, spot: Double, atmVolatility: Double,
                               beta: Double, config: ALVHConfig) -> HedgeTarget {
        precondition(beta > 0, "beta must be positive")
        var addOn = 0.0
        if netGammaUSD < 0, spot > 0, atmVolatility > 0, config.volPointsPerSigmaDay > 0 {
            let dailyMove = spot * atmVolatility / 252.0.squareRoot()
            let sigmaDayLoss = 0.5 * -netGammaUSD * dailyMove * dailyMove
            addOn = min(sigmaDayLoss / config.volPointsPerSigmaDay, config.gammaAddOnCap * abs(netVegaUSD))
        }
        let toOffset = max((-netVegaUSD + addOn) * config.targetFraction, 0)
        return HedgeTarget(netVegaUSD: netVegaUSD, gammaAddOnVegaUSD: addOn, vegaToOffsetUSD: toOffset, beta: beta,
                           vxContracts: toOffset / (beta * vxMultiplierUSD))
    }
}
