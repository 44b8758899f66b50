/// Timeouts, retries and limits for `CurlFetcher`.
///
/// Retry delays: before attempt n+1 the fetcher waits
/// `max(backoff(n), min(Retry-After, maxRetryAfterSeconds))`, where
/// `backoff(n) = min(backoffCapSeconds, backoffBaseSeconds · 2^(n-1)) · (1 − jitterFraction · u)` and u is
/// uniform in [0, 1). Jitter spreads out clients that failed together; with `jitterFraction` 0.5 the
/// delay stays within [half, all] of the exponential value ("equal jitter").
public struct FetchPolicy: Sendable, Equatable {
    /// Limit on establishing the connection (TCP + TLS), per attempt.
    public var connectTimeoutSeconds: Double
    /// Limit on a whole attempt, body included.
    public var totalTimeoutSeconds: Double
    /// Attempts in total, first one included (1 = never retry).
    public var maxAttempts: Int
    /// Backoff before the second attempt, before jitter.
    public var backoffBaseSeconds: Double
    /// Upper bound of the exponential backoff, before jitter.
    public var backoffCapSeconds: Double
    /// Share of the backoff that is randomized away, in 0...1.
    public var jitterFraction: Double
    /// A server's `Retry-After` is honored up to this many seconds (a longer one waits this long, then
    /// retries), so a vendor asking for an hour cannot stall a nightly batch.
    public var maxRetryAfterSeconds: Double
    /// Largest body accepted, both as received and after gzip/deflate decoding; the transfer is
    /// aborted as soon as either exceeds it.
    public var maxResponseBytes: Int
    /// Redirects followed (http and https only).
    public var maxRedirects: Int
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// Seed for the jitter generator; nil draws from the system generator. With a seed, each URL's
    /// delays are reproducible (the seed is mixed with the URL so concurrent fetches still spread out).
    public var jitterSeed: UInt64?
    /// Refuses a 2xx http(s) response that is an HTML page (a `text/html` Content-Type, or a body that
    /// starts like one): vendors answer outages and logins with such pages, and no payload is HTML.
    public var refusesHTML: Bool
    /// PEM file of the certificate authorities https peers are verified against (`CURLOPT_CAINFO`);
    /// nil uses the system store. Verification itself is never turned off.
    public var caFile: String?

    /// Ranges every setting must lie in (`invalidSetting`); the pipeline file's `fetch:` keys are
    /// checked against the same bounds. Upper bounds keep every conversion to curl's integer
    /// milliseconds and bytes exact.
    public enum Limits {
        public static let connectTimeoutSeconds: ClosedRange<Double> = 0.001...600
        public static let totalTimeoutSeconds: ClosedRange<Double> = 0.001...86_400
        public static let maxAttempts: ClosedRange<Int> = 1...20
        public static let maxResponseBytes: ClosedRange<Int> = 1...(16 << 30)
        /// Backoff base and cap, and the `Retry-After` cap.
        public static let retryWaitSeconds: ClosedRange<Double> = 0...3600
    }

    /// - Parameters: see the properties; defaults suit a nightly batch against Cboe-sized payloads
    ///   (the SPX options JSON is about 13 MB).
    public init(
        connectTimeoutSeconds: Double = 15,
        totalTimeoutSeconds: Double = 180,
        maxAttempts: Int = 4,
        backoffBaseSeconds: Double = 2,
        backoffCapSeconds: Double = 60,
        jitterFraction: Double = 0.5,
        maxRetryAfterSeconds: Double = 300,
        maxResponseBytes: Int = 256 * 1024 * 1024,
        maxRedirects: Int = 5,
        userAgent: String = VixShieldVersion.userAgent,
        jitterSeed: UInt64? = nil,
        caFile: String? = nil,
        refusesHTML: Bool = true
    ) {
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.maxAttempts = maxAttempts
        self.backoffBaseSeconds = backoffBaseSeconds
        self.backoffCapSeconds = backoffCapSeconds
        self.jitterFraction = jitterFraction
        self.maxRetryAfterSeconds = maxRetryAfterSeconds
        self.maxResponseBytes = maxResponseBytes
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
        self.jitterSeed = jitterSeed
        self.caFile = caFile
        self.refusesHTML = refusesHTML
    }

    /// The first setting that is out of range, or nil when the policy is usable.
    public var invalidSetting: String? {
        if !Limits.connectTimeoutSeconds.contains(connectTimeoutSeconds) { return "connectTimeoutSeconds must be in \(Limits.connectTimeoutSeconds)" }
        if !Limits.totalTimeoutSeconds.contains(totalTimeoutSeconds) { return "totalTimeoutSeconds must be in \(Limits.totalTimeoutSeconds)" }
        if !Limits.maxAttempts.contains(maxAttempts) { return "maxAttempts must be in \(Limits.maxAttempts)" }
        if !(backoffBaseSeconds >= 0) || !backoffBaseSeconds.isFinite { return "backoffBaseSeconds must be finite and >= 0" }
        if !(backoffCapSeconds >= backoffBaseSeconds) || !backoffCapSeconds.isFinite {
            return "backoffCapSeconds must be finite and >= backoffBaseSeconds"
        }
        if !(0...1).contains(jitterFraction) { return "jitterFraction must be in 0...1" }
        if !(maxRetryAfterSeconds >= 0) || !maxRetryAfterSeconds.isFinite { return "maxRetryAfterSeconds must be finite and >= 0" }
        if !Limits.maxResponseBytes.contains(maxResponseBytes) { return "maxResponseBytes must be in \(Limits.maxResponseBytes)" }
        if !(0...50).contains(maxRedirects) { return "maxRedirects must be in 0...50" }
        if let caFile, caFile.isEmpty || caFile.utf8.contains(0) { return "caFile must be a path" }
        // Unicode scalars, not Characters: "\r\n" is a single Character and would slip past a Character test.
        if userAgent.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) { return "userAgent must be one line" }
        return nil
    }

    /// Exponential backoff after failed attempt `attempt` (1-based), before Retry-After is considered.
    /// - Parameter unitRandom: a uniform draw in [0, 1).
    public func backoffSeconds(afterAttempt attempt: Int, unitRandom: Double) -> Double {
        // 2^(attempt-1) overflows nothing: the exponent is clamped long before Double's range matters.
        let exponential = backoffBaseSeconds * Double(sign: .plus, exponent: min(max(attempt - 1, 0), 60), significand: 1)
        return min(backoffCapSeconds, exponential) * (1 - jitterFraction * unitRandom)
    }

    /// The wait before the next attempt, combining backoff and the server's `Retry-After` (capped).
    public func retryDelaySeconds(afterAttempt attempt: Int, unitRandom: Double, retryAfterSeconds: Double?) -> Double {
        let backoff = backoffSeconds(afterAttempt: attempt, unitRandom: unitRandom)
        guard let retryAfterSeconds else { return backoff }
        return max(backoff, min(max(retryAfterSeconds, 0), maxRetryAfterSeconds))
    }
}


extension RandomNumberGenerator {
    /// A uniform draw in [0, 1) from the top 53 bits.
    mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
