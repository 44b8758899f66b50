import Foundation
import VixShieldCore

/// What a simulation wrote.
public struct SimulationManifest: Sendable, Hashable {
    public var simulatorVersion: String
    public var seed: UInt64
    /// The first and last requested dates.
    public var from: CalendarDate
    public var to: CalendarDate
    /// The first session of the warm-up history.
    public var historyStart: CalendarDate
    /// Sessions with an option chain and a truth file.
    public var chainDays: [CalendarDate]
    /// Every file written, relative to the output directory, sorted.
    public var files: [String]
}

/// The synthetic market: a seeded SPX path with stochastic variance and event jumps, its true implied
/// surface, and everything derived from it, written in the real vendor formats.
///
/// Layout under the output directory (the sample pipeline reads exactly these):
/// - `cboe/options/_SPX_<date>.json`: Cboe delayed-quotes chain per chain day (~29k contracts).
/// - `cboe/options/_VIX_<date>.json`: the VIX option chain of the day (root `VIX`, the monthly Wednesday
///   expiries of the VX curve, priced off those futures; see `VIXChainBuilder`).
/// - `cboe/index/{SPX,VIX,VIX9D,VIX3M}_History.csv`: `DATE,OPEN,HIGH,LOW,CLOSE`, whole history.
/// - `cfe/vx_curve/<date>.csv` per session of the history; `cfe/per_contract/CFE_<M><YY>_VX.csv`.
/// - `breadth/advance_decline.csv`, `rates/DGS3MO.csv` (FRED), `events/events.csv` (project format).
/// - `truth/<date>.json` per chain day (spot, rate, q, variance, SVI per expiry, true VIX family,
///   events, planted bad quotes) and `manifest.json`.
///
/// Same config and dates give byte-identical files: every draw comes from `SeededRandom` streams,
/// nothing reads the clock, and every number is formatted by hand (libm results are the only
/// platform dependence).
/// The vendor format of the simulated option chain files.
public enum ChainFileFormat: String, Sendable, Hashable, CaseIterable {
    /// Cboe delayed quotes JSON, `cboe/options/_SPX_<date>.json` (what the sample pipeline reads).
    case cboeOptionsJSON = "cboe-json"
    /// Cboe DataShop Option EOD Summary with Calcs, `datashop/UnderlyingOptionsEODCalcs_<date>.csv`
    /// (what `pipelines/history-files.yaml` reads).
    case dataShopEOD = "datashop"

    /// The chain file of `date`, relative to the market folder.
    public func relativePath(_ date: CalendarDate) -> String {
        switch self {
        case .cboeOptionsJSON: return "cboe/options/_SPX_\(date.isoString).json"
        case .dataShopEOD: return "datashop/UnderlyingOptionsEODCalcs_\(date.isoString).csv"
        }
    }
}

public struct MarketSimulator: Sendable {
    /// Bumped whenever the same seed would write different files, so cached feeds are regenerated.
    public static let simulatorVersion = "1.2"

    /// The files written for each chain day, relative to the output directory (SPX chain in `format`, VIX chain
    /// in the Cboe JSON format, truth).
    public static func chainDayFiles(_ date: CalendarDate, format: ChainFileFormat = .cboeOptionsJSON) -> [String] {
        [format.relativePath(date), "cboe/options/_VIX_\(date.isoString).json", "truth/\(date.isoString).json"]
    }

    public let config: SimulationConfig

    public init(config: SimulationConfig) {
        self.config = config
    }

    /// Writes every file for chain days `from...to` (trading days only) and the history before them.
    ///
    /// Blocking file I/O: call it from a plain thread, not from the Swift concurrency pool. Files are
    /// written in place (not one by one atomically), so write into a fresh directory and move it into
    /// place when the call returns, as a cached feed should.
    /// - Throws: `SimulationError` for a bad config, an empty or reversed range, or a failed write.
    ///
    /// - Parameters:
    ///   - historyStart: the first session of the simulated path; by default `warmUpTradingDays` before
    ///     `from`. Pinning it makes every day's files independent of the requested range, so a feed can be
    ///     extended to more days and still equal one simulation over the whole range.
    ///   - existingChainDays: chain days whose chain and truth files the caller already has from a run with
    ///     the same config and history start (they are the same bytes); they are listed in the manifest but
    ///     not rendered again.
    ///   - chainFormat: the vendor format of the chain files (the same quotes in either).
    public func write(from: CalendarDate, to: CalendarDate, into directory: URL, historyStart: CalendarDate? = nil,
                      existingChainDays: Set<CalendarDate> = [], chainFormat: ChainFileFormat = .cboeOptionsJSON) throws(SimulationError) -> SimulationManifest {
        let market = try simulate(from: from, to: to, historyStart: historyStart)
        var sink = FileSink(root: directory)
        try writeHistories(market, into: &sink)
        for i in market.chainIndices {
            let date = market.states[i].date
            let names = Self.chainDayFiles(date, format: chainFormat)
            if existingChainDays.contains(date) {
                sink.record(names)
                continue
            }
            let (chain, truth) = chainAndTruth(market, dayIndex: i, format: chainFormat)
            try sink.write(names[0], chain)
            try sink.write(names[1], vixChain(market, dayIndex: i).json)
            try sink.write(names[2], truth)
        }
        var manifest = SimulationManifest(simulatorVersion: Self.simulatorVersion, seed: config.seed, from: from, to: to,
                                          historyStart: market.states[0].date,
                                          chainDays: market.chainIndices.map { market.states[$0].date },
                                          files: [])
        manifest.files = (sink.written + ["manifest.json"]).sorted()
        try sink.write("manifest.json", ManifestJSON.render(manifest, config: config))
        return manifest
    }

    // MARK: - The simulated market in memory

    /// Everything computed before writing: the path, each day's surface inputs, indices and VX curve.
    struct Market {
        var states: [SessionState]
        var events: [SimulatedEvent]
        var chainIndices: Range<Int>
        var surfaces: [SurfaceModel]
        var listed: [[ListedExpiry]]
        /// (VIX, VIX9D, VIX3M) closes.
        var indices: [(vix: Double, vix9d: Double, vix3m: Double)]
        var vxCurves: [[(contract: VXContract, settle: Double)]]
    }

    /// The first session of the path for chains starting on `firstChainDay` when none is pinned.
    public func defaultHistoryStart(firstChainDay: CalendarDate) -> CalendarDate {
        var start = TradingCalendar.nyse.tradingDayOnOrAfter(firstChainDay)
        for _ in 0..<config.warmUpTradingDays { start = TradingCalendar.nyse.previousTradingDay(before: start) }
        return start
    }

    func simulate(from: CalendarDate, to: CalendarDate, historyStart pinned: CalendarDate? = nil) throws(SimulationError) -> Market {
        try config.validate()
        guard from <= to else { throw SimulationError.invalidRange(from: from, to: to) }
        for d in [from, to] where !TradingCalendar.supportedYears.contains(d.year) { throw SimulationError.unsupportedYears(d) }
        let calendar = TradingCalendar.nyse
        let chainDays = calendar.tradingDays(from: from, through: to)
        guard let firstChainDay = chainDays.first else { throw SimulationError.noTradingDays(from: from, to: to) }
        let historyStart = pinned.map { calendar.tradingDayOnOrAfter($0) } ?? defaultHistoryStart(firstChainDay: firstChainDay)
        guard TradingCalendar.supportedYears.contains(historyStart.year) else { throw SimulationError.unsupportedYears(historyStart) }
        guard historyStart < firstChainDay else {
            throw SimulationError.invalidConfig("the first chain day \(firstChainDay) must come after the history start \(historyStart)")
        }
        let days = calendar.tradingDays(from: historyStart, through: to)

        let events = (config.eventDays ?? EventSchedule.synthetic(years: historyStart.year...(to.year + config.leapsHorizonYears + 2))).sorted()
        let eventsByDate = Dictionary(grouping: events, by: \.date)
        let states = MarketPath.simulate(days: days, events: eventsByDate, config: config)

        var surfaces: [SurfaceModel] = []
        var listed: [[ListedExpiry]] = []
        var indices: [(vix: Double, vix9d: Double, vix3m: Double)] = []
        var curves: [[(contract: VXContract, settle: Double)]] = []
        var futuresRNG = SeededRandom(seed: config.seed, stream: RandomStream.futures)
        var firstUpcoming = 0
        for state in states {
            while firstUpcoming < events.count && events[firstUpcoming].date <= state.date { firstUpcoming += 1 }
            let surface = SurfaceModel(session: state.date, spot: state.close, rate: state.rate, variance: state.variance,
                                       config: config, upcomingEvents: Array(events[firstUpcoming...]))
            let expiries = ExpirySchedule.listed(on: state.date, config: config)
            surfaces.append(surface)
            listed.append(expiries)
            indices.append((surface.volatilityIndex(targetDays: 30, expiries: expiries),
                            surface.volatilityIndex(targetDays: 9, expiries: expiries),
                            surface.volatilityIndex(targetDays: 93, expiries: expiries)))
            curves.append(vxCurve(surface: surface, rng: &futuresRNG))
        }
        let offset = days.count - chainDays.count
        return Market(states: states, events: events, chainIndices: offset..<days.count, surfaces: surfaces,
                      listed: listed, indices: indices, vxCurves: curves)
    }

    /// The VX settlement curve of one session.
    ///
    /// Each contract settles at the VIX special opening quotation on its expiry morning, so its fair value
    /// is the square root of the forward model-free variance over the 30 days after that morning,
    /// √((W(T₁+30d) − W(T₁)) / (30/365)), less the concavity (convexity) bias E[√V] ≈ √E[V] (1 − (e^{s²}−1)/8)
    /// with s² the variance of log VIX variance up to T₁ (mean-reverting at κ), plus settlement noise.
    /// Mean reversion of the variance gives contango when it is below its long-run level and
    /// backwardation after a spike.
    func vxCurve(surface: SurfaceModel, rng: inout SeededRandom) -> [(contract: VXContract, settle: Double)] {
        let close = EasternTime.close(on: surface.session)
        let window = 30 * 1440
        return VXSchedule.curve(on: surface.session, config: config).map { contract in
            let start = EasternTime.open(on: contract.expiry).minutes(since: close)
            let w1 = surface.modelFreeTotalVariance(minutes: start)
            let w2 = surface.modelFreeTotalVariance(minutes: start + window)
            let forwardVariance = max(w2 - w1, 0) / (Double(window) / SurfaceModel.minutesPerYear)
            let t1 = Double(start) / SurfaceModel.minutesPerYear
            let kappa = config.meanReversionPerYear
            let s2 = pow(2 * config.vixVolatilityForConvexity, 2) * (-expm1(-2 * kappa * t1)) / (2 * kappa) / 4
            let fair = 100 * forwardVariance.squareRoot() * (1 - expm1(s2) / 8)
            let settle = max(fair + config.vxSettleNoiseStdDev * rng.normal(), 1)
            return (contract, (settle * 10_000).rounded() / 10_000)
        }
    }

    // MARK: - Files

    func writeHistories(_ market: Market, into sink: inout FileSink) throws(SimulationError) {
        let states = market.states
        let spx = states.map { IndexBar(symbol: "SPX", date: $0.date, open: $0.open, high: $0.high, low: $0.low, close: $0.close) }
        let vix = volatilityIndexBars(market, "VIX", market.indices.map(\.vix), stream: 1)
        try sink.write("cboe/index/SPX_History.csv", VendorFormats.indexHistoryCSV(spx))
        try sink.write("cboe/index/VIX_History.csv", VendorFormats.indexHistoryCSV(vix))
        try sink.write("cboe/index/VIX9D_History.csv",
                       VendorFormats.indexHistoryCSV(volatilityIndexBars(market, "VIX9D", market.indices.map(\.vix9d), stream: 2)))
        try sink.write("cboe/index/VIX3M_History.csv",
                       VendorFormats.indexHistoryCSV(volatilityIndexBars(market, "VIX3M", market.indices.map(\.vix3m), stream: 3)))
        try sink.write("breadth/advance_decline.csv", VendorFormats.breadthCSV(states))
        let rateByDate = Dictionary(uniqueKeysWithValues: states.map { ($0.date, $0.rate * 100) })
        try sink.write("rates/DGS3MO.csv", VendorFormats.fredDGS3MOCSV(from: states[0].date, through: states[states.count - 1].date,
                                                                       ratePercent: { rateByDate[$0] }))
        // The calendar the market moved on, from the history start through the last listed expiry, so
        // the pipeline's event logic sees the same days the simulator used.
        let lastExpiry = market.listed.last?.last?.date ?? states[states.count - 1].date
        try sink.write("events/events.csv", VendorFormats.eventsCSV(market.events.filter { $0.date >= states[0].date && $0.date <= lastExpiry }))

        for (i, curve) in market.vxCurves.enumerated() {
            try sink.write("cfe/vx_curve/\(states[i].date.isoString).csv", VendorFormats.vxCurveCSV(curve.map { ($0.contract.expiry, $0.contract.symbol, $0.settle) }))
        }
        // Per-contract CFE histories of the monthlies: every listed day, then the final settlement at the
        // VIX opening value on expiry morning when that falls inside the history.
        var rows: [VXContract: [VendorFormats.FuturesHistoryRow]] = [:]
        let vixOpenByDate = Dictionary(uniqueKeysWithValues: vix.map { ($0.date, $0.open ?? $0.close) })
        var futuresRNG = SeededRandom(seed: config.seed, stream: RandomStream.futures &+ 100)
        for (i, curve) in market.vxCurves.enumerated() {
            for (position, row) in curve.enumerated() where !row.contract.isWeekly {
                rows[row.contract, default: []].append(futuresRow(date: states[i].date, settle: row.settle,
                                                                  previous: rows[row.contract]?.last, position: position,
                                                                  rng: &futuresRNG))
            }
        }
        for contract in rows.keys.sorted() {
            var history = rows[contract]!
            if let finalValue = vixOpenByDate[contract.expiry] {
                let settle = (finalValue * 10_000).rounded() / 10_000
                history.append(VendorFormats.FuturesHistoryRow(tradeDate: contract.expiry, open: 0, high: 0, low: 0, close: 0,
                                                               settle: settle, change: settle - history.last!.settle,
                                                               volume: 0, efp: 0, openInterest: 0))
            }
            try sink.write("cfe/per_contract/\(contract.historyFileName)", VendorFormats.cfePerContractCSV(contract: contract, rows: history))
        }
    }

    /// Daily bars of a volatility index from its closes: the open sits part-way from the prior close, high
    /// and low a little beyond. One stream per index, so a longer range only appends rows.
    func volatilityIndexBars(_ market: Market, _ symbol: String, _ closes: [Double], stream: UInt64) -> [IndexBar] {
        var rng = SeededRandom(seed: config.seed, stream: RandomStream.indices &+ stream << 8)
        return closes.indices.map { i in
            let close = closes[i], previous = i > 0 ? closes[i - 1] : close
            let open = previous + (close - previous) * 0.4 * rng.uniform() + 0.15 * rng.normal()
            let high = max(open, close) * (1 + 0.02 * abs(rng.normal()))
            let low = min(open, close) * (1 - 0.02 * abs(rng.normal()))
            return IndexBar(symbol: symbol, date: market.states[i].date, open: open, high: high, low: low, close: close)
        }
    }

    /// A per-contract history row: trading prices on the 0.05 grid around the settle, volume and open
    /// interest that fall with the contract's place on the curve.
    func futuresRow(date: CalendarDate, settle: Double, previous: VendorFormats.FuturesHistoryRow?, position: Int,
                    rng: inout SeededRandom) -> VendorFormats.FuturesHistoryRow {
        func grid(_ x: Double) -> Double { (x * 20).rounded() / 20 }
        let previousSettle = previous?.settle ?? settle
        let open = grid(previousSettle + 0.3 * rng.normal())
        let close = grid(settle + 0.05 * rng.normal())
        let high = max(open, close) + grid(0.4 * abs(rng.normal()))
        let low = max(0.05, min(open, close) - grid(0.4 * abs(rng.normal())))
        let scale = exp(-0.45 * Double(position))
        let volume = Int((90_000 * scale * rng.lognormalFactor(sigma: 0.4)).rounded())
        let openInterest = Int((160_000 * scale * rng.lognormalFactor(sigma: 0.2)).rounded())
        return VendorFormats.FuturesHistoryRow(tradeDate: date, open: open, high: high, low: low, close: close, settle: settle,
                                               change: previous == nil ? 0 : settle - previousSettle,
                                               volume: volume, efp: Int((Double(volume) * 0.01 * rng.uniform()).rounded()),
                                               openInterest: openInterest)
    }

    /// The option chain file (in `format`) and truth JSON of chain day `dayIndex`.
    func chainAndTruth(_ market: Market, dayIndex i: Int, format: ChainFileFormat = .cboeOptionsJSON) -> (chain: TextBuffer, truth: TextBuffer) {
        let state = market.states[i]
        let surface = market.surfaces[i]
        let slices = market.listed[i].map(surface.slice(for:))
        var rng = SeededRandom(seed: config.seed, stream: RandomStream.chainBase &+ UInt64(state.date.dayNumber))
        let builder = ChainBuilder(config: config, today: surface, yesterday: market.surfaces[i - 1])
        var records = builder.build(slices: slices, rng: &rng)
        let planted = ChainBuilder.plantBadQuotes(in: &records, plan: config.badQuotes, rng: &rng)
        // The seqno draw comes first whatever the format, so the truth files stay the same.
        let seqno = 100_000_000 + rng.integer(below: 900_000_000)
        let chain: TextBuffer
        if format == .dataShopEOD {
            chain = VendorFormats.dataShopEODCSV(state: state, records: records)
        } else {
            let underlying = VendorFormats.ChainUnderlying(name: "SPX", session: state.date, open: state.open, high: state.high, low: state.low,
                                                           close: state.close, previousClose: state.previousClose, halfSpread: 0.5,
                                                           iv30: market.indices[i].vix, previousIV30: market.indices[i - 1].vix)
            chain = VendorFormats.cboeOptionsJSON(underlying: underlying, seqno: seqno, records: records)
        }
        let lastExpiry = market.listed[i].last?.date ?? state.date
        let events = market.events.filter { $0.date >= market.states[0].date && $0.date <= lastExpiry }
        let truth = TruthJSON.render(state: state, surface: surface, slices: slices, indices: market.indices[i],
                                     events: events, planted: planted, contracts: records.count)
        return (chain, truth)
    }
}

extension MarketSimulator {
    /// The VIX option chain of chain day `dayIndex`: its expiries (forward = that day's VX settle), the
    /// records and the `_VIX.json` text. Its own random stream per day, so the SPX files do not change.
    func vixChain(_ market: Market, dayIndex i: Int) -> (slices: [VIXOptionSlice], records: [QuoteRecord], json: TextBuffer) {
        let state = market.states[i]
        let builder = VIXChainBuilder(config: config)
        let slices = builder.slices(session: state.date, rate: state.rate, curve: market.vxCurves[i])
        var previous: [VXContract: Double] = [:]
        for row in market.vxCurves[i - 1] { previous[row.contract] = row.settle }
        var rng = SeededRandom(seed: config.seed, stream: RandomStream.vixChainBase &+ UInt64(state.date.dayNumber))
        let records = builder.build(slices: slices, rate: state.rate, previousSettles: previous, rng: &rng)
        // The VIX bars are a pure function of the market (their own stream), so the index block matches
        // the VIX history file's row of the day.
        let bars = volatilityIndexBars(market, "VIX", market.indices.map(\.vix), stream: 1)
        let vvix = builder.atmVolatility30Day() * 100
        let underlying = VendorFormats.ChainUnderlying(name: "VIX", session: state.date, open: bars[i].open ?? bars[i].close,
                                                       high: bars[i].high ?? bars[i].close, low: bars[i].low ?? bars[i].close,
                                                       close: bars[i].close, previousClose: bars[i - 1].close, halfSpread: 0.01,
                                                       iv30: vvix, previousIV30: vvix)
        let json = VendorFormats.cboeOptionsJSON(underlying: underlying, seqno: 100_000_000 + rng.integer(below: 900_000_000),
                                                 records: records)
        return (slices, records, json)
    }
}

/// Writes files under the output directory, creating folders as needed, and remembers what it wrote.
struct FileSink {
    let root: URL
    private(set) var written: [String] = []
    private var createdDirectories = Set<String>()

    init(root: URL) { self.root = root }

    mutating func write(_ relativePath: String, _ buffer: TextBuffer) throws(SimulationError) {
        let url = root.appendingPathComponent(relativePath)
        let directory = url.deletingLastPathComponent()
        do {
            if !createdDirectories.contains(directory.path) {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                createdDirectories.insert(directory.path)
            }
            try buffer.data.write(to: url)
        } catch {
            throw SimulationError.writeFailed(path: url.path, reason: "\(error.localizedDescription)")
        }
        if relativePath != "manifest.json" { written.append(relativePath) }
    }

    /// Lists files the caller keeps from an earlier write (same bytes) without writing them.
    mutating func record(_ relativePaths: [String]) { written += relativePaths }
}
