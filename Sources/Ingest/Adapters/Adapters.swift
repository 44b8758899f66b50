import Foundation
import VixShieldCore

/// The vendor formats the pipeline reads, named as pipeline files name them (`kind: cboe_options_json`).
public enum SourceKind: String, Sendable, CaseIterable {
    /// Cboe delayed-quotes option chain JSON, any underlying.
    case cboeOptionsJSON = "cboe_options_json"
    /// Cboe DataShop Option EOD Summary CSV (with or without Calcs), plain or zipped.
    case cboeDataShopEOD = "cboe_datashop_eod"
    /// OptionsDX EOD text files (bracketed headers, a call and a put per row).
    case optionsDXEOD = "optionsdx_eod"
    /// Cboe CFE per-contract VX history (`CFE_F14_VX.csv`, or the CDN's `VX_2014-01-22.csv`).
    case cfeVXHistory = "cfe_vx_history"
    /// Cboe CFE daily VX settlement curve (`expiration_date,symbol,settlement`).
    case cfeVXCurve = "cfe_vx_curve"
    /// Cboe CFE live daily settlement file (`Product,Symbol,Expiration Date,Price`; VX and VXM kept).
    case cfeSettlementCSV = "cfe_settlement_csv"
    /// Cboe index history (`DATE,OPEN,HIGH,LOW,CLOSE` or `DATE,<SYMBOL>`).
    case cboeIndexHistory = "cboe_index_history"
    /// Yahoo-style daily OHLC (`Date,Open,High,Low,Close[,Adj Close,Volume]`), e.g. SPX.
    case ohlcCSV = "ohlc_csv"
    /// FRED rate series CSV (`observation_date,DGS3MO`, percent, `.` for missing).
    case fredCSV = "fred_csv"
    /// US Treasury daily par yield curve CSV (`Date,1 mo,2 mo,…,30 yr`).
    case treasuryParCurve = "treasury_par_curve"
    /// Daily breadth: advances, declines and unchanged per date.
    case breadthCSV = "breadth_csv"
    /// The project's event calendar format (`date,time_et,kind,label[,scheduled]`).
    case eventsCSV = "events_csv"
}

extension SourceKind {
    /// The `options:` keys this kind's adapter reads (see `AdapterContext.options`); any other key in
    /// a pipeline file is a typo and an error.
    public var optionKeys: Set<String> {
        switch self {
        case .cboeDataShopEOD: ["compression", "origin"]
        case .optionsDXEOD: ["root", "underlying", "origin"]
        case .cboeIndexHistory, .ohlcCSV: ["symbol"]
        case .fredCSV: ["series", "tenor_years", "date_column"]
        case .breadthCSV: ["universe", "prefix"]
        case .cboeOptionsJSON: ["origin"]
        case .cfeVXHistory, .cfeVXCurve, .cfeSettlementCSV, .treasuryParCurve, .eventsCSV: []
        }
    }
}

/// What an adapter knows about a payload besides its bytes.
public struct AdapterContext: Sendable {
    /// File name or URL, used in every error and diagnostic (`VIX_History.csv:17: …`).
    public var sourceName: String
    /// The session the pipeline expects. Trade-date-less formats (the VX curve) need it; option chains
    /// are quality-flagged against it (a chain of another session is `stale_session`). Leave it nil
    /// for multi-session files (DataShop, OptionsDX monthly files): each snapshot is then flagged
    /// against its own session, and the caller picks the session it wants.
    public var asOf: CalendarDate?
    /// Per-source options from the pipeline file. Read: `symbol` (index files), `root` and `underlying`
    /// (OptionsDX), `compression` = `zip` or `none` (DataShop), `series`, `tenor_years` and
    /// `date_column` (FRED), `universe` and `prefix` (breadth: `prefix: nyse` reads `nyse_advancers`…).
    /// `origin` (option chains) is read by the normalize stage, not by the adapters.
    public var options: [String: String]

    public init(sourceName: String, asOf: CalendarDate? = nil, options: [String: String] = [:]) {
        self.sourceName = sourceName
        self.asOf = asOf
        self.options = options
    }
}

/// Canonical rows an adapter produced.
public enum ParsedPayload: Sendable {
    case optionChains([OptionChainSnapshot])
    case vixFutures([VIXFutureSettlement])
    case indexBars([IndexBar])
    case rates([RateObservation])
    case breadth([BreadthRow])
    case events([MarketEvent])
}

/// Rows plus what went wrong with individual rows.
public struct ParseOutcome: Sendable {
    public var payload: ParsedPayload
    /// Row-level problems (row skipped, or kept with flags), in file order.
    public var diagnostics: [Diagnostic]

    public init(payload: ParsedPayload, diagnostics: [Diagnostic]) {
        self.payload = payload
        self.diagnostics = diagnostics
    }
}

/// The one entry point from raw bytes to canonical rows: a pure function of (kind, bytes, context).
///
/// Error policy, the same for every format:
/// - **Thrown** (`AdapterError`, nothing from the payload may be stored): the payload is not the
///   format at all — empty, not UTF-8, not JSON / not a zip, truncated JSON, a required column or
///   field missing from the header or document, or no row survived (every row bad). A header with
///   no rows is not an error: it loads as an empty payload with an `info` diagnostic.
/// - **Diagnostic, row skipped**: a row that cannot become a canonical row (unparseable date, symbol
///   or number, wrong column count, a zero or negative settle/close, a duplicate key of a history).
/// - **Diagnostic, row kept with flags**: option quotes are never dropped for their values; they are
///   flagged by `QuoteQuality.normalize` against `context.asOf` (or the snapshot's own session when no
///   as-of is given), which is run here so every chain leaves the adapter normalized.
///
/// The lead adds the breadth, FRED and events kinds at merge time; each new kind is one `case` here.
public enum Adapters {
    /// Parses one payload of `kind` into canonical rows plus row-level diagnostics; throws a one-line
    /// `AdapterError` (what and where) when the payload as a whole is unusable.
    public static func parse(_ kind: SourceKind, data: Data, context: AdapterContext) throws(AdapterError) -> ParseOutcome {
        switch kind {
        case .cboeOptionsJSON:
            let (chains, diagnostics) = try CboeOptionsJSON.parse(data, context: context)
            return normalized(chains, diagnostics: diagnostics, context: context)
        case .cboeDataShopEOD:
            let (chains, diagnostics) = try CboeDataShopEOD.parse(data, context: context)
            return normalized(chains, diagnostics: diagnostics, context: context)
        case .optionsDXEOD:
            let (chains, diagnostics) = try OptionsDXEOD.parse(data, context: context)
            return normalized(chains, diagnostics: diagnostics, context: context)
        case .cfeVXHistory:
            let (rows, diagnostics) = try CFEVXHistory.parsePerContract(data, context: context)
            return ParseOutcome(payload: .vixFutures(rows), diagnostics: diagnostics)
        case .cfeVXCurve:
            let (rows, diagnostics) = try CFEVXHistory.parseCurve(data, context: context)
            return ParseOutcome(payload: .vixFutures(rows), diagnostics: diagnostics)
        case .cfeSettlementCSV:
            let (rows, diagnostics) = try CFESettlementCSV.parse(data, context: context)
            return ParseOutcome(payload: .vixFutures(rows), diagnostics: diagnostics)
        case .cboeIndexHistory, .ohlcCSV:
            let (rows, diagnostics) = try IndexHistory.parse(data, kind: kind, context: context)
            return ParseOutcome(payload: .indexBars(rows), diagnostics: diagnostics)
        case .fredCSV:
            let tenor = try context.options["tenor_years"].map { text throws(AdapterError) -> Double in
                guard let v = Double(text), v > 0 else { throw AdapterError(source: context.sourceName, field: "tenor_years", "not a positive number: \(text)") }
                return v
            }
            let (rows, diagnostics) = try FREDCSV.parse(data, source: context.sourceName, seriesID: context.options["series"],
                                                        tenorYears: tenor, dateColumn: context.options["date_column"])
            return ParseOutcome(payload: .rates(rows), diagnostics: diagnostics)
        case .treasuryParCurve:
            let (rows, diagnostics) = try TreasuryParCurveCSV.parse(data, source: context.sourceName)
            return ParseOutcome(payload: .rates(rows), diagnostics: diagnostics)
        case .breadthCSV:
            let universe = context.options["universe"] ?? "NYSE"
            let columns = context.options["prefix"].map { BreadthCSV.Columns.prefixed($0, universe: universe) }
                ?? .generic(universe: universe)
            let (rows, diagnostics) = try BreadthCSV.parse(data, source: context.sourceName, columns: columns)
            return ParseOutcome(payload: .breadth(rows), diagnostics: diagnostics)
        case .eventsCSV:
            let (rows, diagnostics) = try EventsCSV.parse(data, source: context.sourceName)
            return ParseOutcome(payload: .events(rows), diagnostics: diagnostics)
        }
    }

    private static func normalized(_ chains: [OptionChainSnapshot], diagnostics: [Diagnostic],
                                   context: AdapterContext) -> ParseOutcome {
        var all = diagnostics
        var out: [OptionChainSnapshot] = []
        out.reserveCapacity(chains.count)
        for chain in chains {
            let label = chains.count > 1 ? "\(context.sourceName) [\(chain.session) \(chain.quoteSet.rawValue)]" : context.sourceName
            let (flagged, notes) = QuoteQuality.normalize(chain, session: context.asOf ?? chain.session, source: label)
            out.append(flagged)
            all += notes
        }
        return ParseOutcome(payload: .optionChains(out), diagnostics: all)
    }
}

// MARK: - Shared row handling

/// Collects skipped rows of a CSV format and enforces "a file whose rows are all bad is an error".
struct RowRejections {
    let source: String
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var rejected = 0
    private var first: AdapterError?

    init(source: String) { self.source = source }

    /// Records a skipped row.
    mutating func reject(_ error: AdapterError) {
        rejected += 1
        if first == nil { first = error }
        var location = error.source
        if let line = error.line { location += ":\(line)" }
        let field = error.field.map { "\($0): " } ?? ""
        diagnostics.append(Diagnostic(.warning, location, "\(field)\(error.message); row skipped"))
    }

    /// Notes a file that holds a header and no data rows.
    mutating func noteIfHeaderOnly(dataRows: Int, headerLine: Int) {
        if dataRows == 0 { note(.info, line: headerLine, "header only: no data rows") }
    }

    /// Records a note about a kept or deliberately skipped row that is not a fault of the file.
    mutating func note(_ severity: Diagnostic.Severity, line: Int, _ message: String) {
        diagnostics.append(Diagnostic(severity, "\(source):\(line)", message))
    }

    /// Throws when rows were present but none loaded. A header with no rows is a valid, empty file
    /// (a contract not yet listed); the caller reports it with `headerOnlyNote`.
    func requireRows(loaded: Int, dataRows: Int) throws(AdapterError) {
        guard loaded == 0, dataRows > 0 else { return }
        if let first {
            throw AdapterError(source: source, "no usable rows (\(rejected) rejected; first: \(first.description))")
        }
        if let note = diagnostics.first {
            throw AdapterError(source: source, "no usable rows (\(diagnostics.count) skipped; first: \(note.location): \(note.message))")
        }
        throw AdapterError(source: source, "no usable rows")
    }
}

enum FieldParsing {
    /// Rejects a row whose width differs from the header's. Trailing empty fields are allowed (some
    /// Cboe downloads end data rows, but not the header, with a comma).
    static func checkWidth(_ row: CSVTable.Row, headerCount: Int, source: String) throws(AdapterError) {
        if row.fields.count == headerCount { return }
        if row.fields.count > headerCount,
           row.fields[headerCount...].allSatisfy({ $0.allSatisfy { $0 == " " } }) { return }
        throw AdapterError(source: source, line: row.line, "\(row.fields.count) fields, header has \(headerCount)")
    }

    /// A decimal like `5000`, `5000.5` or `5000.000` as exact thousandths; nil for anything else,
    /// including more than three non-zero decimals (strikes are quoted to at most 0.001).
    static func milli(_ text: some StringProtocol) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 9,
              parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let whole = Int(parts[0]) else { return nil }
        var frac = 0
        if parts.count == 2 {
            var digits = Substring(parts[1])
            while digits.count > 3, digits.last == "0" { digits = digits.dropLast() }
            guard digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            frac = (Int(digits) ?? 0) * [1000, 100, 10, 1][digits.count]
        }
        return whole * 1000 + frac
    }

    /// A number for an identifier or a name: whole values without the `.0` (`5900`, not `5900.0`), any
    /// other value as Swift prints it (`5900.5`, `1e+20`): huge values never reach `Int(_:)`, which traps.
    static func plainNumber(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    /// The file name of a path or URL (`…/VIX_History.csv` → `VIX_History.csv`).
    static func baseName(_ source: String) -> String {
        String(source.split(separator: "/").last ?? Substring(source))
    }
}

extension CSVTable.Row {
    /// A date written `YYYY-MM-DD` or, unless `usSlashed` is false, `M/D/YYYY`.
    func date(_ index: Int, named name: String, source: String, usSlashed: Bool = true) throws(AdapterError) -> CalendarDate {
        let text = try field(index, named: name, source: source)
        guard let date = CalendarDate(iso: text) ?? (usSlashed ? CalendarDate(usSlashed: text) : nil) else {
            throw AdapterError(source: source, line: line, field: name, "not a date: \"\(text.prefix(40))\"")
        }
        return date
    }

    /// A quote field: empty gives `empty` (NaN unless told otherwise) and a literal NaN stays NaN, so
    /// the quote is kept and flagged; any other text that is not a number makes the row corrupt.
    func quoteValue(_ index: Int, named name: String, source: String, empty: Double = .nan) throws(AdapterError) -> Double {
        let text = try field(index, named: name, source: source)
        if text.isEmpty { return empty }
        guard let v = Double(text) else {
            throw AdapterError(source: source, line: line, field: name, "not a number: \"\(text.prefix(40))\"")
        }
        return v
    }
}
