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

    public init(columns: [String], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }
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
    /// Scenario grids of the recommended condors, optionally of one profile.
    case scenarios(profile: String?, DateRange)
    /// Nightly advice for the open condors of the paper book.
    case positions(DateRange)
    /// Parity and box violations beyond their costs.
    case parity(DateRange)
    /// One symbol's indicators per date.
    case indicators(symbol: String, DateRange)
    /// The volatility context per date.
    case context(DateRange)
    /// Past events' reactions (by reaction session), optionally of one kind.
    case events(kind: String?, DateRange)
    /// Per-kind event statistics as of each date.
    case eventSummaries(DateRange)
    /// Projected surfaces per date, horizon and expiry.
    case projections(DateRange)

    var sql: String {
        switch self {
        case .recommendations:
            return """
                SELECT \(RecommendationRecord.columnNames.joined(separator: ", ")), chain_origin FROM recommendations
                WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying, profile, rank
                """
        case .recommendationTickets:
            return """
                SELECT as_of, profile, rank AS "#", expiry, dte,
                       root || ' ' || printf('%g/%g/%g/%g', long_put, short_put, short_call, long_call) AS strikes,
                       round(credit, 2) AS credit, round(max_loss, 2) AS max_loss, round(pop, 3) AS pop, contracts AS qty,
                       CASE WHEN chain_origin = 'market' THEN '' ELSE '[' || chain_origin || '] ' END
                           || CASE WHEN status = 'trade' THEN rationale ELSE 'no trade: ' || reason END AS note
                FROM recommendations WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying, profile, rank
                """
        case .hedges:
            return """
                SELECT as_of, for_date, profile, condor_as_of, rank, layer, layer_name, active, active_since, instrument, contract,
                       side, quantity, vega_offset, trigger, trigger_value, carry_cost_usd, beta, premium, price_source, rationale,
                       chain_origin
                FROM hedge_book WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying, profile, condor_as_of, rank, layer
                """
        case .surface:
            return """
                SELECT as_of, underlying, expiry, settlement, roots, minutes_to_expiry, forward, discount, forward_method,
                       svi_a, svi_b, svi_rho, svi_m, svi_sigma, rmse_vol_points, max_error_vol_points, flags, model_free_variance,
                       chain_origin
                FROM surface_slices WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying, expiry, settlement
                """
        case .indicators:
            return """
                SELECT date, symbol, close, rsi_14, rsi_band_low, rsi_band_high, macd_line, macd_signal, macd_histogram,
                       rv_cc_10, rv_cc_21, rv_parkinson_21, rv_gk_21, rv_yz_10, rv_yz_21, ad_line, ad_divergence
                FROM indicators WHERE symbol = ? AND date BETWEEN ? AND ? ORDER BY date
                """
        case .context:
            return """
                SELECT as_of, underlying, vix9d_over_vix, vix_over_vix3m, vx1_minus_vx2, vx_30d, roll_yield_30d, term_shape,
                       implied_variance_30d, realized_variance_21d, vrp_variance, vrp_vol_points, vix9d_over_vix_rank_1y,
                       vix_over_vix3m_rank_1y, vx1_minus_vx2_rank_1y, vx_30d_rank_1y, roll_yield_30d_rank_1y,
                       vrp_variance_rank_1y, vrp_vol_points_rank_1y
                FROM vol_context WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying
                """
        case .events:
            return """
                SELECT kind, event_date, label, session, previous_session, spx_log_return, spx_abs_move, vix_change_points,
                       atm_vol_change, implied_abs_move
                FROM event_reactions WHERE (? IS NULL OR kind = ?) AND session BETWEEN ? AND ? ORDER BY session, kind
                """
        case .eventSummaries:
            return """
                SELECT as_of, kind, count, mean_abs_move, abs_move_q25, abs_move_q50, abs_move_q75, abs_move_q90,
                       excess_variance_prior, mean_vix_change_points
                FROM event_reaction_summaries WHERE as_of BETWEEN ? AND ? ORDER BY as_of, kind
                """
        case .projections:
            return """
                SELECT as_of, underlying, horizon, target_time, scenario, expiry_time, atm_vol_now, atm_vol_projected,
                       event_total_variance, expected_move_points, expected_abs_move_points, chain_origin
                FROM vol_projections WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying, horizon, scenario, expiry_time
                """
        case .scenarios:
            return """
                SELECT as_of, profile, rank, horizon, spx_move_pct, vol_shock_points, condor_pnl_usd, hedge_pnl_usd, total_pnl_usd,
                       chain_origin
                FROM scenarios WHERE (? IS NULL OR profile = ?) AND as_of BETWEEN ? AND ?
                ORDER BY as_of, underlying, profile, rank, horizon, spx_move_pct, vol_shock_points
                """
        case .positions:
            return """
                SELECT as_of, profile, opened_as_of, rank, source, fill_id, root, expiry, days_to_expiry, contracts, entry_credit,
                       closing_debit, mark_pnl_usd, short_put_delta, short_call_delta, action, reason, chain_origin
                FROM position_advice WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying, profile, opened_as_of, rank
                """
        case .parity:
            return """
                SELECT as_of, underlying, expiry, root, kind, strike_low, nullif(strike_high, strike_low) AS strike_high, edge_points,
                       detail
                FROM parity_signals WHERE as_of BETWEEN ? AND ? ORDER BY as_of, underlying, expiry, root, kind, strike_low
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
        case .recommendations(let r), .recommendationTickets(let r), .hedges(let r), .surface(let r), .context(let r),
             .eventSummaries(let r), .projections(let r), .positions(let r), .parity(let r):
            return StatementArguments(r.bounds)
        case .indicators(let symbol, let r): return StatementArguments([symbol] + r.bounds)
        case .events(let kind, let r): return StatementArguments([kind, kind] + r.bounds.map(Optional.some))
        case .scenarios(let profile, let r): return StatementArguments([profile, profile] + r.bounds.map(Optional.some))
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
