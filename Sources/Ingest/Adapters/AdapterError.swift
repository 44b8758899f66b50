import VixShieldCore

/// A payload that cannot be read as its declared format. Its description is one line naming what
/// and where, e.g. `VIX_History.csv:17: CLOSE: not a number: "abc"`.
public struct AdapterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file name or URL the payload came from.
    public var source: String
    /// 1-based line (CSV) or nil when the whole payload is at fault.
    public var line: Int?
    /// The column or JSON path at fault, when there is one.
    public var field: String?
    public var message: String

    public init(source: String, line: Int? = nil, field: String? = nil, _ message: String) {
        self.source = source
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var out = source
        if let line { out += ":\(line)" }
        out += ": "
        if let field { out += "\(field): " }
        // Sources and messages quote the payload: escaped so a control character never reaches a terminal or a reason.
        return SafeText.escapingControlCharacters(out + message)
    }
}
