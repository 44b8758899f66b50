import VixShieldCore

// MARK: - Vocabulary

/// What a hedge layer buys.
public enum HedgeInstrument: String, Hashable, Sendable, Codable, CaseIterable {
    /// VX futures, $1,000 per VIX point.
    case vx = "VX"
    /// Mini VX futures, $100 per VIX point: used when a layer needs less than one VX.
    case vxm = "VXM"
    /// A VIX call, $100 per VIX point, priced on the VX forward of its expiry.
    case vixCall = "VIX_CALL"

    public var multiplierUSD: Double {
        switch self {
        case .vx: return HedgeTarget.vxMultiplierUSD
        case .vxm: return HedgeTarget.vxmMultiplierUSD
        case .vixCall: return HedgeTarget.vixOptionMultiplierUSD
        }
    }
}

/// Which part of the VIX curve a layer uses: the maturity ladder of the hedge.
public enum HedgeMaturity: String, Hashable, Sendable {
    /// Short-dated VIX calls: convex, pay for a spike (an event, a short strike breached).
    case spike
    /// The matched-tenor VX future (expiry nearest the condor's): sustained moves.
    case sustained
    /// The monthly VX after the matched one: regime change (backwardation, breadth divergence).
    case regime
}

/// The index shape of the VIX term structure (a plain copy of the Signals module's enum, which
/// Strategy cannot import).
public enum HedgeTermShape: String, Hashable, Sendable, Codable {
    case contango, flat, backwardation
}

/// The ALVH layers, in priority order (the raw value is the trigger name in `hedge_recommendations`).
public enum HedgeLayerKind: String, Hashable, Sendable, Codable, CaseIterable {
    case base
    case rsiStress = "rsi_stress"
    case macdTurn = "macd_turn"
    case atmVolUp = "atm_vol_up"
    case termFlattening = "term_flattening"
    case backwardation
    case adDivergence = "ad_divergence"
    case event
    case deltaBreach = "delta_breach"

    /// The layer number stored in the `layer` column (0 = base).
    public var index: Int { Self.allCases.firstIndex(of: self)! }

    public var maturity: HedgeMaturity {
        switch self {
        case .base, .rsiStress, .macdTurn, .atmVolUp, .termFlattening: return .sustained
        case .backwardation, .adDivergence: return .regime
        case .event, .deltaBreach: return .spike
        }
    }
}

// MARK: - Inputs

/// The signals of one as-of date, as plain numbers (computed by the Signals stage).
public struct HedgeSignals: Hashable, Sendable {
    /// SPX RSI and the low edge of its adaptive (rolling-percentile) band.
    public var rsi: Double?
    public var rsiBandLow: Double?
    /// SPX MACD histogram today and on the previous session.
    public var spxMACDHistogram: Double?
    public var spxMACDHistogramYesterday: Double?
    /// VIX MACD histogram today and on the previous session.
    public var vixMACDHistogram: Double?
    public var vixMACDHistogramYesterday: Double?
    /// Advance/decline divergence: −1 bearish (index up, breadth down), 0 none, +1 bullish.
    public var adDivergence: Int?
    /// VIX / VIX3M (above 1: inverted index term structure).
    public var vixOverVIX3M: Double?
    /// The VX curve's shape.
    public var termShape: HedgeTermShape?
    /// The scheduled events between the as-of date and the condor's expiry.
    public var eventsInLife: [MarketEvent]
    /// Deltas of the condor's short put (negative) and short call (positive) today.
    public var shortPutDelta: Double?
    public var shortCallDelta: Double?
    /// SPX ATM implied vol now and when the condor was opened, in vol points (or both as decimals).
    public var atmVolNow: Double?
    public var atmVolAtEntry: Double?

    public init(rsi: Double? = nil, rsiBandLow: Double? = nil, spxMACDHistogram: Double? = nil,
                spxMACDHistogramYesterday: Double? = nil, vixMACDHistogram: Double? = nil,
                vixMACDHistogramYesterday: Double? = nil, adDivergence: Int? = nil, vixOverVIX3M: Double? = nil,
                termShape: HedgeTermShape? = nil, eventsInLife: [MarketEvent] = [], shortPutDelta: Double? = nil,
                shortCallDelta: Double? = nil, atmVolNow: Double? = nil, atmVolAtEntry: Double? = nil) {
        self.rsi = rsi
        self.rsiBandLow = rsiBandLow
        self.spxMACDHistogram = spxMACDHistogram
        self.spxMACDHistogramYesterday = spxMACDHistogramYesterday
        self.vixMACDHistogram = vixMACDHistogram
        self.vixMACDHistogramYesterday = vixMACDHistogramYesterday
        self.adDivergence = adDivergence
        self.vixOverVIX3M = vixOverVIX3M
        self.termShape = termShape
        self.eventsInLife = eventsInLife
        self.shortPutDelta = shortPutDelta
        self.shortCallDelta = shortCallDelta
        self.atmVolNow = atmVolNow
        self.atmVolAtEntry = atmVolAtEntry
    }
}

/// A quoted VIX call (VIX points) from the VIX option chain; used instead of the Black-76 approximation.
public struct VIXCallQuote: Hashable, Sendable {
    public var expiry: CalendarDate
    public var strike: Double
    /// Nil when the call has no bid (far out of the money): it is then marked at its ask.
    public var bid: Double?
    /// What a buy pays before slippage.
    public var ask: Double

    public init(expiry: CalendarDate, strike: Double, bid: Double?, ask: Double) {
        self.expiry = expiry
        self.strike = strike
        self.bid = bid
        self.ask = ask
    }

    /// The mark: the mid, or the ask without a bid.
    public var mid: Double { bid.map { ($0 + ask) / 2 } ?? ask }
}

/// Where a VIX call layer's price came from.
public enum HedgePriceSource: String, Hashable, Sendable, Codable {
    /// The VIX option chain's ask (plus slippage); delta from the IV solved on the VX forward.
    case quote
    /// Black-76 on the VX forward with the configured vol of vol: no usable quote for the call.
    case model
}

/// The VIX market of the as-of date that the hedge is priced on.
public struct HedgeMarket: Hashable, Sendable {
    public var asOf: CalendarDate
    public var condorExpiry: CalendarDate
    public var spotVIX: Double
    /// The VX settles of `asOf` (monthlies are used; weeklies are ignored).
    public var vxCurve: [VIXFutureSettlement]
    /// Quoted VIX calls; a call with no quote is priced by Black-76 on its VX forward with `volOfVol`.
    public var vixCallQuotes: [VIXCallQuote]

    public init(asOf: CalendarDate, condorExpiry: CalendarDate, spotVIX: Double, vxCurve: [VIXFutureSettlement],
                vixCallQuotes: [VIXCallQuote] = []) {
        self.asOf = asOf
        self.condorExpiry = condorExpiry
        self.spotVIX = spotVIX
        self.vxCurve = vxCurve
        self.vixCallQuotes = vixCallQuotes
    }
}

/// Everything `ALVH.decide` needs for one as-of date.
public struct ALVHInputs: Hashable, Sendable {
    public var market: HedgeMarket
    public var target: HedgeTarget
    public var signals: HedgeSignals
    /// False once the condor is closed or expired: every layer is taken off (no minimum hold).
    public var condorOpen: Bool

    public init(market: HedgeMarket, target: HedgeTarget, signals: HedgeSignals, condorOpen: Bool = true) {
        self.market = market
        self.target = target
        self.signals = signals
        self.condorOpen = condorOpen
    }
}

// MARK: - Configuration

/// A configuration value out of its allowed range.
public struct ALVHConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public var key: String
    public var message: String
    public var description: String { "alvh.\(key): \(message)" }
}

/// ALVH settings (config keys `alvh.*`, named as the properties).
public struct ALVHConfig: Hashable, Sendable {
    /// Share of the condor's vega (plus gamma add-on) the hedge offsets with every layer on.
    public var targetFraction = 1.0
    /// The base layer's share of the target, deployed when the condor opens (allowed 0.10…0.15).
    public var baseFraction = 0.125
    /// Each signal layer's share of the target. With the defaults all layers on sum to 1.0.
    public var layerFractions: [HedgeLayerKind: Double] = [
        .rsiStress: 0.10, .macdTurn: 0.10, .atmVolUp: 0.10, .termFlattening: 0.10,
        .backwardation: 0.125, .adDivergence: 0.10, .event: 0.10, .deltaBreach: 0.15,
    ]
    /// Sessions a layer stays on after switching on, whatever its signal does.
    public var minimumHoldSessions = 3
    /// RSI: on below the band low, off above band low + this.
    public var rsiOffMargin = 5.0
    /// VIX/VIX3M flattening: on at or above `termRatioOn`, off below `termRatioOff`.
    public var termRatioOn = 0.95
    public var termRatioOff = 0.90
    /// Backwardation layer: on at this VIX/VIX3M (or a backwardated VX curve), off back in contango.
    public var backwardationRatioOn = 1.0
    /// Event layer: on when an event of `eventKinds` inside the trade's life is at most this many
    /// calendar days ahead, off once none is.
    public var eventLeadDays = 7
    public var eventKinds: Set<String> = ["fomc", "cpi", "ppi"]
    /// Short-strike |delta|: on at or above, off below.
    public var deltaOn = 0.25
    public var deltaOff = 0.20
    /// ATM implied vol rise since entry (relative): on at or above (allowed 0.12…0.18), off at or below.
    public var volUpOn = 0.15
    public var volUpOff = 0.08
    /// Net carry plus option cost of the active layers, USD per 30 days; a layer that would take the
    /// total past it is not switched on.
    public var monthlyBudgetUSD = 15_000.0
    /// Annualized lognormal vol of the VX forward for the Black-76 VIX call approximation.
    public var volOfVol = 0.90
    /// VIX points added to a quoted call's ask when buying it (0: the ask is already the executable side).
    public var vixCallSlippagePoints = 0.0
    /// VIX call strike: the VX forward of the call's expiry plus this, rounded up to a whole point.
    public var callStrikeOffsetPoints = 5.0
    /// VIX calls expire on the first monthly VX settlement at least this many calendar days ahead.
    public var callMinimumDays = 7
    /// Gamma add-on: vol points a one-sigma SPX day adds, and the add-on's cap as a multiple of |vega|.
    public var volPointsPerSigmaDay = 1.0
    public var gammaAddOnCap = 1.0

    public init() {}

    /// The fraction of the target one layer carries.
    public func fraction(of kind: HedgeLayerKind) -> Double {
        kind == .base ? baseFraction : layerFractions[kind] ?? 0
    }

    /// Throws the first value out of range.
    public func validate() throws(ALVHConfigError) {
        func fail(_ key: String, _ message: String) -> ALVHConfigError { ALVHConfigError(key: key, message: message) }
        guard targetFraction > 0, targetFraction <= 2 else { throw fail("targetFraction", "must be in (0, 2], got \(targetFraction)") }
        guard (0.10...0.15).contains(baseFraction) else { throw fail("baseFraction", "must be in 0.10…0.15, got \(baseFraction)") }
        for (kind, f) in layerFractions where !(0...1).contains(f) {
            throw fail("layerFractions.\(kind.rawValue)", "must be in 0…1, got \(f)")
        }
        guard minimumHoldSessions >= 0 else { throw fail("minimumHoldSessions", "must be ≥ 0") }
        guard rsiOffMargin >= 0 else { throw fail("rsiOffMargin", "must be ≥ 0") }
        guard termRatioOff <= termRatioOn else { throw fail("termRatioOff", "must not exceed termRatioOn") }
        guard deltaOff <= deltaOn, deltaOn > 0, deltaOn < 1 else { throw fail("deltaOff", "need 0 < deltaOff ≤ deltaOn < 1") }
        guard (0.12...0.18).contains(volUpOn) else { throw fail("volUpOn", "must be in 0.12…0.18, got \(volUpOn)") }
        guard volUpOff < volUpOn else { throw fail("volUpOff", "must be below volUpOn") }
        guard eventLeadDays >= 0 else { throw fail("eventLeadDays", "must be ≥ 0") }
        guard monthlyBudgetUSD >= 0 else { throw fail("monthlyBudgetUSD", "must be ≥ 0") }
        guard volOfVol > 0 else { throw fail("volOfVol", "must be positive") }
        guard vixCallSlippagePoints >= 0 else { throw fail("vixCallSlippagePoints", "must be ≥ 0") }
        guard callMinimumDays >= 1 else { throw fail("callMinimumDays", "must be ≥ 1") }
        guard volPointsPerSigmaDay > 0, gammaAddOnCap >= 0 else { throw fail("volPointsPerSigmaDay", "must be positive (cap ≥ 0)") }
    }
}

// MARK: - State and decisions

/// One layer's position, carried from one as-of date to the next (persist it; pass it back as `previous`).
public struct HedgeLayerState: Hashable, Sendable, Codable {
    public var kind: HedgeLayerKind
    public var active: Bool
    /// The as-of date the layer switched on (nil when off).
    public var since: CalendarDate?
    public var quantity: Int
    public var instrument: HedgeInstrument?
    /// `VX/Q6`, or `VIX C 20 2026-08-19`.
    public var contract: String?
    public var contractExpiry: CalendarDate?
    /// The call strike, for `VIX_CALL`.
    public var strike: Double?
    /// The premium paid per call (VIX points) when the layer switched on, for `VIX_CALL`.
    public var entryPremium: Double?

    public init(kind: HedgeLayerKind, active: Bool = false, since: CalendarDate? = nil, quantity: Int = 0,
                instrument: HedgeInstrument? = nil, contract: String? = nil, contractExpiry: CalendarDate? = nil,
                strike: Double? = nil, entryPremium: Double? = nil) {
        self.kind = kind
        self.active = active
        self.since = since
        self.quantity = quantity
        self.instrument = instrument
        self.contract = contract
        self.contractExpiry = contractExpiry
        self.strike = strike
        self.entryPremium = entryPremium
    }

    public static func off(_ kind: HedgeLayerKind) -> HedgeLayerState { HedgeLayerState(kind: kind) }
}

/// Why a layer is on or off today.
public enum HedgeLayerStatus: String, Hashable, Sendable {
    /// Switched on today.
    case switchedOn = "switched_on"
    /// On yesterday and kept: the signal has not passed its off-threshold.
    case held
    /// The signal passed its off-threshold but the minimum hold is not over.
    case heldMinimum = "held_minimum"
    /// Switched off today.
    case switchedOff = "switched_off"
    /// Off, and its signal is not on.
    case off
    /// The signal is on but the layer would take the month's cost past the budget.
    case blockedByBudget = "blocked_budget"
    /// The signal is on but the layer's share rounds to 0 contracts (even in VXM or calls).
    case roundsToZero = "rounds_to_zero"
    /// An input the signal needs is missing.
    case missingInput = "missing_input"
    /// No contract to trade (no VX settle for the needed month).
    case noContract = "no_contract"
    /// The condor is not open: nothing is deployed.
    case notDeployed = "not_deployed"
}

/// One layer's decision for one as-of date: a `hedge_recommendations` row plus tomorrow's state.
public struct HedgeLayerDecision: Hashable, Sendable {
    public var layer: Int
    public var kind: HedgeLayerKind
    public var name: String { kind.rawValue }
    public var active: Bool
    public var status: HedgeLayerStatus
    public var instrument: HedgeInstrument?
    public var contract: String?
    public var contractExpiry: CalendarDate?
    public var strike: Double?
    /// Always `buy`: every ALVH layer is long volatility.
    public var side: String { "buy" }
    public var quantity: Int
    /// The VX-equivalent contracts this layer's share of the target asked for (before rounding).
    public var requestedVX: Double
    /// USD per SPX vol point this layer gains (positive: it offsets the condor's negative vega).
    public var vegaOffsetUSD: Double
    /// The trigger name (the layer kind) and the signal value that decided it.
    public var trigger: String { kind.rawValue }
    public var triggerValue: Double?
    /// The VX forward of the contract (the settle, or the call's underlying future).
    public var forward: Double?
    /// A VIX call's value today in VIX points (quoted mid or Black-76); the scenario P&L starts from it.
    public var premium: Double?
    /// A VIX call's vol for revaluation: solved from its quote on the VX forward, or the model's vol of vol.
    public var impliedVolatility: Double? = nil
    /// Where a VIX call's price came from (nil for futures).
    public var priceSource: HedgePriceSource? = nil
    /// Net carry per day in USD for futures (positive is a cost: roll-down in contango).
    public var carryUSDPerDay: Double
    /// Carry (futures) or amortized premium (calls) per 30 days, USD.
    public var carryCostUSDPerMonth: Double
    public var rationale: String
    /// What to persist and pass back tomorrow.
    public var state: HedgeLayerState
}
