import Foundation
import Testing
import VixShieldCore
@testable import Ingest

/// Inputs that trapped a parser (found by `scripts/fuzz`, or by reading the code the fuzzer pointed at),
/// each as a literal: the parser must now throw or load, never crash the process.
@Suite struct FuzzFindingsTests {
    /// `vixshield-fuzz cboe_datashop_eod`: a zip whose end-of-central-directory record puts the central
    /// directory (offset 425) past the end of the 326-byte payload. ZIPFoundation's in-memory archive
    /// seeked there and trapped on a reversed range; now refused before ZIPFoundation reads it.
    @Test func zipWithTheCentralDirectoryPastTheEndIsAnError() throws {
        let base64 = "UEsDBBQAAAAIAHFmeV0WZs0FeQEAALsDAAASAAAAZGF0YXNob3BfY2FsY3MuY3N2lZDBbkHxtNosKF4tdlWau/aHoo+/VOnOo8PBE1bY"
            + "xY2qtBU+Pry/rN9AMJEv2NOCSwjyddLLheCQC8YSxhg8A4tnlSUZAy7CF4RMliRglYem0CxZwqe4ipEnkwxD4U6mIoQs5xQY47AICnhCMgXO"
            + "yT4Y8JQc0zia0miIkl5gkBHMP7jXEzcdQqMqEef8PuJMREiZLpc3kIOliMgnyytkeSdyyujR86+WkTW8BTI686nyFzSdn6QAKfmI3wg58X0D"
            + "UEsBAh4DFAAAAAgAcWZ5XRZmzQV5AQAAuwMAABIAAAAAAAAAAQAAAKSBAAAAAGRhdGFzaG9wX2NhbGNzLmNzdlBLBQYAAAAAAQABAEAAAACp"
            + "AQAAAAA="
        let data = try #require(Data(base64Encoded: base64))
        #expect(data.count == 326)
        #expect(throws: AdapterError(source: "fuzz.zip", "unreadable zip archive: central directory entry 1 lies outside the archive (offset 425, 326 bytes)")) {
            try Adapters.parse(.cboeDataShopEOD, data: data, context: AdapterContext(sourceName: "fuzz.zip"))
        }
    }

    /// The good DataShop zip still passes the layout check, and a local header moved past the end is named.
    @Test func zipLayoutPassesARealArchiveAndNamesAMovedLocalHeader() throws {
        var data = try Data(contentsOf: AdapterTestPaths.fixtures.appendingPathComponent("Good/datashop_calcs.zip"))
        #expect(ZipLayout.problem(in: data) == nil)
        // The first central directory entry's local-header offset (at +42) now points one past the last byte.
        let central = try #require(data.firstRange(of: Data([0x50, 0x4B, 0x01, 0x02]))).lowerBound
        let past = UInt32(data.count + 1)
        data.replaceSubrange((central + 42)..<(central + 46), with: withUnsafeBytes(of: past.littleEndian) { Data($0) })
        #expect(ZipLayout.problem(in: data) == "entry 1's local header lies outside the archive (offset \(past), \(data.count) bytes)")
        #expect(throws: AdapterError.self) {
            try Adapters.parse(.cboeDataShopEOD, data: data, context: AdapterContext(sourceName: "moved.zip"))
        }
    }

    /// A fill with a huge (finite) strike and no fill_id: its derived id printed the strike through
    /// `Int(_:)`, which traps above Int.max. Found reading FillsCSV while writing `vixshield-fuzz fills_csv`.
    @Test func aHugeStrikeInADerivedFillIdIsPrintedNotTrapped() throws {
        let csv = "trade_date,profile,expiry,root,long_put,short_put,short_call,long_call,contracts,fill_credit_points\n"
            + "2026-07-14,p,2026-08-21,SPXW,1,2,3,1e20,1,1\n"
        let parsed = try FillsCSV.parse(Data(csv.utf8), source: "fills.csv")
        #expect(parsed.errors.isEmpty)
        #expect(parsed.fills.map(\.fillId) == ["2026-07-14|p|SPXW|2026-08-21|1/2/3/1e+20"])
    }
}
