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
        /// CA bundle for this source's https peer (absolute path); overrides the pipeline's `ca_file`.
        public var caFile: String? = nil
        /// Extra request headers (http and https only), in file order; values may hold `{env:NAME}`
        /// secrets, filled at fetch time like the URL's.
        public var headers: [Header] = []

        /// One `headers:` entry, its value as written (placeholders kept).
        public struct Header: Sendable, Equatable {
            public var name: String
            public var value: String
        }
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
    /// Folders `file://` sources may read (`allowed_file_roots`): absolute paths or starting with
    /// `{data_dir}` / `{sim_dir}`; resolved against the run's data folder by `FileAccess`.
    public var allowedFileRoots: [String] = ["{data_dir}"]
    /// The `{env:NAME}` secrets the URLs use, read from the environment when the file is parsed.
    /// Substituted only into the request; everything stored or printed goes through `redaction`.
    public var secrets: [String: SecretString] = [:]

    /// Masks this pipeline's secrets (and any credential in a URL) in text that is stored or printed.
    public var redaction: Redaction { Redaction(secrets: Array(secrets.values)) }

    /// Parses and validates a pipeline file; every problem is a one-line `PipelineError.invalidConfig`
    /// naming the YAML key.
    /// - Parameters:
    ///   - baseDirectory: the pipeline file's folder, against which relative `allowed_file_roots` and
    ///     `ca_file` paths resolve (nil for an embedded pipeline: relative paths are then an error),
    ///     and which `file://` sources may read when the file names no roots.
    ///   - environment: where `{env:NAME}` secrets are read.
    public static func parse(yaml text: String, origin: String, sha256: String, baseDirectory: URL? = nil,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PipelineConfig {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw PipelineError.invalidConfig(origin, "empty file") }
            root = node
        } catch let e as PipelineError {
            throw e
        } catch let e as YamlError {
            throw PipelineError.invalidConfig(origin, "not valid YAML: \(String(describing: e).split(separator: "\n").first ?? "")")
        }
        var reader = NodeReader(origin: origin, baseDirectory: baseDirectory, environment: environment)
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
        // Messages quote files and payloads; escaped once here, so every reason and stderr line is one safe line.
        switch self {
        case .invalidConfig(let origin, let message): return SafeText.escapingControlCharacters("\(origin): \(message)")
        case .invalidArgument(let message): return SafeText.escapingControlCharacters(message)
        case .sourceFailed(let source, let message): return SafeText.escapingControlCharacters("source \(source): \(message)")
        case .archive(let message): return SafeText.escapingControlCharacters("raw archive: \(message)")
        case .simulation(let message): return SafeText.escapingControlCharacters("simulated market: \(message)")
        }
    }

    /// The message without the source name (for reasons that name the source themselves).
    public var detail: String {
        if case .sourceFailed(_, let message) = self { return SafeText.escapingControlCharacters(message) }
        return description
    }
}

/// Walks the YAML tree with strict checks: unknown keys, wrong types and bad values are errors, so a
/// typo in a pipeline file never silently falls back to a default.
struct NodeReader {
    let origin: String
    var baseDirectory: URL? = nil
    var environment: [String: String] = [:]
    /// Secrets met so far (`{env:NAME}` in URLs).
    var secrets: [String: SecretString] = [:]

    func fail(_ path: String, _ message: String) -> PipelineError { .invalidConfig(origin, "\(path): \(message)") }

    func mapping(_ node: Node, _ path: String, allowed: Set<String>) throws -> [String: Node] {
        guard let map = node.mapping else { throw fail(path, "expected a mapping") }
        var out: [String: Node] = [:]
        for (k, v) in map {
            guard let key = k.string else { throw fail(path, "keys must be text") }
            guard allowed.contains(key) else { throw fail(path, Suggestion.unknownKey(key, allowed: allowed)) }
            guard out.updateValue(v, forKey: key) == nil else { throw fail("\(path).\(key)", "given twice") }
        }
        return out
    }

    /// A number in `range`, with the key and the range in the message when it is outside.
    func double(_ node: Node?, _ path: String, default value: Double, in range: ClosedRange<Double>, unit: String = "") throws -> Double {
        let v = try double(node, path, default: value)
        guard range.contains(v) else { throw fail(path, "must be in \(range.lowerBound)...\(range.upperBound)\(unit) (got \(v))") }
        return v
    }

    /// A whole number in `range`, with the key and the range in the message when it is outside.
    func int(_ node: Node?, _ path: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        let v = try int(node, path, default: value)
        guard range.contains(v) else { throw fail(path, "must be \(range.lowerBound) to \(range.upperBound) (got \(v))") }
        return v
    }

    /// A path from the file: absolute, or relative to the pipeline file's folder.
    func path(_ node: Node?, _ key: String) throws -> String {
        let text = try string(node, key)
        guard !text.isEmpty, !text.utf8.contains(0) else { throw fail(key, "expected a path") }
        if text.hasPrefix("/") { return URL(fileURLWithPath: text).standardizedFileURL.path }
        guard let baseDirectory else { throw fail(key, "a relative path needs a pipeline file on disk ('\(text)'); give an absolute path") }
        return baseDirectory.appendingPathComponent(text).standardizedFileURL.path
    }

    /// A CA bundle that must exist now, so a typo is a configuration error rather than a TLS failure at 18:30.
    func caFile(_ node: Node?, _ key: String) throws -> String? {
        guard let node else { return nil }
        let file = try path(node, key)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: file) else { throw fail(key, "no readable CA file at \(file)") }
        return file
    }

    /// `allowed_file_roots`: each `{data_dir}…`, `{sim_dir}…`, absolute, or relative to the pipeline file.
    func fileRoots(_ node: Node?) throws -> [String] {
        guard let node else { return ["{data_dir}"] + (baseDirectory.map { [$0.standardizedFileURL.path] } ?? []) }
        guard let list = node.sequence else { throw fail("allowed_file_roots", "expected a list of folders") }
        return try list.enumerated().map { i, item in
            let key = "allowed_file_roots[\(i)]"
            let text = try string(item, key)
            if text.hasPrefix("{") {
                guard text.hasPrefix("{data_dir}") || text.hasPrefix("{sim_dir}") else {
                    throw fail(key, "only {data_dir} and {sim_dir} may start a root ('\(text)')")
                }
                return text
            }
            return try path(item, key)
        }
    }

    /// Checks a source URL's placeholders and reads its `{env:NAME}` secrets from the environment.
    mutating func sourceURL(_ node: Node?, _ key: String) throws -> String {
        let url = try string(node, key)
        try URLTemplate.validate(url, path: key, origin: origin)
        try readSecrets(in: url, key)
        return url
    }

    /// Reads the `{env:NAME}` secrets `text` names from the environment; an unset or empty one is an error at `key`.
    mutating func readSecrets(in text: String, _ key: String) throws {
        for name in URLTemplate.secretNames(in: text) {
            guard let value = environment[name], !value.isEmpty else {
                throw fail(key, "{env:\(name)}: the environment variable \(name) is not set")
            }
            secrets[name] = SecretString(value)
        }
    }

    /// Headers the fetcher sets itself (or that would change how the body is framed or decoded).
    static let reservedHeaders: Set<String> = ["accept-encoding", "host", "content-length", "transfer-encoding", "connection", "user-agent"]

    /// A source's `headers:` map: names as RFC 9110 tokens, not one the fetcher sets, each given once;
    /// values one line, with no placeholder but `{env:NAME}`.
    mutating func headers(_ node: Node?, _ path: String, url: String) throws -> [PipelineConfig.Source.Header] {
        guard let node else { return [] }
        guard let map = node.mapping else { throw fail(path, "expected a mapping of header names to values") }
        guard ["http:", "https:"].contains(where: url.lowercased().hasPrefix) else { throw fail(path, "headers are sent only to http(s) sources") }
        let tokenPunctuation = Set("!#$%&'*+-.^_`|~".unicodeScalars)
        var out: [PipelineConfig.Source.Header] = []
        for (k, v) in map {
            guard let name = k.string, !name.isEmpty,
                  name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || tokenPunctuation.contains($0)) })
            else { throw fail(path, "'\(k.string ?? "?")' is not a header name (letters, digits, !#$%&'*+-.^_`|~)") }
            let key = "\(path).\(name)"
            guard !Self.reservedHeaders.contains(name.lowercased()) else { throw fail(key, "is set by vixshield itself") }
            guard !out.contains(where: { $0.name.lowercased() == name.lowercased() }) else { throw fail(key, "given twice") }
            guard let value = v.scalar?.string else { throw fail(key, "expected text") }
            guard !value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) else {
                throw fail(key, "must be one line without control characters")
            }
            for placeholder in URLTemplate.names(in: value) {
                guard placeholder.hasPrefix("env:"), URLTemplate.isVariableName(String(placeholder.dropFirst(4))) else {
                    throw fail(key, "{\(placeholder)}: a header value takes only {env:NAME} placeholders")
                }
            }
            try readSecrets(in: value, key)
            out.append(.init(name: name, value: value))
        }
        return out
    }

    /// A source's `options:` map: only the keys its kind's adapter reads.
    func options(_ node: Node?, _ path: String, kind: SourceKind) throws -> [String: String] {
        guard let node else { return [:] }
        let m = try mapping(node, path, allowed: kind.optionKeys)
        var options: [String: String] = [:]
        for (key, value) in m {
            guard let text = value.scalar?.string else { throw fail("\(path).\(key)", "expected text") }
            options[key] = text
        }
        if let compression = options["compression"], !["zip", "none"].contains(compression) {
            throw fail("\(path).compression", "must be zip or none (got '\(compression)')")
        }
        if let origin = options["origin"], ChainOrigin(rawValue: origin) == nil {
            throw fail("\(path).origin", "must be \(ChainOrigin.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(origin)')")
        }
        if let tenor = options["tenor_years"], !(Double(tenor).map { $0 > 0 && $0 <= 100 } ?? false) {
            throw fail("\(path).tenor_years", "must be a number of years in (0, 100] (got '\(tenor)')")
        }
        return options
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
        guard AsOfDate.supported.contains(d) else {
            throw fail(path, "must be between \(AsOfDate.supported.lowerBound) and \(AsOfDate.supported.upperBound) (got \(d))")
        }
        return d
    }

    mutating func config(_ root: Node, sha256: String) throws -> PipelineConfig {
        let top = try mapping(root, "pipeline", allowed: ["name", "description", "underlying", "default_date", "simulate", "sources", "strategy",
                                                          "fetch", "signals", "hedge", "allowed_file_roots", "ca_file"])
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
            let m = try mapping(node, path, allowed: ["name", "kind", "url", "options", "required", "ca_file", "headers"])
            let sourceName = try string(m["name"], "\(path).name")
            guard !sources.contains(where: { $0.name == sourceName }) else { throw fail("\(path).name", "duplicate source name '\(sourceName)'") }
            let kindText = try string(m["kind"], "\(path).kind")
            guard let kind = SourceKind(rawValue: kindText) else {
                throw fail("\(path).kind", Suggestion.unknown("source kind", kindText, known: SourceKinds.known))
            }
            let url = try sourceURL(m["url"], "\(path).url")
            sources.append(.init(name: sourceName, kind: kind.rawValue, url: url, options: try options(m["options"], "\(path).options", kind: kind),
                                 required: try bool(m["required"], "\(path).required", default: true),
                                 caFile: try caFile(m["ca_file"], "\(path).ca_file"), headers: try headers(m["headers"], "\(path).headers", url: url)))
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
            fetchPolicy: try fetchPolicy(top["fetch"], caFile: try caFile(top["ca_file"], "ca_file")), sha256: sha256)
        config.allowedFileRoots = try fileRoots(top["allowed_file_roots"])
        config.secrets = secrets
        config.scoredProfiles = scored
        config.signals = try signals(top["signals"])
        config.hedge = try hedge(top["hedge"])
        return config
    }

    func fetchPolicy(_ node: Node?, caFile: String?) throws -> FetchPolicy {
        var policy = FetchPolicy()
        policy.caFile = caFile
        guard let node else { return policy }
        let m = try mapping(node, "fetch", allowed: ["connect_timeout_seconds", "total_timeout_seconds", "max_attempts", "max_response_mb",
                                                    "backoff_base_seconds", "backoff_cap_seconds", "max_retry_after_seconds"])
        typealias Limits = FetchPolicy.Limits
        policy.connectTimeoutSeconds = try double(m["connect_timeout_seconds"], "fetch.connect_timeout_seconds",
                                                  default: policy.connectTimeoutSeconds, in: Limits.connectTimeoutSeconds, unit: " s")
        policy.totalTimeoutSeconds = try double(m["total_timeout_seconds"], "fetch.total_timeout_seconds",
                                                default: policy.totalTimeoutSeconds, in: Limits.totalTimeoutSeconds, unit: " s")
        policy.maxAttempts = try int(m["max_attempts"], "fetch.max_attempts", default: policy.maxAttempts, in: Limits.maxAttempts)
        policy.backoffBaseSeconds = try double(m["backoff_base_seconds"], "fetch.backoff_base_seconds",
                                               default: policy.backoffBaseSeconds, in: Limits.retryWaitSeconds, unit: " s")
        policy.backoffCapSeconds = try double(m["backoff_cap_seconds"], "fetch.backoff_cap_seconds",
                                              default: max(policy.backoffCapSeconds, policy.backoffBaseSeconds), in: Limits.retryWaitSeconds, unit: " s")
        guard policy.backoffCapSeconds >= policy.backoffBaseSeconds else {
            throw fail("fetch.backoff_cap_seconds", "must not be below fetch.backoff_base_seconds (\(policy.backoffCapSeconds) < \(policy.backoffBaseSeconds))")
        }
        policy.maxRetryAfterSeconds = try double(m["max_retry_after_seconds"], "fetch.max_retry_after_seconds",
                                                 default: policy.maxRetryAfterSeconds, in: Limits.retryWaitSeconds, unit: " s")
        let megabyte = 1_048_576.0
        let mb = try double(m["max_response_mb"], "fetch.max_response_mb", default: Double(policy.maxResponseBytes) / megabyte,
                            in: Double(Limits.maxResponseBytes.lowerBound) / megabyte...Double(Limits.maxResponseBytes.upperBound) / megabyte, unit: " MB")
        // In range, so the product is a whole number of bytes well inside Int.
        policy.maxResponseBytes = Int(clamping: (mb * megabyte).rounded(), to: Limits.maxResponseBytes) ?? policy.maxResponseBytes
        // The bounds above are FetchPolicy's own, so this holds; it names the block should they ever drift.
        if let problem = policy.invalidSetting { throw fail("fetch", problem) }
        return policy
    }

    func hedge(_ node: Node?) throws -> ALVHConfig {
        var h = ALVHConfig()
        guard let node else { return h }
        let m = try mapping(node, "hedge", allowed: ["target_fraction", "base_fraction", "minimum_hold_sessions", "monthly_budget_usd",
                                                    "vol_up_on", "delta_on", "event_lead_days", "vix_call_slippage_points"])
        // Ranges per key (README "Pipeline file ranges"); ALVHConfig.validate then checks what ties keys together.
        h.targetFraction = try double(m["target_fraction"], "hedge.target_fraction", default: h.targetFraction, in: 0.01...2)
        h.baseFraction = try double(m["base_fraction"], "hedge.base_fraction", default: h.baseFraction, in: 0.10...0.15)
        h.minimumHoldSessions = try int(m["minimum_hold_sessions"], "hedge.minimum_hold_sessions", default: h.minimumHoldSessions, in: 0...250)
        h.monthlyBudgetUSD = try double(m["monthly_budget_usd"], "hedge.monthly_budget_usd", default: h.monthlyBudgetUSD, in: 0...1e9)
        h.volUpOn = try double(m["vol_up_on"], "hedge.vol_up_on", default: h.volUpOn, in: 0.12...0.18)
        h.deltaOn = try double(m["delta_on"], "hedge.delta_on", default: h.deltaOn, in: 0.05...0.95)
        h.eventLeadDays = try int(m["event_lead_days"], "hedge.event_lead_days", default: h.eventLeadDays, in: 0...60)
        h.vixCallSlippagePoints = try double(m["vix_call_slippage_points"], "hedge.vix_call_slippage_points",
                                             default: h.vixCallSlippagePoints, in: 0...10)
        do {
            try h.validate()
        } catch {
            // ALVHConfig names its properties; the file names its keys, in the path and in the message.
            let keys = ["targetFraction": "target_fraction", "baseFraction": "base_fraction", "minimumHoldSessions": "minimum_hold_sessions",
                        "monthlyBudgetUSD": "monthly_budget_usd", "volUpOn": "vol_up_on", "deltaOff": "delta_on", "deltaOn": "delta_on",
                        "eventLeadDays": "event_lead_days", "vixCallSlippagePoints": "vix_call_slippage_points"]
            var message = error.message
            for (property, key) in keys.sorted(by: { $0.key.count > $1.key.count }) {
                message = message.replacingOccurrences(of: property, with: property == "deltaOff" ? "delta_off (derived)" : key)
            }
            throw fail("hedge.\(keys[error.key] ?? error.key)", message)
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

    /// The `NAME`s of the `{env:NAME}` secrets in a template.
    static func secretNames(in template: String) -> [String] {
        names(in: template).compactMap { $0.hasPrefix("env:") ? String($0.dropFirst(4)) : nil }
    }

    /// An environment variable name: letters, digits and `_`, not starting with a digit.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)) }
    }

    /// The URL to request: `{env:NAME}` replaced by its secret. Only the fetch call may hold the result;
    /// what is stored or printed is the template-expanded URL, placeholders kept.
    public static func revealingSecrets(_ url: String, secrets: [String: SecretString]) -> String {
        var out = url
        for (name, secret) in secrets { out = out.replacingOccurrences(of: "{env:\(name)}", with: secret.revealed) }
        return out
    }

    static func validate(_ template: String, path: String, origin: String) throws {
        for name in names(in: template) where name.hasPrefix("env:") && !isVariableName(String(name.dropFirst(4))) {
            throw PipelineError.invalidConfig(origin, "\(path): {\(name)} does not name an environment variable (letters, digits, _)")
        }
        for name in names(in: template) where !placeholders.contains(name) && !name.hasPrefix("env:") {
            throw PipelineError.invalidConfig(origin, "\(path): unknown placeholder {\(name)} (known: \(placeholders.sorted().map { "{\($0)}" }.joined(separator: ", ")), {env:NAME})")
        }
        let scheme = template.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        guard ["http", "https", "file"].contains(scheme.lowercased()) else {
            throw PipelineError.invalidConfig(origin, "\(path): URL must start with http://, https:// or file:// ('\(template)')")
        }
    }

    /// Where `{sim_dir}` points: the simulated market under the data folder.
    public static func simulatedDirectory(in dataDir: URL) -> URL { dataDir.appendingPathComponent("simulated", isDirectory: true) }

    /// `{data_dir}` and `{sim_dir}` replaced by plain (not percent-encoded) absolute paths: for folders
    /// named in the pipeline file (`allowed_file_roots`), not URLs.
    static func expandDirectories(_ template: String, dataDir: URL) -> String {
        template.replacingOccurrences(of: "{data_dir}", with: dataDir.standardizedFileURL.path)
            .replacingOccurrences(of: "{sim_dir}", with: simulatedDirectory(in: dataDir).standardizedFileURL.path)
    }

    /// The URL for one as-of date. Directories are inserted as percent-encoded absolute paths;
    /// `{env:NAME}` secrets are left as written (see `revealingSecrets`).
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
