import Foundation
import GRDB

// One record type per table. Property names are the Swift spelling of the snake_case columns.

/// A record whose camelCase properties map to the table's snake_case columns.
public protocol SnakeCaseRecord: Codable, FetchableRecord, EncodableRecord {}

extension SnakeCaseRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

/// A row of `runs`: one invocation of the pipeline.
public struct RunRecord: SnakeCaseRecord, Sendable, Equatable, MutablePersistableRecord {
    public static let databaseTableName = "runs"

    public var runId: Int64?
    public var command: String
    public var asOfFrom: String?
    public var asOfTo: String?
    public var pipelineName: String?
    public var pipelineSha256: String?
    public var version: String
    public var offline: Bool
    public var startedAt: String
    public var finishedAt: String?
    public var status: String
    public var countsJson: String?
    public var error: String?

    public init(command: String, asOfFrom: String?, asOfTo: String?, pipelineName: String?, pipelineSha256: String?,
                version: String, offline: Bool, startedAt: String) {
        self.command = command
        self.asOfFrom = asOfFrom
        self.asOfTo = asOfTo
        self.pipelineName = pipelineName
        self.pipelineSha256 = pipelineSha256
        self.version = version
        self.offline = offline
        self.startedAt = startedAt
        self.status = "running"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { runId = inserted.rowID }
}

/// A row of `run_diagnostics`.
public struct RunDiagnosticRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "run_diagnostics"

    public var runId: Int64
    public var seq: Int
    public var asOf: String?
    public var stage: String
    public var severity: String
    public var location: String
    public var message: String

    public init(runId: Int64, seq: Int, asOf: String?, stage: String, severity: String, location: String, message: String) {
        self.runId = runId
        self.seq = seq
        self.asOf = asOf
        self.stage = stage
        self.severity = severity
        self.location = location
        self.message = message
    }
}

/// A row of `raw_payloads`: one fetched payload, gzip-compressed, with its provenance.
public struct RawPayloadRecord: SnakeCaseRecord, Sendable, Equatable, MutablePersistableRecord {
    public static let databaseTableName = "raw_payloads"

    public var payloadId: Int64?
    public var source: String
    public var kind: String
    public var url: String
    public var asOf: String
    public var fetchedAt: String
    public var httpStatus: Int
    /// Size of the uncompressed payload.
    public var byteCount: Int
    /// SHA-256 of the uncompressed payload, lowercase hex.
    public var sha256: String
    public var compression: String
    public var body: Data
    public var runId: Int64?

    public init(source: String, kind: String, url: String, asOf: String, fetchedAt: String, httpStatus: Int,
                byteCount: Int, sha256: String, compression: String = "gzip", body: Data, runId: Int64?) {
        self.source = source
        self.kind = kind
        self.url = url
        self.asOf = asOf
        self.fetchedAt = fetchedAt
        self.httpStatus = httpStatus
        self.byteCount = byteCount
        self.sha256 = sha256
        self.compression = compression
        self.body = body
        self.runId = runId
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { payloadId = inserted.rowID }
}

/// A row of `option_quotes`.
public struct OptionQuoteRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "option_quotes"

    public var asOf: String
    public var underlying: String
    public var quoteSet: String
    public var seq: Int
    public var symbol: String
    public var root: String
    public var expiry: String
    public var settlement: String
    public var optionType: String
    public var strike: Double
    public var strikeMilli: Int
    public var bid: Double?
    public var ask: Double?
    public var bidSize: Double?
    public var askSize: Double?
    public var last: Double?
    public var volume: Double?
    public var openInterest: Double?
    public var vendorIv: Double?
    public var vendorDelta: Double?
    public var flags: Int
    public var flagNames: String

    public init(asOf: String, underlying: String, quoteSet: String, seq: Int, symbol: String, root: String, expiry: String,
                settlement: String, optionType: String, strike: Double, strikeMilli: Int, bid: Double?, ask: Double?,
                bidSize: Double?, askSize: Double?, last: Double?, volume: Double?, openInterest: Double?,
                vendorIv: Double?, vendorDelta: Double?, flags: Int, flagNames: String) {
        self.asOf = asOf; self.underlying = underlying; self.quoteSet = quoteSet; self.seq = seq
        self.symbol = symbol; self.root = root; self.expiry = expiry; self.settlement = settlement
        self.optionType = optionType; self.strike = strike; self.strikeMilli = strikeMilli
        self.bid = bid; self.ask = ask; self.bidSize = bidSize; self.askSize = askSize; self.last = last
        self.volume = volume; self.openInterest = openInterest; self.vendorIv = vendorIv
        self.vendorDelta = vendorDelta; self.flags = flags; self.flagNames = flagNames
    }
}

/// A row of `chain_snapshots`: the underlying and the gate verdict for one chain.
public struct ChainSnapshotRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "chain_snapshots"

    public var asOf: String
    public var underlying: String
    public var quoteSet: String
    public var capturedAt: String
    public var spot: Double
    public var quoteCount: Int
    public var flaggedCount: Int
    public var gatePassed: Bool
    public var gateReason: String?

    public init(asOf: String, underlying: String, quoteSet: String, capturedAt: String, spot: Double,
                quoteCount: Int, flaggedCount: Int, gatePassed: Bool, gateReason: String?) {
        self.asOf = asOf; self.underlying = underlying; self.quoteSet = quoteSet; self.capturedAt = capturedAt
        self.spot = spot; self.quoteCount = quoteCount; self.flaggedCount = flaggedCount
        self.gatePassed = gatePassed; self.gateReason = gateReason
    }
}

/// A row of `vix_futures`.
public struct VIXFutureRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "vix_futures"

    public var tradeDate: String
    public var symbol: String
    public var expiry: String
    public var settle: Double
    public var isWeekly: Bool
    public var source: String

    public init(tradeDate: String, symbol: String, expiry: String, settle: Double, isWeekly: Bool, source: String) {
        self.tradeDate = tradeDate; self.symbol = symbol; self.expiry = expiry; self.settle = settle
        self.isWeekly = isWeekly; self.source = source
    }
}

/// A row of `index_history`.
public struct IndexHistoryRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "index_history"

    public var symbol: String
    public var date: String
    public var open: Double?
    public var high: Double?
    public var low: Double?
    public var close: Double
    public var source: String

    public init(symbol: String, date: String, open: Double?, high: Double?, low: Double?, close: Double, source: String) {
        self.symbol = symbol; self.date = date; self.open = open; self.high = high; self.low = low
        self.close = close; self.source = source
    }
}

/// A row of `recommendations` (see the schema for units).
public struct RecommendationRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "recommendations"

    public var asOf: String
    public var forDate: String
    public var underlying: String
    public var profile: String
    public var rank: Int
    public var status: String
    public var reason: String?
    public var expiry: String?
    public var dte: Int?
    public var longPut: Double?
    public var shortPut: Double?
    public var shortCall: Double?
    public var longCall: Double?
    public var credit: Double?
    public var maxLoss: Double?
    public var breakevenLow: Double?
    public var breakevenHigh: Double?
    public var pop: Double?
    public var expectedPnl: Double?
    public var netDelta: Double?
    public var netGamma: Double?
    public var netVega: Double?
    public var netTheta: Double?
    public var contracts: Int?
    public var rationale: String
    public var runId: Int64

    public init(asOf: String, forDate: String, underlying: String, profile: String, rank: Int, status: String,
                reason: String?, rationale: String, runId: Int64) {
        self.asOf = asOf; self.forDate = forDate; self.underlying = underlying; self.profile = profile
        self.rank = rank; self.status = status; self.reason = reason; self.rationale = rationale; self.runId = runId
    }

    /// Columns in table order, for CSV and table output.
    public static let columnNames = [
        "as_of", "for_date", "underlying", "profile", "rank", "status", "reason", "expiry", "dte", "long_put",
        "short_put", "short_call", "long_call", "credit", "max_loss", "breakeven_low", "breakeven_high", "pop",
        "expected_pnl", "net_delta", "net_gamma", "net_vega", "net_theta", "contracts", "rationale", "run_id",
    ]
}

/// A row of `hedge_recommendations`.
public struct HedgeRecommendationRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "hedge_recommendations"

    public var asOf: String
    public var forDate: String
    public var layer: Int
    public var active: Bool
    public var instrument: String
    public var contract: String
    public var side: String
    public var quantity: Int
    public var vegaOffset: Double
    public var trigger: String
    public var rationale: String
    public var runId: Int64
}

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

/// A row of `rates` (decimal rate, as quoted by the series).
public struct RateRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "rates"
    public var series: String
    public var date: String
    public var tenorYears: Double
    public var rate: Double
    public var source: String

    public init(series: String, date: String, tenorYears: Double, rate: Double, source: String) {
        self.series = series; self.date = date; self.tenorYears = tenorYears; self.rate = rate; self.source = source
    }
}

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

/// A row of `surface_slices` (see schemas/002_surface.sql).
public struct SurfaceSliceRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "surface_slices"
    public var asOf: String
    public var underlying: String
    public var expiry: String
    public var settlement: String
    public var roots: String
    public var expiryTime: String
    public var minutesToExpiry: Int
    public var yearsToExpiry: Double
    public var forward: Double
    public var discount: Double
    public var forwardMethod: String
    public var forwardResidualRms: Double?
    public var sviA: Double?
    public var sviB: Double?
    public var sviRho: Double?
    public var sviM: Double?
    public var sviSigma: Double?
    public var fitPoints: Int?
    public var rmseVolPoints: Double?
    public var maxErrorVolPoints: Double?
    public var minButterflyG: Double?
    public var repaired: Bool
    public var flags: String
    public var modelFreeVariance: Double?
    public var modelFreeOptions: Int?
    public var diagnostics: String

    public init(asOf: String, underlying: String, expiry: String, settlement: String, roots: String, expiryTime: String,
                minutesToExpiry: Int, yearsToExpiry: Double, forward: Double, discount: Double, forwardMethod: String) {
        self.asOf = asOf; self.underlying = underlying; self.expiry = expiry; self.settlement = settlement
        self.roots = roots; self.expiryTime = expiryTime; self.minutesToExpiry = minutesToExpiry
        self.yearsToExpiry = yearsToExpiry; self.forward = forward; self.discount = discount
        self.forwardMethod = forwardMethod; self.repaired = false; self.flags = ""; self.diagnostics = ""
    }
}

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

    // The snake_case strategy would write `index30d`; the columns say which digits belong together.
    enum CodingKeys: String, CodingKey {
        case asOf, underlying, valuationTime, spot, expiries, fittedExpiries, calendarViolations
        case index30d = "index_30d", index9d = "index_9d"
    }

    public init(asOf: String, underlying: String, valuationTime: String, spot: Double, index30d: Double?, index9d: Double?,
                expiries: Int, fittedExpiries: Int, calendarViolations: Int) {
        self.asOf = asOf; self.underlying = underlying; self.valuationTime = valuationTime; self.spot = spot
        self.index30d = index30d; self.index9d = index9d; self.expiries = expiries; self.fittedExpiries = fittedExpiries
        self.calendarViolations = calendarViolations
    }
}

/// The surface stage's result for one option contract, written onto its `option_quotes` rows.
public struct OptionSurfaceResult: Sendable, Equatable {
    public var symbol: String
    public var iv: Double?
    public var ivIssue: String?
    public var surfaceIv: Double?
    public var delta: Double?
    public var gamma: Double?
    public var vegaPerVolPoint: Double?
    public var thetaPerDay: Double?

    public init(symbol: String, iv: Double?, ivIssue: String?, surfaceIv: Double?, delta: Double?, gamma: Double?,
                vegaPerVolPoint: Double?, thetaPerDay: Double?) {
        self.symbol = symbol; self.iv = iv; self.ivIssue = ivIssue; self.surfaceIv = surfaceIv; self.delta = delta
        self.gamma = gamma; self.vegaPerVolPoint = vegaPerVolPoint; self.thetaPerDay = thetaPerDay
    }
}
