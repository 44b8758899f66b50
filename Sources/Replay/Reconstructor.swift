import Foundation
import Simulator
import Store
import VixShieldCore

/// Reads the histories a user loaded with `vixshield ingest` (SPX, VIX, VIX9D, VIX3M, SKEW, VX
/// settlements, rates) and writes reconstructed chains for a range of sessions in the history-files
/// layout, for `backfill --pipeline replay`.
public struct Reconstructor: Sendable {
    public let databasePath: String
    public var listing: ReplayListing
    public var model: ReconstructionModel

    /// Index history written before the first session: enough for the 252-session realized variance and
    /// the one-year percentile ranks of the signals.
    public static let historyDaysBefore = 730
    /// And after the last: the settlement values of the trades' expiries (the longest profile is 45 days).
    public static let historyDaysAfter = 75

    public init(databasePath: String, listing: ReplayListing = .standard, model: ReconstructionModel = ReconstructionModel()) {
        self.databasePath = databasePath
        self.listing = listing
        self.model = model
    }

    public struct Outcome: Sendable {
        public var manifest: ReplayManifest
        /// Trading days of the range with no chain written, with the reason.
        public var skipped: [(date: CalendarDate, reason: String)]
    }

    /// The inputs of every trading day from `from` through `to` that has an SPX close, a VIX close and a
    /// VX curve; the others are skipped with their reason.
    public func inputs(from: CalendarDate, to: CalendarDate) throws -> (sessions: [ReconstructionInputs], skipped: [(date: CalendarDate, reason: String)]) {
        try inputs(from: from, to: to, db: VixShieldDatabase(path: databasePath, readOnly: true))
    }

    private func inputs(from: CalendarDate, to: CalendarDate, db: VixShieldDatabase)
        throws -> (sessions: [ReconstructionInputs], skipped: [(date: CalendarDate, reason: String)]) {
        func closes(_ symbol: String) throws -> [CalendarDate: Double] {
            var out: [CalendarDate: Double] = [:]
            for r in try db.indexHistory(symbol: symbol, from: from, through: to) {
                if let d = CalendarDate(iso: r.date), r.close.isFinite, r.close > 0 { out[d] = r.close }
            }
            return out
        }
        let spx = try closes("SPX"), vix = try closes("VIX"), vix9d = try closes("VIX9D"), vix3m = try closes("VIX3M"), skew = try closes("SKEW")
        let rates = Self.threeMonthRates(try db.rates(from: from.adding(days: -14), through: to))
        var sessions: [ReconstructionInputs] = []
        var skipped: [(CalendarDate, String)] = []
        for day in TradingCalendar.nyse.tradingDays(from: from, through: to) {
            guard let spot = spx[day] else { skipped.append((day, "no SPX close in index_history")); continue }
            guard let v = vix[day] else { skipped.append((day, "no VIX close in index_history")); continue }
            let curve = try db.vixFutures(tradeDate: day).compactMap { r -> VXSettlementInput? in
                guard let expiry = CalendarDate(iso: r.expiry), expiry > day else { return nil }
                return VXSettlementInput(symbol: r.symbol, expiry: expiry, settle: r.settle)
            }
            guard !curve.isEmpty else { skipped.append((day, "no VX settlements in vix_futures")); continue }
            // The latest rate on or before the day (FRED leaves holidays blank).
            guard let rate = rates.last(where: { $0.date <= day })?.percent else { skipped.append((day, "no short rate in rates")); continue }
            sessions.append(ReconstructionInputs(session: day, spot: spot, rate: rate / 100, vix: v, vix9d: vix9d[day], vix3m: vix3m[day],
                                                 skew: skew[day], vxCurve: curve))
        }
        return (sessions, skipped)
    }

    /// Per date, the rate (percent) of the series whose tenor is nearest three months.
    static func threeMonthRates(_ records: [RateRecord]) -> [(date: CalendarDate, percent: Double)] {
        var best: [CalendarDate: RateRecord] = [:]
        for r in records {
            guard let d = CalendarDate(iso: r.date), r.rate.isFinite else { continue }
            if let b = best[d] {
                let (dr, db) = (abs(r.tenorYears - 0.25), abs(b.tenorYears - 0.25))
                if dr < db || (dr == db && r.series < b.series) { best[d] = r }
            } else {
                best[d] = r
            }
        }
        return best.keys.sorted().map { ($0, best[$0]!.rate * 100) }
    }

    /// Writes the replay folder for `from` through `to`.
    public func write(from: CalendarDate, to: CalendarDate, into directory: URL) throws -> Outcome {
        let db = try VixShieldDatabase(path: databasePath, readOnly: true)
        let (sessions, skipped) = try inputs(from: from, to: to, db: db)
        let start = from.adding(days: -Self.historyDaysBefore), end = to.adding(days: Self.historyDaysAfter)
        var bars: [String: [IndexBar]] = [:]
        for symbol in ["SPX", "VIX", "VIX9D", "VIX3M"] {
            bars[symbol] = try db.indexHistory(symbol: symbol, from: start, through: end).compactMap { r in
                CalendarDate(iso: r.date).map { IndexBar(symbol: symbol, date: $0, open: r.open, high: r.high, low: r.low, close: r.close) }
            }
        }
        var ratePercent: [CalendarDate: Double] = [:]
        for r in Self.threeMonthRates(try db.rates(from: start, through: end)) { ratePercent[r.date] = r.percent }
        let manifest = try ReplayFiles.write(sessions: sessions, histories: ReplayHistories(indexBars: bars, ratePercent: ratePercent),
                                             into: directory, listing: listing, model: model)
        return Outcome(manifest: manifest, skipped: skipped)
    }
}
