import VixShieldCore

/// A put-call parity or box-spread violation larger than the bid/ask costs of trading it.
public struct ParityFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Sell the call at the bid, buy the put at the ask, long the forward: C_bid − P_ask > D(F − K).
        case conversion
        /// Buy the call at the ask, sell the put at the bid, short the forward: D(F − K) > C_ask − P_bid.
        case reversal
        /// Buy the box (long K₁ call and K₂ put, short K₂ call and K₁ put) below its value D(K₂ − K₁).
        case longBox = "long_box"
        /// Sell the box above its value D(K₂ − K₁).
        case shortBox = "short_box"
    }

    public var root: String
    public var expiry: CalendarDate
    public var kind: Kind
    /// The strike of a conversion or reversal, or the lower strike of a box.
    public var lowerStrike: Double
    /// Equal to `lowerStrike` for a conversion or reversal; the upper strike of a box.
    public var upperStrike: Double
    /// Gain per unit at today's value, index points, after paying the bid/ask of every option leg.
    public var edgePoints: Double

    public var description: String {
        let strikes = lowerStrike == upperStrike ? "\(lowerStrike)" : "\(lowerStrike)/\(upperStrike)"
        return "\(root) \(expiry) \(kind.rawValue) \(strikes): edge \(edgePoints) points"
    }
}

/// Scans expiry chains for parity violations that survive the bid/ask.
///
/// Put-call parity: C − P = D(F − K). Per strike the two executable trades are the conversion (edge
/// C_bid − P_ask − D(F − K)) and the reversal (edge D(F − K) − C_ask + P_bid). The forward leg is charged
/// nothing: F and D are the surface stage's, so a conversion finding says the quotes disagree with the
/// forward the rest of the chain implies.
///
/// A long box K₁ < K₂ pays K₂ − K₁ at expiry; its edge D(K₂ − K₁) − (C₁_ask − P₁_bid) − (P₂_ask − C₂_bid) is
/// exactly reversal(K₁) + conversion(K₂) with the forward cancelling, so boxes test the quotes against the
/// discount alone. The best box of each direction comes from a running maximum of reversal (conversion)
/// edges over the lower strikes: O(strikes) per expiry, and only that best box is reported.
public enum ParityScan {
    /// Findings whose edge exceeds `minimumEdgePoints`, ordered by expiry, root, kind, strikes.
    /// Quotes that cannot be traded (non-finite, crossed, no ask, a zero bid on a leg that is sold) are skipped.
    public static func scan(_ chains: [ExpiryChain], minimumEdgePoints: Double = 0) -> [ParityFinding] {
        let threshold = minimumEdgePoints.isFinite ? max(minimumEdgePoints, 0) : .infinity
        var out: [ParityFinding] = []
        for chain in chains {
            guard chain.forward.isFinite, chain.forward > 0, chain.discount.isFinite, chain.discount > 0 else { continue }
            out += scan(chain, threshold: threshold)
        }
        return out.sorted {
            if $0.expiry != $1.expiry { return $0.expiry < $1.expiry }
            if $0.root != $1.root { return $0.root < $1.root }
            if $0.kind != $1.kind { return $0.kind.rawValue < $1.kind.rawValue }
            if $0.lowerStrike != $1.lowerStrike { return $0.lowerStrike < $1.lowerStrike }
            return $0.upperStrike < $1.upperStrike
        }
    }

    /// Per strike: (strike, conversion edge or nil, reversal edge or nil).
    struct StrikeEdges { let strike: Double; let conversion: Double?; let reversal: Double? }

    static func scan(_ chain: ExpiryChain, threshold: Double) -> [ParityFinding] {
        var calls: [Int: PricedOption] = [:], puts: [Int: PricedOption] = [:]
        for o in chain.options where o.bid.isFinite && o.ask.isFinite && o.bid >= 0 && o.ask > 0 && o.ask >= o.bid && o.strike > 0 {
            if o.contract.right == .call { calls[o.contract.strikeMilli] = calls[o.contract.strikeMilli] ?? o }
            else { puts[o.contract.strikeMilli] = puts[o.contract.strikeMilli] ?? o }
        }
        let d = chain.discount, f = chain.forward
        var edges: [StrikeEdges] = []
        for m in calls.keys.sorted() {
            guard let c = calls[m], let p = puts[m] else { continue }
            let k = Double(m) / 1000
            let parity = d * (f - k)
            edges.append(StrikeEdges(strike: k, conversion: c.bid > 0 ? c.bid - p.ask - parity : nil,
                                     reversal: p.bid > 0 ? parity - c.ask + p.bid : nil))
        }
        var out: [ParityFinding] = []
        func finding(_ kind: ParityFinding.Kind, _ low: Double, _ high: Double, _ edge: Double) -> ParityFinding {
            ParityFinding(root: chain.root, expiry: chain.expiry, kind: kind, lowerStrike: low, upperStrike: high, edgePoints: edge)
        }
        for e in edges {
            if let v = e.conversion, v > threshold { out.append(finding(.conversion, e.strike, e.strike, v)) }
            if let v = e.reversal, v > threshold { out.append(finding(.reversal, e.strike, e.strike, v)) }
        }
        // Long box (K₁, K₂) = reversal(K₁) + conversion(K₂); short box = conversion(K₁) + reversal(K₂).
        var bestLong: (edge: Double, low: Double, high: Double)? = nil
        var bestShort: (edge: Double, low: Double, high: Double)? = nil
        var runningReversal: (edge: Double, strike: Double)? = nil
        var runningConversion: (edge: Double, strike: Double)? = nil
        for e in edges {
            if let conv = e.conversion, let r = runningReversal, r.edge + conv > (bestLong?.edge ?? -.infinity) {
                bestLong = (r.edge + conv, r.strike, e.strike)
            }
            if let rev = e.reversal, let c = runningConversion, c.edge + rev > (bestShort?.edge ?? -.infinity) {
                bestShort = (c.edge + rev, c.strike, e.strike)
            }
            if let rev = e.reversal, rev > (runningReversal?.edge ?? -.infinity) { runningReversal = (rev, e.strike) }
            if let conv = e.conversion, conv > (runningConversion?.edge ?? -.infinity) { runningConversion = (conv, e.strike) }
        }
        if let b = bestLong, b.edge > threshold { out.append(finding(.longBox, b.low, b.high, b.edge)) }
        if let b = bestShort, b.edge > threshold { out.append(finding(.shortBox, b.low, b.high, b.edge)) }
        return out
    }
}
