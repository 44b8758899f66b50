import CCurl
import VixShieldCore
import Foundation

/// A URL checked to be http, https or file.
struct FetchTarget: Sendable {
    enum Scheme: Sendable { case http, file }

    let url: String
    let scheme: Scheme
    /// The decoded path, for `file://` diagnostics.
    let path: String

    /// Parses `url`, or explains why it cannot be fetched.
    static func parse(_ url: String) -> Result<FetchTarget, FetchError.Reason> {
        guard let components = URLComponents(string: url), let rawScheme = components.scheme else {
            return .failure(.badURL("cannot parse \"\(url)\""))
        }
        switch rawScheme.lowercased() {
        case "http", "https":
            guard let host = components.host, !host.isEmpty else { return .failure(.badURL("no host in \"\(url)\"")) }
            return .success(FetchTarget(url: url, scheme: .http, path: components.path))
        case "file":
            guard !components.path.isEmpty else { return .failure(.badURL("no path in \"\(url)\"")) }
            return .success(FetchTarget(url: url, scheme: .file, path: components.path))
        default:
            return .failure(.badURL("unsupported scheme \"\(rawScheme)\" (http, https or file)"))
        }
    }
}

/// What one successful attempt produced.
struct TransferOutput {
    var finalURL: String
    var httpStatus: Int
    var body: Data
    var rawByteCount: Int
    var contentEncoding: ContentEncoding
    var headers: [String: String]
}

/// How one attempt ended.
enum TransferOutcome {
    case success(TransferOutput)
    /// `retryAfter` is the raw `Retry-After` header of a failed HTTP response, when there was one.
    case failure(FetchError.Reason, retryAfter: String?)
}

/// One libcurl easy transfer: set up, perform, classify. Blocking; call it off the concurrency pool.
enum CurlTransfer {
    /// `curl_global_init` is not thread-safe and must precede every other curl call; a global `let` is
    /// initialized exactly once, lazily and atomically, the first time a transfer needs it.
    private static let globalInitCode: UInt32 = vs_curl_global_init_default().rawValue

    /// - Parameter headers: extra request header lines, checked to be one line each (http and https only).
    static func perform(_ target: FetchTarget, policy: FetchPolicy, headers extraHeaders: [String] = []) -> TransferOutcome {
        guard globalInitCode == CURLE_OK.rawValue else {
            return .failure(.transport(curlCode: Int(globalInitCode), message: "curl_global_init failed"), retryAfter: nil)
        }
        // Everything the handle points at (user data, error buffer, header list) is set up first so
        // that its defer runs last: curl may touch the error buffer until curl_easy_cleanup.
        let state = TransferState(maxBytes: policy.maxResponseBytes, decodesContent: target.scheme == .http)
        let box = Unmanaged.passRetained(state)
        defer { box.release() }

        let errorSize = vs_curl_error_size()
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: errorSize)
        errorBuffer.initialize(repeating: 0, count: errorSize)
        defer { errorBuffer.deallocate() }

        // We send Accept-Encoding ourselves (instead of CURLOPT_ACCEPT_ENCODING) so curl passes the
        // encoded body through and our decoder can enforce the decoded-size cap while it streams.
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        if target.scheme == .http {
            headerList = curl_slist_append(nil, "Accept-Encoding: gzip, deflate")
            for line in extraHeaders { headerList = curl_slist_append(headerList, line) }
        }
        defer { curl_slist_free_all(headerList) }

        guard let handle = curl_easy_init() else {
            return .failure(.transport(curlCode: -1, message: "curl_easy_init failed"), retryAfter: nil)
        }
        defer { curl_easy_cleanup(handle) }

        if let failure = configure(handle, target: target, policy: policy, state: box.toOpaque(),
                                   errorBuffer: errorBuffer, headers: headerList) {
            return .failure(failure, retryAfter: nil)
        }

        let code = curl_easy_perform(handle)
        let message = errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        if code != CURLE_OK {
            return .failure(classify(code, message: message, target: target, policy: policy, state: state), retryAfter: nil)
        }

        var status = 200
        if target.scheme == .http {
            var responseCode = 0
            _ = vs_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
            status = responseCode
            guard (200...299).contains(status) else {
                return .failure(.httpStatus(status), retryAfter: state.headers["retry-after"])
            }
        }
        var effective: UnsafePointer<CChar>? = nil
        _ = vs_curl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective)
        let finalURL = effective.map { String(cString: $0) } ?? target.url

        let body: Data
        do {
            body = try state.finishBody()
        } catch {
            return .failure(error, retryAfter: nil)
        }
        if target.scheme == .http, policy.refusesHTML,
           let evidence = HTMLPage.evidence(contentType: state.headers["content-type"], body: body) {
            return .failure(.htmlPage(evidence: evidence), retryAfter: nil)
        }
        return .success(TransferOutput(
            finalURL: finalURL, httpStatus: status, body: body, rawByteCount: state.rawByteCount,
            contentEncoding: state.contentEncoding ?? .identity, headers: state.headers))
    }

    /// CURLcodes worth another attempt: resolution, connection, HTTP/2 stream and mid-transfer
    /// failures (a body cut short included). Timeouts are classified separately.
    static let retryableCodes: Set<Int> = [
        Int(CURLE_COULDNT_RESOLVE_PROXY.rawValue), Int(CURLE_COULDNT_RESOLVE_HOST.rawValue),
        Int(CURLE_COULDNT_CONNECT.rawValue), Int(CURLE_HTTP2.rawValue), Int(CURLE_PARTIAL_FILE.rawValue),
        Int(CURLE_SSL_CONNECT_ERROR.rawValue), Int(CURLE_GOT_NOTHING.rawValue), Int(CURLE_SEND_ERROR.rawValue),
        Int(CURLE_RECV_ERROR.rawValue), Int(CURLE_HTTP2_STREAM.rawValue),
    ]

    // MARK: - Setup

    /// Applies every option; returns the failure of the first one libcurl rejects.
    private static func configure(
        _ handle: UnsafeMutableRawPointer, target: FetchTarget, policy: FetchPolicy, state: UnsafeMutableRawPointer,
        errorBuffer: UnsafeMutablePointer<CChar>, headers: UnsafeMutablePointer<curl_slist>?
    ) -> FetchError.Reason? {
        var failed: (CURLoption, CURLcode)?
        func check(_ option: CURLoption, _ code: CURLcode) {
            if failed == nil, code != CURLE_OK { failed = (option, code) }
        }
        // The policy bounds its timeouts; clamping keeps a policy built around that check from trapping.
        func milliseconds(_ seconds: Double) -> Int { Int(clamping: (seconds * 1000).rounded(.up), to: 1...Int(Int32.max)) ?? 1 }

        check(CURLOPT_ERRORBUFFER, vs_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        check(CURLOPT_URL, vs_curl_setopt_string(handle, CURLOPT_URL, target.url))
        // Only these schemes, and redirects may not leave http(s) (a redirect to file:// would read local files).
        check(CURLOPT_PROTOCOLS_STR, vs_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https,file"))
        check(CURLOPT_REDIR_PROTOCOLS_STR, vs_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        check(CURLOPT_FOLLOWLOCATION, vs_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, policy.maxRedirects > 0 ? 1 : 0))
        check(CURLOPT_MAXREDIRS, vs_curl_setopt_long(handle, CURLOPT_MAXREDIRS, policy.maxRedirects))
        // Signals cannot be used for timeouts in a multi-threaded process.
        check(CURLOPT_NOSIGNAL, vs_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        check(CURLOPT_CONNECTTIMEOUT_MS, vs_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(policy.connectTimeoutSeconds)))
        check(CURLOPT_TIMEOUT_MS, vs_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(policy.totalTimeoutSeconds)))
        // TLS verification is always on; these are libcurl's defaults, set explicitly so no build or
        // environment can weaken them.
        check(CURLOPT_SSL_VERIFYPEER, vs_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        check(CURLOPT_SSL_VERIFYHOST, vs_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        // A private CA (a vendor's gateway, a test server) is added by naming its file, never by
        // turning verification off.
        if let caFile = policy.caFile {
            check(CURLOPT_CAINFO, vs_curl_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        check(CURLOPT_USERAGENT, vs_curl_setopt_string(handle, CURLOPT_USERAGENT, policy.userAgent))
        if let headers {
            check(CURLOPT_HTTPHEADER, vs_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers))
        }
        // Rejects up front when the server announces a Content-Length over the cap; the write callback
        // enforces it for chunked bodies and decoded sizes.
        check(CURLOPT_MAXFILESIZE_LARGE, vs_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(policy.maxResponseBytes)))
        check(CURLOPT_WRITEFUNCTION, vs_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
        check(CURLOPT_WRITEDATA, vs_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, state))
        check(CURLOPT_HEADERFUNCTION, vs_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        check(CURLOPT_HEADERDATA, vs_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, state))

        guard let (option, code) = failed else { return nil }
        return .transport(curlCode: Int(code.rawValue),
                          message: "setting option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))")
    }

    // MARK: - Classification

    private static func classify(
        _ code: CURLcode, message: String, target: FetchTarget, policy: FetchPolicy, state: TransferState
    ) -> FetchError.Reason {
        // Our own callbacks abort with a write error; their reason is more precise than curl's.
        if let aborted = state.abortReason { return aborted }
        // A redirect to a scheme REDIR_PROTOCOLS_STR leaves out: name the target, not curl's "unsupported protocol".
        if code == CURLE_UNSUPPORTED_PROTOCOL, (300...399).contains(state.httpStatus), let location = state.headers["location"] {
            return .redirectRefused(location: location)
        }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(detail: message)
        case CURLE_FILESIZE_EXCEEDED:
            return .tooLarge(limitBytes: policy.maxResponseBytes, decoded: false)
        case CURLE_FILE_COULDNT_READ_FILE:
            return .fileNotFound(path: target.path)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .badURL(message)
        default:
            return .transport(curlCode: Int(code.rawValue), message: message)
        }
    }
}

/// Recognizes an HTML page served where a data file was expected.
enum HTMLPage {
    /// How `body` shows itself to be HTML (its Content-Type, or its first markup after any BOM and
    /// whitespace), or nil when it does not.
    static func evidence(contentType: String?, body: Data) -> String? {
        if let contentType {
            let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if media == "text/html" || media == "application/xhtml+xml" { return "Content-Type \(media)" }
        }
        var head = body.prefix(64)[...]
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head = head.dropFirst(3) }
        let text = String(decoding: head.drop(while: { [0x20, 0x09, 0x0A, 0x0D].contains($0) }), as: UTF8.self).lowercased()
        for start in ["<!doctype html", "<html"] where text.hasPrefix(start) { return "the body starts with \(start)" }
        return nil
    }
}

// MARK: - Callbacks

// C function pointers cannot capture context: the TransferState arrives as the opaque user pointer
// (CURLOPT_WRITEDATA / CURLOPT_HEADERDATA), retained by `perform` for the transfer's lifetime.

/// Body bytes; returning anything but `size * count` makes curl abort with CURLE_WRITE_ERROR.
private func curlWriteBody(_ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    let total = size * count
    guard let pointer, let user, total > 0 else { return total }
    let state = Unmanaged<TransferState>.fromOpaque(user).takeUnretainedValue()
    return state.receiveBody(UnsafeRawBufferPointer(start: pointer, count: total)) ? total : 0
}

/// One complete header line per call (status lines and the blank line ending each response included).
private func curlWriteHeader(_ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    let total = size * count
    guard let pointer, let user, total > 0 else { return total }
    let state = Unmanaged<TransferState>.fromOpaque(user).takeUnretainedValue()
    state.receiveHeaderLine(UnsafeRawBufferPointer(start: pointer, count: total))
    return total
}

// MARK: - Transfer state

/// Mutable state of one transfer, touched only by curl's callbacks on the transferring thread.
final class TransferState {
    let maxBytes: Int
    /// http(s) bodies honor Content-Encoding; file:// bodies are taken as they are.
    let decodesContent: Bool
    private(set) var headers: [String: String] = [:]
    private(set) var httpStatus = 0
    private(set) var rawByteCount = 0
    private(set) var contentEncoding: ContentEncoding?
    private(set) var abortReason: FetchError.Reason?
    private var body = Data()
    private var inflater: StreamingInflater?

    init(maxBytes: Int, decodesContent: Bool) {
        self.maxBytes = maxBytes
        self.decodesContent = decodesContent
    }

    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new response starts (after a redirect or a 100 Continue): forget the previous headers.
            headers = [:]
            let fields = line.split(separator: " ", maxSplits: 2)
            httpStatus = fields.count >= 2 ? Int(fields[1]) ?? 0 : 0
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headers[name] = value
    }

    /// Appends (and decodes) a body chunk; false aborts the transfer with `abortReason` set.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        rawByteCount += bytes.count
        guard rawByteCount <= maxBytes else {
            abortReason = .tooLarge(limitBytes: maxBytes, decoded: false)
            return false
        }
        // Error pages are not kept: the status is what gets reported.
        if decodesContent, !(200...299).contains(httpStatus) { return true }
        if contentEncoding == nil {
            do {
                try startDecoding()
            } catch {
                abortReason = error
                return false
            }
        }
        guard let inflater else {
            body.append(bytes.bindMemory(to: UInt8.self))
            return true
        }
        do {
            try inflater.feed(bytes)
            return true
        } catch {
            abortReason = Self.reason(for: error, maxBytes: maxBytes)
            return false
        }
    }

    /// The complete body, checking that a compressed stream ended properly.
    func finishBody() throws(FetchError.Reason) -> Data {
        guard let inflater else { return body }
        do {
            return try inflater.finish()
        } catch {
            throw Self.reason(for: error, maxBytes: maxBytes)
        }
    }

    private func startDecoding() throws(FetchError.Reason) {
        let declared = decodesContent ? (headers["content-encoding"] ?? "") : ""
        switch declared.lowercased() {
        case "", "identity":
            contentEncoding = .identity
        case "gzip", "x-gzip":
            contentEncoding = .gzip
            inflater = StreamingInflater(mode: .gzipMembers, maxOutputBytes: maxBytes)
        case "deflate":
            contentEncoding = .deflate
            inflater = StreamingInflater(mode: .zlibOrRaw, maxOutputBytes: maxBytes)
        default:
            throw .unsupportedContentEncoding(declared)
        }
    }

    private static func reason(for error: CompressionError, maxBytes: Int) -> FetchError.Reason {
        if case .outputTooLarge = error { return .tooLarge(limitBytes: maxBytes, decoded: true) }
        return .decode(error)
    }
}
