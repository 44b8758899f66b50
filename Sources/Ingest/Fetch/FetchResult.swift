import Foundation

/// How the body travelled (`Content-Encoding`); `FetchResult.body` is always decoded.
public enum ContentEncoding: String, Sendable, Equatable {
    case identity
    case gzip
    case deflate
}

/// One attempt of a fetch, kept for diagnostics.
public struct FetchAttempt: Sendable, Equatable {
    /// How an attempt ended.
    public enum Outcome: Sendable, Equatable {
        /// A 2xx response (200 for `file://`) whose body was read and decoded.
        case succeeded(httpStatus: Int)
        case failed(FetchError.Reason)
    }

    /// 1-based.
    public var number: Int
    public var outcome: Outcome
    /// Wall time the attempt took (monotonic clock).
    public var durationSeconds: Double
    /// The wait requested before the next attempt; nil for the last attempt.
    public var retryDelaySeconds: Double?

    public init(number: Int, outcome: Outcome, durationSeconds: Double, retryDelaySeconds: Double? = nil) {
        self.number = number
        self.outcome = outcome
        self.durationSeconds = durationSeconds
        self.retryDelaySeconds = retryDelaySeconds
    }
}

extension FetchAttempt {
    /// The failed attempts on one line, each with the wait before the next, e.g.
    /// `attempt 1: HTTP status 503, retried after 0.012 s; attempt 2: HTTP status 502, retried after 0.031 s`.
    public static func failureLog(_ attempts: [FetchAttempt]) -> String {
        attempts.compactMap { attempt -> String? in
            guard case .failed(let reason) = attempt.outcome else { return nil }
            let wait = attempt.retryDelaySeconds.map { ", retried after \(String(format: "%.3f", $0)) s" } ?? ""
            return "attempt \(attempt.number): \(reason)\(wait)"
        }.joined(separator: "; ")
    }
}

/// A successful fetch.
public struct FetchResult: Sendable, Equatable {
    /// The URL as requested.
    public var requestedURL: String
    /// The URL after redirects.
    public var finalURL: String
    /// The final HTTP status; 200 for a `file://` read.
    public var httpStatus: Int
    /// The body after `Content-Encoding` decoding.
    public var body: Data
    /// Body bytes as received (after transfer framing, before content decoding).
    public var rawByteCount: Int
    public var contentEncoding: ContentEncoding
    /// Response headers of the final response, names lowercased; a repeated header keeps its last value.
    public var headers: [String: String]
    /// Every attempt, in order; the last one succeeded.
    public var attempts: [FetchAttempt]

    public init(
        requestedURL: String, finalURL: String, httpStatus: Int, body: Data, rawByteCount: Int,
        contentEncoding: ContentEncoding, headers: [String: String], attempts: [FetchAttempt]
    ) {
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.httpStatus = httpStatus
        self.body = body
        self.rawByteCount = rawByteCount
        self.contentEncoding = contentEncoding
        self.headers = headers
        self.attempts = attempts
    }
}
