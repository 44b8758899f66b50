import GRDB

/// A row of `surface_summaries`.
public struct SurfaceSummaryRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "surface_summaries"
    public var asOf: String
    public var underlying: String
    public var valuationTime: String
    public var spot: Double
    public var index30d: Double?
    public var index9d: Double?
    public var expiries: Int
    public var fittedExpiries: Int
    public var calendarViolations: Int

    // The snake_case strategies would turn `index30d` into `index30d` both ways; the columns say which
    // digits belong together, so this record names every column itself.
    enum CodingKeys: String, CodingKey {
        case asOf = "as_of", underlying, valuationTime = "valuation_time", spot, expiries, fittedExpiries = "fitted_expiries"
        case calendarViolations = "calendar_violations", index30d = "index_30d", index9d = "index_9d"
    }
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .useDefaultKeys }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .useDefaultKeys }

    public init(asOf: String, underlying: String, valuationTime: String, spot: Double, index30d: Double?, index9d: Double?,
                expiries: Int, fittedExpiries: Int, calendarViolations: Int) {
        self.asOf = asOf; self.underlying = underlying; self.valuationTime = valuationTime; self.spot = spot
        self.index30d = index30d; self.index9d = index9d; self.expiries = expiries; self.fittedExpiries = fittedExpiries
        self.calendarViolations = calendarViolations
    }
}
