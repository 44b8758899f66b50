import Foundation
import GRDB

/// A row of `raw_payloads`: one fetched payload, compressed (`compression`: `zstd`, or `gzip` for rows archived
/// before migration 013), with its provenance.
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
                byteCount: Int, sha256: String, compression: String, body: Data, runId: Int64?) {
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
