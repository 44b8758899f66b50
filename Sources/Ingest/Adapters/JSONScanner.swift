import Foundation

/// A small pull scanner over JSON bytes, for the one large payload we read (Cboe's ~13 MB option
/// chain). It builds no tree: the adapter walks objects key by key and keeps only the fields it needs.
///
/// Chosen on figures (`vixshield-bench ingest`, release, synthetic 14.5 MB / 31,200-contract SPX chain,
/// shared 2-core machine): the whole adapter on this scanner, flags included, takes ~0.16-0.19 s, while
/// merely decoding the same bytes takes ~0.26-0.56 s with `JSONDecoder` and ~0.64-1.3 s with
/// `JSONSerialization`. It allocates nothing per number or key and no dictionary per record.
struct JSONScanner: ~Copyable {
    /// One scalar value, or a note that the value was a container (skipped).
    enum Scalar {
        case number(Double)
        case string(String)
        case bool(Bool)
        case null
        case container
    }

    private let base: UnsafePointer<UInt8>
    private let count: Int
    private(set) var offset = 0
    let source: String
    /// Containers nested deeper than this are refused (a hostile payload must not overflow the stack).
    static let maxDepth = 64

    /// `buffer` must not be empty (callers report an empty payload themselves).
    init(_ buffer: UnsafeRawBufferPointer, source: String) {
        precondition(!buffer.isEmpty, "JSONScanner needs at least one byte")
        self.base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        self.count = buffer.count
        self.source = source
        // A UTF-8 byte order mark is not JSON, but some tools write one; it carries no meaning.
        if count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { offset = 3 }
    }

    func error(_ message: String, field: String? = nil) -> AdapterError {
        AdapterError(source: source, field: field, "\(message) at byte \(offset)")
    }

    var atEnd: Bool { offset >= count }

    mutating func skipWhitespace() {
        while offset < count {
            switch base[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// The next non-space byte, not consumed.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < count ? base[offset] : nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(AdapterError) {
        guard peek() == byte else {
            throw atEnd ? error("truncated JSON: expected \(what)") : error("expected \(what)")
        }
        offset += 1
    }

    /// Consumes `{`. Then call `nextKey()` until it returns nil.
    mutating func beginObject(_ field: String) throws(AdapterError) {
        guard peek() == UInt8(ascii: "{") else {
            throw atEnd ? error("truncated JSON", field: field) : error("expected an object", field: field)
        }
        offset += 1
    }

    /// The next key of the current object (consuming its `:`), or nil after the closing `}`.
    /// `first` is true for the first call after `beginObject`.
    mutating func nextKey(first: inout Bool) throws(AdapterError) -> String? {
        guard let c = peek() else { throw error("truncated JSON: unterminated object") }
        if c == UInt8(ascii: "}") { offset += 1; return nil }
        if !first { try expect(UInt8(ascii: ","), "',' or '}'") }
        first = false
        let key = try string()
        try expect(UInt8(ascii: ":"), "':'")
        return key
    }

    /// Like `nextKey` but returns the key's raw bytes (valid until the buffer goes away) without
    /// building a String; keys with escapes are returned undecoded, which matches no known key.
    mutating func nextRawKey(first: inout Bool) throws(AdapterError) -> UnsafeBufferPointer<UInt8>? {
        guard let c = peek() else { throw error("truncated JSON: unterminated object") }
        if c == UInt8(ascii: "}") { offset += 1; return nil }
        if !first { try expect(UInt8(ascii: ","), "',' or '}'") }
        first = false
        guard peek() == UInt8(ascii: "\"") else { throw atEnd ? error("truncated JSON") : error("expected a string") }
        let start = offset + 1
        try skipString()
        let key = UnsafeBufferPointer(start: base + start, count: offset - 1 - start)
        try expect(UInt8(ascii: ":"), "':'")
        return key
    }

    /// Skips a string without decoding it (its bytes are not needed, so neither is UTF-8 validation).
    mutating func skipString() throws(AdapterError) {
        offset += 1
        while offset < count {
            let b = base[offset]
            if b == UInt8(ascii: "\"") { offset += 1; return }
            if b == UInt8(ascii: "\\") { offset += 2; continue }
            if b < 0x20 { throw error("control character in string") }
            offset += 1
        }
        throw error("truncated JSON: unterminated string")
    }

    /// Whether raw key bytes spell `literal`.
    static func key(_ raw: UnsafeBufferPointer<UInt8>, is literal: StaticString) -> Bool {
        raw.count == literal.utf8CodeUnitCount && memcmp(raw.baseAddress!, literal.utf8Start, raw.count) == 0
    }

    /// Consumes `[`. Then call `nextElement()` before each element until it returns false.
    mutating func beginArray(_ field: String) throws(AdapterError) {
        guard peek() == UInt8(ascii: "[") else {
            throw atEnd ? error("truncated JSON", field: field) : error("expected an array", field: field)
        }
        offset += 1
    }

    /// True when another element follows (its separator consumed); false after the closing `]`.
    mutating func nextElement(first: inout Bool) throws(AdapterError) -> Bool {
        guard let c = peek() else { throw error("truncated JSON: unterminated array") }
        if c == UInt8(ascii: "]") { offset += 1; return false }
        if !first { try expect(UInt8(ascii: ","), "',' or ']'") }
        first = false
        return true
    }

    /// A string value, with escapes decoded. Invalid UTF-8 is an error, not a replacement character.
    mutating func string() throws(AdapterError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw atEnd ? error("truncated JSON") : error("expected a string") }
        offset += 1
        let start = offset
        var hasEscape = false
        while offset < count {
            let b = base[offset]
            if b == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(start: base + start, count: offset - start)
                offset += 1
                if !hasEscape {
                    guard let s = String(validating: raw, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
                    return s
                }
                return try unescape(raw)
            }
            if b == UInt8(ascii: "\\") { hasEscape = true; offset += 2; continue }
            if b < 0x20 { throw error("control character in string") }
            offset += 1
        }
        throw error("truncated JSON: unterminated string")
    }

    private func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws(AdapterError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\"), i + 1 < raw.count else { out.append(b); i += 1; continue }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard i + 4 <= raw.count, let v = UInt32(String(decoding: UnsafeBufferPointer(rebasing: raw[i..<(i + 4)]), as: UTF8.self), radix: 16)
                else { throw error("bad \\u escape in string") }
                i += 4
                // Surrogate halves cannot stand alone in UTF-8; the vendor never sends them.
                guard let scalar = Unicode.Scalar(v) else { throw error("unpaired surrogate in string") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: out.append(e)
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
        return s
    }

    /// A number. Plain decimals of up to 15 significant digits take an exact fast path (integer
    /// mantissa divided by a power of ten ≤ 10^22, both exact doubles, so one correctly rounded
    /// division: Clinger's fast path); anything else goes to `strtod` via `Double(_:)`.
    mutating func number() throws(AdapterError) -> Double {
        skipWhitespace()
        let start = offset
        var negative = false
        if offset < count, base[offset] == UInt8(ascii: "-") { negative = true; offset += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawDot = false
        var slow = false
        while offset < count {
            let b = base[offset]
            if b >= 48 && b <= 57 {
                if digits < 18 { mantissa = mantissa &* 10 &+ UInt64(b - 48) } else { slow = true }
                if mantissa > 0 || sawDot { digits += 1 }
                if sawDot { fractionDigits += 1 }
                offset += 1
            } else if b == UInt8(ascii: "."), !sawDot {
                sawDot = true; offset += 1
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                slow = true; offset += 1
            } else { break }
        }
        let length = offset - start
        guard length > (negative ? 1 : 0) else { throw atEnd ? error("truncated JSON") : error("expected a number") }
        if !slow, digits <= 15, fractionDigits <= 22 {
            let v = Double(mantissa) / JSONScanner.powersOfTen[fractionDigits]
            return negative ? -v : v
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: length), as: UTF8.self)
        guard let v = Double(text) else { throw error("malformed number \"\(text.prefix(40))\"") }
        return v
    }

    private static let powersOfTen: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { r, _ in r * 10 } }

    /// Reads a literal (`true`, `false`, `null`).
    private static let nullBytes = Array("null".utf8), trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)

    private mutating func literal(_ word: [UInt8]) throws(AdapterError) {
        guard offset + word.count <= count else { throw error("truncated JSON") }
        for k in word.indices where base[offset + k] != word[k] { throw error("unexpected character") }
        offset += word.count
    }

    /// A scalar value; a container is skipped and reported as `.container`.
    mutating func scalar() throws(AdapterError) -> Scalar {
        guard let c = peek() else { throw error("truncated JSON: expected a value") }
        switch c {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "n"): try literal(JSONScanner.nullBytes); return .null
        case UInt8(ascii: "t"): try literal(JSONScanner.trueBytes); return .bool(true)
        case UInt8(ascii: "f"): try literal(JSONScanner.falseBytes); return .bool(false)
        case UInt8(ascii: "{"), UInt8(ascii: "["): try skipValue(); return .container
        default: return .number(try number())
        }
    }

    /// Skips one value of any kind, checking its syntax.
    mutating func skipValue(depth: Int = 0) throws(AdapterError) {
        guard depth < JSONScanner.maxDepth else { throw error("nesting deeper than \(JSONScanner.maxDepth)") }
        guard let c = peek() else { throw error("truncated JSON: expected a value") }
        if c == UInt8(ascii: "{") {
            offset += 1
            var first = true
            while try nextKey(first: &first) != nil { try skipValue(depth: depth + 1) }
        } else if c == UInt8(ascii: "[") {
            offset += 1
            var first = true
            while try nextElement(first: &first) { try skipValue(depth: depth + 1) }
        } else if c == UInt8(ascii: "\"") {
            try skipString()
        } else {
            _ = try scalar()
        }
    }
}
