import Foundation
import Store
import Strategy
import VixShieldCore
import VolMath

/// Turns the surface into next-day condor recommendations per profile, or `no_trade` rows that name the
/// reasons the runner collected (missing or stale inputs, a failed gate) or the strategy's own.
struct RecommendStage: DailyStage {
    struct Output: Sendable {
        var rows: [RecommendationRecord]
        var scenarios: [ScenarioRecord] = []
        var parity: [ParitySignalRecord] = []
    }

    static let name = StageName.recommend
    static let inputs: [StageName] = [.normalize, .surface, .signals, .project]

    func run(_ day: DayContext) throws(StageFailure) -> StageResult<Output> {
        let config = day.config
        guard day.noTradeReasons.isEmpty, let built = day.output(of: SurfaceStage.self).built else {
            let reasons = day.noTradeReasons.isEmpty ? [NoTradeReason.noChain(underlying: config.underlying)] : day.noTradeReasons
            let rows = config.profileNames.map { Self.noTradeRow(day, profile: $0, rank: 1, reasons: reasons) }
            return StageResult(output: Output(rows: rows), counts: ["recommendations": rows.count, "trades": 0])
        }
        let expiries = built.tradableExpiries()
        let excluded = built.excludedExpiries()
        var diagnostics: [Diagnostic] = []
        var rows: [RecommendationRecord] = []
        var scenarios: [ScenarioRecord] = []
        let calendar = EventCalendar(day.output(of: NormalizeStage.self).day.events.flatMap(\.rows))
        let projected = day.output(of: ProjectStage.self).projections.filter { $0.horizon == "next_session" && $0.scenario == "sticky_moneyness" }
        // The projected next-session 1-SD move to an expiry (the first settlement of that date).
        func expectedMove(_ expiry: CalendarDate) -> Double? { projected.first { $0.expiryTime.hasPrefix(expiry.isoString) }?.expectedMovePoints }
        for profile in config.profiles {
            let window = Self.window(excluded: excluded, expiries: expiries, profile: profile.name, diagnostics: &diagnostics) {
                profile.admits(root: $0, expiry: $1, tradeDate: day.forDate)
            }
            let decisions = BaselineCondor.recommend(
                tradeDate: day.forDate, expiries: expiries.map { ($0.chain, $0.distribution as any TerminalDistribution) },
                profile: profile, sizing: config.sizing)
            for (i, decision) in decisions.enumerated() {
                switch decision {
                case .trade(let condor):
                    var row = Self.tradeRow(day, profile: profile.name, rank: i + 1, condor: condor, multiplier: config.sizing.multiplierUSD)
                    row.eventsInLife = Self.eventList(calendar.events(from: day.forDate, through: condor.expiry, kinds: HistoryInputs.pricedEventKinds))
                    row.expectedMovePoints = expectedMove(condor.expiry).map { Self.rounded($0, 2) }
                    rows.append(row)
                    if i == 0, let e = expiries.first(where: { $0.chain.root == condor.root && $0.chain.expiry == condor.expiry }) {
                        scenarios += Self.scenarioRows(day, profile: profile.name, rank: 1, condor: condor, expiry: e, multiplier: config.sizing.multiplierUSD)
                    }
                case .noTrade(let text):
                    let reason = window.reason(describing: Self.window(profile), otherwise: window.tradable ? .noCandidate(text) : .noExpiryInWindow(text))
                    rows.append(Self.noTradeRow(day, profile: profile.name, rank: i + 1, reasons: [reason]))
                }
            }
        }
        // Scored profiles: the real-world density is the fitted slice with its variance scaled by realized
        // over implied (the measured variance risk premium).
        let ratio = Self.realizedOverImplied(day: day, built: built)
        if let ratio {
            diagnostics.append(Diagnostic(.info, "recommend", "variance risk premium: forecast realized / implied 30-day variance = \(Self.rounded(ratio, 3))"
                                          + (ratio >= 1 ? " (no premium to sell: scored condors need realized below implied)" : "")))
        } else if !config.scoredProfiles.isEmpty {
            diagnostics.append(Diagnostic(.warning, "recommend", "no 21-day realized vol or 30-day index: scored profiles use no variance risk premium"))
        }
        let candidates = expiries.map { e in
            CandidateExpiry(chain: e.chain,
                            realWorld: CondorSearch.varianceAdjusted(parameters: e.distribution.parameters, forward: e.distribution.forward,
                                                                     realizedOverImpliedVarianceRatio: ratio ?? 1),
                            expectedMovePoints: expectedMove(e.chain.expiry),
                            events: calendar.events(from: day.forDate, through: e.chain.expiry, kinds: HistoryInputs.pricedEventKinds))
        }
        for profile in config.scoredProfiles {
            let window = Self.window(excluded: excluded, expiries: expiries, profile: profile.name, diagnostics: &diagnostics) {
                profile.admits(root: $0, expiry: $1, tradeDate: day.forDate)
            }
            switch CondorSearch.rank(tradeDate: day.forDate, expiries: candidates, profile: profile, sizing: config.sizing) {
            case .success(let ranked):
                for (i, s) in ranked.enumerated() {
                    var row = Self.tradeRow(day, profile: profile.name, rank: i + 1, condor: s.condor, multiplier: config.sizing.multiplierUSD)
                    row.score = Self.rounded(s.score, 6)
                    row.annualizedReturn = Self.rounded(s.annualizedReturn, 6)
                    row.eventsInLife = Self.eventList(s.events)
                    row.expectedMovePoints = candidates.first { $0.chain.root == s.condor.root && $0.chain.expiry == s.condor.expiry }?
                        .expectedMovePoints.map { Self.rounded($0, 2) }
                    rows.append(row)
                    if i == 0, let e = expiries.first(where: { $0.chain.root == s.condor.root && $0.chain.expiry == s.condor.expiry }) {
                        scenarios += Self.scenarioRows(day, profile: profile.name, rank: 1, condor: s.condor, expiry: e,
                                                       multiplier: config.sizing.multiplierUSD)
                    }
                }
            case .failure(let reason):
                let why = window.reason(describing: "\(profile.name) (\(profile.dteRange.lowerBound)-\(profile.dteRange.upperBound) days)",
                                        otherwise: reason)
                rows.append(Self.noTradeRow(day, profile: profile.name, rank: 1, reasons: [why]))
            }
        }
        // Conversions, reversals and boxes that pay more than their bid/ask costs: stored as signals.
        let parity = ParityScan.scan(expiries.map(\.chain)).map { f in
            ParitySignalRecord(asOf: day.date.isoString, underlying: config.underlying, expiry: f.expiry.isoString, root: f.root,
                               kind: f.kind.rawValue, strikeLow: f.lowerStrike, strikeHigh: f.upperStrike,
                               edgePoints: Self.rounded(f.edgePoints, 4))
        }.filter { $0.edgePoints > 0 }
        return StageResult(output: Output(rows: rows, scenarios: scenarios, parity: parity), diagnostics: diagnostics,
                           counts: ["recommendations": rows.count, "trades": rows.filter { $0.status == "trade" }.count])
    }

    func write(_ output: Output, day: DayContext, to tx: StoreTransaction) throws {
        // Hedge layers of this night go with the condors they protect (the hedge stage decides them again).
        try tx.replaceRecommendations(asOf: day.date, underlying: day.config.underlying, rows: output.rows, hedges: [])
        try tx.replaceScenarios(asOf: day.date, underlying: day.config.underlying, rows: output.scenarios)
        try tx.replaceParitySignals(asOf: day.date, underlying: day.config.underlying, rows: output.parity)
    }

    /// The condor's grid without its hedge (the hedge stage adds the hedge's P&L to the same cells).
    static func scenarioRows(_ day: DayContext, profile: String, rank: Int, condor: IronCondor,
                             expiry: (chain: ExpiryChain, distribution: RiskNeutralDistribution), multiplier: Double) -> [ScenarioRecord] {
        let smile = expiry.distribution.parameters
        return CondorScenarios.grid(condor: condor, forward: expiry.chain.forward, timeToExpiryYears: expiry.chain.timeToExpiryYears,
                                    discount: expiry.chain.discount, smile: { smile.totalVariance(atLogMoneyness: $0) },
                                    multiplierUSD: multiplier).map { p in
            let pnl = rounded(p.condorPnlUSD, 2)
            return ScenarioRecord(asOf: day.date.isoString, underlying: day.config.underlying, profile: profile, rank: rank,
                                  horizon: p.horizon.rawValue, spxMovePct: p.spxMovePercent, volShockPoints: p.volShockPoints,
                                  condorPnlUsd: pnl, hedgePnlUsd: nil, totalPnlUsd: pnl)
        }
    }

    /// Forecast realized variance over the pipeline's own 30-day implied variance: the measured variance risk
    /// premium. The forecast is a HAR-style equal blend (Corsi 2009) of the 10-, 21- and 252-session
    /// close-to-close realized variances of SPX, so one turbulent month neither erases nor invents the premium.
    static func realizedOverImplied(day: DayContext, built: BuiltSurface) -> Double? {
        guard let index = built.surface.index30Day, index > 0,
              let spx = day.output(of: SignalsStage.self).indicators.first(where: { $0.symbol == "SPX" }),
              let rv10 = spx.rvCc10, let rv21 = spx.rvCc21 else { return nil }
        var parts = [rv10 * rv10, rv21 * rv21]
        let today = day.output(of: NormalizeStage.self).day.bars.flatMap(\.rows)
        if let closes = try? HistoryInputs.closes(symbol: "SPX", through: day.date, store: day.store, today: today), closes.count > 252 {
            let last = Array(closes.values.suffix(253))
            let returns = zip(last.dropFirst(), last).map { log($0 / $1) }
            let mean = returns.reduce(0, +) / Double(returns.count)
            parts.append(returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1) * 252)
        }
        let forecast = parts.reduce(0, +) / Double(parts.count)
        return forecast / ((index / 100) * (index / 100))
    }

    /// What a profile's window held: the expiries excluded from it (each reported as a diagnostic) and
    /// whether any tradable expiry is in it.
    struct WindowContents {
        var excluded: [ExpiryExclusion]
        var tradable: Bool

        /// `expiriesExcluded` when the window held only excluded expiries (the real cause), else `otherwise`.
        func reason(describing window: String, otherwise: NoTradeReason) -> NoTradeReason {
            !tradable && !excluded.isEmpty ? .expiriesExcluded(window: window, excluded) : otherwise
        }
    }

    static func window(excluded: [ExpiryExclusion], expiries: [(chain: ExpiryChain, distribution: RiskNeutralDistribution)], profile: String,
                       diagnostics: inout [Diagnostic], admits: (String, CalendarDate) -> Bool) -> WindowContents {
        let inWindow = excluded.filter { admits($0.root, $0.expiry) }
        for e in inWindow { diagnostics.append(Diagnostic(.info, "profile \(profile)", "expiry \(e) excluded")) }
        return WindowContents(excluded: inWindow, tradable: expiries.contains { admits($0.chain.root, $0.chain.expiry) })
    }

    static func eventList(_ events: [MarketEvent]) -> String { events.map { "\($0.kind) \($0.date)" }.joined(separator: ", ") }

    static func window(_ profile: CondorProfile) -> String {
        "\(profile.name) (\(profile.monthlyOnly ? "standard monthly, " : "")\(profile.dteRange.lowerBound)-\(profile.dteRange.upperBound) days)"
    }

    static func noTradeRow(_ day: DayContext, profile: String, rank: Int, reasons: [NoTradeReason]) -> RecommendationRecord {
        let line = NoTradeReason.line(reasons)
        var row = RecommendationRecord(asOf: day.date.isoString, forDate: day.forDate.isoString, underlying: day.config.underlying,
                                       profile: profile, rank: rank, status: "no_trade", reason: line,
                                       rationale: "No trade for \(day.forDate): \(line)", runId: day.runId)
        row.reasonCode = reasons.first?.code
        return row
    }

    static func tradeRow(_ day: DayContext, profile: String, rank: Int, condor c: IronCondor, multiplier: Double) -> RecommendationRecord {
        var row = RecommendationRecord(asOf: day.date.isoString, forDate: day.forDate.isoString, underlying: day.config.underlying,
                                       profile: profile, rank: rank, status: "trade", reason: nil, rationale: c.rationale,
                                       runId: day.runId)
        row.expiry = c.expiry.isoString
        row.dte = c.daysToExpiry
        row.root = c.root
        row.longPut = c.longPut.strike
        row.shortPut = c.shortPut.strike
        row.shortCall = c.shortCall.strike
        row.longCall = c.longCall.strike
        row.longPutSymbol = c.longPut.contract.symbol
        row.shortPutSymbol = c.shortPut.contract.symbol
        row.shortCallSymbol = c.shortCall.contract.symbol
        row.longCallSymbol = c.longCall.contract.symbol
        row.credit = rounded(c.creditPoints, 4)
        row.maxLoss = rounded(c.maxLossPoints, 4)
        row.creditUsd = rounded(c.creditPoints * multiplier * Double(c.contracts), 2)
        row.maxLossUsd = rounded(c.maxLossPoints * multiplier * Double(c.contracts), 2)
        row.breakevenLow = rounded(c.breakevenLow, 4)
        row.breakevenHigh = rounded(c.breakevenHigh, 4)
        row.pop = rounded(c.probabilityOfProfit, 6)
        row.expectedPnl = rounded(c.expectedPnlUSD, 2)
        row.netDelta = rounded(c.netDeltaUSD, 2)
        row.netGamma = rounded(c.netGammaUSD, 4)
        row.netVega = rounded(c.netVegaUSD, 2)
        row.netTheta = rounded(c.netThetaUSD, 2)
        row.contracts = c.contracts
        return row
    }

    /// Rounds for storage so rows read cleanly; the same inputs still give the same digits.
    static func rounded(_ v: Double, _ digits: Int) -> Double {
        let scale = pow(10, Double(digits))
        return (v * scale).rounded() / scale
    }
}
