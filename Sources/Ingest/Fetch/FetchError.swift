/// A fetch that failed for good (after any retries): the URL, why, and every attempt made.
///
/// Its description is one line, e.g.
/// `GET http://127.0.0.1:8080/x: HTTP status 404 (1 attempt)`.
public struct FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong on the last attempt.
    public enum Reason: Error, Sendable, Equatable, CustomStringConvertible {
        /// The server answered with a non-2xx status.
        case httpStatus(Int)
        /// The attempt hit the connect or total timeout; `detail` is curl's message (it names the limit).
        case timedOut(detail: String)
        /// The body (as received, or after decoding when `decoded`) exceeded the policy's limit.
        case tooLarge(limitBytes: Int, decoded: Bool)
        /// libcurl failed: its `CURLcode` and error message (connection refused, body cut short, TLS…).
        case transport(curlCode: Int, message: String)
        /// The `Content-Encoding` body could not be decoded.
        case decode(CompressionError)
        /// The server used a `Content-Encoding` other than gzip, deflate or identity.
        case unsupportedContentEncoding(String)
        /// The URL cannot be parsed or uses a scheme other than http, https or file.
        case badURL(String)
        /// A `file://` URL names no readable file.
        case fileNotFound(path: String)
        /// A 2xx response that is an HTML page (an error, login or maintenance page); `evidence` says how
        /// it was recognized (its Content-Type or its first bytes).
        case htmlPage(evidence: String)
        /// A redirect to a scheme other than http or https (`file://` would read local files); not followed.
        case redirectRefused(location: String)

        /// Whether another attempt could succeed: 5xx, 429, timeouts and transient transport errors.
        public var isRetryable: Bool {
            switch self {
            case .httpStatus(let status): status == 429 || (500...599).contains(status)
            case .timedOut: true
            case .transport(let code, _): CurlTransfer.retryableCodes.contains(code)
            case .tooLarge, .decode, .unsupportedContentEncoding, .badURL, .fileNotFound, .htmlPage, .redirectRefused: false
            }
        }

        public var description: String {
            switch self {
            case .httpStatus(let status): "HTTP status \(status)"
            case .timedOut(let detail): "timed out: \(detail)"
            case .tooLarge(let limit, let decoded): "\(decoded ? "decoded body" : "body") larger than \(limit) bytes"
            case .transport(let code, let message): "transport error (curl \(code)): \(message)"
            case .decode(let error): "cannot decode body: \(error)"
            case .unsupportedContentEncoding(let encoding): "unsupported Content-Encoding \"\(encoding)\""
            case .badURL(let why): "bad URL: \(why)"
            case .fileNotFound(let path): "file not found or unreadable: \(path)"
            case .htmlPage(let evidence): "an HTML page, not a data file (\(evidence)); refused"
            case .redirectRefused(let location): "redirect to \(location) refused (only http and https redirects are followed)"
            }
        }
    }

    /// The URL as requested.
    public var url: String
    public var reason: Reason
    /// Every attempt, in order; the last one failed with `reason`.
    public var attempts: [FetchAttempt]

    public init(url: String, reason: Reason, attempts: [FetchAttempt]) {
        self.url = url
        self.reason = reason
        self.attempts = attempts
    }

    public var description: String {
        let count = attempts.count
        return "GET \(url): \(reason) (\(count) attempt\(count == 1 ? "" : "s"))"
    }
}
