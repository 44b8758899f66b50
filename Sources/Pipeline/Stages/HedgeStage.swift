import Foundation
import Store
import Strategy
import VixShieldCore

/// The Adaptive Layered VIX Hedge: each night, for every open condor of the paper book (tonight's rank-1
/// trades and those still open from earlier nights), the layers ALVH keeps on, switches on or off, from the
/// stored signals, context, VX curve and yesterday's layers. Cross-date: hysteresis and the minimum hold
/// need the previous night's state, so it runs in date order. The hedge's P&L is added to tonight's
/// scenario grids.
struct HedgeStage: CrossDateStage {
    struct Output: Sendable {
        var layers: [HedgeRecommendationRecord]
        var scenarioCells: [(profile: String, rank: Int, cells: [(horizon: String, spxMovePct: Double, volShockPoints: Double, hedgePnlUsd: Double?)])]
    }

    static let name = StageName.hedge
    static let inputs: [StageName] = [.recommend, .signals, .context, .positions]
    /// Sessions of history the VX beta is estimated from.
    static let betaWindowDays = 180

    /// The ATM-vol and VX histories of the beta window, kept across the pass.
    let atmHistory = PassHistory.atmVolatility()
    let vxSettleHistory = PassHistory.vixFutures()
    /// The night's open book, shared with the positions stage of the standard list.
    var book = HistoryInputs.OpenBookMemo()

    func run(date: CalendarDate, config: PipelineConfig, store: VixShieldDatabase, runId: Int64) throws(StageFailure) -> StageResult<Output> {
        var result = StageResult(output: Output(layers: [], scenarioCells: []))
        do {
            let underlying = config.underlying
            let tonight = try store.recommendations(from: date, through: date).filter { $0.underlying == underlying && $0.status == "trade" && $0.rank == 1 }
            let (open, _) = try book.openBook(store: store, underlying: underlying, on: date)
            let condors = open + tonight.map { HistoryInputs.BookPosition(recommendation: $0, fill: nil) }
            guard !condors.isEmpty else { return result }
            let curveRows = try store.vixFutures(tradeDate: date)
            let curve = curveRows.compactMap(HistoryInputs.settlement)
            guard let spotVIX = try store.indexHistory(symbol: "VIX", from: date, through: date).first?.close, !curve.isEmpty else {
                result.diagnostics.append(Diagnostic(.warning, "hedge", "no VIX close or VX curve on \(date): no hedge layers decided"))
                return result
            }
            let vixCalls = try Self.vixCallQuotes(store: store, date: date, curve: curve, diagnostics: &result.diagnostics)
            let previousDay = TradingCalendar.nyse.previousTradingDay(before: date)
            let yesterday = try store.hedgeLayerStates(asOf: previousDay, underlying: underlying)
            let signals = try Self.marketSignals(date: date, config: config, store: store)
            let windowStart = date.adding(days: -Self.betaWindowDays * 7 / 5)
            let atm = try atmHistory.values(store: store, series: underlying, from: windowStart, through: date)
            let vxHistory = try vxSettleHistory.ordered(store: store, series: "VX", from: windowStart, through: date).joined()
            let spot = try store.indexHistory(symbol: underlying, from: date, through: date).first?.close
            let events = try store.events().compactMap(HistoryInputs.event).filter { HistoryInputs.pricedEventKinds.contains($0.kind) }
            // Every short leg's delta in one read (per-condor reads here and in the positions stage were a fifth
            // of the pass).
            let deltas = try store.quotes(asOf: date, underlying: underlying,
                                          symbols: condors.flatMap { [$0.recommendation.shortPutSymbol, $0.recommendation.shortCallSymbol] }.compactMap { $0 })
            // Tonight's scenario grids, read once for the condors opened tonight.
            let tonightsCells = tonight.isEmpty ? [] : try store.scenarios(asOf: date, underlying: underlying)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let atmVolPoints = atm.mapValues { $0 * 100 }
            var betas: [String: HedgeBetaChoice] = [:]
            /// The beta of the VX contract `symbol` on ATM vol changes over the stored window. It depends on the
            /// contract alone, so it is estimated once per contract a night (a book of ~40 condors matches a few).
            func vxBeta(of symbol: String?) -> HedgeBetaChoice {
                if let known = betas[symbol ?? ""] { return known }
                var settles: [CalendarDate: Double] = [:]
                for row in vxHistory where row.symbol == symbol { if let d = CalendarDate(iso: row.tradeDate) { settles[d] = row.settle } }
                let paired = HedgeBeta.pairedChanges(vxSettles: settles, atmVols: atmVolPoints)
                let chosen = HedgeBeta.choose(estimate: HedgeBeta.estimate(vxChanges: paired.vxChanges, atmVolChanges: paired.atmVolChanges))
                betas[symbol ?? ""] = chosen
                return chosen
            }
            for position in condors {
                let r = position.recommendation
                // A filled position's greeks are the recommendation's scaled to the filled size.
                guard let expiry = r.expiry.flatMap(CalendarDate.init(iso:)), let opened = CalendarDate(iso: r.asOf),
                      let vega = r.netVega.map({ $0 * position.sizeScale }), let gamma = r.netGamma.map({ $0 * position.sizeScale }) else { continue }
                // Beta of the VX contract matched to the condor's expiry on ATM vol changes, over stored history.
                let matched = HedgeBeta.matchedContract(curve: curve, tradeDate: date, condorExpiry: expiry)
                let beta = vxBeta(of: matched?.symbol)
                let atmNow = atm[date]
                let target = HedgeTarget.compute(netVegaUSD: vega, netGammaUSD: gamma, spot: spot ?? 0, atmVolatility: atmNow ?? 0,
                                                 beta: beta.beta, config: config.hedge)
                var s = signals
                s.eventsInLife = events.filter { $0.date > date && $0.date <= expiry }
                s.shortPutDelta = r.shortPutSymbol.flatMap { deltas[$0]?.delta ?? nil }
                s.shortCallDelta = r.shortCallSymbol.flatMap { deltas[$0]?.delta ?? nil }
                s.atmVolNow = atmNow
                s.atmVolAtEntry = atm[opened]
                let key = "\(r.asOf)|\(r.profile)|\(r.rank)"
                let previous = opened == date ? [] : (yesterday[key] ?? []).compactMap { json in
                    json.flatMap { try? JSONDecoder().decode(HedgeLayerState.self, from: Data($0.utf8)) }
                }
                let inputs = ALVHInputs(market: HedgeMarket(asOf: date, condorExpiry: expiry, spotVIX: spotVIX, vxCurve: curve,
                                                            vixCallQuotes: vixCalls),
                                        target: target, signals: s, condorOpen: expiry > date)
                let decisions = ALVH.decide(inputs: inputs, config: config.hedge, previous: previous)
                for d in decisions {
                    let state = try String(decoding: encoder.encode(d.state), as: UTF8.self)
                    result.output.layers.append(HedgeRecommendationRecord(
                        asOf: date.isoString, forDate: TradingCalendar.nyse.nextTradingDay(after: date).isoString, underlying: underlying,
                        profile: r.profile, condorAsOf: r.asOf, rank: r.rank, layer: d.layer, layerName: d.name, active: d.active,
                        activeSince: d.state.since?.isoString, instrument: d.instrument?.rawValue ?? "none", contract: d.contract ?? "",
                        side: d.side, quantity: d.quantity, vegaOffset: RecommendStage.rounded(d.vegaOffsetUSD, 2), trigger: d.trigger,
                        triggerValue: d.triggerValue, carryCostUsd: RecommendStage.rounded(d.carryCostUSDPerMonth, 2),
                        beta: RecommendStage.rounded(beta.beta, 6), rationale: "\(d.rationale) (beta \(beta.label))", stateJson: state,
                        premium: d.instrument == .vixCall ? d.state.entryPremium.map { RecommendStage.rounded($0, 4) } : nil,
                        priceSource: d.instrument == .vixCall ? d.priceSource?.rawValue : nil, runId: runId))
                }
                if opened == date {
                    result.output.scenarioCells.append((r.profile, r.rank, Self.scenarioHedge(cells: tonightsCells, date: date, row: r, decisions: decisions,
                                                                                             beta: beta.beta, spotVIX: spotVIX, expiry: expiry)))
                }
            }
        } catch {
            throw StageFailure("hedge: \(error)")
        }
        result.counts["hedge_layers_active"] = result.output.layers.filter(\.active).count
        return result
    }

    func write(_ output: Output, date: CalendarDate, config: PipelineConfig, to tx: StoreTransaction) throws {
        try tx.replaceHedges(asOf: date, underlying: config.underlying, rows: output.layers)
        try tx.clearScenarioHedgePnl(asOf: date, underlying: config.underlying)
        for c in output.scenarioCells {
            try tx.setScenarioHedgePnl(asOf: date, underlying: config.underlying, profile: c.profile, rank: c.rank, cells: c.cells)
        }
    }

    /// The hedge's P&L in each cell of the condor's grid, out of `cells` (tonight's grids of the underlying): a
    /// shock of s SPX ATM vol points moves the VIX by about s points and the matched VX by beta · s.
    static func scenarioHedge(cells: [ScenarioRecord], date: CalendarDate, row: RecommendationRecord, decisions: [HedgeLayerDecision],
                              beta: Double, spotVIX: Double, expiry: CalendarDate) -> [(horizon: String, spxMovePct: Double, volShockPoints: Double, hedgePnlUsd: Double?)] {
        cells.filter { $0.profile == row.profile && $0.rank == row.rank }.map { cell in
            let days = cell.horizon == CondorScenarios.Horizon.nextDay.rawValue ? 1 : max(expiry.days(since: date), 1)
            let pnl = HedgeScenario.pnlUSD(layers: decisions, vixChangePoints: cell.volShockPoints,
                                           vxChangePoints: HedgeScenario.vxChange(atmVolChangePoints: cell.volShockPoints, beta: beta),
                                           horizonDays: days, asOf: date, spotVIX: spotVIX)
            return (cell.horizon, cell.spxMovePct, cell.volShockPoints, RecommendStage.rounded(pnl, 2))
        }
    }

    /// Tonight's quoted VIX calls from the stored VIX option chain (underlying `VIX`, clean quotes only), after
    /// checking each expiry's parity-implied forward against its VX settle (a warning when they disagree). No
    /// chain stored (the optional `vix_chain` source was absent): no quotes, and the calls are model-priced.
    static func vixCallQuotes(store: VixShieldDatabase, date: CalendarDate, curve: [VIXFutureSettlement],
                              diagnostics: inout [Diagnostic]) throws -> [VIXCallQuote] {
        let rows = try store.optionMarks(asOf: date, underlying: "VIX")
        guard !rows.isEmpty else {
            diagnostics.append(Diagnostic(.info, "hedge", "no VIX option chain stored for \(date): VIX calls priced by the Black-76 model"))
            return []
        }
        let quotes = rows.compactMap { q -> VIXOptionQuote? in
            guard let expiry = CalendarDate(iso: q.expiry), let right = OptionRight(rawValue: q.optionType) else { return nil }
            return VIXOptionQuote(expiry: expiry, right: right, strike: q.strike, bid: q.bid, ask: q.ask, clean: q.flags == 0)
        }
        let (calls, checks) = VIXOptionMarket.hedgeQuotes(quotes, curve: curve, asOf: date)
        for c in checks where !c.agrees {
            diagnostics.append(Diagnostic(.warning, "vix_chain", "\(c.expiry): parity-implied forward \(RecommendStage.rounded(c.parityForward ?? 0, 3)) "
                                          + "differs from the VX settle \(c.vxSettle) by more than \(VIXOptionMarket.forwardToleranceDefault) points "
                                          + "(\(c.pairs) pairs); the VX settle is used"))
        }
        return calls
    }

    /// Tonight's market-wide signals from stored indicators and context.
    static func marketSignals(date: CalendarDate, config: PipelineConfig, store: VixShieldDatabase) throws -> HedgeSignals {
        let from = date.adding(days: -10)
        let spx = try store.indicators(symbol: "SPX", from: from, through: date)
        let vix = try store.indicators(symbol: "VIX", from: from, through: date)
        func today(_ rows: [IndicatorRecord]) -> IndicatorRecord? { rows.last { $0.date == date.isoString } }
        func before(_ rows: [IndicatorRecord]) -> IndicatorRecord? { rows.last { $0.date < date.isoString } }
        let context = try store.volContext(asOf: date, underlying: config.underlying)
        return HedgeSignals(rsi: today(spx)?.rsi14, rsiBandLow: today(spx)?.rsiBandLow, spxMACDHistogram: today(spx)?.macdHistogram,
                            spxMACDHistogramYesterday: before(spx)?.macdHistogram, vixMACDHistogram: today(vix)?.macdHistogram,
                            vixMACDHistogramYesterday: before(vix)?.macdHistogram, adDivergence: today(spx)?.adDivergence,
                            vixOverVIX3M: context?.vixOverVix3m, termShape: context?.termShape.flatMap(HedgeTermShape.init(rawValue:)))
    }
}
