import GRDB
import VixShieldCore

/// A SQLite value as read back for display, without GRDB types leaking to callers.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Int)
}

/// Column names and rows of a listing, in display order.
public struct Tabular: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[SQLValue]]
}

/// The listings `vixshield query` prints: each a named read model whose SQL lives here.
public enum Report: Sendable, Hashable {
    /// Closed as-of range; nil ends mean unbounded.
    public struct DateRange: Sendable, Hashable {
        public var from: CalendarDate?
        public var through: CalendarDate?
        public init(from: CalendarDate? = nil, through: CalendarDate? = nil) { self.from = from; self.through = through }
        var bounds: [String] { [from?.isoString ?? "0000-01-01", through?.isoString ?? "9999-12-31"] }
    }

    /// Every column of `recommendations`, best first per date and profile.
    case recommendations(DateRange)
    /// A compact ticket view of `recommendations` that fits a 120-column terminal.
    case recommendationTickets(DateRange)
    /// `hedge_book`: hedge layers next to their condor.
    case hedges(DateRange)
    /// Fitted surface slices.
    case surface(DateRange)
    /// The run ledger, newest first.
    case runs(limit: Int)

    var sql: String {
        switch self {
        case .recommendations:
            return """
                SELECT \(RecommendationRecord.columnNames.joined(separator: ", ")) FROM recommendations
                WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying, profile, rank
                """
        case .recommendationTickets:
            return """
                SELECT as_of, profile, rank AS "#", expiry, dte,
                       root || ' ' || printf('%g/%g/%g/%g', long_put, short_put, short_call, long_call) AS strikes,
                       round(credit, 2) AS credit, round(max_loss, 2) AS max_loss, round(pop, 3) AS pop, contracts AS qty,
                       CASE WHEN status = 'trade' THEN rationale ELSE 'no trade: ' || reason END AS note
                FROM recommendations WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying, profile, rank
                """
        case .hedges:
            return """
                SELECT as_of, for_date, underlying, profile, rank, layer, active, instrument, contract, side, quantity,
                       vega_offset, trigger, rationale
                FROM hedge_book WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying, profile, rank, layer
                """
        case .surface:
            return """
                SELECT as_of, underlying, expiry, settlement, roots, minutes_to_expiry, forward, discount, forward_method,
                       svi_a, svi_b, svi_rho, svi_m, svi_sigma, rmse_vol_points, max_error_vol_points, flags, model_free_variance
                FROM surface_slices WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying, expiry, settlement
                """
        case .runs:
            return """
                SELECT run_id, command, as_of_from, as_of_to, pipeline_name, version, offline, started_at, finished_at, status,
                       counts_json, error
                FROM runs ORDER BY run_id DESC LIMIT ?
                """
        }
    }

    var arguments: StatementArguments {
        switch self {
        case .recommendations(let r), .recommendationTickets(let r), .hedges(let r), .surface(let r):
            return StatementArguments(r.bounds)
        case .runs(let limit): return [max(0, limit)]
        }
    }
}

extension VixShieldDatabase {
    /// The rows of one named listing.
    public func report(_ report: Report) throws -> Tabular {
        try read { db in
            let statement = try db.makeStatement(sql: report.sql)
            let columns = statement.columnNames
            let rows = try Row.fetchAll(statement, arguments: report.arguments).map { row in
                columns.indices.map { i -> SQLValue in
                    switch (row[i] as DatabaseValue).storage {
                    case .null: return .null
                    case .int64(let x): return .integer(x)
                    case .double(let x): return .real(x)
                    case .string(let s): return .text(s)
                    case .blob(let d): return .blob(d.count)
                    }
                }
            }
            return Tabular(columns: columns, rows: rows)
        }
    }
}
