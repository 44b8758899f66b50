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
}
