import Foundation
import VixShieldCore
import VolMath

/// The Adaptive Layered VIX Hedge: which layers to hold tomorrow, in what, and how many.
///
/// One pure function of (inputs, config, yesterday's states). Each layer has an on-threshold and a
/// separate off-threshold on its own signal (hysteresis), and once on it stays on for at least
/// `minimumHoldSessions` trading sessions. A layer's quantity, instrument and contract are fixed when it
/// switches on (no daily re-sizing churn); it is rolled only when its contract is no longer listed or
/// expires. New layers switch on in priority order while the month's cost fits the budget; layers
/// already on are never liquidated for the budget (their cost is counted first).
public enum ALVH {
    /// Decides every layer (one decision per ``HedgeLayerKind``, in layer order).
    ///
    /// - Parameters:
    ///   - previous: yesterday's states (`decisions.map(\.state)`); missing kinds count as off.
    ///   - calendar: counts the sessions a layer has been held.
    /// - Precondition: `config.validate()` does not throw (check it when loading the configuration).
    public static func decide(inputs: ALVHInputs, config: ALVHConfig, previous: [HedgeLayerState],
                              calendar: TradingCalendar = .nyse) -> [HedgeLayerDecision] {
        precondition((try? config.validate()) != nil, "ALVHConfig must be validated before use")
        let prior = Dictionary(previous.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
        let asOf = inputs.market.asOf
        let pricer = LayerPricer(market: inputs.market, config: config, beta: inputs.target.beta)

        var decisions: [HedgeLayerKind: HedgeLayerDecision] = [:]
        var pending: [(HedgeLayerKind, SignalReading)] = []
        var committedCostUSD = 0.0

        // Layers already on: keep, hold, or take off. Their cost is committed before any new layer.
        for kind in HedgeLayerKind.allCases {
            let was = prior[kind] ?? .off(kind)
            let reading = inputs.condorOpen ? read(kind, inputs.signals, inputs.market, config) : .notDeployed
            guard was.active else {
                pending.append((kind, reading))
                continue
            }
            if !inputs.condorOpen {
                decisions[kind] = offDecision(kind, status: .switchedOff, value: nil,
                                              because: "condor closed: take the layer off", fraction: config.fraction(of: kind),
                                              target: inputs.target)
                continue
            }
            let held = was.since.map { calendar.tradingDayCount(from: $0, through: asOf) - 1 } ?? config.minimumHoldSessions
            let status: HedgeLayerStatus
            var note: String
            switch reading.off {
            case true? where held >= config.minimumHoldSessions:
                decisions[kind] = offDecision(kind, status: .switchedOff, value: reading.value,
                                              because: "\(reading.describe) passed its off-threshold after \(held) sessions",
                                              fraction: config.fraction(of: kind), target: inputs.target)
                continue
            case true?:
                status = .heldMinimum
                note = "\(reading.describe) passed its off-threshold, held: \(held) of \(config.minimumHoldSessions) minimum sessions"
            case false?:
                status = .held
                note = "\(reading.describe), still on"
            case nil:
                status = .held
                note = "signal input missing today, held"
            }
            guard var position = pricer.reprice(was, kind: kind, target: inputs.target, fraction: config.fraction(of: kind)) else {
                decisions[kind] = offDecision(kind, status: .noContract, value: reading.value,
                                              because: "no settle for \(was.contract ?? "its contract") and nothing to roll into",
                                              fraction: config.fraction(of: kind), target: inputs.target)
                continue
            }
            if position.rolled { note += "; rolled to \(position.state.contract ?? "")" }
            position.state.since = was.since ?? asOf
            committedCostUSD += position.carryCostUSDPerMonth
            decisions[kind] = position.decision(kind: kind, status: status, value: reading.value, note: note)
        }

        // Layers switching on, in priority order, while the month's cost fits.
        for (kind, reading) in pending {
            let fraction = config.fraction(of: kind)
            func off(_ status: HedgeLayerStatus, _ because: String) {
                decisions[kind] = offDecision(kind, status: status, value: reading.value, because: because, fraction: fraction,
                                              target: inputs.target)
            }
            guard inputs.condorOpen else { off(.notDeployed, "no open condor"); continue }
            guard let on = reading.on else { off(.missingInput, "\(reading.describe): input missing"); continue }
            guard on else { off(.off, "\(reading.describe): not triggered"); continue }
            guard fraction > 0 else { off(.roundsToZero, "\(reading.describe): layer share is 0"); continue }
            switch pricer.open(kind: kind, target: inputs.target, fraction: fraction) {
            case .noContract(let why):
                off(.noContract, "\(reading.describe): \(why)")
            case .roundsToZero(let requested, let instrument):
                off(.roundsToZero, "\(reading.describe): \(hedgeFormat(requested, 3)) VX-equivalent rounds to 0 \(instrument.rawValue)")
            case .position(var position):
                let cost = position.carryCostUSDPerMonth
                if cost > 0, committedCostUSD + cost > config.monthlyBudgetUSD {
                    var blocked = offDecision(kind, status: .blockedByBudget, value: reading.value,
                                              because: "\(reading.describe): over budget, would buy \(position.state.quantity) "
                                                  + "\(position.state.contract ?? ""): $\(hedgeFormat(committedCostUSD, 0)) committed + "
                                                  + "$\(hedgeFormat(cost, 0)) > $\(hedgeFormat(config.monthlyBudgetUSD, 0)) per month",
                                              fraction: fraction, target: inputs.target)
                    // Show what would have been bought, so the report can say what the budget cost.
                    blocked.instrument = position.state.instrument
                    blocked.contract = position.state.contract
                    blocked.carryCostUSDPerMonth = cost
                    decisions[kind] = blocked
                    continue
                }
                committedCostUSD += cost
                position.state.since = asOf
                decisions[kind] = position.decision(kind: kind, status: .switchedOn, value: reading.value,
                                                    note: "\(reading.describe): switched on")
            }
        }
        return HedgeLayerKind.allCases.map { decisions[$0]! }
    }

    static func offDecision(_ kind: HedgeLayerKind, status: HedgeLayerStatus, value: Double?, because: String,
                            fraction: Double, target: HedgeTarget) -> HedgeLayerDecision {
        HedgeLayerDecision(layer: kind.index, kind: kind, active: false, status: status, instrument: nil, contract: nil,
                           contractExpiry: nil, strike: nil, quantity: 0, requestedVX: fraction * target.vxContracts,
                           vegaOffsetUSD: 0, triggerValue: value, forward: nil, premium: nil, carryUSDPerDay: 0,
                           carryCostUSDPerMonth: 0, rationale: "\(kind.rawValue): \(because)", state: .off(kind))
    }
}

// MARK: - Signals

/// One layer's signal today: whether it says switch on, whether it has passed the off-threshold.
struct SignalReading {
    /// Nil when an input is missing.
    var on: Bool?
    var off: Bool?
    var value: Double?
    var describe: String

    static let notDeployed = SignalReading(on: false, off: true, value: nil, describe: "no open condor")
}

extension ALVH {
    static func read(_ kind: HedgeLayerKind, _ s: HedgeSignals, _ market: HedgeMarket, _ c: ALVHConfig) -> SignalReading {
        switch kind {
        case .base:
            return SignalReading(on: true, off: false, value: nil, describe: "condor open")
        case .rsiStress:
            guard let rsi = s.rsi, let low = s.rsiBandLow else { return SignalReading(describe: "RSI or its band") }
            return SignalReading(on: rsi < low, off: rsi > low + c.rsiOffMargin, value: rsi,
                                 describe: "RSI \(hedgeFormat(rsi, 1)) vs band low \(hedgeFormat(low, 1)) (off above \(hedgeFormat(low + c.rsiOffMargin, 1)))")
        case .macdTurn:
            guard let spx = s.spxMACDHistogram, let spxY = s.spxMACDHistogramYesterday else {
                return SignalReading(describe: "SPX MACD histogram")
            }
            let spxDown = spxY >= 0 && spx < 0
            var vixUp = false, vixNegative = true
            if let vix = s.vixMACDHistogram {
                vixNegative = vix <= 0
                if let vixY = s.vixMACDHistogramYesterday { vixUp = vixY <= 0 && vix > 0 }
            }
            let vixText = s.vixMACDHistogram.map { ", VIX \(hedgeFormat($0, 3))" } ?? ""
            return SignalReading(on: spxDown || vixUp, off: spx >= 0 && vixNegative, value: spx,
                                 describe: "MACD histogram SPX \(hedgeFormat(spx, 3)) (was \(hedgeFormat(spxY, 3)))\(vixText)")
        case .atmVolUp:
            guard let now = s.atmVolNow, let entry = s.atmVolAtEntry, entry > 0 else {
                return SignalReading(describe: "ATM vol now and at entry")
            }
            let rise = now / entry - 1
            return SignalReading(on: rise >= c.volUpOn, off: rise <= c.volUpOff, value: rise,
                                 describe: "ATM vol \(hedgeFormat(rise * 100, 1))% since entry (on \(hedgeFormat(c.volUpOn * 100, 0))%, off \(hedgeFormat(c.volUpOff * 100, 0))%)")
        case .termFlattening:
            guard let ratio = s.vixOverVIX3M else { return SignalReading(describe: "VIX/VIX3M") }
            return SignalReading(on: ratio >= c.termRatioOn, off: ratio < c.termRatioOff, value: ratio,
                                 describe: "VIX/VIX3M \(hedgeFormat(ratio, 3)) (on \(hedgeFormat(c.termRatioOn, 2)), off \(hedgeFormat(c.termRatioOff, 2)))")
        case .backwardation:
            guard s.termShape != nil || s.vixOverVIX3M != nil else { return SignalReading(describe: "term structure") }
            let ratio = s.vixOverVIX3M
            let on = s.termShape == .backwardation || (ratio.map { $0 >= c.backwardationRatioOn } ?? false)
            // Off back in contango (flat keeps it on: that is the hysteresis band).
            let off = s.termShape.map { $0 == .contango } ?? (ratio.map { $0 < c.termRatioOff } ?? false)
            return SignalReading(on: on, off: off, value: ratio,
                                 describe: "VX curve \(s.termShape?.rawValue ?? "?"), VIX/VIX3M \(ratio.map { hedgeFormat($0, 3) } ?? "?")")
        case .adDivergence:
            guard let d = s.adDivergence else { return SignalReading(describe: "A/D divergence") }
            return SignalReading(on: d < 0, off: d >= 0, value: Double(d), describe: "A/D divergence \(d)")
        case .event:
            let ahead = s.eventsInLife
                .filter { c.eventKinds.contains($0.kind.name) && $0.date >= market.asOf && $0.date <= market.condorExpiry }
                .min()
            guard let next = ahead else {
                return SignalReading(on: false, off: true, value: nil, describe: "no FOMC/CPI/PPI inside the trade's life")
            }
            let days = next.date.days(since: market.asOf)
            return SignalReading(on: days <= c.eventLeadDays, off: days > c.eventLeadDays, value: Double(days),
                                 describe: "\(next.kind.name) \(next.date) in \(days) days (lead \(c.eventLeadDays))")
        case .deltaBreach:
            guard s.shortPutDelta != nil || s.shortCallDelta != nil else { return SignalReading(describe: "short-strike deltas") }
            let d = max(abs(s.shortPutDelta ?? 0), abs(s.shortCallDelta ?? 0))
            return SignalReading(on: d >= c.deltaOn, off: d < c.deltaOff, value: d,
                                 describe: "short strike |delta| \(hedgeFormat(d, 3)) (on \(hedgeFormat(c.deltaOn, 2)), off \(hedgeFormat(c.deltaOff, 2)))")
        }
    }
}

extension SignalReading {
    /// A reading with a missing input.
    init(describe: String) { self.init(on: nil, off: nil, value: nil, describe: describe) }
}

// MARK: - Instruments and costs

/// A priced position for one layer.
struct LayerPosition {
    var state: HedgeLayerState
    var requestedVX: Double
    var vegaOffsetUSD: Double
    var forward: Double
    var premium: Double?
    var carryUSDPerDay: Double
    var carryCostUSDPerMonth: Double
    var rolled = false
    /// For calls: the vol it is revalued with, where its price came from, and the words for the rationale.
    var impliedVolatility: Double? = nil
    var priceSource: HedgePriceSource? = nil
    var priceNote: String? = nil

    func decision(kind: HedgeLayerKind, status: HedgeLayerStatus, value: Double?, note: String) -> HedgeLayerDecision {
        var s = state
        s.active = true
        let what = "buy \(s.quantity) \(s.contract ?? "") (\(kind.maturity.rawValue))"
        let rationale = "\(kind.rawValue): \(note); \(what), offsets $\(hedgeFormat(vegaOffsetUSD, 0))/SPX vol pt, "
            + "cost $\(hedgeFormat(carryCostUSDPerMonth, 0))/month" + (priceNote.map { "; \($0)" } ?? "")
        return HedgeLayerDecision(layer: kind.index, kind: kind, active: true, status: status, instrument: s.instrument,
                                  contract: s.contract, contractExpiry: s.contractExpiry, strike: s.strike, quantity: s.quantity,
                                  requestedVX: requestedVX, vegaOffsetUSD: vegaOffsetUSD, triggerValue: value, forward: forward,
                                  premium: premium, impliedVolatility: impliedVolatility, priceSource: priceSource,
                                  carryUSDPerDay: carryUSDPerDay, carryCostUSDPerMonth: carryCostUSDPerMonth,
                                  rationale: rationale, state: s)
    }
}

enum OpenResult {
    case position(LayerPosition)
    case roundsToZero(requestedVX: Double, instrument: HedgeInstrument)
    case noContract(String)
}

/// Chooses and prices contracts on one day's VIX market.
struct LayerPricer {
    var market: HedgeMarket
    var config: ALVHConfig
    var beta: Double

    var monthlies: [VIXFutureSettlement] {
        market.vxCurve.filter { !$0.isWeekly && $0.expiry > market.asOf }.sorted { $0.expiry < $1.expiry }
    }

    /// The future a layer of this maturity trades, or the future a call's forward comes from.
    func future(for maturity: HedgeMaturity) -> VIXFutureSettlement? {
        switch maturity {
        case .sustained:
            return HedgeBeta.matchedContract(curve: market.vxCurve, tradeDate: market.asOf, condorExpiry: market.condorExpiry)
        case .regime:
            guard let matched = future(for: .sustained) else { return nil }
            return monthlies.first { $0.expiry > matched.expiry } ?? matched
        case .spike:
            return monthlies.first { $0.expiry.days(since: market.asOf) >= config.callMinimumDays }
        }
    }

    /// A new position for `fraction` of the target.
    func open(kind: HedgeLayerKind, target: HedgeTarget, fraction: Double) -> OpenResult {
        let requested = fraction * target.vxContracts
        guard let future = future(for: kind.maturity) else {
            return .noContract("no VX settle for the \(kind.maturity.rawValue) maturity on \(market.asOf)")
        }
        if kind.maturity == .spike {
            let strike = callStrike(future: future)
            let call = callTerms(future: future, strike: strike)
            guard call.delta > 1e-4 else { return .roundsToZero(requestedVX: requested, instrument: .vixCall) }
            // Calls bought so their VX delta matches the requested VX exposure: n·δ·$100 = E·$1,000.
            // Checked: a non-finite or absurd request must not trap (it rounds to no position instead).
            guard let quantity = Int(truncatingIfRepresentable: (requested * HedgeTarget.vxMultiplierUSD / (call.delta * HedgeTarget.vixOptionMultiplierUSD)).rounded()),
                  quantity > 0 else { return .roundsToZero(requestedVX: requested, instrument: .vixCall) }
            let state = HedgeLayerState(kind: kind, active: true, quantity: quantity, instrument: .vixCall,
                                        contract: Self.callSymbol(strike: strike, expiry: future.expiry),
                                        contractExpiry: future.expiry, strike: strike, entryPremium: call.cost)
            return .position(price(state, future: future, requested: requested))
        }
        // VX for a layer of at least one VX, mini VXM (one tenth) below that.
        let instrument: HedgeInstrument = requested >= 1 ? .vx : .vxm
        guard let quantity = Int(truncatingIfRepresentable: (requested * HedgeTarget.vxMultiplierUSD / instrument.multiplierUSD).rounded()),
              quantity > 0 else { return .roundsToZero(requestedVX: requested, instrument: instrument) }
        let symbol = instrument == .vx ? future.symbol : "VXM" + future.symbol.dropFirst(2)
        let state = HedgeLayerState(kind: kind, active: true, quantity: quantity, instrument: instrument, contract: symbol,
                                    contractExpiry: future.expiry)
        return .position(price(state, future: future, requested: requested))
    }

    /// Yesterday's position on today's prices; rolled into today's selection when its contract expired or
    /// is not on today's curve. Nil when there is nothing to price it on.
    func reprice(_ held: HedgeLayerState, kind: HedgeLayerKind, target: HedgeTarget, fraction: Double) -> LayerPosition? {
        let requested = fraction * target.vxContracts
        let future = monthlies.first { $0.expiry == held.contractExpiry }
        guard let future, held.quantity > 0, held.instrument != nil else {
            guard case .position(var rolled) = open(kind: kind, target: target, fraction: fraction) else { return nil }
            rolled.rolled = true
            return rolled
        }
        var state = held
        state.active = true
        return price(state, future: future, requested: requested)
    }

    /// Vega offset and cost of a position on `future`.
    ///
    /// Futures: carry per day = (VX settle − spot VIX) / days to expiry × multiplier × quantity, the
    /// roll-down a long future loses each day if spot stays put (a gain in backwardation); per month = × 30.
    /// Calls: the premium paid at entry, amortized as premium × $100 × quantity × 30 / max(days to expiry, 30).
    func price(_ state: HedgeLayerState, future: VIXFutureSettlement, requested: Double) -> LayerPosition {
        let q = Double(state.quantity)
        let days = max(future.expiry.days(since: market.asOf), 1)
        switch state.instrument ?? .vx {
        case .vixCall:
            let call = callTerms(future: future, strike: state.strike ?? future.settle)
            let offset = q * HedgeTarget.vixOptionMultiplierUSD * call.delta * beta
            // The premium paid is the cost (a held call's rise in value is hedge P&L, not cost).
            let paid = state.entryPremium ?? call.cost
            let monthly = paid * HedgeTarget.vixOptionMultiplierUSD * q * 30 / Double(max(days, 30))
            return LayerPosition(state: state, requestedVX: requested, vegaOffsetUSD: offset, forward: future.settle,
                                 premium: call.premium, carryUSDPerDay: monthly / 30, carryCostUSDPerMonth: monthly,
                                 impliedVolatility: call.volatility, priceSource: call.source, priceNote: call.note)
        case let instrument:
            let multiplier = instrument.multiplierUSD
            let perDay = (future.settle - market.spotVIX) / Double(days) * multiplier * q
            return LayerPosition(state: state, requestedVX: requested, vegaOffsetUSD: q * multiplier * beta,
                                 forward: future.settle, premium: nil, carryUSDPerDay: perDay, carryCostUSDPerMonth: perDay * 30)
        }
    }

    /// A VIX call's terms on the day: `premium` its mark (quoted mid, else Black-76), `cost` what a buy pays
    /// (quoted ask + slippage, else the model price), `delta` the Black-76 delta at `volatility`.
    struct CallTerms {
        var premium: Double
        var cost: Double
        var delta: Double
        var volatility: Double
        var source: HedgePriceSource
        var note: String
    }

    /// The call strike: the VX forward plus the offset; on a quoted chain the lowest listed strike at or
    /// above it (VIX strikes step by 1, then 2.5 and 5), else that level rounded up to a whole point.
    func callStrike(future: VIXFutureSettlement) -> Double {
        let level = future.settle + config.callStrikeOffsetPoints
        let listed = market.vixCallQuotes.filter { $0.expiry == future.expiry && $0.strike >= level - 1e-9 }.map(\.strike)
        return listed.min() ?? level.rounded(.up)
    }

    /// Quoted when the chain has the call: the buy pays the ask plus `vixCallSlippagePoints`, and delta (and the
    /// scenario's revaluation vol) come from the implied vol of the mid solved by Black-76 on the VX forward
    /// (undiscounted: the premium is paid up front, the discount over a few weeks is noise next to a tick).
    /// Otherwise Black-76 on the VX forward with `volOfVol`, and the rationale says so.
    func callTerms(future: VIXFutureSettlement, strike: Double) -> CallTerms {
        let t = Double(max(future.expiry.days(since: market.asOf), 0)) / 365
        func delta(_ volatility: Double) -> Double {
            let stdDev = volatility * t.squareRoot()
            return stdDev > 0 ? Black76.normalCDF(log(future.settle / strike) / stdDev + stdDev / 2) : (future.settle > strike ? 1 : 0)
        }
        let contract = Self.callSymbol(strike: strike, expiry: future.expiry)
        if let quote = market.vixCallQuotes.first(where: { $0.expiry == future.expiry && $0.strike == strike }), t > 0 {
            let solved = try? ImpliedVolatility.stdDev(undiscountedPrice: quote.mid, right: .call, forward: future.settle, strike: strike)
            let volatility = solved.map { $0 / t.squareRoot() } ?? config.volOfVol
            let cost = quote.ask + config.vixCallSlippagePoints
            let ivText = solved == nil ? "IV not solvable from the mid, vol of vol \(hedgeFormat(config.volOfVol, 2))"
                                       : "IV \(hedgeFormat(volatility * 100, 1)) % on VX \(hedgeFormat(future.settle, 2))"
            return CallTerms(premium: quote.mid, cost: cost, delta: delta(volatility), volatility: volatility, source: .quote,
                             note: "priced at the quoted ask \(hedgeFormat(quote.ask, 2)) + \(hedgeFormat(config.vixCallSlippagePoints, 2)) slippage"
                                 + " (\(contract), \(ivText))")
        }
        let model = Black76.undiscountedPrice(right: .call, forward: future.settle, strike: strike, stdDev: config.volOfVol * t.squareRoot())
        return CallTerms(premium: model, cost: model, delta: delta(config.volOfVol), volatility: config.volOfVol, source: .model,
                         note: "model price: Black-76 on VX \(hedgeFormat(future.settle, 2)) at vol of vol \(hedgeFormat(config.volOfVol, 2))"
                             + " (no VIX option quote for \(contract))")
    }

    /// `VIX C 20 2026-08-19`.
    static func callSymbol(strike: Double, expiry: CalendarDate) -> String {
        "VIX C \(hedgeFormat(strike, strike == strike.rounded() ? 0 : 1)) \(expiry.isoString)"
    }
}

/// Fixed-point text for rationales (no Foundation formatting in pure code).
func hedgeFormat(_ x: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    // Beyond 1e15 (and for NaN/inf) the plain description is exact enough, and Int(_:) below would trap.
    guard x.isFinite, abs(x) * scale < 1e15 else { return "\(x)" }
    let r = (abs(x) * scale).rounded()
    let whole = Int(r / scale), frac = Int(r - Double(whole) * scale)
    let sign = x < 0 && r > 0 ? "-" : ""
    guard digits > 0 else { return "\(sign)\(whole)" }
    let f = String(frac)
    return "\(sign)\(whole).\(String(repeating: "0", count: digits - f.count))\(f)"
}
