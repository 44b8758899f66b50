import GRDB

// One record type per table. Property names are the Swift spelling of the snake_case columns.

/// A record whose camelCase properties map to the table's snake_case columns.
public protocol SnakeCaseRecord: Codable, FetchableRecord, EncodableRecord {}

extension SnakeCaseRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}
