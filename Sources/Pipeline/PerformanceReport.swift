import Foundation
import Store
import Strategy
import VixShieldCore

/// `vixshield query performance`: per profile, how the scored recommendations did (every profile side by
/// side, so a strategy reads next to the `cndr` benchmark).
public enum PerformanceReport {
    public static let columns = ["profile", "trades", "win_rate", "mean_pnl_usd", "worst_pnl_usd", "total_pnl_usd",
                                 "max_drawdown_usd", "sharpe", "hedge_pnl_usd"]

    /// Rank-1 trades only (the ones a user would have placed), by expiry date within the range.
    public static func table(store: VixShieldDatabase, from: CalendarDate?, through: CalendarDate?, profile: String?) throws -> Tabular {
        let outcomes = try store.outcomes(profile: profile, from: from, through: through).filter { $0.rank == 1 }
        let byProfile = Dictionary(grouping: outcomes, by: \.profile)
        let rows: [[SQLValue]] = byProfile.keys.sorted().map { name in
            let trades = byProfile[name]!.sorted { ($0.expiry, $0.asOf) < ($1.expiry, $1.asOf) }
            var years: Double?
            if let first = trades.first.flatMap({ CalendarDate(iso: $0.asOf) }), let last = trades.last.flatMap({ CalendarDate(iso: $0.expiry) }) {
                years = Double(last.days(since: first)) / 365.25
            }
            let s = PerformanceSummary(pnlsUSD: trades.map(\.totalPnlUsd), years: years)
            let hedges = trades.compactMap(\.hedgePnlUsd)
            return [.text(name), .integer(Int64(s.trades)), real(s.winRate), real(s.meanPnlUSD), real(s.worstPnlUSD),
                    .real(s.totalPnlUSD), .real(s.maxDrawdownUSD), real(s.sharpe),
                    hedges.isEmpty ? .null : .real(hedges.reduce(0, +))]
        }
        return Tabular(columns: columns, rows: rows)
    }

    static func real(_ v: Double?) -> SQLValue { v.map { .real(($0 * 1e6).rounded() / 1e6) } ?? .null }
}
