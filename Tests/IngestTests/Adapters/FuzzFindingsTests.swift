import Foundation
import Testing
import VixShieldCore
@testable import Ingest

/// Inputs that trapped a parser (found by `scripts/fuzz`, or by reading the code the fuzzer pointed at),
/// each as a literal: the parser must now throw or load, never crash the process.
@Suite struct FuzzFindingsTests {
    /// `vixshield-fuzz cboe_datashop_eod`: a zip whose end-of-central-directory record puts the central
    /// directory (offset 425) past the end of the 326-byte payload. ZIPFoundation's in-memory archive
    /// seeked there and trapped on a reversed range.
    @Test func zipWithTheCentralDirectoryPastTheEndIsAnError() throws {
        let base64 = "UEsDBBQAAAAIAHFmeV0WZs0FeQEAALsDAAASAAAAZGF0YXNob3BfY2FsY3MuY3N2lZDBbkHxtNosKF4tdlWau/aHoo+/VOnOo8PBE1bY"
            + "xY2qtBU+Pry/rN9AMJEv2NOCSwjyddLLheCQC8YSxhg8A4tnlSUZAy7CF4RMliRglYem0CxZwqe4ipEnkwxD4U6mIoQs5xQY47AICnhCMgXO"
            + "yT4Y8JQc0zia0miIkl5gkBHMP7jXEzcdQqMqEef8PuJMREiZLpc3kIOliMgnyytkeSdyyujR86+WkTW8BTI686nyFzSdn6QAKfmI3wg58X0D"
            + "UEsBAh4DFAAAAAgAcWZ5XRZmzQV5AQAAuwMAABIAAAAAAAAAAQAAAKSBAAAAAGRhdGFzaG9wX2NhbGNzLmNzdlBLBQYAAAAAAQABAEAAAACp"
            + "AQAAAAA="
        #expect(try Self.dataShopError(base64: base64, bytes: 326)
            == "fuzz.zip: unreadable zip archive: central directory entry 1 lies outside the archive (offset 425, 326 bytes)")
    }

    /// `vixshield-fuzz cboe_datashop_eod` (a timeout): the good fixture's zip with its deflate stream damaged.
    /// ZIPFoundation did not return within libFuzzer's 10 s (its inflate loop waits for a stream end that the
    /// entry's 377 bytes never reach); now the inflater stops at the directory's 955 bytes.
    @Test func zipWhoseDeflateStreamDoesNotEndIsAnError() throws {
        let base64 = "UEsDBBQAAAAIAHFmeV0WZs0FeQEAALsDAAASAAAAZGF0YXNob3BfY2FsY3MuY3N2lZDBboMwDIbvk/YmLkpCYO15L1Bph+20iIIF"
            + "UQNhIW3Hnn5xCm3VrVqnCNm/Y//5zK6r0JlRd7UaxnZjDXzsrEdVFR7BWesBP3vtCq9tB4N3eotge1LKjz3l2EGj6waMPUBp7IDgXVGh2luz"
            + "axE2ulKD/kLFM5lFFZNi2F6UScVkd8Y5tV7UTn267Y3GSl3c9U6Xs13p9R5vXM6jgS9sZbQfj/UKjS+OaV207ZT6BufqHuspc409rxO3QFtF"
            + "QfG02iwoXi12VZq79oeij79U6c6jw8ETVtjFjaq0FT4+vL+s30AwkS/Y04JLCPJ10suF4JALxhLGGDwDi2eVJRkDLsIXhEyWJGCVh6bQLFnC"
            + "p7iKkSeTDEPhTqYihCznFBjjsAgKeEIyBc7JPhjwlBzTOJrSaIiSXmCQEcw/uNcTNx1CoyoRx/w+4kxESJkulzeQg6WIyCfLK2R5J3LK6NHz"
            + "r5aRNbwFMjrzqfIXNJ2fpAAp+YjffQjxOQNQSwECHgMUAAAACABxZnldFmbNBXkBAAC7AwAAEgAAAAAAAAABAAAApIEAAAAAZGF0YXNob3Bf"
            + "Y2FsY3MuY3N2UEsFBgAAAAABAAEAQAAAAKkBAAAAAA=="
        #expect(try Self.dataShopError(base64: base64, bytes: 511)
            == "fuzz.zip/datashop_calcs.csv: cannot extract: entry 1: decompressed size exceeds the limit of 955 bytes")
    }

    /// A finding's bytes parsed as the pipeline parses a DataShop zip: the error's line, or nil when it loads.
    static func dataShopError(base64: String, bytes: Int) throws -> String? {
        let data = try #require(Data(base64Encoded: base64))
        #expect(data.count == bytes)
        do throws(AdapterError) {
            _ = try Adapters.parse(.cboeDataShopEOD, data: data, context: AdapterContext(sourceName: "fuzz.zip"))
            return nil
        } catch {
            return error.description
        }
    }

    /// The reader gives the good fixture zip's CSV byte for byte, and names a local header moved past the end
    /// (which trapped ZIPFoundation like the central directory above).
    @Test func zipReaderReadsARealArchiveAndNamesAMovedLocalHeader() throws {
        var data = try Data(contentsOf: AdapterTestPaths.fixtures.appendingPathComponent("Good/datashop_calcs.zip"))
        let csv = try Data(contentsOf: AdapterTestPaths.fixtures.appendingPathComponent("Good/datashop_calcs.csv"))
        let entries = try ZipReader.entries(in: data)
        #expect(entries.map(\.path) == ["datashop_calcs.csv"])
        #expect(try entries.map { entry throws(ZipReader.FormatError) in try ZipReader.contents(of: entry, in: data) } == [csv])
        // The first central directory entry's local-header offset (at +42) now points one past the last byte.
        let central = try #require(data.firstRange(of: Data([0x50, 0x4B, 0x01, 0x02]))).lowerBound
        let past = UInt32(data.count + 1)
        data.replaceSubrange((central + 42)..<(central + 46), with: withUnsafeBytes(of: past.littleEndian) { Data($0) })
        #expect(throws: ZipReader.FormatError(message: "entry 1's data lies outside the archive (local header at \(past), \(data.count) bytes)")) {
            try ZipReader.entries(in: data)
        }
    }

    /// An entry whose inflated bytes do not match the directory's CRC-32 is refused (ZIPFoundation checked it too).
    @Test func zipEntryWithAWrongChecksumIsAnError() throws {
        var data = try Data(contentsOf: AdapterTestPaths.fixtures.appendingPathComponent("Good/datashop_calcs.zip"))
        let central = try #require(data.firstRange(of: Data([0x50, 0x4B, 0x01, 0x02]))).lowerBound
        data[central + 16] ^= 0xFF
        #expect(throws: AdapterError.self) {
            try Adapters.parse(.cboeDataShopEOD, data: data, context: AdapterContext(sourceName: "crc.zip"))
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

    /// `vixshield-fuzz retry_after` (CI, 2026-12-01): an IMF-fixdate with non-ASCII bytes in the month and
    /// after the time trapped inside Foundation's DateFormatter ("Incorrect range CFRange(location: 0,
    /// length: 7)"). The exact bytes were not kept; these are the same shape. HTTP-dates are ASCII, so the
    /// hand parser refuses them.
    @Test(arguments: [
        "Wed, 21\u{05B0}\u{FFFD}\u{FFFD} 2014 08:28:00\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD} GMT",
        "Wed, 21 \u{05B0}ct 2014 08:28:00 GMT",
        "Wed, 21 Oct 2014 08:28:00 G\u{00D8}T",
    ])
    func nonASCIIRetryAfterDateIsIgnored(value: String) {
        #expect(RetryAfter.seconds(from: value, now: Date(timeIntervalSince1970: 0)) == nil)
    }
}
