import Foundation
import Ingest
import Store
import VixShieldCore

/// Everything one as-of date's payloads normalize to, held in memory until it is written in one
/// transaction (so a malformed payload found late leaves nothing half-written).
struct NormalizedDay {
    /// The as-of date; nil for history loads, where every chain is its own session's partition.
    let date: CalendarDate?
    /// Each chain with the partition it is stored under, its quality-gate verdict and its rows as stored.
    private(set) var chains: [(source: String, snapshot: OptionChainSnapshot, partition: CalendarDate, verdict: QualityVerdict,
                               origin: ChainOrigin, rows: PreparedChain)] = []
    private(set) var futures: [(source: String, rows: [VIXFutureSettlement])] = []
    private(set) var bars: [(source: String, rows: [IndexBar])] = []
    private(set) var rates: [(source: String, rows: [RateObservation])] = []
    private(set) var breadth: [(source: String, rows: [BreadthRow])] = []
    private(set) var events: [(source: String, rows: [MarketEvent])] = []
    private(set) var counts: [String: Int] = [:]

    /// Most flagged-quote diagnostics kept per chain; the rest are summarized (the flags stay on the rows).
    static let maxQuoteDiagnostics = 50

    init(date: CalendarDate?) { self.date = date }

    /// Parses one payload with its adapter and applies the quality flags.
    mutating func add(_ payload: LoadedPayload, diagnostics report: (Diagnostic) -> Void) throws {
        guard let kind = SourceKind(rawValue: payload.source.kind) else {
            throw PipelineError.invalidConfig(payload.source.name, "no adapter for kind \(payload.source.kind)")
        }
        let context = AdapterContext(sourceName: payload.source.name, asOf: date, options: payload.source.options)
        // The adapter leaves every chain normalized: quality flags set against the as-of session.
        let outcome = try payload.parsed ?? Adapters.parse(kind, data: payload.data, context: context)
        switch outcome.payload {
        case .optionChains(var snapshots):
            Self.summarize(outcome.diagnostics, snapshots, source: payload.source.name).forEach(report)
            let origin = payload.source.options["origin"].flatMap(ChainOrigin.init(rawValue:)) ?? .market
            if origin == .reconstructed {
                for i in snapshots.indices {
                    for j in snapshots[i].quotes.indices { snapshots[i].quotes[j].flags.insert(.reconstructed) }
                }
            }
            for snapshot in snapshots {
                // The nightly run keeps whatever it fetched under its as-of date (a stale snapshot is
                // stored flagged); a history load files each snapshot under its own session.
                let partition = date ?? snapshot.session
                let verdict = QuoteQuality.gate(snapshot, session: partition)
                let rows = try Self.rows(of: snapshot, partition: partition, verdict: verdict, origin: origin)
                chains.append((payload.source.name, snapshot, partition, verdict, origin, rows))
                counts["option_quotes", default: 0] += snapshot.quotes.count
            }
        case .vixFutures(let rows):
            outcome.diagnostics.forEach(report)
            futures.append((payload.source.name, rows))
            counts["vix_futures", default: 0] += rows.count
        case .indexBars(let rows):
            outcome.diagnostics.forEach(report)
            bars.append((payload.source.name, rows))
            counts["index_history", default: 0] += rows.count
        case .rates(let rows):
            outcome.diagnostics.forEach(report)
            rates.append((payload.source.name, rows))
            counts["rates", default: 0] += rows.count
        case .breadth(let rows):
            outcome.diagnostics.forEach(report)
            breadth.append((payload.source.name, rows))
            counts["breadth", default: 0] += rows.count
        case .events(let rows):
            outcome.diagnostics.forEach(report)
            addEvents(rows, source: payload.source.name)
        }
    }

    /// Drops a source's VX rows (a curve refused after parsing), keeping the counts true.
    mutating func dropFutures(source: String) {
        let dropped = futures.filter { $0.source == source }.reduce(0) { $0 + $1.rows.count }
        futures.removeAll { $0.source == source }
        counts["vix_futures", default: 0] -= dropped
    }

    /// Adds an event calendar (the shipped one, or one a source names).
    mutating func addEvents(_ rows: [MarketEvent], source: String) {
        events.append((source, rows))
        counts["events", default: 0] += rows.count
    }

    struct GateResult {
        /// The chain the strategy trades (the underlying's end-of-day set), when it passed.
        var chain: OptionChainSnapshot?
        /// Why the underlying's chain cannot be traded, when it cannot.
        var failure: String?
        var diagnostics: [Diagnostic]
    }

    /// History sources (index, rate and breadth series) whose last row is older than the as-of date,
    /// with that last date: their numbers would be yesterday's news.
    func staleHistorySources() -> [(source: String, lastDate: CalendarDate?)] {
        guard let date else { return [] }
        var last: [(String, CalendarDate?)] = []
        last += bars.map { ($0.source, $0.rows.map(\.date).max()) }
        last += rates.map { ($0.source, $0.rows.map(\.date).max()) }
        last += breadth.map { ($0.source, $0.rows.map(\.date).max()) }
        return last.filter { ($0.1 ?? .init(dayNumber: 0)) < date }.map { (source: $0.0, lastDate: $0.1) }
    }

    /// The latest date any row of the payloads carries (a history file's as-of in the raw archive).
    var latestDataDate: CalendarDate? {
        var all: [CalendarDate?] = [chains.map(\.partition).max()]
        all.append(futures.flatMap { $0.rows.map(\.tradeDate) }.max())
        all.append(bars.flatMap { $0.rows.map(\.date) }.max())
        all.append(rates.flatMap { $0.rows.map(\.date) }.max())
        all.append(breadth.flatMap { $0.rows.map(\.date) }.max())
        all.append(events.flatMap { $0.rows.map(\.date) }.max())
        return all.compactMap { $0 }.max()
    }

    /// Reports every chain's quality-gate verdict and picks the underlying's chain to trade.
    func gateChain(underlying: String) -> GateResult {
        var diagnostics: [Diagnostic] = []
        for c in chains {
            if case .fail(let reasons) = c.verdict {
                diagnostics.append(Diagnostic(.warning, "\(c.source): \(c.snapshot.underlying)", "quality gate failed: \(reasons.joined(separator: "; "))"))
            }
        }
        let wanted = Self.canonicalUnderlying(underlying)
        let candidates = chains.indices.filter { Self.canonicalUnderlying(chains[$0].snapshot.underlying) == wanted }
        // Prefer the end-of-day quote set when a source carries several (DataShop's 15:45 and EOD).
        guard let pick = candidates.first(where: { chains[$0].snapshot.quoteSet == .eod }) ?? candidates.first else {
            return GateResult(chain: nil, failure: chains.isEmpty ? nil : "no \(underlying) chain in the payloads",
                              diagnostics: diagnostics)
        }
        if case .fail(let reasons) = chains[pick].verdict {
            return GateResult(chain: nil, failure: reasons.joined(separator: "; "), diagnostics: diagnostics)
        }
        return GateResult(chain: chains[pick].snapshot, failure: nil, diagnostics: diagnostics)
    }

    /// The chain's rows as stored, made ready before the date's transaction (`PreparedChain`).
    static func rows(of s: OptionChainSnapshot, partition: CalendarDate, verdict: QualityVerdict,
                     origin: ChainOrigin) throws -> PreparedChain {
        let asOf = partition.isoString
        let underlying = canonicalUnderlying(s.underlying)
        var reasons: String?
        if case .fail(let r) = verdict { reasons = r.joined(separator: "; ") }
        let snapshot = ChainSnapshotRecord(
            asOf: asOf, underlying: underlying, quoteSet: s.quoteSet.rawValue,
            capturedAt: EasternTime.timestampWithOffset(vendorLocal: s.capturedAt) ?? s.capturedAt, spot: s.spot,
            quoteCount: s.quotes.count, flaggedCount: s.quotes.filter { !$0.flags.subtracting(.reconstructed).isEmpty }.count,
            gatePassed: reasons == nil, gateReason: reasons, chainOrigin: origin.rawValue)
        let quotes = s.quotes.enumerated().map { seq, q in
            OptionQuoteRecord(
                asOf: asOf, underlying: underlying, quoteSet: s.quoteSet.rawValue, seq: seq + 1, symbol: q.contract.symbol,
                root: q.contract.root, expiry: q.contract.expiry.isoString, settlement: q.contract.settlement.rawValue,
                optionType: q.contract.right.rawValue, strike: q.contract.strike, strikeMilli: q.contract.strikeMilli,
                bid: finite(q.bid), ask: finite(q.ask), bidSize: finite(q.bidSize),
                askSize: finite(q.askSize), last: q.last.flatMap(finite), volume: finite(q.volume),
                openInterest: finite(q.openInterest), vendorIv: q.vendorIV, vendorDelta: q.vendorDelta,
                flags: q.flags.rawValue, flagNames: q.flags.names.joined(separator: ","))
        }
        return try PreparedChain(snapshot: snapshot, quotes: quotes)
    }

    /// The prepared rows of the chain stored as (`asOf`, `underlying`, `quoteSet`), if this day has it.
    func rows(asOf: CalendarDate, underlying: String, quoteSet: String) -> PreparedChain? {
        chains.first { $0.rows.isPartition(asOf: asOf, underlying: underlying, quoteSet: quoteSet) }?.rows
    }

    /// Writes every normalized partition of the date (inside the caller's transaction).
    func write(_ tx: StoreTransaction) throws {
        for c in chains { try tx.replaceChain(c.rows) }
        for f in futures {
            let byDate = Dictionary(grouping: f.rows, by: \.tradeDate)
            for (tradeDate, rows) in byDate.sorted(by: { $0.key < $1.key }) {
                try tx.replaceVIXFutures(tradeDate: tradeDate, source: f.source, rows: rows.map {
                    VIXFutureRecord(tradeDate: $0.tradeDate.isoString, symbol: $0.symbol, expiry: $0.expiry.isoString,
                                    settle: $0.settle, isWeekly: $0.isWeekly, source: f.source)
                })
            }
        }
        for b in bars {
            try tx.upsertIndexHistory(b.rows.map {
                IndexHistoryRecord(symbol: $0.symbol, date: $0.date.isoString, open: $0.open, high: $0.high,
                                   low: $0.low, close: $0.close, source: b.source)
            })
        }
        for r in rates {
            try tx.upsertRates(r.rows.map {
                RateRecord(series: $0.series, date: $0.date.isoString, tenorYears: $0.tenorYears, rate: $0.rate, source: r.source)
            })
        }
        for b in breadth {
            try tx.upsertBreadth(b.rows.map {
                BreadthRecord(universe: $0.universe, date: $0.date.isoString, advances: $0.advances, declines: $0.declines,
                              unchanged: $0.unchanged, source: b.source)
            })
        }
        for e in events {
            try tx.replaceEvents(source: e.source, rows: e.rows.map { ev in
                let hh = ev.time.minuteOfDay / 60, mm = ev.time.minuteOfDay % 60
                return EventRecord(kind: ev.kind.name, date: ev.date.isoString,
                                   timeEt: (hh < 10 ? "0" : "") + "\(hh):" + (mm < 10 ? "0" : "") + "\(mm)", label: ev.label, source: e.source)
            })
        }
    }

    /// `^SPX`, `_SPX` and `SPX` all name the same underlying.
    static func canonicalUnderlying(_ s: String) -> String {
        String(s.drop(while: { $0 == "^" || $0 == "_" })).uppercased()
    }

    static func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }

    /// Keeps the warnings and errors (up to a cap) and folds the per-quote notes into per-flag counts:
    /// the flags themselves stay on the stored rows.
    static func summarize(_ diagnostics: [Diagnostic], _ snapshots: [OptionChainSnapshot], source: String) -> [Diagnostic] {
        var perFlag: [String: Int] = [:]
        for q in snapshots.lazy.flatMap(\.quotes) { for name in q.flags.names { perFlag[name, default: 0] += 1 } }
        var out = Array(diagnostics.filter { $0.severity != .info }.prefix(maxQuoteDiagnostics))
        let hidden = diagnostics.filter { $0.severity != .info }.count - out.count
        if hidden > 0 { out.append(Diagnostic(.warning, source, "\(hidden) more warnings like these (flags kept on the rows)")) }
        if !perFlag.isEmpty {
            let summary = perFlag.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            out.append(Diagnostic(.info, source, "\(snapshots.reduce(0) { $0 + $1.quotes.count }) quotes, flagged: \(summary)"))
        }
        return out
    }
}
