import GRDB

/// A row of `events`.
public struct EventRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "events"
    public var kind: String
    public var date: String
    public var timeEt: String
    public var label: String
    public var source: String

    public init(kind: String, date: String, timeEt: String, label: String, source: String) {
        self.kind = kind; self.date = date; self.timeEt = timeEt; self.label = label; self.source = source
    }
}
