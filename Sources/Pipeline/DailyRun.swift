import Foundation
import Ingest
import Logging
import Store
import Strategy
import VixShieldCore

/// How one as-of date ended.
public enum DateStatus: String, Sendable, Equatable {
    /// Recommendations written (trades, or no_trade rows because no candidate passed the rules).
    case ok
    /// Inputs were missing or failed the quality gate: a no_trade row with the reason was written.
    case noTrade = "no_trade"
    /// A hard error (malformed payload, storage failure): nothing was written for the date.
    case failed
}

public struct DateOutcome: Sendable {
    public var date: CalendarDate
    public var status: DateStatus
    /// One line: why the date failed or why there is no trade.
    public var reason: String?
    public var counts: [String: Int]
    public var diagnostics: [(stage: String, diagnostic: Diagnostic)]
}

/// The nightly job for one as-of date: ingest → normalize (quality flags and gate) → surface → recommend.
/// Every stage replaces its own partition for the date in one transaction, so a rerun gives the same rows.
struct DailyRun: Sendable {
    let config: PipelineConfig
    let database: VixShieldDatabase
    let loader: PayloadLoader
    let logger: Logger
    let runId: Int64

    func run(_ date: CalendarDate) -> DateOutcome {
        var outcome = DateOutcome(date: date, status: .ok, reason: nil, counts: [:], diagnostics: [])
        func note(_ stage: String, _ d: Diagnostic) { outcome.diagnostics.append((stage, d)) }
        func fail(_ stage: String, _ message: String) -> DateOutcome {
            note(stage, Diagnostic(.error, date.isoString, message))
            outcome.status = .failed
            outcome.reason = message
            return outcome
        }

        // MARK: ingest
        var payloads: [LoadedPayload] = []
        var missing: [String] = []
        for source in config.sources {
            switch loader.load(source, date: date, runId: runId) {
            case .success(let p): payloads.append(p)
            case .failure(let e):
                note("ingest", Diagnostic(source.required ? .error : .warning, source.name, e.description))
                if case .archive = e { return fail("ingest", e.description) }
                if source.required { missing.append(e.description) }
            }
        }
        outcome.counts["payloads"] = payloads.count

        // MARK: normalize (parse everything first: a malformed payload stops the date before any write)
        var normalized = NormalizedDay(date: date)
        for payload in payloads {
            do {
                try normalized.add(payload, diagnostics: { note("normalize", $0) })
            } catch let e as AdapterError {
                return fail("normalize", "source \(payload.source.name): \(e)")
            } catch {
                return fail("normalize", "source \(payload.source.name): \(error)")
            }
        }
        if !config.sources.contains(where: { $0.kind == SourceKind.eventsCSV.rawValue }) {
            do {
                normalized.addEvents(try ShippedEvents.events(), source: ShippedEvents.path)
            } catch {
                return fail("normalize", "\(ShippedEvents.path): \(error)")
            }
        }
        let gate = normalized.gateChain(underlying: config.underlying)
        for d in gate.diagnostics { note("normalize", d) }
        do {
            try database.transaction { tx in try normalized.write(tx) }
        } catch {
            return fail("normalize", "storing normalized rows: \(error)")
        }
        outcome.counts.merge(normalized.counts) { $1 }

        // MARK: surface and recommend
        let forDate = TradingCalendar.nyse.nextTradingDay(after: date)
        var blockers = missing.map { "missing input: \($0)" }
        for stale in normalized.staleHistorySources() {
            let message = "stale input: source \(stale.source) ends \(stale.lastDate?.isoString ?? "with no rows"), before \(date)"
            let required = config.sources.first { $0.name == stale.source }?.required ?? true
            note("normalize", Diagnostic(required ? .error : .warning, stale.source, message))
            if required { blockers.append(message) }
        }
        if let reason = gate.failure { blockers.append("quality gate: \(reason)") }
        let rows: [RecommendationRecord]
        if !blockers.isEmpty {
            let reason = blockers.joined(separator: "; ")
            rows = config.profiles.map { noTradeRow(date, forDate, profile: $0.name, reason: reason) }
            outcome.status = .noTrade
            outcome.reason = reason
        } else if let chain = gate.chain {
            let surface = SurfaceStage(chain: chain, asOf: date, rates: loadRateCurve(asOf: date, report: { note("surface", $0) }))
            for d in surface.diagnostics { note("surface", d) }
            do {
                try database.transaction { tx in
                    try tx.replaceSurface(asOf: date.isoString, underlying: config.underlying, quoteSet: chain.quoteSet.rawValue,
                                          slices: surface.sliceRecords(asOf: date, underlying: config.underlying),
                                          summary: surface.summaryRecord(asOf: date, underlying: config.underlying),
                                          options: surface.optionResults())
                }
            } catch {
                return fail("surface", "storing the surface: \(error)")
            }
            outcome.counts["surface_slices"] = surface.surface.expiries.count
            rows = config.profiles.flatMap { profile in
                RecommendStage.rows(asOf: date, forDate: forDate, underlying: config.underlying, profile: profile,
                                    sizing: config.sizing, expiries: surface.tradableExpiries(chain: chain), runId: runId)
            }
        } else {
            let reason = "no option chain for \(config.underlying) among the sources"
            rows = config.profiles.map { noTradeRow(date, forDate, profile: $0.name, reason: reason) }
            outcome.status = .noTrade
            outcome.reason = reason
        }
        do {
            try database.transaction { tx in
                if outcome.counts["surface_slices"] == nil {
                    try tx.deleteSurface(asOf: date.isoString, underlying: config.underlying)
                }
                try tx.replaceRecommendations(asOf: date.isoString, underlying: config.underlying, rows: rows, hedges: [])
            }
        } catch {
            return fail("recommend", "storing recommendations: \(error)")
        }
        outcome.counts["recommendations"] = rows.count
        outcome.counts["trades"] = rows.filter { $0.status == "trade" }.count
        if !missing.isEmpty { outcome.status = .noTrade }
        return outcome
    }

    /// The rate curve of the series stored for the last month up to `asOf`, or nil when none is.
    private func loadRateCurve(asOf: CalendarDate, report: (Diagnostic) -> Void) -> RateCurve? {
        do {
            let observations = try database.rates(from: asOf.adding(days: -31).isoString, to: asOf.isoString).compactMap { r in
                CalendarDate(iso: r.date).map { RateObservation(date: $0, series: r.series, tenorYears: r.tenorYears, rate: r.rate) }
            }
            guard !observations.isEmpty else { return nil }
            return try RateCurve(observations: observations, conventions: FREDCSV.conventions)
        } catch {
            report(Diagnostic(.warning, "rates", "no usable rate curve: \(error)"))
            return nil
        }
    }

    private func noTradeRow(_ date: CalendarDate, _ forDate: CalendarDate, profile: String, reason: String) -> RecommendationRecord {
        RecommendationRecord(asOf: date.isoString, forDate: forDate.isoString, underlying: config.underlying,
                             profile: profile, rank: 1, status: "no_trade", reason: reason,
                             rationale: "No trade for \(forDate): \(reason)", runId: runId)
    }
}
