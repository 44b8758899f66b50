import Foundation
import Testing
import VixShieldTestSupport
import VixShieldCore
@testable import Ingest

/// The malformed-input corpus (`Fixtures/Malformed`, written by `Fixtures/make_malformed.py`): each
/// file with the exact error it must throw, or the exact diagnostics (`description`s, in order) it
/// must produce while the rest of the file loads.
@Suite struct MalformedCorpusTests {
    enum Expected: Sendable {
        case error(String)
        case diagnostics([String])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let kind: SourceKind
        var asOf: String? = nil
        var options: [String: String] = [:]
        let expected: Expected
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        // MARK: Cboe options JSON
        Case(file: "json_truncated.json", kind: .cboeOptionsJSON,
             expected: .error("json_truncated.json: truncated JSON: unterminated string at byte 200")),
        Case(file: "json_empty.json", kind: .cboeOptionsJSON, expected: .error("json_empty.json: empty payload")),
        Case(file: "json_html_error_page.json", kind: .cboeOptionsJSON,
             expected: .error("json_html_error_page.json: $: expected an object at byte 0")),
        Case(file: "json_missing_options.json", kind: .cboeOptionsJSON,
             expected: .error("json_missing_options.json: data.options: missing")),
        Case(file: "json_missing_data.json", kind: .cboeOptionsJSON, expected: .error("json_missing_data.json: data: missing")),
        Case(file: "json_null_last_trade_time.json", kind: .cboeOptionsJSON,
             expected: .error("json_null_last_trade_time.json: data.last_trade_time: missing or not an ISO date-time: null")),
        Case(file: "json_options_not_array.json", kind: .cboeOptionsJSON,
             expected: .error("json_options_not_array.json: data.options: expected an array at byte 179")),
        Case(file: "json_invalid_utf8.json", kind: .cboeOptionsJSON,
             expected: .error("json_invalid_utf8.json: invalid UTF-8 in string at byte 81")),
        Case(file: "json_nan_negative_prices.json", kind: .cboeOptionsJSON, expected: .diagnostics([
            "warning: json_nan_negative_prices.json: SPXW260821C06200000: missing_field (bid NaN, ask 96.30)",
            "warning: json_nan_negative_prices.json: SPXW260821P06200000: non_finite (bid 60.20, ask -1.00)",
            "warning: json_nan_negative_prices.json: SPXW260821P06250000: missing_field (bid NaN, ask 61.00)",
        ])),
        Case(file: "json_crossed_locked_duplicate.json", kind: .cboeOptionsJSON, expected: .diagnostics([
            "warning: json_crossed_locked_duplicate.json: SPXW260821C06200000: crossed (bid 97.00, ask 96.30)",
            "info: json_crossed_locked_duplicate.json: SPXW260821P06200000: locked (bid 60.00, ask 60.00)",
            "warning: json_crossed_locked_duplicate.json: SPXW260821C06200000: duplicate (bid 95.10, ask 96.30)",
        ])),
        Case(file: "json_all_bad_symbols.json", kind: .cboeOptionsJSON,
             expected: .error("json_all_bad_symbols.json: data.options: no readable option records (3 rejected)")),
        Case(file: "json_expired_contracts.json", kind: .cboeOptionsJSON, expected: .diagnostics([
            "warning: json_expired_contracts.json: SPXW260713C06200000: expired (bid 1.00, ask 1.10)",
            "warning: json_expired_contracts.json: SPX260714P06200000: expired (bid 1.00, ask 1.10)",
        ])),
        Case(file: "json_deep_nesting.json", kind: .cboeOptionsJSON,
             expected: .error("json_deep_nesting.json: nesting deeper than 64 at byte 679")),
        Case(file: "json_trailing_garbage.json", kind: .cboeOptionsJSON,
             expected: .error("json_trailing_garbage.json: trailing characters after the JSON document at byte 605")),
        Case(file: "json_wrong_session.json", kind: .cboeOptionsJSON, asOf: "2026-07-15", expected: .diagnostics([
            "warning: json_wrong_session.json: SPXW260821C06200000: stale_session (bid 95.10, ask 96.30)",
            "warning: json_wrong_session.json: SPXW260821P06200000: stale_session (bid 60.20, ask 61.00)",
            "warning: json_wrong_session.json: snapshot session 2026-07-14 is not the as-of session 2026-07-15",
        ])),
        Case(file: "datashop_missing_column.csv", kind: .cboeDataShopEOD, expected:
             .error("datashop_missing_column.csv:1: missing column bid_eod (header: underlying_symbol,quote_date,root,expiration,strike,option_type,open,high,low,close,trade_volume,bid_size_1545,bid_1545,ask_size_1545,ask_1545,underlying_bid_1545,underlying_ask_1545,implied_underlying_price_1545,active_underlying_price_1545,implied_volatility_1545,delta_1545,gamma_1545,theta_1545,vega_1545,rho_1545,bid_size_eod,ask_size_eod,ask_eod,underlying_bid_eod,underlying_ask_eod,vwap,open_interest,delivery_code)")),
        Case(file: "datashop_extra_column_row.csv", kind: .cboeDataShopEOD, expected: .diagnostics([
            "warning: datashop_extra_column_row.csv:3: 35 fields, header has 34; row skipped",
        ])),
        Case(file: "datashop_bad_fields.csv", kind: .cboeDataShopEOD, expected: .diagnostics([
            "warning: datashop_bad_fields.csv:3: strike: not a strike: \"62x0\"; row skipped",
            "warning: datashop_bad_fields.csv:4: option_type: not C or P: \"X\"; row skipped",
            "warning: datashop_bad_fields.csv:5: expiration: not a date: \"2026-02-30\"; row skipped",
            "warning: datashop_bad_fields.csv:6: bid_1545: not a number: \"n/a\"; row skipped",
            "warning: datashop_bad_fields.csv:7: root: not an option root: \"spx w\"; row skipped",
        ])),
        Case(file: "datashop_empty.csv", kind: .cboeDataShopEOD, expected:
             .error("datashop_empty.csv: empty file")),
        Case(file: "datashop_header_only_bom.csv", kind: .cboeDataShopEOD, expected: .diagnostics([
            "info: datashop_header_only_bom.csv:1: header only: no data rows",
        ])),
        Case(file: "datashop_zip_no_csv.zip", kind: .cboeDataShopEOD, expected:
             .error("datashop_zip_no_csv.zip: zip archive holds no .csv file")),
        Case(file: "datashop_not_a_zip.zip", kind: .cboeDataShopEOD, expected:
             .error("datashop_not_a_zip.zip: not a zip archive (no PK signature)")),
        Case(file: "datashop_truncated.zip", kind: .cboeDataShopEOD, expected:
             .error("datashop_truncated.zip: unreadable zip archive: no end of central directory record")),
        Case(file: "optionsdx_bad_size_and_date.txt", kind: .optionsDXEOD, expected: .diagnostics([
            "warning: optionsdx_bad_size_and_date.txt:3: C_SIZE: not a \"bid x ask\" size: \"5 by 7\"; row skipped",
            "warning: optionsdx_bad_size_and_date.txt:4: EXPIRE_DATE: not a date: \"07/20/2020\"; row skipped",
        ])),
        Case(file: "optionsdx_missing_column.txt", kind: .optionsDXEOD, expected:
             .error("optionsdx_missing_column.txt:1: missing column [P_ASK] (header: [QUOTE_UNIXTIME],[QUOTE_READTIME],[QUOTE_DATE],[QUOTE_TIME_HOURS],[UNDERLYING_LAST],[EXPIRE_DATE],[EXPIRE_UNIX],[DTE]…)")),
        Case(file: "optionsdx_all_rows_bad.txt", kind: .optionsDXEOD, expected:
             .error("optionsdx_all_rows_bad.txt: no usable rows (2 rejected; first: optionsdx_all_rows_bad.txt:2: C_BID: not a number: \"abc\")")),
        Case(file: "optionsdx_crossed_negative_nan.txt", kind: .optionsDXEOD, expected: .diagnostics([
            "warning: optionsdx_crossed_negative_nan.txt: SPXW200720C03225000: crossed (bid 42.00, ask 41.00)",
            "warning: optionsdx_crossed_negative_nan.txt: SPXW200720P03225000: missing_field,non_finite (bid -1.00, ask NaN)",
        ])),
        Case(file: "vx_wrong_header.csv", kind: .cfeVXHistory, expected:
             .error("vx_wrong_header.csv: no header line found")),
        Case(file: "vx_bad_dates.csv", kind: .cfeVXHistory, expected: .diagnostics([
            "warning: vx_bad_dates.csv:3: Trade Date: not a date: \"13/45/2014\"; row skipped",
            "warning: vx_bad_dates.csv:4: Trade Date: not a date: \"2014-02-30\"; row skipped",
        ])),
        Case(file: "vx_zero_negative_nan_settle.csv", kind: .cfeVXHistory, expected: .diagnostics([
            "info: vx_zero_negative_nan_settle.csv:3: zero settle (no trade); row skipped",
            "warning: vx_zero_negative_nan_settle.csv:4: Settle: negative: -3.0; row skipped",
            "warning: vx_zero_negative_nan_settle.csv:5: Settle: not a number: \"NaN\"; row skipped",
            "warning: vx_zero_negative_nan_settle.csv:6: Settle: not a number: \"\"; row skipped",
        ])),
        Case(file: "vx_duplicates_and_missing_columns.csv", kind: .cfeVXHistory, expected: .diagnostics([
            "warning: vx_duplicates_and_missing_columns.csv:3: Trade Date: duplicate 2014-01-02; row skipped",
            "warning: vx_duplicates_and_missing_columns.csv:4: 4 fields, header has 11; row skipped",
        ])),
        Case(file: "vx_bad_contract_and_late_date.csv", kind: .cfeVXHistory, expected: .diagnostics([
            "warning: vx_bad_contract_and_late_date.csv:3: Futures: not a VX contract: \"F (Feb 14)\"; row skipped",
            "warning: vx_bad_contract_and_late_date.csv:4: Trade Date: 2014-01-23 is after the contract's expiry 2014-01-22; row skipped",
            "warning: vx_bad_contract_and_late_date.csv:5: Futures: not a VX contract: \"Jan 2014\"; row skipped",
        ])),
        Case(file: "vx_all_zero_settles.csv", kind: .cfeVXHistory, expected:
             .error("vx_all_zero_settles.csv: no usable rows (all 2 settles are zero)")),
        Case(file: "vx_disclaimer_only.csv", kind: .cfeVXHistory, expected:
             .error("vx_disclaimer_only.csv: no header line found")),
        Case(file: "vx_unscaled_pre2007.csv", kind: .cfeVXHistory, expected: .diagnostics([
            "warning: vx_unscaled_pre2007.csv:2: Settle: implausible 1.67 (below 5.0, under any VIX level ever printed); row skipped",
        ])),
        Case(file: "vx_curve_no_asof.csv", kind: .cfeVXCurve, expected:
             .error("vx_curve_no_asof.csv: a settlement curve has no trade date: the context needs an as-of date")),
        Case(file: "vx_curve_bad_rows.csv", kind: .cfeVXCurve, asOf: "2026-07-14", expected: .diagnostics([
            "warning: vx_curve_bad_rows.csv:3: symbol: duplicate VX/N6; row skipped",
            "warning: vx_curve_bad_rows.csv:4: settlement: not positive: 0.0; row skipped",
            "warning: vx_curve_bad_rows.csv:5: expiration_date: 2026-06-17 is before the trade date 2026-07-14; row skipped",
            "warning: vx_curve_bad_rows.csv:6: expiration_date 2026-09-17 disagrees with the exchange rule for VX/U6 (2026-09-16); file date kept",
            "warning: vx_curve_bad_rows.csv:7: symbol: not a VX symbol: \"VXX/V6\"; row skipped",
            "warning: vx_curve_bad_rows.csv:8: settlement: missing; row skipped",
        ])),
        Case(file: "vx_curve_truncated.csv", kind: .cfeVXCurve, asOf: "2026-07-14", expected: .diagnostics([
            "warning: vx_curve_truncated.csv:3: 2 fields, header has 3; row skipped",
        ])),
        Case(file: "settle_bad_rows.csv", kind: .cfeSettlementCSV, asOf: "2026-07-14", expected: .diagnostics([
            "warning: settle_bad_rows.csv:3: Symbol: duplicate VX/N6; row skipped",
            "warning: settle_bad_rows.csv:4: Price: not positive: 0.0; row skipped",
            "warning: settle_bad_rows.csv:5: Symbol: not a VX symbol: \"VXM/U6\"; row skipped",
            "warning: settle_bad_rows.csv:6: Expiration Date 2026-09-17 disagrees with the exchange rule for VX/U6 (2026-09-16); file date kept",
            "warning: settle_bad_rows.csv:7: Expiration Date: not a date: \"13/10/2026\"; row skipped",
            "warning: settle_bad_rows.csv:8: Price: missing; row skipped",
            "info: settle_bad_rows.csv:1: 1 rows of other CFE products skipped (AMW 1)",
        ])),
        Case(file: "settle_stale_curve.csv", kind: .cfeSettlementCSV, asOf: "2026-08-20", expected:
             .error("settle_stale_curve.csv:2: curve cannot belong to 2026-08-20: VX/N6 expired on 2026-07-22 (a different day's file)")),
        Case(file: "settle_missing_price_column.csv", kind: .cfeSettlementCSV, asOf: "2026-07-14", expected:
             .error("settle_missing_price_column.csv:1: missing column Price or Settlement (header: Product,Symbol,Expiration Date)")),
        Case(file: "index_invalid_utf8.csv", kind: .cboeIndexHistory, expected:
             .error("index_invalid_utf8.csv: not valid UTF-8 text")),
        Case(file: "index_missing_close.csv", kind: .cboeIndexHistory, expected:
             .error("index_missing_close.csv:1: missing column CLOSE (header: DATE,OPEN,HIGH,LOW)")),
        Case(file: "index_nan_negative_zero.csv", kind: .cboeIndexHistory, expected: .diagnostics([
            "warning: index_nan_negative_zero.csv:3: OPEN: not a number: \"NaN\"; row skipped",
            "warning: index_nan_negative_zero.csv:4: CLOSE: not positive: -19.22; row skipped",
            "warning: index_nan_negative_zero.csv:5: CLOSE: not positive: 0.0; row skipped",
            "warning: index_nan_negative_zero.csv:6: CLOSE: not a number: \"inf\"; row skipped",
        ])),
        Case(file: "index_duplicates_wrong_dates.csv", kind: .cboeIndexHistory, expected: .diagnostics([
            "warning: index_duplicates_wrong_dates.csv:3: DATE: duplicate 1990-01-02; row skipped",
            "warning: index_duplicates_wrong_dates.csv:5: DATE: not a date: \"02/30/1990\"; row skipped",
            "warning: index_duplicates_wrong_dates.csv:6: DATE: not a date: \"01/04/90\"; row skipped",
        ])),
        Case(file: "index_extra_and_missing_columns.csv", kind: .cboeIndexHistory, expected: .diagnostics([
            "warning: index_extra_and_missing_columns.csv:3: 3 fields, header has 5; row skipped",
            "warning: index_extra_and_missing_columns.csv:4: 6 fields, header has 5; row skipped",
        ])),
        Case(file: "index_unterminated_quote.csv", kind: .cboeIndexHistory, expected:
             .error("index_unterminated_quote.csv:2: unterminated quoted field")),
        Case(file: "index_gzip_bytes.csv", kind: .cboeIndexHistory, expected:
             .error("index_gzip_bytes.csv: not valid UTF-8 text")),
        Case(file: "index_single_series_empty_name.csv", kind: .cboeIndexHistory, expected:
             .error("index_single_series_empty_name.csv:1: single-series header has an empty series name")),
        Case(file: "ohlc_all_null.csv", kind: .ohlcCSV, expected:
             .error("ohlc_all_null.csv: no usable rows (2 skipped; first: ohlc_all_null.csv:2: null row (no data for 2020-01-02); row skipped)")),
        Case(file: "ohlc_no_date_column.csv", kind: .ohlcCSV, expected:
             .error("ohlc_no_date_column.csv:1: missing column DATE (header: Day,Open,High,Low,Close)")),
    ]

    static func run(_ c: Case) -> Result<ParseOutcome, AdapterError> {
        let url = AdapterTestPaths.fixtures.appendingPathComponent("Malformed").appendingPathComponent(c.file)
        guard let data = try? Data(contentsOf: url) else {
            return .failure(AdapterError(source: c.file, "fixture unreadable"))
        }
        let context = AdapterContext(sourceName: c.file, asOf: c.asOf.flatMap { CalendarDate(iso: $0) }, options: c.options)
        do throws(AdapterError) {
            return .success(try Adapters.parse(c.kind, data: data, context: context))
        } catch {
            return .failure(error)
        }
    }

    @Test(arguments: cases)
    func producesItsExactDiagnostics(_ c: Case) {
        let result = Self.run(c)
        switch (c.expected, result) {
        case (.error(let message), .failure(let error)):
            #expect(error.description == message, "\(c.file)")
        case (.error(let message), .success(let outcome)):
            Issue.record("\(c.file): expected error \"\(message)\", loaded with diagnostics \(outcome.diagnostics.map(\.description))")
        case (.diagnostics(let expected), .success(let outcome)):
            #expect(outcome.diagnostics.map(\.description) == expected, "\(c.file)")
        case (.diagnostics, .failure(let error)):
            Issue.record("\(c.file): expected diagnostics, threw \"\(error.description)\"")
        }
    }

    @Test func corpusIsLargeAndEveryFileIsInTheTable() throws {
        let folder = AdapterTestPaths.fixtures.appendingPathComponent("Malformed")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        let listed = Set(Self.cases.map(\.file))
        #expect(files == listed, "not in the table: \(files.subtracting(listed).sorted()); missing files: \(listed.subtracting(files).sorted())")
        #expect(listed.count >= 30)
        // The rate, breadth and event formats have their own malformed-input table in RatesBreadthEvents/.
        let coveredElsewhere: Set<SourceKind> = [.fredCSV, .treasuryParCurve, .breadthCSV, .eventsCSV]
        #expect(Set(Self.cases.map(\.kind)) == Set(SourceKind.allCases).subtracting(coveredElsewhere))
    }

    /// A file with no line breaks is not a CSV: refused before any row is read. Generated here rather
    /// than committed (it is over a megabyte).
    @Test func aVeryLongLineIsRefused() {
        var text = "DATE,OPEN,HIGH,LOW,CLOSE\n01/02/1990,"
        text += String(repeating: "1", count: CSVTable.maxLineBytes + 1)
        text += "\n"
        do {
            _ = try Adapters.parse(.cboeIndexHistory, data: Data(text.utf8), context: AdapterContext(sourceName: "long.csv"))
            Issue.record("a 1 MB line loaded")
        } catch {
            #expect(error.description == "long.csv:2: line longer than 1048576 bytes")
        }
    }

    /// Prints every case's actual outcome as it would appear in the table (review before pinning).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["VIXSHIELD_RECORD"] == "1"))
    func record() {
        for c in Self.cases {
            switch Self.run(c) {
            case .failure(let e): print("RECORD \(c.file) error: \(e.description)")
            case .success(let o): print("RECORD \(c.file) diagnostics:\n" + o.diagnostics.map { "    \"\($0.description)\"," }.joined(separator: "\n"))
            }
        }
        Issue.record("recording run: pin the printed outcomes, then run without VIXSHIELD_RECORD")
    }
}
