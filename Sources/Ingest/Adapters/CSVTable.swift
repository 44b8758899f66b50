import Foundation

/// A CSV file read into a header and rows, tolerant of the quirks real vendor files have: a UTF-8 byte
/// order mark, CRLF or LF line ends, quoted fields (with `""` escapes and embedded commas), blank lines
/// and trailing whitespace. It knows nothing about any vendor; adapters map columns to meaning.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        /// 1-based line number in the file, for diagnostics.
        public let line: Int
        public let fields: [String]
    }

    /// Header names, trimmed of surrounding spaces.
    public let header: [String]
    public let headerLine: Int
    public let rows: [Row]

    /// Lines longer than this are rejected rather than read (a file with no line breaks is not a CSV).
    public static let maxLineBytes = 1 << 20

    /// Reads `data`. `headerPredicate`, when given, skips leading lines (disclaimers, titles) until one
    /// satisfies it; otherwise the first non-blank line is the header.
    public init(data: Data, source: String, headerPredicate: (([String]) -> Bool)? = nil) throws(AdapterError) {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AdapterError(source: source, "not valid UTF-8 text")
        }
        var parsed: [Row] = []
        var lineNumber = 0
        // Split on the byte, not the Character: Swift treats "\r\n" as one grapheme, so a Character
        // split on "\n" would never break a CRLF file into lines.
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.utf8.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.utf8.count > CSVTable.maxLineBytes {
                throw AdapterError(source: source, line: lineNumber, "line longer than \(CSVTable.maxLineBytes) bytes")
            }
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "," }) { continue }
            parsed.append(Row(line: lineNumber, fields: try CSVTable.split(line, source: source, line: lineNumber)))
        }
        guard let headerIndex = parsed.firstIndex(where: { headerPredicate?($0.fields.map(CSVTable.trim)) ?? true }) else {
            throw AdapterError(source: source, parsed.isEmpty ? "empty file" : "no header line found")
        }
        header = parsed[headerIndex].fields.map(CSVTable.trim)
        headerLine = parsed[headerIndex].line
        rows = Array(parsed[(headerIndex + 1)...])
    }

    /// The index of the first header column whose name matches one of `names` (case-insensitive).
    public func column(_ names: String...) -> Int? {
        let wanted = Set(names.map { $0.lowercased() })
        return header.firstIndex { wanted.contains($0.lowercased()) }
    }

    /// Like `column` but throws a one-line error naming the missing column.
    public func requireColumn(_ names: String..., source: String) throws(AdapterError) -> Int {
        let wanted = Set(names.map { $0.lowercased() })
        guard let i = header.firstIndex(where: { wanted.contains($0.lowercased()) }) else {
            throw AdapterError(source: source, line: headerLine,
                               "missing column \(names.joined(separator: " or ")) (header: \(header.joined(separator: ",")))")
        }
        return i
    }

    static func trim(_ s: String) -> String {
        // Most fields have no padding; Foundation's trimming is costly per call, so only pay when needed.
        guard let first = s.utf8.first, let last = s.utf8.last,
              first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 || first >= 0x80 || last >= 0x80 else { return s }
        return s.trimmingCharacters(in: .whitespaces)
    }

    private static func split(_ line: Substring, source: String, line lineNumber: Int) throws(AdapterError) -> [String] {
        // Byte-level fast path: Character-level search and split segment graphemes, which made
        // splitting most of the cost of reading a large file.
        guard line.utf8.contains(UInt8(ascii: "\"")) else {
            return line.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { String(Substring($0)) }
        }
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var iterator = line.makeIterator()
        while let c = iterator.next() {
            if inQuotes {
                if c == "\"" {
                    // Either an escaped quote ("") or the closing quote.
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else if next == "," {
                            inQuotes = false; fields.append(current); current = ""
                        } else { inQuotes = false; current.append(next) }
                    } else { inQuotes = false }
                } else { current.append(c) }
            } else if c == "\"" && current.allSatisfy({ $0 == " " }) {
                inQuotes = true; current = ""
            } else if c == "," {
                fields.append(current); current = ""
            } else { current.append(c) }
        }
        if inQuotes { throw AdapterError(source: source, line: lineNumber, "unterminated quoted field") }
        fields.append(current)
        return fields
    }
}

extension CSVTable.Row {
    /// The trimmed field at `index`, or a one-line error when the row is too short.
    public func field(_ index: Int, named name: String, source: String) throws(AdapterError) -> String {
        guard index < fields.count else {
            throw AdapterError(source: source, line: line, field: name, "missing (row has \(fields.count) fields)")
        }
        return CSVTable.trim(fields[index])
    }

    /// A finite number at `index`; empty, non-numeric, NaN and infinite values are errors.
    public func number(_ index: Int, named name: String, source: String) throws(AdapterError) -> Double {
        let text = try field(index, named: name, source: source)
        guard let v = Double(text), v.isFinite else {
            throw AdapterError(source: source, line: line, field: name, "not a number: \"\(text.prefix(40))\"")
        }
        return v
    }

    /// Like `number`, but an empty field (or one of `missingMarkers`, such as FRED's ".") gives nil.
    public func optionalNumber(_ index: Int, named name: String, source: String, missingMarkers: Set<String> = []) throws(AdapterError) -> Double? {
        let text = try field(index, named: name, source: source)
        if text.isEmpty || missingMarkers.contains(text) { return nil }
        return try number(index, named: name, source: source)
    }
}
