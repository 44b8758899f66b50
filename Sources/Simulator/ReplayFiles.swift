import Foundation
import VixShieldCore
import VolMath

/// The listing a reconstructed chain is priced on.
public enum ReplayListing: String, Sendable, Hashable, CaseIterable {
    /// The simulator's standard SPX listing (dailies, weeklies, month-ends, monthlies, quarterlies,
    /// LEAPS; ~29k contracts today) with only the SPXW weekdays listed at the time
    /// (`ExpirySchedule.listedThen`), strikes out to where the wings are worthless.
    case standard
    /// Fewer expiries and a narrower strike range (a few thousand contracts), for quick trials and tests.
    case compact

    var config: SimulationConfig {
        self == .standard ? .standard(seed: ReplayFiles.seed) : .compact(seed: ReplayFiles.seed)
    }
}

/// The histories written beside the chains: what `pipelines/replay.yaml` reads besides the chain files.
public struct ReplayHistories: Sendable {
    /// Daily bars per symbol: `SPX`, `VIX`, `VIX9D`, `VIX3M` (a missing symbol writes no file).
    public var indexBars: [String: [IndexBar]]
    /// The 3-month rate in percent per date (FRED DGS3MO style).
    public var ratePercent: [CalendarDate: Double]

    public init(indexBars: [String: [IndexBar]], ratePercent: [CalendarDate: Double]) {
        self.indexBars = indexBars
        self.ratePercent = ratePercent
    }
}

/// What a reconstruction wrote.
public struct ReplayManifest: Sendable {
    /// Sessions with a chain file, in order.
    public var sessions: [CalendarDate]
    /// Every file written, relative to the output folder, sorted.
    public var files: [String]
    /// Per session, the fit's diagnostics and its parameters, one line each.
    public var notes: [String]
}

/// Writes reconstructed sessions in the history-files layout (the same one `vixshield simulate
/// --chain-format datashop` writes), so a normal backfill reads them through ingest and the archive:
/// `datashop/UnderlyingOptionsEODCalcs_<date>.csv`, `cfe/vx_curve/<date>.csv`,
/// `cboe/index/{SPX,VIX,VIX9D,VIX3M}_History.csv` and `rates/DGS3MO.csv`.
///
/// The quotes come from the simulator's chain machinery (`ChainBuilder`: strike grid, bid/ask spreads
/// widening in the wings and near expiry, sizes, open interest), with no planted bad quotes. Its draws
/// use a fixed seed and one stream per session, so the same inputs give byte-identical files. Each
/// quote's previous close is priced on the same session's surface (the DataShop file does not carry it).
public enum ReplayFiles {
    static let seed: UInt64 = 0x5245_504C_4159  // "REPLAY"

    /// Fits a session's surface so that its listed chain, by the Cboe method on the quotes' mids, gives
    /// back the published VIX9D, VIX, VIX3M and SKEW.
    ///
    /// `ReconstructedSurface.fit` matches them on the continuous smile; the listed strip differs (strike grid,
    /// truncated wings, one-tick wing quotes), so the fit's inputs are corrected by what the strip gives
    /// (index × published/listed, SKEW + published − listed) and the chain priced again, up to
    /// `iterations` times or until every index is within 0.005 points and SKEW within 0.05 (a clamped skew is left alone). The quotes' noise
    /// has a fixed seed per session, so the corrections converge and the result is deterministic.
    public static func reconstruct(_ inputs: ReconstructionInputs, listing: ReplayListing = .standard,
                                   model: ReconstructionModel = ReconstructionModel(), iterations: Int = 6)
        throws(ReconstructionError) -> ReconstructedChain {
        var adjusted = inputs
        var surface = try ReconstructedSurface.fit(adjusted, model: model)
        var records = chainRecords(surface, listing: listing)
        var listed = listedIndices(records, session: inputs.session, rate: inputs.rate)
        for _ in 1..<max(iterations, 1) {
            var converged = true
            func correct(_ published: Double?, _ listedValue: Double?, _ value: inout Double?, tolerance: Double, additive: Bool) {
                guard let published, let listedValue, let current = value, listedValue > 0 else { return }
                guard abs(published - listedValue) > tolerance else { return }
                converged = false
                value = additive ? current + (published - listedValue) : current * published / listedValue
            }
            var vix: Double? = adjusted.vix
            correct(inputs.vix, listed.vix, &vix, tolerance: 0.005, additive: false)
            adjusted.vix = vix!
            correct(inputs.vix9d, listed.vix9d, &adjusted.vix9d, tolerance: 0.005, additive: false)
            correct(inputs.vix3m, listed.vix3m, &adjusted.vix3m, tolerance: 0.005, additive: false)
            // A clamped skew cannot move: correcting its input would only inflate it.
            if !surface.skewClamped { correct(inputs.skew, listed.skew, &adjusted.skew, tolerance: 0.05, additive: true) }
            if converged { break }
            surface = try ReconstructedSurface.fit(adjusted, model: model)
            records = chainRecords(surface, listing: listing)
            listed = listedIndices(records, session: inputs.session, rate: inputs.rate)
        }
        return ReconstructedChain(published: inputs, surface: surface, listed: listed, records: records)
    }

    /// The quotes of a session's chain on `surface`: the listing's expiries, one seeded stream per session.
    static func chainRecords(_ surface: ReconstructedSurface, listing: ReplayListing) -> [QuoteRecord] {
        let config = listing.config
        let close = EasternTime.close(on: surface.session)
        let slices = ExpirySchedule.listedThen(on: surface.session, config: config).map { expiry in
            surface.slice(minutes: expiry.expiryTime.minutes(since: close), expiry: expiry)
        }
        var rng = SeededRandom(seed: seed, stream: RandomStream.chainBase &+ UInt64(surface.session.dayNumber))
        // Each quote's previous close is priced on the same slices (solving θ is the costly part).
        let priced = PricedSlices(session: surface.session, spot: surface.spot, rate: surface.rate,
                                  byMinutes: Dictionary(slices.map { ($0.minutesToExpiry, $0) }, uniquingKeysWith: { a, _ in a }),
                                  surface: surface)
        return ChainBuilder(config: config, today: priced, yesterday: priced).build(slices: slices, rng: &rng)
    }

    /// A surface's slices at the listed expiries, computed once.
    struct PricedSlices: ChainSurface {
        let session: CalendarDate
        let spot: Double
        let rate: Double
        let byMinutes: [Int: TrueSlice]
        let surface: ReconstructedSurface

        func slice(minutes: Int, expiry: ListedExpiry) -> TrueSlice {
            guard var s = byMinutes[minutes] else { return surface.slice(minutes: minutes, expiry: expiry) }
            s.expiry = expiry
            return s
        }
    }

    /// The Cboe-method VIX9D, VIX, VIX3M (9, 30 and 93 days) and SKEW (30 days) of a chain's quotes.
    static func listedIndices(_ records: [QuoteRecord], session: CalendarDate, rate: Double) -> ListedIndices {
        let close = EasternTime.close(on: session)
        var byExpiry: [EasternTime: [OptionContract: QuoteRecord]] = [:]
        for r in records { byExpiry[r.contract.expiryTime, default: [:]][r.contract] = r }
        var terms: [ListedTerm] = []
        for time in byExpiry.keys.sorted() {
            let quotes = byExpiry[time]!
            let strikes = StrikeQuotes.table(quotes.map { (contract: $0.key, bid: Double($0.value.bidCents) / 100, ask: Double($0.value.askCents) / 100) })
            let minutes = time.minutes(since: close)
            guard minutes > 0, let first = quotes.keys.first,
                  let term = try? ModelFreeVariance.term(strikes: strikes, timeToExpiryYears: Double(minutes) / ModelFreeVariance.minutesPerYear,
                                                         rate: rate) else { continue }
            terms.append(ListedTerm(expiry: first.expiry, settlement: first.settlement, minutesToExpiry: minutes, term: term))
        }
        func index(_ days: Int) -> Double? {
            ModelFreeVariance.constantMaturityIndex(terms, targetMinutes: Double(days * 1440), minimumMinutes: 1440)
        }
        return ListedIndices(vix9d: index(9), vix: index(30), vix3m: index(93),
                             skew: ModelFreeVariance.skewIndex(terms, targetMinutes: ModelFreeVariance.thirtyDayMinutes, minimumMinutes: 1440))
    }

    static func vxCurveText(_ rows: [VXSettlementInput]) -> TextBuffer {
        VendorFormats.vxCurveCSV(rows.sorted { ($0.expiry, $0.symbol) < ($1.expiry, $1.symbol) }.map { ($0.expiry, $0.symbol, $0.settle) })
    }

    /// Fits and writes every session, then the histories.
    ///
    /// Blocking file I/O. A session whose fit fails is left out (no chain file: the backfill sees a
    /// missing input) and named in `notes`.
    public static func write(sessions: [ReconstructionInputs], histories: ReplayHistories, into directory: URL,
                             listing: ReplayListing = .standard, model: ReconstructionModel = ReconstructionModel())
        throws(SimulationError) -> ReplayManifest {
        var sink = FileSink(root: directory)
        var written: [CalendarDate] = []
        var notes: [String] = []
        for inputs in sessions.sorted(by: { $0.session < $1.session }) {
            let chain: ReconstructedChain
            do {
                chain = try reconstruct(inputs, listing: listing, model: model)
            } catch {
                notes.append("\(inputs.session): not reconstructed: \(error)")
                continue
            }
            try sink.write(ChainFileFormat.dataShopEOD.relativePath(inputs.session), chain.dataShopText)
            try sink.write("cfe/vx_curve/\(inputs.session.isoString).csv", vxCurveText(inputs.vxCurve))
            written.append(inputs.session)
            notes.append(chain.summary)
            notes += chain.surface.diagnostics.map { "\(inputs.session): \($0)" }
        }
        for symbol in ["SPX", "VIX", "VIX9D", "VIX3M"] {
            guard let bars = histories.indexBars[symbol], !bars.isEmpty else { continue }
            try sink.write("cboe/index/\(symbol)_History.csv", VendorFormats.indexHistoryCSV(bars.sorted { $0.date < $1.date }))
        }
        let rateDates = histories.ratePercent.keys
        if let first = rateDates.min(), let last = rateDates.max() {
            try sink.write("rates/DGS3MO.csv", VendorFormats.fredDGS3MOCSV(from: first, through: last, ratePercent: { histories.ratePercent[$0] }))
        }
        return ReplayManifest(sessions: written, files: sink.written.sorted(), notes: notes)
    }
}

/// The Cboe-method indices of a listed chain (nil where its expiries do not bracket the target).
public struct ListedIndices: Sendable, Hashable {
    public var vix9d: Double?
    public var vix: Double?
    public var vix3m: Double?
    public var skew: Double?
}

/// One reconstructed session: the surface its chain is priced on and what that chain's strips give.
public struct ReconstructedChain: Sendable {
    /// The published closes it reproduces.
    public let published: ReconstructionInputs
    public let surface: ReconstructedSurface
    /// The Cboe-method indices of the written chain.
    public let listed: ListedIndices
    let records: [QuoteRecord]

    /// The chain as a Cboe DataShop EOD CSV.
    public var dataShopCSV: Data { dataShopText.data }

    var dataShopText: TextBuffer {
        let spot = surface.spot
        let state = SessionState(date: surface.session, open: spot, high: spot, low: spot, close: spot, previousClose: spot,
                                 variance: 0, rate: surface.rate, logReturn: 0, advances: 0, declines: 0, unchanged: 0)
        return VendorFormats.dataShopEODCSV(state: state, records: records)
    }

    /// One line: ρ, the term-structure knots, and each index of the chain against its published close.
    public var summary: String {
        func pair(_ name: String, _ listed: Double?, _ published: Double?) -> String? {
            guard let published else { return nil }
            return listed.map { String(format: "%@ %.2f (published %.2f)", name, $0, published) } ?? "\(name) not bracketed (published \(published))"
        }
        let pairs = [pair("VIX9D", listed.vix9d, published.vix9d), pair("VIX", listed.vix, published.vix),
                     pair("VIX3M", listed.vix3m, published.vix3m), pair("SKEW", listed.skew, published.skew)].compactMap { $0 }
        return String(format: "%@: rho %.4f, eta %.3f, knots %@; chain: %@", published.session.isoString, surface.rho, surface.eta,
                      surface.knots.map(\.source).joined(separator: " "), pairs.joined(separator: ", "))
    }
}
