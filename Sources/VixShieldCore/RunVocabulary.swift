/// The words a run is described in: stage names, run and date statuses, why a date has no trade, and the
/// exit code all of that maps to. Everything that decides an exit code or a retry reads these types,
/// never the text of a message.

// MARK: - Stages

/// The pipeline's stages, in the order data flows through them (DESIGN.md §2).
public enum StageName: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case ingest, normalize, surface, signals, project, recommend
    /// Cross-date: the volatility context and event reactions, over stored surfaces and curves.
    case context
    case hedge, positions, outcomes

    public var description: String { rawValue }

    public static func < (a: StageName, b: StageName) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// When a stage runs relative to the other dates of a run.
public enum StagePhase: String, Sendable, Hashable {
    /// A function of one as-of date and what is stored before it: dates run in parallel.
    case perDate = "per_date"
    /// Needs the stored results of other dates (yesterday's positions, later settlements): runs after
    /// every per-date stage of the run has finished, one date at a time in date order.
    case crossDate = "cross_date"
}

// MARK: - Statuses

/// How a run (one row of `runs`) ended.
public enum RunStatus: String, Sendable, Hashable, CaseIterable {
    case running, ok, failed
    /// Stopped by SIGINT or SIGTERM: the dates that finished are complete, the rest did not start.
    case interrupted
}

/// How one as-of date ended.
public enum DateStatus: String, Sendable, Hashable, CaseIterable {
    /// Recommendations written (trades, or no_trade rows because no candidate passed the rules).
    case ok
    /// An input was missing or stale, or the chain failed the quality gate: no_trade rows name the reason.
    case noTrade = "no_trade"
    /// A hard error (malformed payload, storage failure): nothing of the date's partitions was written.
    case failed
    /// The run was interrupted while the date was in flight: nothing of it was written.
    case interrupted
    /// This attempt could not decide the date (an input missing, stale or failing the quality gate) but an
    /// earlier run did: that complete result stays as it was and the attempt is recorded with the run.
    case keptPrevious = "kept_previous"
}

// MARK: - Why there is no trade

/// One expiry a profile could have traded and why it was left out.
public struct ExpiryExclusion: Sendable, Hashable, CustomStringConvertible {
    public var root: String
    public var expiry: CalendarDate
    /// Short names of the causes (the surface's flags, e.g. `butterfly_arbitrage`, or `no_fitted_slice`).
    public var causes: [String]

    public init(root: String, expiry: CalendarDate, causes: [String]) {
        self.root = root
        self.expiry = expiry
        self.causes = causes
    }

    public var description: String { "\(root) \(expiry) (\(causes.joined(separator: ", ")))" }
}

/// Why a date or a profile has no trade. Each case has a stable `code` (stored in
/// `recommendations.reason_code` and `date_completions.reason_code`) and a one-line description.
public enum NoTradeReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// A required source could not be had (fetch failed, nothing archived offline).
    case missingInput(source: String, detail: String)
    /// A required history series ends before the as-of date.
    case staleInput(source: String, lastDate: CalendarDate?, asOf: CalendarDate)
    /// The underlying's chain failed the quality gate (stale snapshot, too few usable quotes, …).
    case qualityGate(String)
    /// No option chain of the underlying among the payloads.
    case noChain(underlying: String)
    /// The profile's window held expiries, but every one was excluded (each with its cause).
    case expiriesExcluded(window: String, [ExpiryExclusion])
    /// No expiry in the profile's window at all.
    case noExpiryInWindow(String)
    /// Expiries were there but no condor passed the profile's rules.
    case noCandidate(String)
    /// The best candidate's annualized expected return on risk is below the hurdle rate.
    case hurdleNotMet(annualizedReturn: Double, hurdle: Double)

    public var code: String {
        switch self {
        case .missingInput: return "missing_input"
        case .staleInput: return "stale_input"
        case .qualityGate: return "quality_gate"
        case .noChain: return "no_chain"
        case .expiriesExcluded: return "expiry_excluded"
        case .noExpiryInWindow: return "no_expiry_in_window"
        case .noCandidate: return "no_candidate"
        case .hurdleNotMet: return "hurdle_not_met"
        }
    }

    /// This attempt's data cannot decide the date: an input missing or stale, or a chain that fails the quality
    /// gate. A rerun like that never replaces an earlier complete result.
    public var isUndecided: Bool {
        switch self {
        case .qualityGate: return true
        default: return isInputProblem
        }
    }

    /// Missing or stale inputs: the date could not be decided, so a backfill retries it and the exit
    /// code says an input was missing. Every other reason is a decision about the market.
    public var isInputProblem: Bool {
        switch self {
        case .missingInput, .staleInput: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .missingInput(let source, let detail): return "missing input: source \(source): \(detail)"
        case .staleInput(let source, let last, let asOf):
            return "stale input: source \(source) ends \(last?.isoString ?? "with no rows"), before \(asOf)"
        case .qualityGate(let why): return "quality gate: \(why)"
        case .noChain(let underlying): return "no option chain for \(underlying) among the sources"
        case .expiriesExcluded(let window, let excluded):
            return "\(window): every candidate expiry was excluded: " + excluded.map(\.description).joined(separator: "; ")
        case .noExpiryInWindow(let why): return why
        case .noCandidate(let why): return why
        case .hurdleNotMet(let r, let h):
            return "annualized expected return on risk \(Self.percent(r)) is below the hurdle rate \(Self.percent(h))"
        }
    }

    /// The reasons of one date as one line, in order.
    public static func line(_ reasons: [NoTradeReason]) -> String { reasons.map(\.description).joined(separator: "; ") }

    private static func percent(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        let tenths = (x * 1000).rounded() / 10
        return "\(tenths) %"
    }
}

// MARK: - Exit codes

/// The process exit code of `run` and `backfill`, decided from statuses and reasons (README: exit codes).
public enum ExitStatus: Int32, Sendable, Hashable {
    /// Every date done (trades or decided no_trade rows).
    case ok = 0
    /// A date or the command failed.
    case failed = 1
    /// A required input was missing or stale on some date (its no_trade row names it).
    case inputMissing = 3
    /// `run` without a date before today's session is complete in New York: nothing was run.
    case beforeClose = 4
    /// Another vixshield process holds the database's writer lock: nothing was run (EX_TEMPFAIL).
    case busy = 75
    /// Bad usage (argument-parser's code).
    case usage = 64
    /// Interrupted by SIGINT (128 + 2).
    case interruptedByInt = 130
    /// Interrupted by SIGTERM (128 + 15).
    case interruptedByTerm = 143

    /// The code for a run whose dates ended as given: failures first, then missing inputs.
    public static func of(dates: [(status: DateStatus, reasons: [NoTradeReason])]) -> ExitStatus {
        if dates.contains(where: { $0.status == .failed }) { return .failed }
        if dates.contains(where: { $0.reasons.contains(where: \.isInputProblem) }) { return .inputMissing }
        return .ok
    }
}
