import Foundation

/// JSON text for the few hand-written JSON lines (query output, benchmark figures): the machine-readable
/// outputs are one flat object per line, which an encoder of Codable values would only complicate.
public enum JSONText {
    /// `s` as a JSON string literal: quotes and backslashes escaped, control characters as short or \u escapes.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
