import Foundation
import VixShieldCore

/// `truth/<date>.json`: the parameters the chain was priced from, in full precision, so tests can check
/// that the pipeline recovers them.
enum TruthJSON {
    static func render(state: SessionState, surface: SurfaceModel, slices: [TrueSlice],
                       indices: (vix: Double, vix9d: Double, vix3m: Double), events: [SimulatedEvent],
                       planted: [PlantedBadQuote], contracts: Int) -> TextBuffer {
        var b = TextBuffer(capacity: 16_384)
        func key(_ name: String) { b.append("\"\(name)\":") }
        func number(_ name: String, _ value: Double, last: Bool = false) {
            key(name)
            b.appendExact(value)
            if !last { b.append(",") }
        }
        b.append("{\n")
        b.append("\"session\":\"\(state.date.isoString)\",\n")
        b.append("\"snapshot_underlying\":\"^SPX\",\n")
        number("spot", state.close); b.append("\n")
        number("rate", state.rate); b.append("\n")
        number("dividend_yield", surface.dividendYield); b.append("\n")
        number("instantaneous_variance", state.variance); b.append("\n")
        number("vix", indices.vix); b.append("\n")
        number("vix9d", indices.vix9d); b.append("\n")
        number("vix3m", indices.vix3m); b.append("\n")
        b.append("\"option_records\":\(contracts),\n")
        b.append("\"expiries\":[\n")
        for (i, s) in slices.enumerated() {
            b.append("{\"expiry\":\"\(s.expiry.date.isoString)\",\"root\":\"\(s.expiry.root)\",\"settlement\":\"\(s.expiry.settlement.rawValue)\",")
            b.append("\"minutes_to_expiry\":\(s.minutesToExpiry),")
            number("time_to_expiry_years", s.timeToExpiryYears)
            number("forward", s.forward)
            number("discount", s.discount)
            number("atm_total_variance", s.atmTotalVariance)
            number("event_total_variance", s.eventTotalVariance)
            b.append("\"svi\":{")
            number("a", s.svi.a)
            number("b", s.svi.b)
            number("rho", s.svi.rho)
            number("m", s.svi.m)
            number("sigma", s.svi.sigma, last: true)
            b.append("}}")
            b.append(i + 1 < slices.count ? ",\n" : "\n")
        }
        b.append("],\n\"events\":[\n")
        let close = EasternTime.close(on: state.date)
        for (i, e) in events.enumerated() {
            let move = e.kind == .fomc ? surface.config.fomcMoveStdDev : surface.config.cpiMoveStdDev
            b.append("{\"date\":\"\(e.date.isoString)\",\"kind\":\"\(e.kind.rawValue)\",\"time\":\"\(e.time.iso8601)\",")
            b.append("\"upcoming\":\(e.time > close ? "true" : "false"),")
            number("move_std_dev", move)
            number("implied_variance", move * move * (1 + surface.config.varianceRiskPremium), last: true)
            b.append(i + 1 < events.count ? "},\n" : "}\n")
        }
        b.append("],\n\"bad_quotes\":[\n")
        for (i, p) in planted.enumerated() {
            b.append("{\"kind\":\"\(p.kind.rawValue)\",\"option\":\"\(p.symbol)\",")
            number("bid", p.bid)
            number("ask", p.ask, last: true)
            b.append(i + 1 < planted.count ? "},\n" : "}\n")
        }
        b.append("]\n}\n")
        return b
    }
}

/// `manifest.json`: what was simulated, with which knobs, and which files exist.
enum ManifestJSON {
    static func render(_ m: SimulationManifest, config c: SimulationConfig) -> TextBuffer {
        var b = TextBuffer(capacity: 64 * m.files.count + 4096)
        b.append("{\n\"simulator_version\":\"\(m.simulatorVersion)\",\n\"seed\":\(m.seed),\n")
        b.append("\"from\":\"\(m.from.isoString)\",\n\"to\":\"\(m.to.isoString)\",\n\"history_start\":\"\(m.historyStart.isoString)\",\n")
        b.append("\"chain_days\":[\(m.chainDays.map { "\"\($0.isoString)\"" }.joined(separator: ","))],\n")
        b.append("\"config\":{\n")
        var first = true
        func field(_ name: String, _ render: (inout TextBuffer) -> Void) {
            b.append(first ? "" : ",\n")
            first = false
            b.append("\"\(name)\":")
            render(&b)
        }
        func number(_ name: String, _ v: Double) { field(name) { $0.appendExact(v) } }
        func integer(_ name: String, _ v: Int) { field(name) { $0.appendInteger(v) } }
        integer("warm_up_trading_days", c.warmUpTradingDays)
        number("spot_start", c.spotStart)
        number("initial_variance", c.initialVariance)
        number("long_run_variance", c.longRunVariance)
        number("mean_reversion_per_year", c.meanReversionPerYear)
        number("vol_of_variance", c.volOfVariance)
        number("spot_variance_correlation", c.spotVarianceCorrelation)
        number("minimum_variance", c.minimumVariance)
        number("variance_risk_premium", c.varianceRiskPremium)
        number("fomc_move_std_dev", c.fomcMoveStdDev)
        number("cpi_move_std_dev", c.cpiMoveStdDev)
        number("event_variance_sensitivity", c.eventVarianceSensitivity)
        number("crash_probability_per_day", c.crashProbabilityPerDay)
        number("crash_mean_return", c.crashMeanReturn)
        number("crash_return_std_dev", c.crashReturnStdDev)
        number("crash_variance_multiplier", c.crashVarianceMultiplier)
        field("event_days") { buf in
            if let days = c.eventDays {
                buf.append("[" + days.map { "{\"date\":\"\($0.date.isoString)\",\"kind\":\"\($0.kind.rawValue)\"}" }.joined(separator: ",") + "]")
            } else {
                buf.append("\"synthetic\"")
            }
        }
        number("initial_rate", c.initialRate)
        number("rate_mean", c.rateMean)
        number("rate_mean_reversion_per_year", c.rateMeanReversionPerYear)
        number("rate_volatility_per_year", c.rateVolatilityPerYear)
        number("rate_lower_bound", c.rateBounds.lowerBound)
        number("rate_upper_bound", c.rateBounds.upperBound)
        number("dividend_yield", c.dividendYield)
        number("skew_eta", c.skewEta)
        number("rho_short_dated", c.rhoShortDated)
        number("rho_long_dated", c.rhoLongDated)
        number("rho_timescale_years", c.rhoTimescaleYears)
        integer("daily_expiry_trading_days", c.dailyExpiryTradingDays)
        integer("weekly_horizon_days", c.weeklyHorizonDays)
        integer("month_end_horizon_months", c.monthEndHorizonMonths)
        integer("monthly_horizon_months", c.monthlyHorizonMonths)
        integer("quarterly_horizon_months", c.quarterlyHorizonMonths)
        integer("leaps_horizon_years", c.leapsHorizonYears)
        number("strike_range_scale", c.strikeRangeScale)
        number("atm_spread_vol_points", c.atmSpreadVolPoints)
        number("wing_spread_factor", c.wingSpreadFactor)
        number("near_expiry_spread_factor", c.nearExpirySpreadFactor)
        field("bad_quotes") { buf in
            let q = c.badQuotes
            buf.append("{\"crossed\":\(q.crossed),\"locked\":\(q.locked),\"absurd_spread\":\(q.absurdSpread),\"duplicated\":\(q.duplicated)}")
        }
        integer("vx_monthly_count", c.vxMonthlyCount)
        integer("vx_weekly_horizon_days", c.vxWeeklyHorizonDays)
        number("vx_settle_noise_std_dev", c.vxSettleNoiseStdDev)
        number("vix_volatility_for_convexity", c.vixVolatilityForConvexity)
        integer("breadth_universe", c.breadthUniverse)
        b.append("\n},\n\"files\":[\n")
        b.append(m.files.map { "\"\($0)\"" }.joined(separator: ",\n"))
        b.append("\n]\n}\n")
        return b
    }
}
