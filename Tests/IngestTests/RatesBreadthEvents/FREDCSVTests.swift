import Foundation
import Testing
import Ingest
import VixShieldCore

@Suite("FRED and Treasury rate CSVs")
struct FREDCSVTests {
    typealias F = RatesBreadthEventsFixtures

    func parse(_ text: String, seriesID: String? = nil, tenorYears: Double? = nil) throws(AdapterError) -> (rows: [RateObservation], diagnostics: [Diagnostic]) {
        try FREDCSV.parse(Data(text.utf8), source: "f.csv", seriesID: seriesID, tenorYears: tenorYears)
    }

    @Test("observation_date layout: percent to decimal, '.' skipped and counted")
    func currentLayout() throws {
        let (rows, diagnostics) = try parse("observation_date,DGS3MO\n2024-01-02,5.25\n2024-01-03,.\n2024-01-04,5.31\n")
        #expect(rows.map(\.date.isoString) == ["2024-01-02", "2024-01-04"])
        #expect(abs(rows[0].rate - 0.0525) < 1e-16 && abs(rows[1].rate - 0.0531) < 1e-16)
        #expect(rows.allSatisfy { $0.series == "DGS3MO" && $0.tenorYears == 0.25 })
        #expect(diagnostics.map(\.description) == ["info: f.csv: DGS3MO: 1 missing values (\".\" or empty) skipped"])
    }

    @Test("CRLF line ends and a byte order mark", .enabled(if: F.csvTableSplitsCRLF))
    func crlf() throws {
        let (rows, _) = try FREDCSV.parse(Data([0xEF, 0xBB, 0xBF]) + Data("observation_date,DGS3MO\r\n2024-01-02,5.25\r\n".utf8), source: "f.csv")
        #expect(rows.map(\.series) == ["DGS3MO"])
        let treasury = try TreasuryParCurveCSV.parse(Data("Date,3 mo,10 yr\r\n1/2/1990,7.83,N/A\r\n".utf8), source: "t.csv")
        #expect(treasury.rows.map(\.series) == ["UST_3M"])
        #expect(treasury.diagnostics.map(\.message) == ["UST_10Y: 1 missing values (N/A or empty) skipped"])
    }

    @Test("DATE layout, several series, empty values")
    func olderLayoutManySeries() throws {
        let (rows, diagnostics) = try parse("DATE,DGS1,DGS10\n2020-03-16,0.29,\n2020-03-17,0.30,1.00\n")
        #expect(rows.map { "\($0.series) \($0.date) \($0.tenorYears)" } == ["DGS1 2020-03-16 1.0", "DGS1 2020-03-17 1.0", "DGS10 2020-03-17 10.0"])
        #expect(diagnostics.map(\.message) == ["DGS10: 1 missing values (\".\" or empty) skipped"])
    }

    @Test("date,value layout takes the series id from the caller")
    func valueLayout() throws {
        let (rows, _) = try parse("date,value\n2026-07-07,3.63\n2026-07-08,3.62\n", seriesID: "DFF")
        #expect(rows.map(\.series) == ["DFF", "DFF"])
        #expect(rows[0].tenorYears == 1.0 / 365)
        let custom = try parse("date,value\n2026-07-07,4.1\n", seriesID: "MYRATE", tenorYears: 0.75)
        #expect(custom.rows.first?.tenorYears == 0.75)
    }

    @Test("malformed FRED files give one exact line", arguments: [
        ("", nil, "f.csv: empty file"),
        ("day,DGS3MO\n2024-01-02,5.25\n", nil, "f.csv:1: missing column observation_date or DATE (header: day,DGS3MO)"),
        ("observation_date\n2024-01-02\n", nil, "f.csv:1: no series column (header: observation_date)"),
        ("date,value\n2024-01-02,5.25\n", nil, "f.csv:1: value: the file does not name its series: pass the series id"),
        ("observation_date,DGS3MO\n2024-01-02,5.25\n", "DGS10", "f.csv:1: DGS3MO: the file holds series DGS3MO, not DGS10"),
        ("observation_date,FOO\n2024-01-02,5.25\n", nil, "f.csv:1: FOO: unknown FRED series FOO: pass its tenor in years"),
        ("observation_date,DGS3MO\n2024-01-02,5.25\n2024-01-03,abc\n", nil, "f.csv:3: DGS3MO: not a number: \"abc\""),
        ("observation_date,DGS3MO\n2024-01-02,NaN\n", nil, "f.csv:2: DGS3MO: not a number: \"NaN\""),
        ("observation_date,DGS3MO\n01/02/2024,5.25\n", nil, "f.csv:2: observation_date: not a YYYY-MM-DD date: \"01/02/2024\""),
        ("observation_date,DGS3MO\n2024-01-02,5.25\n2024-01-02,5.26\n", nil,
         "f.csv:3: observation_date: duplicate date 2024-01-02 (first on line 2)"),
        ("observation_date,DGS3MO\n2024-01-02,.\n", nil, "f.csv: DGS3MO: no values for series DGS3MO"),
        ("observation_date,DGS3MO\n2024-01-02\n", nil, "f.csv:2: DGS3MO: missing (row has 1 fields)"),
        ("observation_date,DGS1,DGS10\n2024-01-02,1,2\n", "DGS1",
         "f.csv:1: seriesID and tenorYears apply to single-series files; this one has 2 series"),
    ] as [(String, String?, String)])
    func malformed(text: String, seriesID: String?, expected: String) {
        #expect(rbeThrownMessage { try parse(text, seriesID: seriesID) } == expected, "input: \(text.debugDescription)")
    }

    @Test("known series carry their tenor and convention")
    func knownSeries() {
        #expect(FREDCSV.knownSeries["DGS3MO"] == .init(tenorYears: 0.25, convention: .bondEquivalent))
        #expect(FREDCSV.knownSeries["DTB3"] == .init(tenorYears: 91.0 / 365, convention: .bankDiscount))
        #expect(FREDCSV.conventions["DFF"] == .moneyMarket)
        for (id, info) in FREDCSV.knownSeries { #expect(info.tenorYears > 0 && info.tenorYears <= 30, "\(id)") }
    }

    // MARK: - Treasury par curve

    @Test("Treasury par curve: one series per tenor column, N/A gaps counted")
    func treasury() throws {
        let text = "Date,1 mo,3 Mo,1.5 Month,10 yr\n1/2/1990,N/A,7.83,N/A,7.94\n01/03/1990,N/A,7.89,7.90,7.99\n"
        let (rows, diagnostics) = try TreasuryParCurveCSV.parse(Data(text.utf8), source: "t.csv")
        #expect(Set(rows.map(\.series)) == ["UST_3M", "UST_1.5M", "UST_10Y"])
        #expect(rows.first { $0.series == "UST_1.5M" }?.tenorYears == 0.125)
        #expect(rows.filter { $0.series == "UST_10Y" }.map(\.date.isoString) == ["1990-01-02", "1990-01-03"])
        #expect(diagnostics.map(\.message) == ["UST_1M: 2 missing values (N/A or empty) skipped", "UST_1.5M: 1 missing values (N/A or empty) skipped"])
    }

    @Test("malformed Treasury files give one exact line", arguments: [
        ("Day,3 mo\n1/2/1990,7.83\n", "t.csv:1: missing column Date (header: Day,3 mo)"),
        ("Date,3 weeks\n1/2/1990,7.83\n", "t.csv:1: 3 weeks: not a tenor column (expected e.g. \"3 mo\" or \"10 yr\")"),
        ("Date,3 mo\n13/2/1990,7.83\n", "t.csv:2: Date: not an M/D/YYYY date: \"13/2/1990\""),
        ("Date,3 mo\n1/2/1990,x\n", "t.csv:2: 3 mo: not a number: \"x\""),
        ("Date\n1/2/1990\n", "t.csv:1: no tenor columns"),
    ] as [(String, String)])
    func treasuryMalformed(text: String, expected: String) {
        #expect(rbeThrownMessage { try TreasuryParCurveCSV.parse(Data(text.utf8), source: "t.csv") } == expected)
    }

    // MARK: - Real files

    @Test("the real FRED fed funds file loads and feeds a curve", .enabled(if: F.shared("rates/fred_DFF.csv") != nil))
    func realDFF() throws {
        let data = try Data(contentsOf: F.shared("rates/fred_DFF.csv")!)
        let (rows, diagnostics) = try FREDCSV.parse(data, source: "fred_DFF.csv", seriesID: "DFF")
        #expect(rows.count > 26_000, "\(rows.count) rows")
        #expect(rows.first?.date == F.date("1954-07-01") && abs(rows.first!.rate - 0.0113) < 1e-15)
        #expect(rows.last?.date == F.date("2026-07-08") && abs(rows.last!.rate - 0.0362) < 1e-15)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let curve = try RateCurve(observations: rows, conventions: FREDCSV.conventions)
        #expect(abs(try curve.rate(on: F.date("2026-07-12"), tenorYears: 0.25) - 0.0362) < 1e-15, "flat from the overnight node")
        #expect(throws: RateCurveError.self) { try curve.rate(on: F.date("2026-07-19"), tenorYears: 0.25) }
    }

    @Test("a mixed daily file: selected columns under a custom date column, cross-checked with FRED's own DFF",
          .enabled(if: F.shared("rates/ndx_vix_irx_dff_daily_2000-2026.csv") != nil && F.shared("rates/fred_DFF.csv") != nil))
    func realMixedFile() throws {
        let data = try Data(contentsOf: F.shared("rates/ndx_vix_irx_dff_daily_2000-2026.csv")!)
        let dff = try FREDCSV.parse(data, source: "mixed.csv", dateColumn: "fecha", columns: ["DFF": "DFF"])
        #expect(dff.rows.count == 6693 && dff.diagnostics.isEmpty, "\(dff.rows.count) rows, \(dff.diagnostics)")
        #expect(dff.rows.last?.date == F.date("2026-08-20") && abs(dff.rows.last!.rate - 0.0363) < 1e-15)
        // ^IRX, the 13-week bill rate, is not a FRED series: its tenor is given by the caller.
        let irx = try FREDCSV.parse(data, source: "mixed.csv", tenorYears: 91.0 / 365, dateColumn: "fecha", columns: ["IRX_close": "IRX"])
        #expect(irx.rows.count == 6693 - 11)
        #expect(irx.diagnostics.map(\.message) == ["IRX: 11 missing values (\".\" or empty) skipped"])
        #expect(rbeThrownMessage { try FREDCSV.parse(data, source: "mixed.csv", dateColumn: "fecha", columns: ["IRX": "IRX"]) }
            .hasPrefix("mixed.csv:1: missing column IRX (header: fecha,NDX_close,"))
        // Every date the two files share carries the same fed funds value.
        let fred = try FREDCSV.parse(try Data(contentsOf: F.shared("rates/fred_DFF.csv")!), source: "fred_DFF.csv", seriesID: "DFF")
        let fredByDate = Dictionary(uniqueKeysWithValues: fred.rows.map { ($0.date, $0.rate) })
        let shared = dff.rows.filter { fredByDate[$0.date] != nil }
        #expect(shared.count == 6662)
        let differing = shared.filter { fredByDate[$0.date] != $0.rate }.map(\.date)
        #expect(differing.isEmpty, "\(differing)")
    }

    /// The file has CRLF line ends, so it also waits for `CSVTable`'s CRLF fix.
    @Test("the real Treasury par curve 1990-2020 loads and feeds a curve",
          .enabled(if: F.shared("rates/treasury_yield_curve_1990-2020.csv") != nil && F.csvTableSplitsCRLF))
    func realTreasury() throws {
        let data = try Data(contentsOf: F.shared("rates/treasury_yield_curve_1990-2020.csv")!)
        let (rows, diagnostics) = try TreasuryParCurveCSV.parse(data, source: "treasury.csv")
        let ids = Set(rows.map(\.series))
        #expect(ids.count == 12, "\(ids.sorted())")
        #expect(diagnostics.contains { $0.message.hasPrefix("UST_1M: ") }, "the 1-month yield starts in 2001")
        let curve = try RateCurve(observations: rows, conventions: TreasuryParCurveCSV.conventions(for: ids))
        let d = F.date("2020-08-21")
        #expect(abs(try curve.rate(on: d, tenorYears: 0.25) - 0.001) < 1e-15)
        #expect(abs(try curve.rate(on: d, tenorYears: 10) - 0.0064) < 1e-15)
        #expect(abs(try curve.rate(on: d, tenorYears: 0.375) - (0.001 + 0.0012) / 2) < 1e-15, "halfway between 3 and 6 months")
        // 1990: no 1-month node, so short tenors are flat from the 3-month yield (7.83 %).
        #expect(abs(try curve.rate(on: F.date("1990-01-02"), tenorYears: 1.0 / 52) - 0.0783) < 1e-15)
    }
}
