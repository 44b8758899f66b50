import Foundation
import Logging
import VixShieldCore

/// The one client for `http://`, `https://` and `file://` payloads, on libcurl.
///
/// Each attempt is a fresh libcurl easy transfer with the policy's timeouts, size cap, User-Agent and
/// `Accept-Encoding: gzip, deflate`; gzip/deflate bodies are decoded by our own zlib code. Failed
/// attempts are retried when another try could help (5xx, 429, timeouts, transient transport errors),
/// never on other 4xx, waiting by exponential backoff with jitter or the server's `Retry-After`.
/// TLS peer and host verification are always on.
///
/// ```swift
/// let fetcher = CurlFetcher(policy: FetchPolicy(totalTimeoutSeconds: 60))
/// let result = try await fetcher.fetch("https://cdn.cboe.com/api/global/delayed_quotes/options/_SPX.json")
/// ```
public struct CurlFetcher: Sendable {
    public let policy: FetchPolicy
    private let sleep: @Sendable (Double) -> Void
    private let now: @Sendable () -> Date
    private let logger: Logger?

    /// - Parameters:
    ///   - policy: timeouts, retries and limits; must be valid (`policy.invalidSetting == nil`).
    ///   - sleep: waits between attempts (seconds); tests inject a recorder instead of waiting.
    ///   - now: wall clock, used only to turn an HTTP-date `Retry-After` into a delay.
    ///   - logger: receives one warning per retry, when given.
    public init(
        policy: FetchPolicy = FetchPolicy(),
        sleep: @escaping @Sendable (Double) -> Void = CurlFetcher.threadSleep,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger? = nil
    ) {
        if let problem = policy.invalidSetting { preconditionFailure("invalid FetchPolicy: \(problem)") }
        self.policy = policy
        self.sleep = sleep
        self.now = now
        self.logger = logger
    }

    /// Blocks the calling thread for `seconds` (the default sleeper).
    public static let threadSleep: @Sendable (Double) -> Void = { seconds in
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
    }

    /// Fetches `url`, retrying per the policy. Blocks the calling thread: never call it from a Swift
    /// concurrency task; use the `async` overload there.
    /// - Parameter headers: extra request header lines (`Name: value`, http and https only), each one line.
    /// - Returns: the decoded body and its provenance.
    /// - Throws: `FetchError` naming the URL, the last failure and every attempt.
    public func fetch(_ url: String, headers: [String] = []) throws(FetchError) -> FetchResult {
        let target: FetchTarget
        switch FetchTarget.parse(url) {
        case .success(let parsed): target = parsed
        case .failure(let reason): throw FetchError(url: url, reason: reason, attempts: [])
        }
        // A line break would let a value smuggle in headers of its own.
        if let bad = headers.first(where: { !$0.contains(":") || $0.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" } }) {
            let name = bad.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            throw FetchError(url: url, reason: .badURL("request header \"\(name.prefix(40))\" is not one \"Name: value\" line"), attempts: [])
        }

        var jitter: any RandomNumberGenerator = policy.jitterSeed.map { SplitMix64(seed: $0 ^ Self.fnv1a(url)) }
            ?? SystemRandomNumberGenerator()
        var attempts: [FetchAttempt] = []
        let clock = ContinuousClock()
        for number in 1...policy.maxAttempts {
            let started = clock.now
            let outcome = CurlTransfer.perform(target, policy: policy, headers: headers)
            let elapsed = started.duration(to: clock.now)
            let durationSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18

            switch outcome {
            case .success(let output):
                attempts.append(FetchAttempt(number: number, outcome: .succeeded(httpStatus: output.httpStatus),
                                             durationSeconds: durationSeconds))
                return FetchResult(
                    requestedURL: url, finalURL: output.finalURL, httpStatus: output.httpStatus, body: output.body,
                    rawByteCount: output.rawByteCount, contentEncoding: output.contentEncoding,
                    headers: output.headers, attempts: attempts)

            case .failure(let reason, let retryAfterHeader):
                var attempt = FetchAttempt(number: number, outcome: .failed(reason), durationSeconds: durationSeconds)
                guard reason.isRetryable, number < policy.maxAttempts else {
                    attempts.append(attempt)
                    throw FetchError(url: url, reason: reason, attempts: attempts)
                }
                let retryAfterSeconds = retryAfterHeader.flatMap { RetryAfter.seconds(from: $0, now: now()) }
                let delay = policy.retryDelaySeconds(afterAttempt: number, unitRandom: jitter.nextUnitInterval(),
                                                     retryAfterSeconds: retryAfterSeconds)
                attempt.retryDelaySeconds = delay
                attempts.append(attempt)
                logger?.warning("fetch attempt failed, retrying", metadata: [
                    "url": "\(url)", "attempt": "\(number)", "reason": "\(reason)",
                    "delay_seconds": "\(String(format: "%.3f", delay))",
                ])
                sleep(delay)
            }
        }
        // The loop returns or throws on its last iteration (maxAttempts >= 1 is checked in init).
        preconditionFailure("unreachable: retry loop ended without an outcome")
    }

    /// Fetches `url` on a dedicated thread, so the blocking transfer and the retry sleeps never occupy
    /// a Swift concurrency pool thread (an in-process server on that pool would otherwise starve).
    ///
    /// Cancelling the calling task does not interrupt a transfer in progress; the policy's timeouts bound it.
    public func fetch(_ url: String, headers: [String] = []) async throws(FetchError) -> FetchResult {
        let result: Result<FetchResult, FetchError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result { () throws(FetchError) -> FetchResult in try self.fetch(url, headers: headers) })
            }
            thread.name = "vixshield.fetch"
            thread.start()
        }
        return try result.get()
    }

    /// Fetches a Foundation URL (blocking).
    public func fetch(_ url: URL) throws(FetchError) -> FetchResult {
        try fetch(url.absoluteString)
    }

    /// Fetches a Foundation URL on a dedicated thread.
    public func fetch(_ url: URL) async throws(FetchError) -> FetchResult {
        try await fetch(url.absoluteString)
    }

    /// FNV-1a 64 of the URL: mixes it into the jitter seed so each URL gets its own reproducible stream.
    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
