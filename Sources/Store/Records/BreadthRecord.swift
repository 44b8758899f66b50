import GRDB

/// A row of `breadth`.
public struct BreadthRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "breadth"
    public var universe: String
    public var date: String
    public var advances: Int
    public var declines: Int
    public var unchanged: Int?
    public var source: String

    public init(universe: String, date: String, advances: Int, declines: Int, unchanged: Int?, source: String) {
        self.universe = universe; self.date = date; self.advances = advances; self.declines = declines
        self.unchanged = unchanged; self.source = source
    }

    // By column rather than through Codable: whole histories (thousands of rows) are read and written for
    // every date of a backfill. `HistoryRecordCodingTests` checks each property has its snake_case column.
    public init(row: Row) throws {
        universe = row["universe"]; date = row["date"]; advances = row["advances"]; declines = row["declines"]; unchanged = row["unchanged"]; source = row["source"]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["universe"] = universe
        container["date"] = date
        container["advances"] = advances
        container["declines"] = declines
        container["unchanged"] = unchanged
        container["source"] = source
    }
}
