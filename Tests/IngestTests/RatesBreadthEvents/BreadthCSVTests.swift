import Foundation
import Testing
import Ingest
import VixShieldCore

@Suite("Breadth CSV")
struct BreadthCSVTests {
    typealias F = RatesBreadthEventsFixtures

    func parse(_ text: String, columns: BreadthCSV.Columns = .generic(universe: "NYSE")) throws(AdapterError) -> (rows: [BreadthRow], diagnostics: [Diagnostic]) {
        try BreadthCSV.parse(Data(text.utf8), source: "b.csv", columns: columns)
    }

    @Test("generic layout, sorted by date, whole-number floats accepted, empty unchanged is nil")
    func generic() throws {
        let text = "date,advances,declines,unchanged\n2024-01-03,1500,1400.0,100\n2024-01-02,1200,1700,\n"
        let (rows, diagnostics) = try parse(text)
        #expect(rows == [
            BreadthRow(date: F.date("2024-01-02"), universe: "NYSE", advances: 1200, declines: 1700, unchanged: nil),
            BreadthRow(date: F.date("2024-01-03"), universe: "NYSE", advances: 1500, declines: 1400, unchanged: 100),
        ])
        #expect(diagnostics.isEmpty)
    }

    @Test("bad counts skip the row with an error diagnostic; the rest loads")
    func badCounts() throws {
        let text = """
        date,advances,declines,unchanged
        2024-01-02,1200,1700,90
        2024-01-03,1500,-5,90
        2024-01-04,12.5,1400,90
        2024-01-05,abc,1400,90
        2024-01-08,1300,1600,
        2024-01-09,1300,1600,-1
        """
        let (rows, diagnostics) = try parse(text)
        #expect(rows.map(\.date.isoString) == ["2024-01-02", "2024-01-08"])
        #expect(diagnostics.map(\.description) == [
            "error: b.csv:3: row skipped: declines: not a non-negative whole count: \"-5\"",
            "error: b.csv:4: row skipped: advances: not a non-negative whole count: \"12.5\"",
            "error: b.csv:5: row skipped: advances: not a non-negative whole count: \"abc\"",
            "error: b.csv:7: row skipped: unchanged: not a non-negative whole count: \"-1\"",
        ])
    }

    @Test("a day with under half the median issue count is kept and flagged")
    func partialDay() throws {
        let text = "date,advances,declines\n2024-01-02,800,800\n2024-01-03,900,700\n2024-01-04,700,900\n2024-01-05,200,150\n"
        let (rows, diagnostics) = try parse(text, columns: .init(advances: "advances", declines: "declines", unchanged: nil, universe: "X"))
        #expect(rows.count == 4)
        #expect(diagnostics.map(\.description) == ["warning: b.csv:5: 2024-01-05: 350 issues counted, under half the median 1600 (partial day?)"])
    }

    @Test("malformed breadth files give one exact line", arguments: [
        ("", "b.csv: empty file"),
        ("date,advances,declines,unchanged\n", "b.csv: no data rows"),
        ("date,advances,decliners,unchanged\n2024-01-02,1,2,3\n", "b.csv:1: missing column declines (header: date,advances,decliners,unchanged)"),
        ("date,advances,declines,unchanged\n2024/01/02,1,2,3\n", "b.csv:2: date: not a YYYY-MM-DD date: \"2024/01/02\""),
        ("date,advances,declines,unchanged\n2024-01-02,1,2,3\n2024-01-02,1,2,3\n", "b.csv:3: date: duplicate date 2024-01-02 (first on line 2)"),
        ("date,advances,declines,unchanged\n2024-01-02,-1,2,3\n2024-01-03,x,2,3\n", "b.csv: no usable rows (2 skipped)"),
        ("date,advances,declines,unchanged\n2024-01-02\n", "b.csv: no usable rows (1 skipped)"),
    ] as [(String, String)])
    func malformed(text: String, expected: String) {
        #expect(rbeThrownMessage { try parse(text) } == expected, "input: \(text.debugDescription)")
    }

    @Test("a short row names the missing field")
    func shortRow() throws {
        let (rows, diagnostics) = try parse("date,advances,declines,unchanged\n2024-01-02,10,20,5\n2024-01-03,10\n")
        #expect(rows.count == 1)
        #expect(diagnostics.map(\.description) == ["error: b.csv:3: row skipped: declines: missing (row has 2 fields)"])
    }

    @Test("the real advance/decline sample loads through a column mapping",
          .enabled(if: F.shared("breadth/advance_decline_2023-2026.csv") != nil))
    func realFile() throws {
        let data = try Data(contentsOf: F.shared("breadth/advance_decline_2023-2026.csv")!)
        let (rows, diagnostics) = try BreadthCSV.parse(data, source: "ad.csv", columns: .prefixed("nyse", universe: "NYSE"))
        #expect(rows.count == 752)
        #expect(rows.first == BreadthRow(date: F.date("2023-06-21"), universe: "NYSE", advances: 797, declines: 756, unchanged: nil))
        #expect(rows.last?.date == F.date("2026-06-18"))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        #expect(diagnostics.contains { $0.message.hasPrefix("2026-06-18: 374 issues counted") }, "the partial last row is flagged: \(diagnostics)")
        for prefix in ["nyse_common", "nasdaq", "sp500", "sp400", "sp600"] {
            let other = try BreadthCSV.parse(data, source: "ad.csv", columns: .prefixed(prefix, universe: prefix))
            #expect(other.rows.count == 752, "\(prefix)")
        }
    }
}
