import Foundation
import GRDB

// One record type per table. Property names are the Swift spelling of the snake_case columns.

/// A record whose camelCase properties map to the table's snake_case columns.
public protocol SnakeCaseRecord: Codable, FetchableRecord, EncodableRecord {}

extension SnakeCaseRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy {
        .custom { SnakeCaseColumns.key(forColumn: $0) }
    }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy {
        .custom { SnakeCaseColumns.column(forKey: $0.stringValue) }
    }
}

/// GRDB's `.convertToSnakeCase` / `.convertFromSnakeCase` (Foundation's JSON key conversions) with every
/// answer remembered: the built-in strategies convert each key of each row again, which was most of the
/// cost of writing and reading records (a test checks both directions against Foundation on every column).
enum SnakeCaseColumns {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var columns: [String: String] = [:]
    nonisolated(unsafe) private static var keys: [String: String] = [:]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func column(forKey key: String) -> String {
        lock.withLock {
            if let hit = columns[key] { return hit }
            let converted = snakeCase(key)
            columns[key] = converted
            return converted
        }
    }

    static func key(forColumn column: String) -> Key {
        lock.withLock {
            if let hit = keys[column] { return Key(stringValue: hit) }
            let converted = camelCase(column)
            keys[column] = converted
            return Key(stringValue: converted)
        }
    }

    /// `netDeltaUsd` → `net_delta_usd`, `absMoveQ25` → `abs_move_q25`, `myURLValue` → `my_url_value`: a word
    /// starts at a capital that follows a lower-case letter or digit, and at the last capital of a run of
    /// capitals that a lower-case letter follows; leading and trailing underscores are kept. Like GRDB's, it
    /// assumes the Swift convention that a key starts with a lower-case letter.
    static func snakeCase(_ key: String) -> String {
        let chars = Array(key)
        guard let first = chars.firstIndex(where: { $0 != "_" }) else { return key }
        let last = chars.lastIndex(where: { $0 != "_" })!
        var out = String(chars[..<first])
        for i in first...last {
            let c = chars[i]
            if c.isUppercase, i > first {
                let previous = chars[i - 1]
                let nextIsLower = i + 1 <= last && chars[i + 1].isLowercase
                if !previous.isUppercase || nextIsLower { out.append("_") }
            }
            out += c.lowercased()
        }
        return out + String(chars[(last + 1)...])
    }

    /// `net_delta_usd` → `netDeltaUsd`, `index_30d` → `index30D`: the first word in lower case, each later
    /// word through Foundation's `capitalized`; a name without underscores as it is; leading and trailing
    /// underscores kept.
    static func camelCase(_ column: String) -> String {
        let chars = Array(column)
        guard let first = chars.firstIndex(where: { $0 != "_" }) else { return column }
        let last = chars.lastIndex(where: { $0 != "_" })!
        let words = String(chars[first...last]).split(separator: "_")
        guard words.count > 1 else { return column }
        let joined = ([words[0].lowercased()] + words.dropFirst().map { $0.capitalized }).joined()
        return String(chars[..<first]) + joined + String(chars[(last + 1)...])
    }
}
