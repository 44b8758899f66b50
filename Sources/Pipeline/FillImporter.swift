import Foundation
import Ingest
import Store
import VixShieldCore

/// Imports a fills CSV (`FillsCSV`, documented in the README) into `position_fills`: every row validated first,
/// nothing written when any row is bad, the rows upserted by `fill_id` in one transaction otherwise (so
/// importing the same file again changes nothing).
public struct FillImporter: Sendable {
    public let databasePath: String
    /// The underlying the condors are on (the pipeline's).
    public let underlying: String

    public init(databasePath: String, underlying: String = "SPX") {
        self.databasePath = databasePath
        self.underlying = underlying
    }

    /// Why an import wrote nothing.
    public enum ImportError: Error, CustomStringConvertible {
        /// The file could not be read, or is not a fills CSV at all.
        case unreadable(String)
        /// One line per bad row (`FILE:LINE: column: what`).
        case badRows([String])

        public var description: String {
            switch self {
            case .unreadable(let why): return why
            case .badRows(let lines): return "\(lines.count) bad row(s), nothing imported; first: \(lines.first ?? "")"
            }
        }
    }

    /// Reads, validates and stores `path`; returns how many fills it imported. Blocking (file and SQLite I/O): call it
    /// from a plain thread, as the CLI does.
    public func importFills(path: String) throws(ImportError) -> Int {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable("\(path): cannot read: \(error.localizedDescription)")
        }
        let parsed: (fills: [ImportedFill], errors: [AdapterError])
        do {
            parsed = try FillsCSV.parse(data, source: URL(fileURLWithPath: path).lastPathComponent)
        } catch {
            throw .unreadable(error.description)
        }
        guard parsed.errors.isEmpty else { throw .badRows(parsed.errors.map(\.description)) }
        do {
            let store = try VixShieldDatabase(path: databasePath)
            try store.transaction { tx in
                try tx.upsertFills(parsed.fills.map {
                    PositionFillRecord(fillId: $0.fillId, underlying: underlying, tradeDate: $0.tradeDate.isoString, profile: $0.profile,
                                       expiry: $0.expiry.isoString, root: $0.root, longPut: $0.longPut, shortPut: $0.shortPut,
                                       shortCall: $0.shortCall, longCall: $0.longCall, contracts: $0.contracts,
                                       fillCreditPoints: $0.fillCreditPoints)
                })
            }
        } catch {
            throw .unreadable("\(databasePath): \(error)")
        }
        return parsed.fills.count
    }
}
