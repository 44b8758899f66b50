/// Text that came from outside (payloads, URLs, server messages) made safe to print or store.
///
/// Two concerns, one place: control characters are escaped so a payload cannot move the terminal's
/// cursor, ring its bell or start an escape sequence; secrets are masked so no token reaches a log,
/// a diagnostic or the database.
public enum SafeText {
    /// Escapes C0 and C1 control characters and DEL as `\x1b` (`\u{85}` for C1), keeps everything else.
    ///
    /// Tab is escaped too (`\x09`): messages are one line, and a tab in a payload field is as
    /// surprising in a `reason` column as a newline. A backslash is left alone, so escaping twice
    /// changes nothing more than escaping once would on already-clean text.
    public static func escapingControlCharacters(_ text: some StringProtocol) -> String {
        let scalars = text.unicodeScalars
        guard scalars.contains(where: isControl) else { return String(text) }
        var out = String.UnicodeScalarView()
        for scalar in scalars {
            guard isControl(scalar) else { out.append(scalar); continue }
            let hex = String(scalar.value, radix: 16)
            let escaped = scalar.value < 0x100 ? "\\x" + (hex.count < 2 ? "0" : "") + hex : "\\u{\(hex)}"
            out.append(contentsOf: escaped.unicodeScalars)
        }
        return String(out)
    }

    /// C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

/// A secret value (an API token from the environment) that never prints itself.
///
/// `description`, `debugDescription` and string interpolation all give `***`; only `revealed` gives
/// the value, and only the fetch path calls it.
public struct SecretString: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String
    public init(_ value: String) { self.value = value }
    /// The value itself, for the request and nothing else.
    public var revealed: String { value }
    public var description: String { "***" }
    public var debugDescription: String { "***" }
}

/// Masks secrets in any text before it is stored or printed: the values of `{env:NAME}` secrets
/// (as written and percent-encoded), a URL's password, and the values of query parameters that name
/// a credential (`token=`, `api_key=`, …), since a literal token in a URL is as secret as one from
/// the environment.
public struct Redaction: Sendable, Equatable {
    public static let mask = "***"
    /// Query parameter names (lowercased, `-` read as `_`) whose values are credentials.
    public static let credentialParameters: Set<String> = [
        "token", "access_token", "auth", "auth_token", "api_key", "apikey", "key", "secret", "client_secret",
        "password", "pass", "pwd", "signature", "sig", "session", "sessionid",
    ]

    /// Secret values to mask wherever they appear, longest first (so one that contains another is
    /// masked whole).
    public let secrets: [String]

    public init(secrets: [SecretString] = []) {
        var values = Set<String>()
        for secret in secrets where !secret.revealed.isEmpty {
            values.insert(secret.revealed)
            if let encoded = secret.revealed.addingPercentEncodingForQuery(), encoded != secret.revealed { values.insert(encoded) }
        }
        self.secrets = values.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// `text` with every secret value, URL password and credential parameter masked, and control
    /// characters escaped: the one form in which outside text is stored or printed.
    public func apply(_ text: some StringProtocol) -> String {
        var out = String(text)
        for secret in secrets { out = out.replacing(secret, with: Self.mask) }
        return SafeText.escapingControlCharacters(Self.maskingURLCredentials(out))
    }

    /// Masks `user:password@` and credential query values in every URL inside `text`.
    static func maskingURLCredentials(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: "://") {
            // Keep everything up to and including "://", then rewrite the URL's body up to whitespace or a quote.
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            var end = rest.firstIndex(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == ">" }) ?? rest.endIndex
            // Punctuation right after a URL ("GET <url>: reason") belongs to the sentence, not the URL.
            while end > rest.startIndex, ":,;.)".contains(rest[rest.index(before: end)]) { end = rest.index(before: end) }
            out += maskingURLBody(rest[..<end])
            rest = rest[end...]
        }
        return out + rest
    }

    private static func maskingURLBody(_ body: Substring) -> String {
        var body = String(body)
        // userinfo: "user:password@host" keeps the user, masks the password.
        let authorityEnd = body.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? body.endIndex
        if let at = body[..<authorityEnd].lastIndex(of: "@"), let colon = body[..<at].firstIndex(of: ":") {
            body.replaceSubrange(body.index(after: colon)..<at, with: mask)
        }
        guard let question = body.firstIndex(of: "?") else { return body }
        let fragmentStart = body[question...].firstIndex(of: "#") ?? body.endIndex
        let query = body[body.index(after: question)..<fragmentStart]
        let masked = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<eq].lowercased().replacing("-", with: "_")
            let value = pair[pair.index(after: eq)...]
            // A `{env:NAME}` placeholder is not the secret: it stays, so the stored URL says where the value came from.
            let isPlaceholder = value.hasPrefix("{env:") && value.hasSuffix("}")
            return credentialParameters.contains(name) && !isPlaceholder ? "\(pair[..<eq])=\(mask)" : String(pair)
        }.joined(separator: "&")
        return String(body[...question]) + masked + String(body[fragmentStart...])
    }
}

private extension String {
    /// Percent-encoding as a query value would carry it (RFC 3986 unreserved characters kept), without Foundation.
    func addingPercentEncodingForQuery() -> String? {
        var out = ""
        for byte in utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII, c.isLetter || c.isNumber || "-._~".contains(c) {
                out.append(c)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count < 2 ? "0" : "") + hex
            }
        }
        return out
    }
}

// MARK: - Checked numeric conversions

extension Int {
    /// `Double → Int` truncating toward zero like `Int(_:)`, but nil instead of a trap for NaN, the
    /// infinities and values outside Int's range.
    public init?(truncatingIfRepresentable value: Double) {
        // 2^63 is exactly representable and is the first Double above Int.max.
        guard value.isFinite, value >= -0x1p63, value < 0x1p63 else { return nil }
        self.init(value)
    }

    /// `Double → Int` clamped into `range` (NaN gives nil): for limits where "more than we can
    /// count" means the largest value (a timeout in milliseconds, a byte cap).
    public init?(clamping value: Double, to range: ClosedRange<Int>) {
        guard !value.isNaN else { return nil }
        if value <= Double(range.lowerBound) { self = range.lowerBound; return }
        if value >= Double(range.upperBound) { self = range.upperBound; return }
        self.init(value)
    }
}
