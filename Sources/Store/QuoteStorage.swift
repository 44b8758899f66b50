import GRDB
import GRDBSQLite
import VixShieldCore

/// How option quotes are stored (migration 010, whose header explains the layout): `quote_series` rows for
/// what a series' quotes share, `quote_rows` with fixed-point numbers under a rowid that encodes series and
/// rank, `quote_flag_sets` for the flags' names, and the `option_quotes` view that gives back every former
/// column. Writes go to the tables; reads may use the view.
enum QuoteStorage {
    // MARK: Fixed point

    /// Scales of the fixed-point columns (`bid_e4` holds bid × 10^4, …).
    enum Scale {
        static let price = 1e4, vendor = 1e6, vol = 1e12, delta = 1e9, gamma = 1e11, perPointGreek = 1e7
    }

    /// A stored number: an INTEGER in units of the column's scale, the REAL itself, or NULL.
    enum Cell: Equatable {
        case null, integer(Int64), real(Double)

        var databaseValue: DatabaseValue {
            switch self {
            case .null: return .null
            case .integer(let n): return n.databaseValue
            case .real(let x): return x.databaseValue
            }
        }
    }

    /// A vendor's number as an INTEGER in units of 1/`scale` when that gives it back exactly (`n / scale == x`
    /// in IEEE arithmetic, which is what the view computes), else the REAL itself: nothing is rounded.
    static func exact(_ x: Double?, scale: Double) -> Cell {
        guard let x else { return .null }
        let scaled = (x * scale).rounded()
        if scaled.magnitude < 0x1p53, scaled / scale == x { return .integer(Int64(scaled)) }
        return .real(x)
    }

    /// A computed number rounded to 1/`scale` as an INTEGER (the REAL itself when it is beyond the integer range
    /// or not finite).
    static func rounded(_ x: Double?, scale: Double) -> Cell {
        guard let x else { return .null }
        let scaled = (x * scale).rounded()
        if scaled.magnitude < 0x1p62 { return .integer(Int64(scaled)) }
        return .real(x)
    }

    /// The SQL functions migration 010 converts the former table with (the writer's own rules).
    static func migrationFunctions() -> [DatabaseFunction] {
        [
            DatabaseFunction("fixed_point_exact", argumentCount: 2, pure: true) { args in
                exact(Double.fromDatabaseValue(args[0]), scale: Double.fromDatabaseValue(args[1]) ?? 1).databaseValue
            },
            DatabaseFunction("fixed_point_rounded", argumentCount: 2, pure: true) { args in
                rounded(Double.fromDatabaseValue(args[0]), scale: Double.fromDatabaseValue(args[1]) ?? 1).databaseValue
            },
        ]
    }

    /// The surface stage's numeric columns, in the order of `surfaceCells`.
    static let surfaceColumns = "iv_e12, surface_iv_e12, delta_e9, gamma_e11, vega_per_vol_point_e7, theta_per_day_e7"

    /// One contract's surface results as stored (NULLs without a result), in the order of `surfaceColumns`.
    static func surfaceCells(_ s: OptionSurfaceResult?) -> [Cell] {
        [rounded(s?.iv, scale: Scale.vol), rounded(s?.surfaceIv, scale: Scale.vol), rounded(s?.delta, scale: Scale.delta),
         rounded(s?.gamma, scale: Scale.gamma), rounded(s?.vegaPerVolPoint, scale: Scale.perPointGreek),
         rounded(s?.thetaPerDay, scale: Scale.perPointGreek)]
    }

    // MARK: Keys

    /// Series of one day are numbered day × 2^16 + n; quotes of one series are series × 2^16 + rank.
    static let perKey: Int64 = 1 << 16

    static func seriesRange(_ day: CalendarDate) -> ClosedRange<Int64> {
        let first = Int64(day.dayNumber) * perKey
        return first...(first + perKey - 1)
    }

    static func quoteRange(series: Int64) -> ClosedRange<Int64> { (series * perKey)...(series * perKey + perKey - 1) }

    /// The rows of one as-of date, for the merge: a condition on `quote_rows` given the date as `argument` (`?`
    /// or a named parameter). A day's quote ids are exactly day × 2^32 ..< (day + 1) × 2^32, so the condition is
    /// a rowid range (the table's key) and needs no look-up in the series table.
    static func rowsOfDate(argument: String) -> String {
        let date = argument == "?" ? "?1" : argument  // used twice: one numbered parameter
        let first = "(CAST(julianday(\(date)) - 2440587.5 AS INTEGER) << 32)"
        return "quote_id BETWEEN \(first) AND \(first) + \(perKey * perKey - 1)"
    }

    // MARK: Writes

    /// Deletes one chain partition: its rows (by their series' rowid ranges) and its series.
    static func deleteChain(_ db: Database, _ key: ChainKey) throws {
        for series in try seriesIds(db, key).values {
            let rows = quoteRange(series: series)
            try db.execute(sql: "DELETE FROM quote_rows WHERE quote_id BETWEEN ? AND ?", arguments: [rows.lowerBound, rows.upperBound])
        }
        try db.execute(sql: "DELETE FROM quote_series WHERE as_of = ? AND underlying = ? AND quote_set = ?",
                       arguments: [key.asOf, key.underlying, key.quoteSet])
    }

    /// Inserts one chain's quotes (its partition deleted before) with the surface columns set on them. Only
    /// what needs the database is left here (the series ids, the rows' binding and stepping): the checks and
    /// the order are the chain's, made before the transaction (`PreparedChain`).
    static func insertChain(_ db: Database, _ chain: PreparedChain, surface: SurfaceColumns?) throws {
        let surface = try surface ?? chain.surfaceColumns([])
        let seriesIds = try assignSeriesIds(db, chain.key, count: chain.series.count)
        let insertSeries = try db.cachedStatement(sql: """
            INSERT INTO quote_series (series_id, as_of, underlying, quote_set, root, expiry, settlement) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        let key = chain.key
        for (s, id) in zip(chain.series, seriesIds) {
            try insertSeries.execute(arguments: [id, key.asOf, key.underlying, key.quoteSet, s.name.root, s.name.expiry, s.settlement])
        }
        // Bound with SQLite's own calls: GRDB's per-row argument arrays (21 boxed values a quote) were most of
        // the cost of writing a chain, and this runs inside the date's transaction, which backfill jobs take in turn.
        let insert = try db.makeStatement(sql: """
            INSERT INTO quote_rows (quote_id, is_put, strike_milli, seq, bid_e4, ask_e4, bid_size, ask_size, last_e4, volume,
                open_interest, vendor_iv_e6, vendor_delta_e6, flags, iv_issue, \(surfaceColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let row = RowBinder(statement: insert, db: db)
        try chain.quotes.withUnsafeBufferPointer { quotes in
            for (rowKey, rank) in chain.order {
                let q = quotes[rowKey.index]
                let s = surface.option(forQuote: rowKey.index)
                row.reset()
                row.bind(.integer(seriesIds[Int(rowKey.series)] * perKey + rank)); row.bind(.integer(rowKey.isPut ? 1 : 0))
                row.bind(.integer(Int64(q.strikeMilli))); row.bind(.integer(Int64(q.seq)))
                row.bind(exact(q.bid, scale: Scale.price)); row.bind(exact(q.ask, scale: Scale.price))
                row.bind(q.bidSize); row.bind(q.askSize)
                row.bind(exact(q.last, scale: Scale.price)); row.bind(q.volume); row.bind(q.openInterest)
                row.bind(exact(q.vendorIv, scale: Scale.vendor)); row.bind(exact(q.vendorDelta, scale: Scale.vendor))
                row.bind(.integer(Int64(s?.flags ?? q.flags))); row.bind(s?.ivIssue)
                for cell in surfaceCells(s) { row.bind(cell) }
                try row.step()
            }
        }
        row.reset()
        try recordFlagNames(db, surface.flagNames)
    }

    /// The fallback of the surface stage when the chain was stored by an earlier transaction: clears the
    /// chain's surface columns, then sets them contract by contract (every quote of a contract, as by symbol).
    static func updateSurface(_ db: Database, _ key: ChainKey, options: [OptionSurfaceResult]) throws {
        let clear = try db.cachedStatement(sql: """
            UPDATE quote_rows SET iv_issue = NULL, (\(surfaceColumns)) = (\(Array(repeating: "NULL", count: 6).joined(separator: ", ")))
            WHERE quote_id BETWEEN ? AND ?
            """)
        var quoteIds: [OptionContract: [Int64]] = [:]
        for (name, series) in try seriesIds(db, key) {
            guard let expiry = CalendarDate(iso: name.expiry) else { continue }
            let rows = quoteRange(series: series)
            try clear.execute(arguments: [rows.lowerBound, rows.upperBound])
            for row in try Row.fetchAll(db, sql: "SELECT quote_id, is_put, strike_milli FROM quote_rows WHERE quote_id BETWEEN ? AND ?",
                                        arguments: [rows.lowerBound, rows.upperBound]) {
                let contract = OptionContract(root: name.root, expiry: expiry, right: row["is_put"] ? .put : .call,
                                              strikeMilli: row["strike_milli"])
                quoteIds[contract, default: []].append(row["quote_id"])
            }
        }
        let update = try db.cachedStatement(sql: """
            UPDATE quote_rows SET iv_issue = ?, flags = coalesce(?, flags),
                (\(surfaceColumns)) = (\(Array(repeating: "?", count: 6).joined(separator: ", ")))
            WHERE quote_id = ?
            """)
        var flagNames: [Int: String] = [:]
        for o in options {
            guard let contract = OptionContract(symbol: o.symbol), let ids = quoteIds[contract] else { continue }
            if let flags = o.flags, let names = o.flagNames { flagNames[flags] = names }
            let cells = surfaceCells(o).map(\.databaseValue)
            for id in ids {
                try update.execute(arguments: StatementArguments([o.ivIssue, o.flags] + cells + [id]))
            }
        }
        try recordFlagNames(db, flagNames)
    }

    // MARK: Internals

    /// Binds one row's parameters in order on a prepared statement with SQLite's C calls, then steps it.
    final class RowBinder {
        private let handle: SQLiteStatement
        private let db: Database
        private var index: Int32 = 0
        /// `SQLITE_TRANSIENT`: SQLite copies the text before the call returns.
        private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

        init(statement: Statement, db: Database) {
            handle = statement.sqliteStatement
            self.db = db
        }

        func reset() {
            sqlite3_reset(handle)
            index = 0
        }

        func bind(_ cell: Cell) {
            index += 1
            switch cell {
            case .null: sqlite3_bind_null(handle, index)
            case .integer(let n): sqlite3_bind_int64(handle, index, n)
            case .real(let x): sqlite3_bind_double(handle, index, x)
            }
        }

        func bind(_ x: Double?) { bind(x.map(Cell.real) ?? .null) }

        func bind(_ text: String?) {
            index += 1
            guard let text else { sqlite3_bind_null(handle, index); return }
            sqlite3_bind_text(handle, index, text, -1, Self.transient)
        }

        func step() throws {
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                // No SQL in the error: the statement spans lines and errors are printed as one.
                throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                    message: "quote_rows: " + String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
    }

    struct SeriesName: Hashable { var root: String, expiry: String }

    /// A quote's place in a chain's insert order (`series`: its series' index in the chain's (root, expiry)
    /// order), and its index among the quotes given.
    struct RowKey: Comparable {
        var series: Int64, isPut: Bool, strikeMilli: Int, seq: Int, index: Int

        static func < (a: RowKey, b: RowKey) -> Bool {
            (a.series, a.isPut ? 1 : 0, a.strikeMilli, a.seq, a.index) < (b.series, b.isPut ? 1 : 0, b.strikeMilli, b.seq, b.index)
        }
    }

    private static func seriesIds(_ db: Database, _ key: ChainKey) throws -> [SeriesName: Int64] {
        var out: [SeriesName: Int64] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT series_id, root, expiry FROM quote_series WHERE as_of = ? AND underlying = ? AND quote_set = ?
            """, arguments: [key.asOf, key.underlying, key.quoteSet]) {
            out[SeriesName(root: row["root"], expiry: row["expiry"])] = row["series_id"]
        }
        return out
    }

    /// Ids for `count` series of the chain, in the chain's series order: the day's lowest free numbers.
    private static func assignSeriesIds(_ db: Database, _ key: ChainKey, count: Int) throws -> [Int64] {
        guard let day = CalendarDate(iso: key.asOf) else { throw QuoteStorageError.badDate(key.asOf) }
        let range = seriesRange(day)
        let taken = Set(try Int64.fetchAll(db, sql: "SELECT series_id FROM quote_series WHERE series_id BETWEEN ? AND ?",
                                           arguments: [range.lowerBound, range.upperBound]))
        let ids = Array(range.lazy.filter { !taken.contains($0) }.prefix(count))
        guard ids.count == count else { throw QuoteStorageError.tooManySeries(key.asOf) }
        return ids
    }

    /// Adds the names of flag combinations not seen before; a combination stored with other names is an error
    /// (the names are a function of the flags, so this means two versions disagree).
    private static func recordFlagNames(_ db: Database, _ names: [Int: String]) throws {
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO quote_flag_sets (flags, flag_names) VALUES (?, ?)")
        for (flags, name) in names.sorted(by: { $0.key < $1.key }) {
            try insert.execute(arguments: [flags, name])
            let stored = try String.fetchOne(db, sql: "SELECT flag_names FROM quote_flag_sets WHERE flags = ?", arguments: [flags])
            if let stored, stored != name { throw QuoteStorageError.flagNames(flags: flags, stored, name) }
        }
    }
}

/// Why quotes could not be stored; one line each.
public enum QuoteStorageError: Error, CustomStringConvertible, Equatable {
    case notCanonical(String)
    case mixedSettlement(root: String, expiry: String)
    case flagNames(flags: Int, String, String)
    case badDate(String)
    case duplicate(String, seq: Int)
    case seriesTooLarge(root: String, expiry: String)
    case tooManySeries(String)

    public var description: String {
        switch self {
        case .notCanonical(let symbol):
            return "option quote \(symbol): the symbol is not the OCC form of its root, expiry, type and strike"
        case .mixedSettlement(let root, let expiry):
            return "option quotes of \(root) \(expiry): both AM and PM settlement in one series"
        case .flagNames(let flags, let a, let b):
            return "quality flags \(flags) named both '\(a)' and '\(b)'"
        case .badDate(let text):
            return "option quotes: as-of date '\(text)' is not YYYY-MM-DD"
        case .duplicate(let symbol, let seq):
            return "option quote \(symbol): sequence number \(seq) given twice in one chain"
        case .seriesTooLarge(let root, let expiry):
            return "option quotes of \(root) \(expiry): more than \(QuoteStorage.perKey) in one series"
        case .tooManySeries(let asOf):
            return "option quotes of \(asOf): more than \(QuoteStorage.perKey) series in one day"
        }
    }
}
