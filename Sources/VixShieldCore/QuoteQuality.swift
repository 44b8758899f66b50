/// Limits that decide when a quote's spread is "too wide" to trust its mid.
public struct QuoteQualityRules: Sendable, Hashable {
    /// Spreads up to this many index points are never wide: a 0.05 / 0.10 wing quote is a normal
    /// one-tick market even though it is 67 % of its mid.
    public var wideSpreadFloorPoints: Double
    /// Above the floor, a spread wider than this fraction of the mid is wide (0.5: a 10.00 / 16.00
    /// quote is wide; a 10.00 / 14.00 one is not).
    public var wideSpreadFractionOfMid: Double

    public init(wideSpreadFloorPoints: Double = 0.5, wideSpreadFractionOfMid: Double = 0.5) {
        self.wideSpreadFloorPoints = wideSpreadFloorPoints
        self.wideSpreadFractionOfMid = wideSpreadFractionOfMid
    }

    /// The widest spread (points) that is not flagged for a quote with this mid.
    public func maxSpreadPoints(mid: Double) -> Double { max(wideSpreadFloorPoints, wideSpreadFractionOfMid * mid) }
}

/// Thresholds of the minimum quality gate a chain must pass before any surface is built from it.
public struct QualityGateThresholds: Sendable, Hashable {
    /// Calendar days to expiry (from the as-of session) of the expiries the gate looks at.
    public var dteWindowDays: ClosedRange<Int>
    /// At least one expiry in the window must have this many strikes where both the call and the put
    /// are usable two-sided quotes (enough for a parity forward and an SVI fit).
    public var minTwoSidedStrikes: Int
    /// The largest share of quotes carrying an unusable flag (`QuoteFlags.unusable`) the chain may have.
    public var maxUnusableShare: Double

    public init(dteWindowDays: ClosedRange<Int> = 7...60, minTwoSidedStrikes: Int = 20, maxUnusableShare: Double = 0.25) {
        self.dteWindowDays = dteWindowDays
        self.minTwoSidedStrikes = minTwoSidedStrikes
        self.maxUnusableShare = maxUnusableShare
    }
}

/// The gate's decision for one chain.
public enum QualityVerdict: Sendable, Hashable {
    case pass
    /// Each reason is one line, fit for a `no_trade` row.
    case fail(reasons: [String])

    public var passed: Bool { self == .pass }

    /// The reasons joined into one line (for a `no_trade` row), nil on a pass.
    public var reason: String? {
        if case .fail(let reasons) = self { return reasons.joined(separator: "; ") }
        return nil
    }
}

/// Normalization flags and the minimum quality gate for option chains (pure: no I/O, no clock).
///
/// Nothing is dropped: every quote keeps its place in the snapshot with the flags it earned, and each
/// flagged quote gets one diagnostic naming its flags and the values behind them.
public enum QuoteQuality {
    /// The flags one quote earns by itself (everything but `duplicate`, which needs the whole chain).
    ///
    /// - missing_field: bid, ask or a size is NaN (absent, empty or a literal NaN).
    /// - non_finite: any of those, the volume or the open interest is infinite, negative or at least
    ///   `absurdValue` (no index option, size or open interest comes near it; such a number would
    ///   overflow every sum and conversion it reached).
    /// - crossed: bid > ask; locked: bid == ask > 0; zero_bid: bid == 0 (with or without an offer).
    /// - wide_spread: ask − bid above `rules.maxSpreadPoints(mid:)`.
    /// - expired: expiry before `session`, or on it for an AM-settled contract (settled at the open,
    ///   before any end-of-day quote).
    /// - stale_session: the snapshot's session is not `session`.
    public static func flags(of quote: OptionQuote, snapshotSession: CalendarDate, session: CalendarDate,
                             rules: QuoteQualityRules = .init()) -> QuoteFlags {
        var flags: QuoteFlags = []
        // Volume and open interest are NaN when a vendor does not publish them (OptionsDX has no open
        // interest); that says nothing about the quote, so only the quote's own fields can be missing.
        let quoteFields = [quote.bid, quote.ask, quote.bidSize, quote.askSize]
        if quoteFields.contains(where: \.isNaN) { flags.insert(.missingField) }
        if (quoteFields + [quote.volume, quote.openInterest]).contains(where: { $0.isInfinite || $0 < 0 || $0 >= absurdValue }) { flags.insert(.nonFinite) }
        let pricesUsable = quote.bid.isFinite && quote.ask.isFinite && quote.bid >= 0 && quote.ask >= 0
            && quote.bid < absurdValue && quote.ask < absurdValue
        if pricesUsable {
            if quote.bid > quote.ask { flags.insert(.crossed) }
            else if quote.bid == quote.ask, quote.bid > 0 { flags.insert(.locked) }
            if quote.bid == 0 { flags.insert(.zeroBid) }
            if quote.ask > quote.bid, quote.ask - quote.bid > rules.maxSpreadPoints(mid: quote.mid) { flags.insert(.wideSpread) }
        }
        let expiry = quote.contract.expiry
        if expiry < session || (expiry == session && quote.contract.settlement == .am) { flags.insert(.expired) }
        if snapshotSession != session { flags.insert(.staleSession) }
        return flags
    }

    /// Sets every quote's flags (replacing earlier ones, so it is idempotent) and returns one
    /// diagnostic per flagged quote, in quote order: `warning` when a flag is in `QuoteFlags.unusable`,
    /// `info` otherwise. `source` prefixes each diagnostic's location.
    public static func normalize(_ snapshot: OptionChainSnapshot, session: CalendarDate, source: String,
                                 rules: QuoteQualityRules = .init()) -> (snapshot: OptionChainSnapshot, diagnostics: [Diagnostic]) {
        var out = snapshot
        var diagnostics: [Diagnostic] = []
        var seen = Set<OptionContract>(minimumCapacity: snapshot.quotes.count)
        for i in out.quotes.indices {
            let quote = out.quotes[i]
            var flags = flags(of: quote, snapshotSession: snapshot.session, session: session, rules: rules)
            if !seen.insert(quote.contract).inserted { flags.insert(.duplicate) }
            out.quotes[i].flags = flags
            guard !flags.isEmpty else { continue }
            let severity: Diagnostic.Severity = flags.isDisjoint(with: .unusable) ? .info : .warning
            diagnostics.append(Diagnostic(severity, "\(source): \(quote.contract.symbol)",
                                          "\(flags.names.joined(separator: ",")) (bid \(format(quote.bid)), ask \(format(quote.ask)))"))
        }
        if snapshot.session != session {
            diagnostics.append(Diagnostic(.warning, source, "snapshot session \(snapshot.session) is not the as-of session \(session)"))
        }
        return (out, diagnostics)
    }

    /// Prices, sizes and open interest at or above this are flagged `non_finite`.
    public static let absurdValue = 1e12

    /// Why the snapshot's underlying price cannot be traded on, or nil: it must be a positive finite
    /// number within a factor of 10 of the listed strikes (a spot of 1e308 beside 5000 strikes is a
    /// vendor fault, not a market).
    public static func spotProblem(_ snapshot: OptionChainSnapshot) -> String? {
        let spot = snapshot.spot
        guard spot.isFinite, spot > 0, spot < absurdValue else { return "unusable spot: \(spot) is not a positive finite price" }
        let strikes = snapshot.quotes.lazy.map(\.contract.strike)
        guard let low = strikes.min(), let high = strikes.max(), low > 0 else { return nil }
        guard spot >= low / 10, spot <= high * 10 else {
            return "implausible spot: \(format(spot)) is more than 10x outside the listed strikes \(format(low))-\(format(high))"
        }
        return nil
    }

    /// The minimum quality gate: `.pass`, or `.fail` with one reason per failed check. Call it on a
    /// normalized snapshot (flags set).
    public static func gate(_ snapshot: OptionChainSnapshot, session: CalendarDate,
                            thresholds: QualityGateThresholds = .init()) -> QualityVerdict {
        var reasons: [String] = []
        if let problem = spotProblem(snapshot) { reasons.append(problem) }
        if snapshot.session != session {
            reasons.append("wrong session: snapshot is of \(snapshot.session), as-of is \(session)")
        }
        if snapshot.quotes.isEmpty {
            reasons.append("empty chain: no quotes")
            return .fail(reasons: reasons)
        }
        let unusable = snapshot.quotes.reduce(0) { $0 + ($1.flags.isDisjoint(with: .unusable) ? 0 : 1) }
        let share = Double(unusable) / Double(snapshot.quotes.count)
        if share > thresholds.maxUnusableShare {
            reasons.append("too many unusable quotes: \(unusable) of \(snapshot.quotes.count) (\(percent(share)) > \(percent(thresholds.maxUnusableShare)))")
        }
        let best = bestTwoSidedStrikeCount(snapshot, session: session, dteWindowDays: thresholds.dteWindowDays)
        if best.count < thresholds.minTwoSidedStrikes {
            let window = "\(thresholds.dteWindowDays.lowerBound)-\(thresholds.dteWindowDays.upperBound) DTE"
            let detail = best.expiry.map { " (best expiry \($0): \(best.count))" } ?? " (no expiry in the window)"
            reasons.append("too few two-sided strikes in \(window): fewer than \(thresholds.minTwoSidedStrikes)\(detail)")
        }
        return reasons.isEmpty ? .pass : .fail(reasons: reasons)
    }

    /// The expiry in the DTE window with the most strikes whose call and put are both usable and
    /// two-sided, and that count.
    public static func bestTwoSidedStrikeCount(_ snapshot: OptionChainSnapshot, session: CalendarDate,
                                               dteWindowDays: ClosedRange<Int>) -> (expiry: CalendarDate?, count: Int) {
        struct Key: Hashable { let expiry: CalendarDate; let root: String; let strikeMilli: Int }
        var sides: [Key: UInt8] = [:]
        for q in snapshot.quotes where dteWindowDays.contains(q.contract.expiry.days(since: session)) {
            guard q.isTwoSided, q.flags.isDisjoint(with: .unusable) else { continue }
            let key = Key(expiry: q.contract.expiry, root: q.contract.root, strikeMilli: q.contract.strikeMilli)
            sides[key, default: 0] |= q.contract.right == .call ? 1 : 2
        }
        var perExpiry: [CalendarDate: Int] = [:]
        for (key, mask) in sides where mask == 3 { perExpiry[key.expiry, default: 0] += 1 }
        let inWindow = Set(snapshot.quotes.lazy.map(\.contract.expiry).filter { dteWindowDays.contains($0.days(since: session)) })
        // Ties go to the nearer expiry so the verdict does not depend on dictionary order.
        let best = inWindow.map { ($0, perExpiry[$0] ?? 0) }.max { ($0.1, $1.0) < ($1.1, $0.0) }
        return (best?.0, best?.1 ?? 0)
    }

    private static func format(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf") }
        // Prices are quoted to cents; two decimals print them exactly without Foundation.
        let cents = (v * 100).rounded()
        // Beyond Int's range (an absurd quote such as 1e17) the plain description is exact enough.
        guard abs(cents) < 1e15 else { return "\(v)" }
        let sign = cents < 0 ? "-" : ""
        let a = Int(abs(cents))
        let frac = a % 100
        return "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)"
    }

    private static func percent(_ share: Double) -> String {
        let p = (share * 100).rounded()
        return p.isFinite && abs(p) < 1e15 ? "\(Int(p))%" : "\(p)%"
    }
}
