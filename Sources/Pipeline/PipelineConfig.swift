import Foundation
import Ingest
import Signals
import Strategy
import VixShieldCore
import Yams

/// A pipeline file (`pipelines/*.yaml`): where the day's inputs come from and how to trade them.
public struct PipelineConfig: Sendable, Equatable {
    /// The `signals:` block: indicator windows, the breadth universe and the business-time clock.
    public struct SignalsConfig: Sendable, Equatable {
        public var indicators = IndicatorSettings()
        /// Which breadth universe the A/D line is built from (default: the first one loaded).
        public var breadthUniverse: String?
        public var businessTime = BusinessTimeConfig()
        public init() {}
    }

    public struct Source: Sendable, Equatable {
        /// Unique name; the raw archive and diagnostics are keyed by it.
        public var name: String
        /// The adapter that reads it (e.g. `cboe_options_json`).
        public var kind: String
        /// URL template: `{date}`, `{yyyy}`, `{mm}`, `{dd}`, `{yyyymmdd}`, `{data_dir}`, `{sim_dir}`.
        public var url: String
        /// Adapter options (e.g. `symbol: VIX` for an index history file).
        public var options: [String: String]
        /// When a required source cannot be had, the date gets a `no_trade` row.
        public var required: Bool
    }

    public struct Simulation: Sendable, Equatable {
        public var seed: UInt64
        public var from: CalendarDate
        public var to: CalendarDate
    }

    public var name: String
    public var description: String
    public var underlying: String
    /// Date used by `run` when none is given (the sample pipeline pins the simulated market's last day).
    public var defaultDate: CalendarDate?
    /// When present, the simulated market is generated under `{sim_dir}` if it is not there yet.
    public var simulation: Simulation?
    public var sources: [Source]
    /// CNDR-rule profiles (`kind: cndr`, the benchmark).
    public var profiles: [CondorProfile]
    /// Scored profiles (`kind: scored`): the condor search over the profile's space.
    public var scoredProfiles: [ScoredCondorProfile] = []

    /// Every profile's name, in file order within each kind (CNDR first).
    public var profileNames: [String] { profiles.map(\.name) + scoredProfiles.map(\.name) }
    /// The longest DTE any profile trades (the projection's horizon).
    public var longestProfileDays: Int {
        (profiles.map(\.dteRange.upperBound) + scoredProfiles.map(\.dteRange.upperBound)).max() ?? 45
    }
    public var sizing: SizingPolicy
    /// Timeouts, retries and size cap for every fetch (the `fetch:` block).
    public var fetchPolicy: FetchPolicy
    /// Indicator windows and the business-time clock (the `signals:` block).
    public var signals: SignalsConfig = SignalsConfig()
    /// The layered VIX hedge's settings (the `hedge:` block), validated on load.
    public var hedge: ALVHConfig = ALVHConfig()
    /// SHA-256 of the file's bytes, recorded with every run.
    public var sha256: String

    /// Parses and validates a pipeline file; every problem is a one-line `PipelineError.invalidConfig`.
    public static func parse(yaml text: String, origin: String, sha256: String) throws -> PipelineConfig {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw PipelineError.invalidConfig(origin, "empty file") }
            root = node
        } catch let e as PipelineError {
            throw e
        } catch let e as YamlError {
            throw PipelineError.invalidConfig(origin, "not valid YAML: \(String(describing: e).split(separator: "\n").first ?? "")")
        }
        var reader = NodeReader(origin: origin)
        return try reader.config(root, sha256: sha256)
    }
}

/// Errors that stop a command before or during a run, each a one-line message naming what and where.
public enum PipelineError: Error, Equatable, CustomStringConvertible {
    case invalidConfig(String, String)
    case invalidArgument(String)
    case sourceFailed(source: String, message: String)
    case archive(String)
    case simulation(String)

    public var description: String {
        switch self {
        case .invalidConfig(let origin, let message): return "\(origin): \(message)"
        case .invalidArgument(let message): return message
        case .sourceFailed(let source, let message): return "source \(source): \(message)"
        case .archive(let message): return "raw archive: \(message)"
        case .simulation(let message): return "simulated market: \(message)"
        }
    }

    /// The message without the source name (for reasons that name the source themselves).
    public var detail: String {
        if case .sourceFailed(_, let message) = self { return message }
        return description
    }
}

/// Walks the YAML tree with strict checks: unknown keys, wrong types and bad values are errors, so a
/// typo in a pipeline file never silently falls back to a default.
struct NodeReader {
    let origin: String

    func fail(_ path: String, _ message: String) -> PipelineError { .invalidConfig(origin, "\(path): \(message)") }

    func mapping(_ node: Node, _ path: String, allowed: Set<String>) throws -> [String: Node] {
        guard let map = node.mapping else { throw fail(path, "expected a mapping") }
        var out: [String: Node] = [:]
        for (k, v) in map {
            guard let key = k.string else { throw fail(path, "keys must be text") }
            guard allowed.contains(key) else {
                throw fail(path, "unknown key '\(key)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            out[key] = v
        }
        return out
    }

    func string(_ node: Node?, _ path: String) throws -> String {
        guard let s = node?.scalar?.string else { throw fail(path, node == nil ? "missing" : "expected text") }
        return s
    }

    func double(_ node: Node?, _ path: String, default value: Double? = nil) throws -> Double {
        guard let node else {
            if let value { return value }
            throw fail(path, "missing")
        }
        guard let s = node.scalar?.string, let d = Double(s), d.isFinite else { throw fail(path, "expected a number") }
        return d
    }

    func int(_ node: Node?, _ path: String, default value: Int? = nil) throws -> Int {
        guard let node else {
            if let value { return value }
            throw fail(path, "missing")
        }
        guard let s = node.scalar?.string, let i = Int(s) else { throw fail(path, "expected a whole number") }
        return i
    }

    func bool(_ node: Node?, _ path: String, default value: Bool) throws -> Bool {
        guard let node else { return value }
        switch node.scalar?.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw fail(path, "expected true or false")
        }
    }

    func date(_ node: Node?, _ path: String) throws -> CalendarDate {
        let s = try string(node, path)
        guard let d = CalendarDate(iso: s) else { throw fail(path, "not a YYYY-MM-DD date: '\(s)'") }
        return d
    }

    mutating func config(_ root: Node, sha256: String) throws -> PipelineConfig {
        let top = try mapping(root, "pipeline", allowed: ["name", "description", "underlying", "default_date", "simulate", "sources", "strategy", "fetch", "signals", "hedge"])
        let name = try string(top["name"], "name")
        let simulation: PipelineConfig.Simulation? = try top["simulate"].map { node in
            let m = try mapping(node, "simulate", allowed: ["seed", "from", "to"])
            let seed = try int(m["seed"], "simulate.seed")
            guard seed >= 0 else { throw fail("simulate.seed", "must not be negative") }
            let from = try date(m["from"], "simulate.from"), to = try date(m["to"], "simulate.to")
            guard from <= to else { throw fail("simulate", "from \(from) is after to \(to)") }
            return .init(seed: UInt64(seed), from: from, to: to)
        }
        guard let sourceNodes = top["sources"]?.sequence, !sourceNodes.isEmpty else {
            throw fail("sources", "expected a non-empty list")
        }
        var sources: [PipelineConfig.Source] = []
        for (i, node) in sourceNodes.enumerated() {
            let path = "sources[\(i)]"
            let m = try mapping(node, path, allowed: ["name", "kind", "url", "options", "required"])
            let sourceName = try string(m["name"], "\(path).name")
            guard !sources.contains(where: { $0.name == sourceName }) else { throw fail("\(path).name", "duplicate source name '\(sourceName)'") }
            let kind = try string(m["kind"], "\(path).kind")
            guard SourceKinds.known.contains(kind) else {
                throw fail("\(path).kind", "unknown source kind '\(kind)' (known: \(SourceKinds.known.sorted().joined(separator: ", ")))")
            }
            let url = try string(m["url"], "\(path).url")
            try URLTemplate.validate(url, path: "\(path).url", origin: origin)
            var options: [String: String] = [:]
            if let o = m["options"] {
                guard let map = o.mapping else { throw fail("\(path).options", "expected a mapping") }
                for (k, v) in map {
                    guard let key = k.string, let value = v.scalar?.string else { throw fail("\(path).options", "expected text keys and values") }
                    options[key] = value
                }
            }
            sources.append(.init(name: sourceName, kind: kind, url: url, options: options,
                                 required: try bool(m["required"], "\(path).required", default: true)))
        }
        guard sources.contains(where: { SourceKinds.optionChainKinds.contains($0.kind) }) else {
            throw fail("sources", "no option chain source (one of \(SourceKinds.optionChainKinds.sorted().joined(separator: ", ")))")
        }
        let (profiles, scored, sizing) = try strategy(top["strategy"])
        var config = PipelineConfig(
            name: name, description: try top["description"].map { try string($0, "description") } ?? "",
            underlying: try top["underlying"].map { try string($0, "underlying") } ?? "SPX",
            defaultDate: try top["default_date"].map { try date($0, "default_date") },
            simulation: simulation, sources: sources, profiles: profiles, sizing: sizing,
            fetchPolicy: try fetchPolicy(top["fetch"]), sha256: sha256)
        config.scoredProfiles = scored
        config.signals = try signals(top["signals"])
        config.hedge = try hedge(top["hedge"])
        return config
    }

    func fetchPolicy(_ node: Node?) throws -> FetchPolicy {
        let defaults = FetchPolicy()
        guard let node else { return defaults }
        let m = try mapping(node, "fetch", allowed: ["connect_timeout_seconds", "total_timeout_seconds", "max_attempts", "max_response_mb"])
        let policy = FetchPolicy(
            connectTimeoutSeconds: try double(m["connect_timeout_seconds"], "fetch.connect_timeout_seconds", default: defaults.connectTimeoutSeconds),
            totalTimeoutSeconds: try double(m["total_timeout_seconds"], "fetch.total_timeout_seconds", default: defaults.totalTimeoutSeconds),
            maxAttempts: try int(m["max_attempts"], "fetch.max_attempts", default: defaults.maxAttempts),
            maxResponseBytes: Int(try double(m["max_response_mb"], "fetch.max_response_mb",
                                             default: Double(defaults.maxResponseBytes) / 1_048_576) * 1_048_576))
        if let problem = policy.invalidSetting { throw fail("fetch", problem) }
        return policy
    }

    func hedge(_ node: Node?) throws -> ALVHConfig {
        var h = ALVHConfig()
        guard let node else { return h }
        let m = try mapping(node, "hedge", allowed: ["target_fraction", "base_fraction", "minimum_hold_sessions", "monthly_budget_usd",
                                                    "vol_up_on", "delta_on", "event_lead_days", "vix_call_slippage_points"])
        h.targetFraction = try double(m["target_fraction"], "hedge.target_fraction", default: h.targetFraction)
        h.baseFraction = try double(m["base_fraction"], "hedge.base_fraction", default: h.baseFraction)
        h.minimumHoldSessions = try int(m["minimum_hold_sessions"], "hedge.minimum_hold_sessions", default: h.minimumHoldSessions)
        h.monthlyBudgetUSD = try double(m["monthly_budget_usd"], "hedge.monthly_budget_usd", default: h.monthlyBudgetUSD)
        h.volUpOn = try double(m["vol_up_on"], "hedge.vol_up_on", default: h.volUpOn)
        h.deltaOn = try double(m["delta_on"], "hedge.delta_on", default: h.deltaOn)
        h.eventLeadDays = try int(m["event_lead_days"], "hedge.event_lead_days", default: h.eventLeadDays)
        h.vixCallSlippagePoints = try double(m["vix_call_slippage_points"], "hedge.vix_call_slippage_points", default: h.vixCallSlippagePoints)
        do {
            try h.validate()
        } catch {
            // ALVHConfig names its properties; the file names its keys.
            let keys = ["targetFraction": "target_fraction", "baseFraction": "base_fraction", "minimumHoldSessions": "minimum_hold_sessions",
                        "monthlyBudgetUSD": "monthly_budget_usd", "volUpOn": "vol_up_on", "deltaOff": "delta_on", "eventLeadDays": "event_lead_days",
                        "vixCallSlippagePoints": "vix_call_slippage_points"]
            throw fail("hedge.\(keys[error.key] ?? error.key)", error.message)
        }
        return h
    }

    func signals(_ node: Node?) throws -> PipelineConfig.SignalsConfig {
        var out = PipelineConfig.SignalsConfig()
        guard let node else { return out }
        let m = try mapping(node, "signals", allowed: ["rsi_band_window", "rsi_band_low_percentile", "rsi_band_high_percentile",
                                                      "divergence_lookback", "breadth_universe", "business_time"])
        var ind = out.indicators
        ind.bandWindowSessions = try int(m["rsi_band_window"], "signals.rsi_band_window", default: ind.bandWindowSessions)
        ind.bandLowPercentile = try double(m["rsi_band_low_percentile"], "signals.rsi_band_low_percentile", default: ind.bandLowPercentile)
        ind.bandHighPercentile = try double(m["rsi_band_high_percentile"], "signals.rsi_band_high_percentile", default: ind.bandHighPercentile)
        ind.divergenceLookbackSessions = try int(m["divergence_lookback"], "signals.divergence_lookback", default: ind.divergenceLookbackSessions)
        guard (2...5_000).contains(ind.bandWindowSessions) else { throw fail("signals.rsi_band_window", "must be 2 to 5000 sessions") }
        guard 0 <= ind.bandLowPercentile, ind.bandLowPercentile < ind.bandHighPercentile, ind.bandHighPercentile <= 100 else {
            throw fail("signals", "need 0 <= rsi_band_low_percentile < rsi_band_high_percentile <= 100")
        }
        guard (1...1_000).contains(ind.divergenceLookbackSessions) else { throw fail("signals.divergence_lookback", "must be 1 to 1000 sessions") }
        out.indicators = ind
        out.breadthUniverse = try m["breadth_universe"].map { try string($0, "signals.breadth_universe") }
        if let bt = m["business_time"] {
            let b = try mapping(bt, "signals.business_time", allowed: ["non_trading_day_weight", "overnight_share"])
            out.businessTime.nonTradingDayWeight = try double(b["non_trading_day_weight"], "signals.business_time.non_trading_day_weight",
                                                             default: out.businessTime.nonTradingDayWeight)
            out.businessTime.overnightShare = try double(b["overnight_share"], "signals.business_time.overnight_share",
                                                        default: out.businessTime.overnightShare)
            guard (0...1).contains(out.businessTime.nonTradingDayWeight) else {
                throw fail("signals.business_time.non_trading_day_weight", "must be in [0, 1]")
            }
            guard (0...1).contains(out.businessTime.overnightShare) else { throw fail("signals.business_time.overnight_share", "must be in [0, 1]") }
        }
        return out
    }

    func strategy(_ node: Node?) throws -> ([CondorProfile], [ScoredCondorProfile], SizingPolicy) {
        guard let node else { return ([CondorProfile(name: "cndr_monthly")], [], SizingPolicy()) }
        let m = try mapping(node, "strategy", allowed: ["capital_usd", "max_risk_fraction", "profiles"])
        let defaults = SizingPolicy()
        let sizing = SizingPolicy(capitalUSD: try double(m["capital_usd"], "strategy.capital_usd", default: defaults.capitalUSD),
                                  maxRiskFraction: try double(m["max_risk_fraction"], "strategy.max_risk_fraction", default: defaults.maxRiskFraction))
        guard sizing.capitalUSD > 0, sizing.capitalUSD < 1e12 else { throw fail("strategy.capital_usd", "must be positive (and below 1e12)") }
        guard sizing.maxRiskFraction > 0, sizing.maxRiskFraction <= 1 else { throw fail("strategy.max_risk_fraction", "must be in (0, 1]") }
        guard let list = m["profiles"]?.sequence, !list.isEmpty else { return ([CondorProfile(name: "cndr_monthly")], [], sizing) }
        var profiles: [CondorProfile] = []
        var scored: [ScoredCondorProfile] = []
        var names = Set<String>()
        for (i, p) in list.enumerated() {
            let path = "strategy.profiles[\(i)]"
            guard let map = p.mapping else { throw fail(path, "expected a mapping") }
            let kind = try map["kind"].map { try string($0, "\(path).kind") } ?? "cndr"
            let name: String
            switch kind {
            case "cndr":
                let profile = try cndrProfile(p, path)
                profiles.append(profile)
                name = profile.name
            case "scored":
                let profile = try scoredProfile(p, path)
                scored.append(profile)
                name = profile.name
            default: throw fail("\(path).kind", "unknown profile kind '\(kind)' (known: cndr, scored)")
            }
            guard names.insert(name).inserted else { throw fail("\(path).name", "duplicate profile name") }
        }
        return (profiles, scored, sizing)
    }

    func dteRange(_ pm: [String: Node], _ path: String, default range: ClosedRange<Int>) throws -> ClosedRange<Int> {
        let lo = try int(pm["dte_min"], "\(path).dte_min", default: range.lowerBound), hi = try int(pm["dte_max"], "\(path).dte_max", default: range.upperBound)
        guard lo >= 0, lo <= hi, hi <= 3_650 else { throw fail(path, "dte_min must be between 0 and dte_max (at most 3650)") }
        return lo...hi
    }

    func cndrProfile(_ p: Node, _ path: String) throws -> CondorProfile {
        let pm = try mapping(p, path, allowed: ["kind", "name", "dte_min", "dte_max", "short_delta", "long_delta", "monthly_only", "slippage_fraction", "alternates"])
        let profile = CondorProfile(
            name: try string(pm["name"], "\(path).name"), dteRange: try dteRange(pm, path, default: 25...45),
            shortDelta: try double(pm["short_delta"], "\(path).short_delta", default: 0.20),
            longDelta: try double(pm["long_delta"], "\(path).long_delta", default: 0.05),
            monthlyOnly: try bool(pm["monthly_only"], "\(path).monthly_only", default: true),
            slippageFraction: try double(pm["slippage_fraction"], "\(path).slippage_fraction", default: 0.5),
            alternates: try int(pm["alternates"], "\(path).alternates", default: 2))
        guard profile.longDelta > 0, profile.longDelta < profile.shortDelta, profile.shortDelta < 0.5 else {
            throw fail(path, "need 0 < long_delta < short_delta < 0.5")
        }
        guard (0...1).contains(profile.slippageFraction) else { throw fail("\(path).slippage_fraction", "must be in [0, 1]") }
        guard (0...20).contains(profile.alternates) else { throw fail("\(path).alternates", "must be 0 to 20") }
        return profile
    }

    func scoredProfile(_ p: Node, _ path: String) throws -> ScoredCondorProfile {
        let pm = try mapping(p, path, allowed: ["kind", "name", "dte_min", "dte_max", "monthly_only", "short_delta_min", "short_delta_max",
                                                "short_sd_min", "short_sd_max", "wing_widths", "min_credit", "max_spread_fraction",
                                                "min_open_interest", "slippage_fraction", "alternates", "hurdle_rate", "event_penalty"])
        var profile = ScoredCondorProfile(name: try string(pm["name"], "\(path).name"), dteRange: try dteRange(pm, path, default: 5...10))
        profile.monthlyOnly = try bool(pm["monthly_only"], "\(path).monthly_only", default: false)
        let byDelta = pm["short_delta_min"] != nil || pm["short_delta_max"] != nil
        let bySD = pm["short_sd_min"] != nil || pm["short_sd_max"] != nil
        guard !(byDelta && bySD) else { throw fail(path, "short strikes by delta or by standard deviations, not both") }
        if bySD {
            let lo = try double(pm["short_sd_min"], "\(path).short_sd_min", default: 1.2), hi = try double(pm["short_sd_max"], "\(path).short_sd_max", default: 2.0)
            guard lo > 0, lo <= hi, hi <= 10 else { throw fail(path, "need 0 < short_sd_min <= short_sd_max <= 10") }
            profile.shortStrikes = .standardDeviations(lo...hi)
        } else {
            let lo = try double(pm["short_delta_min"], "\(path).short_delta_min", default: 0.10), hi = try double(pm["short_delta_max"], "\(path).short_delta_max", default: 0.25)
            guard lo > 0, lo <= hi, hi < 0.5 else { throw fail(path, "need 0 < short_delta_min <= short_delta_max < 0.5") }
            profile.shortStrikes = .delta(lo...hi)
        }
        if let widths = pm["wing_widths"] {
            guard let seq = widths.sequence, !seq.isEmpty else { throw fail("\(path).wing_widths", "expected a non-empty list of points") }
            profile.wingWidthsPoints = try seq.enumerated().map { j, w in
                let v = try double(w, "\(path).wing_widths[\(j)]")
                guard v > 0, v <= 2_000 else { throw fail("\(path).wing_widths[\(j)]", "must be in (0, 2000] points") }
                return v
            }
        }
        profile.minimumCreditPoints = try double(pm["min_credit"], "\(path).min_credit", default: profile.minimumCreditPoints)
        profile.maximumSpreadFraction = try double(pm["max_spread_fraction"], "\(path).max_spread_fraction", default: profile.maximumSpreadFraction)
        profile.minimumOpenInterest = try double(pm["min_open_interest"], "\(path).min_open_interest", default: profile.minimumOpenInterest)
        profile.slippageFraction = try double(pm["slippage_fraction"], "\(path).slippage_fraction", default: profile.slippageFraction)
        profile.alternates = try int(pm["alternates"], "\(path).alternates", default: profile.alternates)
        profile.hurdleRate = try double(pm["hurdle_rate"], "\(path).hurdle_rate", default: profile.hurdleRate)
        profile.eventPenalty = try double(pm["event_penalty"], "\(path).event_penalty", default: profile.eventPenalty)
        guard profile.minimumCreditPoints >= 0 else { throw fail("\(path).min_credit", "must not be negative") }
        guard profile.maximumSpreadFraction > 0, profile.maximumSpreadFraction <= 2 else { throw fail("\(path).max_spread_fraction", "must be in (0, 2]") }
        guard profile.minimumOpenInterest >= 0 else { throw fail("\(path).min_open_interest", "must not be negative") }
        guard (0...1).contains(profile.slippageFraction) else { throw fail("\(path).slippage_fraction", "must be in [0, 1]") }
        guard (0...20).contains(profile.alternates) else { throw fail("\(path).alternates", "must be 0 to 20") }
        guard (-1...10).contains(profile.hurdleRate) else { throw fail("\(path).hurdle_rate", "must be an annual rate in [-1, 10]") }
        guard (0...1).contains(profile.eventPenalty) else { throw fail("\(path).event_penalty", "must be in [0, 1]") }
        return profile
    }
}

/// Source kinds the pipeline can read, by the name pipeline files use (one per adapter).
public enum SourceKinds {
    public static let optionChainKinds: Set<String> = Set([SourceKind.cboeOptionsJSON, .cboeDataShopEOD, .optionsDXEOD].map(\.rawValue))
    public static let known: Set<String> = Set(SourceKind.allCases.map(\.rawValue))
}

/// Expands `{placeholder}`s in source URLs.
public enum URLTemplate {
    static let placeholders: Set<String> = ["date", "yyyy", "mm", "dd", "yyyymmdd", "data_dir", "sim_dir"]

    static func names(in template: String) -> [String] {
        var out: [String] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { out.append(String(rest[open...])); break }
            out.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    static func validate(_ template: String, path: String, origin: String) throws {
        for name in names(in: template) where !placeholders.contains(name) {
            throw PipelineError.invalidConfig(origin, "\(path): unknown placeholder {\(name)} (known: \(placeholders.sorted().map { "{\($0)}" }.joined(separator: ", ")))")
        }
        let scheme = template.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        guard ["http", "https", "file"].contains(scheme.lowercased()) else {
            throw PipelineError.invalidConfig(origin, "\(path): URL must start with http://, https:// or file:// ('\(template)')")
        }
    }

    /// Where `{sim_dir}` points: the simulated market under the data folder.
    public static func simulatedDirectory(in dataDir: URL) -> URL { dataDir.appendingPathComponent("simulated", isDirectory: true) }

    /// The URL for one as-of date. Directories are inserted as percent-encoded absolute paths.
    public static func expand(_ template: String, date: CalendarDate, dataDir: URL) -> String {
        let pad = { (v: Int) in v < 10 ? "0\(v)" : "\(v)" }
        let encode = { (u: URL) in u.standardizedFileURL.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? u.path }
        let values: [String: String] = [
            "date": date.isoString, "yyyy": String(date.year), "mm": pad(date.month), "dd": pad(date.day),
            "yyyymmdd": "\(date.year)\(pad(date.month))\(pad(date.day))",
            "data_dir": encode(dataDir), "sim_dir": encode(simulatedDirectory(in: dataDir)),
        ]
        var out = template
        for (k, v) in values { out = out.replacingOccurrences(of: "{\(k)}", with: v) }
        return out
    }
}
