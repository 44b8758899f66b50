import Foundation
import VixShieldCore

/// The listing a reconstructed chain is priced on.
public enum ReplayListing: String, Sendable, Hashable, CaseIterable {
    /// The simulator's standard SPX listing (~29k contracts: dailies, weeklies, month-ends, monthlies,
    /// quarterlies, LEAPS), strikes out to where the wings are worthless.
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

    /// The chain of one reconstructed session as a DataShop EOD CSV.
    public static func dataShopChain(_ surface: ReconstructedSurface, listing: ReplayListing = .standard) -> Data {
        dataShopChainText(surface, listing: listing).data
    }

    static func dataShopChainText(_ surface: ReconstructedSurface, listing: ReplayListing) -> TextBuffer {
        let config = listing.config
        let slices = ExpirySchedule.listed(on: surface.session, config: config).map { expiry in
            surface.slice(minutes: expiry.expiryTime.minutes(since: EasternTime.close(on: surface.session)), expiry: expiry)
        }
        var rng = SeededRandom(seed: seed, stream: RandomStream.chainBase &+ UInt64(surface.session.dayNumber))
        let records = ChainBuilder(config: config, today: surface, yesterday: surface).build(slices: slices, rng: &rng)
        let state = SessionState(date: surface.session, open: surface.spot, high: surface.spot, low: surface.spot, close: surface.spot,
                                 previousClose: surface.spot, variance: 0, rate: surface.rate, logReturn: 0,
                                 advances: 0, declines: 0, unchanged: 0)
        return VendorFormats.dataShopEODCSV(state: state, records: records)
    }

    /// The VX settlement curve of one session (`expiration_date,symbol,settlement`).
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
            let surface: ReconstructedSurface
            do {
                surface = try ReconstructedSurface.fit(inputs, model: model)
            } catch {
                notes.append("\(inputs.session): not reconstructed: \(error)")
                continue
            }
            try sink.write(ChainFileFormat.dataShopEOD.relativePath(inputs.session), dataShopChainText(surface, listing: listing))
            try sink.write("cfe/vx_curve/\(inputs.session.isoString).csv", vxCurveText(inputs.vxCurve))
            written.append(inputs.session)
            notes.append(String(format: "%@: rho %.4f, 30-day skewness %.3f (SKEW asks %@), knots %@", inputs.session.isoString,
                                surface.rho, surface.fittedSkewness, surface.targetSkewness.map { String(format: "%.3f", $0) } ?? "none",
                                surface.knots.map(\.source).joined(separator: " ")))
            notes += surface.diagnostics.map { "\(inputs.session): \($0)" }
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
