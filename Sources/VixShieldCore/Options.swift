/// Call or put.
public enum OptionRight: String, Sendable, Hashable, Codable, CaseIterable {
    case call = "C"
    case put = "P"
}

/// When an expiring option's settlement value is fixed.
public enum SettlementStyle: String, Sendable, Hashable, Codable {
    /// The special opening quotation on expiry day (standard monthly SPX, VIX): 09:30 ET.
    case am
    /// The close on expiry day (SPXW weeklies and dailies, equity and ETF options): 16:00 ET.
    case pm
}

/// One listed option contract, identified by its OCC-style symbol `ROOT YYMMDD C|P STRIKE×1000`.
///
/// The strike is kept exactly as thousandths of a point (`strikeMilli`), the way the symbol encodes it,
/// so strikes compare and group without floating-point error.
public struct OptionContract: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let root: String
    public let expiry: CalendarDate
    public let right: OptionRight
    public let strikeMilli: Int

    public init(root: String, expiry: CalendarDate, right: OptionRight, strikeMilli: Int) {
        self.root = root
        self.expiry = expiry
        self.right = right
        self.strikeMilli = strikeMilli
    }

    /// Parses `SPXW260821C05000000` (root of 1-6 letters, then 15 fixed characters). Leading and
    /// trailing spaces of space-padded OCC symbols are ignored.
    public init?(symbol raw: some StringProtocol) {
        // Every chain parses ~30k symbols: the bytes go to a stack buffer, not an array per symbol.
        let parsed = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { buffer -> OptionContract? in
            var count = 0
            for b in raw.utf8 where b != UInt8(ascii: " ") {
                guard count < 21 else { return nil }
                buffer[count] = b
                count += 1
            }
            return Self.parse(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
        guard let parsed else { return nil }
        self = parsed
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> OptionContract? {
        guard bytes.count > 15, bytes.count <= 21 else { return nil }
        let rootCount = bytes.count - 15
        func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        let root = UnsafeBufferPointer(rebasing: bytes[0..<rootCount])
        guard root.allSatisfy({ isUpper($0) || isDigit($0) }), isUpper(root[0]) else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            var v = 0
            for b in bytes[(rootCount + from)..<(rootCount + from + length)] {
                guard isDigit(b) else { return nil }
                v = v * 10 + Int(b - 48)
            }
            return v
        }
        let right: OptionRight
        switch bytes[rootCount + 6] {
        case UInt8(ascii: "C"): right = .call
        case UInt8(ascii: "P"): right = .put
        default: return nil
        }
        guard let yy = number(0, 2), let mm = number(2, 2), let dd = number(4, 2),
              let date = CalendarDate(year: 2000 + yy, month: mm, day: dd), let strike = number(7, 8) else { return nil }
        return OptionContract(root: String(decoding: root, as: UTF8.self), expiry: date, right: right, strikeMilli: strike)
    }

    public var strike: Double { Double(strikeMilli) / 1000 }

    /// The canonical symbol, e.g. `SPXW260821C05000000`.
    public var symbol: String {
        // Written as ASCII in place (every stored quote prints its symbol); a strike beyond 8 digits keeps them all.
        let strikeDigits = max(8, String(strikeMilli).count)
        guard strikeMilli >= 0, root.utf8.count <= 6 else {
            let yy = expiry.year % 100
            func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
            return "\(root)\(pad(yy, 2))\(pad(expiry.month, 2))\(pad(expiry.day, 2))\(right.rawValue)\(pad(strikeMilli, 8))"
        }
        let rootBytes = root.utf8.count
        return String(unsafeUninitializedCapacity: rootBytes + 7 + strikeDigits) { bytes in
            var i = 0
            for b in root.utf8 { bytes[i] = b; i += 1 }
            ASCIIDigits.write(expiry.year % 100, width: 2, into: bytes, at: i)
            ASCIIDigits.write(expiry.month, width: 2, into: bytes, at: i + 2)
            ASCIIDigits.write(expiry.day, width: 2, into: bytes, at: i + 4)
            bytes[i + 6] = right == .call ? UInt8(ascii: "C") : UInt8(ascii: "P")
            ASCIIDigits.write(strikeMilli, width: strikeDigits, into: bytes, at: i + 7)
            return rootBytes + 7 + strikeDigits
        }
    }

    /// `SPX` and `VIX` standard contracts settle AM on the opening quotation; everything else
    /// (`SPXW`, `XSP`, `VIXW`, ETFs) settles PM.
    public var settlement: SettlementStyle {
        switch root {
        case "SPX", "VIX", "NDX", "RUT": return .am
        default: return .pm
        }
    }

    /// When the settlement value is fixed, in New York wall time.
    public var expiryTime: EasternTime {
        settlement == .am ? EasternTime.open(on: expiry) : EasternTime.close(on: expiry)
    }

    public var description: String { symbol }

    public static func < (a: OptionContract, b: OptionContract) -> Bool {
        (a.expiry, a.root, a.strikeMilli, a.right.rawValue) < (b.expiry, b.root, b.strikeMilli, b.right.rawValue)
    }
}

/// Reasons a quote is suspect. Flagged rows are kept (and the raw payload is archived); later stages
/// decide what to use.
public struct QuoteFlags: OptionSet, Hashable, Sendable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let crossed = QuoteFlags(rawValue: 1 << 0)       // bid > ask
    public static let locked = QuoteFlags(rawValue: 1 << 1)        // bid == ask > 0
    public static let zeroBid = QuoteFlags(rawValue: 1 << 2)
    public static let wideSpread = QuoteFlags(rawValue: 1 << 3)    // spread beyond the normalize limit
    public static let missingField = QuoteFlags(rawValue: 1 << 4)
    public static let nonFinite = QuoteFlags(rawValue: 1 << 5)     // NaN, infinite or negative price
    public static let expired = QuoteFlags(rawValue: 1 << 6)       // expiry before the as-of session
    public static let duplicate = QuoteFlags(rawValue: 1 << 7)     // same contract seen again in one snapshot
    public static let staleSession = QuoteFlags(rawValue: 1 << 8)  // snapshot not of the as-of session
    /// Set by the surface's static-arbitrage screen (`VolMath.QuoteScreen`): the quote's bid/ask cannot be
    /// reconciled with its neighbours' (vertical spread, butterfly or calendar). The quote is kept and
    /// stored but not used in fits. Not in `unusable` (the Cboe model-free strip follows the Cboe rules,
    /// which have no such screen).
    public static let arbitrageScreen = QuoteFlags(rawValue: 1 << 9)
    /// Provenance, not quality: the quote was priced on a surface reconstructed from published index
    /// histories (`vixshield reconstruct`), set on every quote of a source with `origin: reconstructed`.
    public static let reconstructed = QuoteFlags(rawValue: 1 << 10)

    /// Names in a stable order, for diagnostics and the `flags` text column.
    public var names: [String] {
        let all: [(QuoteFlags, String)] = [(.crossed, "crossed"), (.locked, "locked"), (.zeroBid, "zero_bid"),
                                           (.wideSpread, "wide_spread"), (.missingField, "missing_field"),
                                           (.nonFinite, "non_finite"), (.expired, "expired"),
                                           (.duplicate, "duplicate"), (.staleSession, "stale_session"),
                                           (.arbitrageScreen, "arbitrage_screen"), (.reconstructed, "reconstructed")]
        return all.filter { contains($0.0) }.map(\.1)
    }

    /// Flags that make a quote unusable for pricing (a zero bid is still a usable one-sided quote).
    public static let unusable: QuoteFlags = [.crossed, .missingField, .nonFinite, .expired, .duplicate, .staleSession]
}

/// Where a chain's quotes come from, as a pipeline source declares it (`options: {origin: reconstructed}`)
/// and the `chain_origin` columns store it.
public enum ChainOrigin: String, Sendable, Hashable, CaseIterable {
    /// Quotes a vendor published (the default).
    case market
    /// The seeded synthetic market of `vixshield simulate`.
    case simulated
    /// Priced on a surface fitted to published index histories (`vixshield reconstruct`).
    case reconstructed
}

/// One option quote as normalized from a vendor payload. Prices in index points.
public struct OptionQuote: Hashable, Sendable {
    public var contract: OptionContract
    public var bid: Double
    public var ask: Double
    public var bidSize: Double
    public var askSize: Double
    public var last: Double?
    public var volume: Double
    public var openInterest: Double
    /// The vendor's implied volatility (decimal) when it computed one; nil for 0 or absent.
    public var vendorIV: Double?
    public var vendorDelta: Double?
    public var flags: QuoteFlags

    public init(contract: OptionContract, bid: Double, ask: Double, bidSize: Double = 0, askSize: Double = 0,
                last: Double? = nil, volume: Double = 0, openInterest: Double = 0, vendorIV: Double? = nil,
                vendorDelta: Double? = nil, flags: QuoteFlags = []) {
        self.contract = contract
        self.bid = bid
        self.ask = ask
        self.bidSize = bidSize
        self.askSize = askSize
        self.last = last
        self.volume = volume
        self.openInterest = openInterest
        self.vendorIV = vendorIV
        self.vendorDelta = vendorDelta
        self.flags = flags
    }

    public var mid: Double { (bid + ask) / 2 }
    public var spread: Double { ask - bid }
    public var isTwoSided: Bool { bid > 0 && ask > bid }
}

/// Which of a vendor's quote sets a snapshot holds. Live feeds have one; Cboe DataShop's EOD Summary
/// carries two per row (the 15:45 ET snapshot, with the vendor's greeks, and the closing quote).
public enum QuoteSet: String, Sendable, Hashable, Codable, CaseIterable {
    /// The only (or last) quote the vendor published for the session.
    case eod
    /// DataShop's `_1545` columns: quotes as of 15:45 ET, 15 minutes before the close.
    case at1545 = "1545"
}

/// A whole option chain for one underlying and one session.
public struct OptionChainSnapshot: Sendable {
    /// The underlying as the vendor names it (`^SPX`, `SPY`).
    public var underlying: String
    /// The trading session the quotes belong to.
    public var session: CalendarDate
    /// When the vendor captured the snapshot, as it wrote it.
    public var capturedAt: String
    public var spot: Double
    public var quotes: [OptionQuote]
    /// Which quote set of the session these quotes are (`.eod` unless the vendor publishes several).
    public var quoteSet: QuoteSet

    public init(underlying: String, session: CalendarDate, capturedAt: String, spot: Double, quotes: [OptionQuote]) {
        self.init(underlying: underlying, session: session, capturedAt: capturedAt, spot: spot, quotes: quotes,
                  quoteSet: .eod)
    }

    public init(underlying: String, session: CalendarDate, capturedAt: String, spot: Double, quotes: [OptionQuote],
                quoteSet: QuoteSet) {
        self.underlying = underlying
        self.session = session
        self.capturedAt = capturedAt
        self.spot = spot
        self.quotes = quotes
        self.quoteSet = quoteSet
    }
}
