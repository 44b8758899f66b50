import Foundation
import Signals
import Store
import VixShieldCore
import VolMath

/// Daily series for a stage: what is stored through the as-of date, with the day's own payload rows taking
/// precedence (they land in the same transaction as the stage's output, so they are not stored yet).
/// Nothing dated after the as-of date is ever used.
enum HistoryInputs {
    /// Bars of `symbol` through `asOf`, oldest first.
    static func bars(symbol: String, through asOf: CalendarDate, store: VixShieldDatabase, today: [IndexBar]) throws -> DatedSeries<PriceBar> {
        try bars(symbol: symbol, through: asOf, stored: try store.indexHistory(symbol: symbol, through: asOf), today: today)
    }

    /// Bars of `symbol` through `asOf` from `stored`, the stored rows of the symbol (through `asOf`).
    static func bars(symbol: String, through asOf: CalendarDate, stored: [IndexHistoryRecord], today: [IndexBar]) throws -> DatedSeries<PriceBar> {
        var byDate: [CalendarDate: PriceBar] = [:]
        for r in stored {
            guard let d = CalendarDate(iso: r.date) else { continue }
            byDate[d] = PriceBar(open: r.open, high: r.high, low: r.low, close: r.close)
        }
        for b in today where b.symbol == symbol && b.date <= asOf { byDate[b.date] = PriceBar(b) }
        let dates = byDate.keys.sorted()
        return try DatedSeries(dates: dates, values: dates.map { byDate[$0]! })
    }

    /// Closes of `symbol` through `asOf`, or nil when there are none.
    static func closes(symbol: String, through asOf: CalendarDate, store: VixShieldDatabase, today: [IndexBar]) throws -> DatedSeries<Double>? {
        try closes(of: try bars(symbol: symbol, through: asOf, store: store, today: today))
    }

    /// The closes of `bars`, or nil when there are none.
    static func closes(of bars: DatedSeries<PriceBar>) throws -> DatedSeries<Double>? {
        guard bars.count > 0 else { return nil }
        return try DatedSeries(dates: bars.dates, values: bars.values.map(\.close))
    }

    /// Breadth counts of `universe` through `asOf`.
    static func breadth(universe: String, through asOf: CalendarDate, store: VixShieldDatabase, today: [BreadthRow]) throws -> DatedSeries<BreadthCount> {
        var byDate: [CalendarDate: BreadthCount] = [:]
        for r in try store.breadth(universe: universe, through: asOf) {
            guard let d = CalendarDate(iso: r.date) else { continue }
            byDate[d] = BreadthCount(advances: r.advances, declines: r.declines)
        }
        for b in today where b.universe == universe && b.date <= asOf { byDate[b.date] = BreadthCount(b) }
        let dates = byDate.keys.sorted()
        return try DatedSeries(dates: dates, values: dates.map { byDate[$0]! })
    }

    /// The scheduled releases whose variance the pipeline prices and whose reactions it studies.
    static let pricedEventKinds: Set<MarketEvent.Kind> = [.fomc, .cpi, .ppi]

    /// A stored VX settlement row as a settlement, or nil for a row whose dates do not parse.
    static func settlement(_ r: VIXFutureRecord) -> VIXFutureSettlement? {
        guard let t = CalendarDate(iso: r.tradeDate), let e = CalendarDate(iso: r.expiry) else { return nil }
        return VIXFutureSettlement(tradeDate: t, symbol: r.symbol, expiry: e, settle: r.settle, isWeekly: r.isWeekly)
    }

    /// The paper book's condors still open on `date`: rank-1 trades opened before it, expiring after it, that
    /// no earlier night advised closing.
    static func openPaperCondors(store: VixShieldDatabase, underlying: String, on date: CalendarDate) throws -> [RecommendationRecord] {
        let closed = try store.closedPositionKeys(underlying: underlying, before: date)
        return try store.openPaperCondors(underlying: underlying, on: date).filter { !closed.contains("\($0.asOf)|\($0.profile)|\($0.rank)") }
    }

    /// One open position of the book: a recommended condor, filled on paper at its recommended credit, or by
    /// an imported real fill (which replaces the paper fill of a rank-1 trade, or adds an alternate's).
    struct BookPosition {
        /// The recommendation the position is (the advice and outcome rows refer to it).
        var recommendation: RecommendationRecord
        var fill: PositionFillRecord?
        var source: String { fill == nil ? "paper" : "fill" }
        var key: String { Self.key(recommendation) }
        /// Filled contracts over recommended ones: the position's greeks are the recommendation's times this.
        var sizeScale: Double {
            guard let fill, let n = recommendation.contracts, n > 0 else { return 1 }
            return Double(fill.contracts) / Double(n)
        }

        static func key(_ r: RecommendationRecord) -> String { "\(r.asOf)|\(r.profile)|\(r.rank)" }
    }

    /// The book's positions still open on `date`: the paper book (`openPaperCondors`) with imported fills
    /// applied, plus fills of alternates; a fill that matches no recommended condor is reported, not booked.
    static func openBook(store: VixShieldDatabase, underlying: String, on date: CalendarDate) throws -> (positions: [BookPosition], diagnostics: [Diagnostic]) {
        let closed = try store.closedPositionKeys(underlying: underlying, before: date)
        var positions = try openPaperCondors(store: store, underlying: underlying, on: date).map { BookPosition(recommendation: $0, fill: nil) }
        let fills = try store.positionFills(underlying: underlying, tradedOnOrBefore: date).filter { $0.expiry > date.isoString }
        let matched = try matchFills(fills, store: store, underlying: underlying)
        var diagnostics: [Diagnostic] = []
        for fill in fills {
            guard let r = matched.byFill[fill.fillId] else {
                diagnostics.append(Diagnostic(.warning, "fill \(fill.fillId)",
                                              "matches no recommended \(fill.profile) condor for \(fill.tradeDate) (same root, expiry and strikes): not in the book"))
                continue
            }
            let key = BookPosition.key(r)
            guard !closed.contains(key), r.asOf < date.isoString else { continue }
            if let i = positions.firstIndex(where: { $0.key == key }) {
                positions[i].fill = fill
            } else {
                positions.append(BookPosition(recommendation: r, fill: fill))
            }
        }
        positions.sort { ($0.recommendation.asOf, $0.recommendation.profile, $0.recommendation.rank) < ($1.recommendation.asOf, $1.recommendation.profile, $1.recommendation.rank) }
        return (positions, diagnostics)
    }

    /// `openBook` of the last night asked, kept for the next stage of the same night: the positions and the
    /// hedge stage both read the night's book, and the second read was a tenth of the cross-date pass. Sound
    /// because the book on `date` is made of what earlier nights and imported fills wrote (advice and
    /// recommendations dated before it, fills traded by it), never of the night's own cross-date output.
    final class OpenBookMemo: @unchecked Sendable {
        private let lock = NSLock()
        private var last: (date: CalendarDate, underlying: String, book: (positions: [BookPosition], diagnostics: [Diagnostic]))?

        func openBook(store: VixShieldDatabase, underlying: String, on date: CalendarDate) throws -> (positions: [BookPosition], diagnostics: [Diagnostic]) {
            try lock.withLock {
                if let last, last.date == date, last.underlying == underlying { return last.book }
                let book = try HistoryInputs.openBook(store: store, underlying: underlying, on: date)
                last = (date, underlying, book)
                return book
            }
        }
    }

    /// Each fill's recommendation (same trade date as its `for_date`, profile, root, expiry and strikes), and
    /// the fill of each matched recommendation key. Two fills of one condor: the later fill id wins.
    static func matchFills(_ fills: [PositionFillRecord], store: VixShieldDatabase,
                           underlying: String) throws -> (byFill: [String: RecommendationRecord], byRecommendation: [String: PositionFillRecord]) {
        let dates = Set(fills.compactMap { CalendarDate(iso: $0.tradeDate) }).sorted()
        let candidates = try store.tradedRecommendations(underlying: underlying, forDates: dates)
        var byFill: [String: RecommendationRecord] = [:], byRecommendation: [String: PositionFillRecord] = [:]
        for fill in fills {
            let r = candidates.first {
                $0.forDate == fill.tradeDate && $0.profile == fill.profile && ($0.root ?? "SPX") == fill.root && $0.expiry == fill.expiry
                    && $0.longPut == fill.longPut && $0.shortPut == fill.shortPut && $0.shortCall == fill.shortCall && $0.longCall == fill.longCall
            }
            guard let r else { continue }
            byFill[fill.fillId] = r
            byRecommendation[BookPosition.key(r)] = fill
        }
        return (byFill, byRecommendation)
    }

    /// A stored event row as an event, or nil for a row that does not parse.
    static func event(_ r: EventRecord) -> MarketEvent? {
        guard let kind = MarketEvent.Kind(name: r.kind), let date = CalendarDate(iso: r.date) else { return nil }
        let parts = r.timeEt.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        return MarketEvent(kind: kind, time: EasternTime(date: date, hour: h, minute: m), label: r.label)
    }

    /// The 30-day constant-maturity ATM implied volatility of each stored surface in the range (decimal),
    /// from the fitted SVI slices' total variance at the money.
    static func atmVolatility30Day(store: VixShieldDatabase, underlying: String, from: CalendarDate,
                                   through: CalendarDate) throws -> [CalendarDate: Double] {
        var out: [CalendarDate: Double] = [:]
        for (asOf, slices) in Dictionary(grouping: try store.fittedSlices(underlying: underlying, from: from, through: through), by: \.asOf) {
            let points = slices.map { s -> (years: Double, totalVariance: Double) in
                (s.yearsToExpiry, SVIParameters(a: s.a, b: s.b, rho: s.rho, m: s.m, sigma: s.sigma).totalVariance(atLogMoneyness: 0))
            }
            if let d = CalendarDate(iso: asOf), let v = ConstantMaturity.atmVolatility(points: points, targetYears: 30.0 / 365) { out[d] = v }
        }
        return out
    }
}
