import Foundation
import GRDB
import Testing
@testable import Store

/// The remembered key conversions must give exactly what GRDB's built-in strategies give, and those are
/// Foundation's JSON key conversions: checked here against Foundation itself on every column of the schema.
@Suite("Snake-case column names")
struct SnakeCaseColumnsTests {
    /// Every column of every table and view of a freshly migrated database.
    static func schemaColumns() throws -> [String] {
        let db = try VixShieldDatabase(path: ":memory:")
        return try db.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
            var columns = Set<String>()
            for t in tables { for c in try db.columns(in: t) { columns.insert(c.name) } }
            return columns.sorted()
        }
    }

    /// Foundation's conversion of a JSON object key, decoding snake_case into camelCase.
    static func foundationCamelCase(_ column: String) throws -> String {
        struct Keys: Decodable {
            var names: [String]
            init(from decoder: Decoder) throws { names = try decoder.container(keyedBy: SnakeCaseColumns.Key.self).allKeys.map(\.stringValue) }
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Keys.self, from: try JSONSerialization.data(withJSONObject: [column: 0])).names[0]
    }

    /// Foundation's conversion of a property name, encoding camelCase into snake_case.
    static func foundationSnakeCase(_ key: String) throws -> String {
        struct One: Encodable {
            var key: String
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: SnakeCaseColumns.Key.self)
                try c.encode(0, forKey: SnakeCaseColumns.Key(stringValue: key))
            }
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(One(key: key))) as! [String: Any]
        return object.keys.first!
    }

    @Test("column → key and key → column agree with Foundation on every schema column and on awkward names")
    func agreesWithFoundation() throws {
        let columns = try Self.schemaColumns()
        #expect(columns.count > 100, "\(columns.count) columns")
        // Property names start with a lower-case letter (Swift's convention, which GRDB's conversion assumes too).
        let awkward = ["myURLValue", "netDeltaUSD", "absMoveQ25", "vx1MinusVx2", "index30D", "_leading", "trailing_", "a", "aBC", "rsi14",
                       "httpStatusOK", "vix9dOverVix3m", "x__y", "__", ""]
        for column in columns + awkward {
            #expect(SnakeCaseColumns.camelCase(column) == (try Self.foundationCamelCase(column)), "from \(column)")
            #expect(SnakeCaseColumns.key(forColumn: column).stringValue == (try Self.foundationCamelCase(column)), "cached, from \(column)")
        }
        for key in columns.map(SnakeCaseColumns.camelCase) + awkward where !key.isEmpty {
            #expect(SnakeCaseColumns.snakeCase(key) == (try Self.foundationSnakeCase(key)), "to \(key)")
            #expect(SnakeCaseColumns.column(forKey: key) == (try Self.foundationSnakeCase(key)), "cached, to \(key)")
        }
    }
}
