import Foundation
import Testing
import Ingest
import VixShieldCore

@Suite("Event calendar CSV")
struct EventsCSVTests {
    typealias F = RatesBreadthEventsFixtures

    func parse(_ text: String) throws(AdapterError) -> (rows: [MarketEvent], diagnostics: [Diagnostic]) {
        try EventsCSV.parse(Data(text.utf8), source: "ev.csv")
    }

    @Test("a well-formed file: comments, default times, quoted labels, unscheduled rows")
    func wellFormed() throws {
        let text = """
        # a comment, with commas
        date,time_et,kind,label,scheduled
        2024-12-18,14:00,fomc,FOMC decision (Dec 17-18 meeting),yes
        # a comment between rows
        2024-12-11,,CPI,"CPI for November 2024, all items",
        2025-01-10,08:30,nfp,Employment Situation,
        2020-03-15,17:00,fomc,FOMC decision (unscheduled meeting),no
        """
        let (rows, diagnostics) = try parse(text)
        #expect(rows.map(\.date.isoString) == ["2020-03-15", "2024-12-11", "2024-12-18", "2025-01-10"], "sorted by time")
        #expect(rows[1].kind == .cpi && rows[1].time == EasternTime(date: F.date("2024-12-11"), hour: 8, minute: 30))
        #expect(rows[1].label == "CPI for November 2024, all items")
        #expect(rows[2].time.iso8601 == "2024-12-18T14:00:00-05:00")
        #expect(rows[3].kind == .other("nfp"))
        #expect(!rows[0].isScheduled && rows[2].isScheduled && rows[1].isScheduled)
        #expect(diagnostics.map(\.description) == ["warning: ev.csv:7: fomc event on 2020-03-15, a day the NYSE is closed"])
    }

    @Test("the scheduled column is optional")
    func noScheduledColumn() throws {
        let (rows, diagnostics) = try parse("date,time_et,kind,label\n2024-12-18,,fomc,FOMC\n")
        #expect(rows.count == 1 && rows[0].isScheduled && rows[0].time.minuteOfDay == 14 * 60)
        #expect(diagnostics.isEmpty)
    }

    @Test("malformed files give one exact line", arguments: [
        ("", "ev.csv: empty file"),
        ("# only a comment\n", "ev.csv: no header line found"),
        ("date,time,kind,label\n2024-12-18,14:00,fomc,X\n", "ev.csv:1: missing column time_et (header: date,time,kind,label)"),
        ("date,time_et,kind,label\n", "ev.csv: no events"),
        ("date,time_et,kind,label\n2024-13-01,14:00,fomc,X\n", "ev.csv:2: date: not a YYYY-MM-DD date: \"2024-13-01\""),
        ("date,time_et,kind,label\n12/18/2024,14:00,fomc,X\n", "ev.csv:2: date: not a YYYY-MM-DD date: \"12/18/2024\""),
        ("date,time_et,kind,label\n2024-12-18,25:00,fomc,X\n", "ev.csv:2: time_et: not an HH:MM time: \"25:00\""),
        ("date,time_et,kind,label\n2024-12-18,2pm,fomc,X\n", "ev.csv:2: time_et: not an HH:MM time: \"2pm\""),
        ("date,time_et,kind,label\n2024-12-18,14:00,FOMC meeting,X\n",
         "ev.csv:2: kind: not an event kind (fomc, cpi, ppi or a name of a-z, 0-9, _): \"FOMC meeting\""),
        ("date,time_et,kind,label\n2025-01-10,,nfp,Payrolls\n", "ev.csv:2: time_et: required for kind nfp"),
        ("date,time_et,kind,label\n2024-12-18,14:00,fomc,\n", "ev.csv:2: label: empty"),
        ("date,time_et,kind,label\n2024-12-18,14:00,fomc\n", "ev.csv:2: label: missing (row has 3 fields)"),
        ("date,time_et,kind,label\n2024-12-11,08:30,cpi,CPI for November, 2024\n",
         "ev.csv:2: 5 fields, header has 4 (quote labels that contain commas)"),
        ("date,time_et,kind,label,scheduled\n2024-12-18,14:00,fomc,X,maybe\n", "ev.csv:2: scheduled: not yes or no: \"maybe\""),
        ("date,time_et,kind,label\n2024-12-18,14:00,fomc,A\n2024-12-18,14:00,fomc,B\n",
         "ev.csv:3: duplicate fomc event on 2024-12-18 (first on line 2)"),
        ("date,time_et,kind,label\n2024-12-18,14:00,fomc,\"unterminated\n", "ev.csv:2: unterminated quoted field"),
    ] as [(String, String)])
    func malformed(text: String, expected: String) {
        #expect(rbeThrownMessage { try parse(text) } == expected, "input: \(text.debugDescription)")
    }

    @Test("invalid UTF-8 is rejected")
    func invalidUTF8() {
        var bytes = Data("date,time_et,kind,label\n2024-12-18,14:00,fomc,".utf8)
        bytes.append(contentsOf: [0xFF, 0xFE, 0x0A])
        #expect(rbeThrownMessage { try EventsCSV.parse(bytes, source: "ev.csv") } == "ev.csv: not valid UTF-8 text")
    }

    // MARK: - The shipped calendar

    func shipped() throws -> (rows: [MarketEvent], diagnostics: [Diagnostic]) {
        let data = try Data(contentsOf: F.shippedEvents)
        return try EventsCSV.parse(data, source: "us_macro_events.csv")
    }

    /// BLS published CPI on Good Friday in 2017 and 2020, when the NYSE was shut; the Fed's second 2020
    /// emergency cut came on a Sunday. Those three are the only events on closed days.
    @Test("the shipped calendar parses; its only diagnostics are the three events on closed days")
    func shippedParses() throws {
        let (rows, diagnostics) = try shipped()
        #expect(rows.count == 235)
        #expect(diagnostics.map(\.message) == ["cpi event on 2017-04-14, a day the NYSE is closed",
                                                "fomc event on 2020-03-15, a day the NYSE is closed",
                                                "cpi event on 2020-04-10, a day the NYSE is closed"])
        #expect(rows.first?.date == F.date("2015-01-16"))
        #expect(Set(rows.map(\.kind)) == [.fomc, .cpi], "PPI is added by users, never guessed")
    }

    @Test("every scheduled FOMC decision is on a trading day at 14:00 ET; CPI at 08:30 ET")
    func shippedDaysAndTimes() throws {
        let (rows, _) = try shipped()
        let cal = TradingCalendar.nyse
        for e in rows where e.isScheduled {
            if e.kind == .fomc { #expect(cal.isTradingDay(e.date), "\(e)") }
            let expected = e.kind == .fomc ? 14 * 60 : 8 * 60 + 30
            #expect(e.time.minuteOfDay == expected, "\(e)")
        }
        #expect(rows.filter { $0.kind == .cpi && !cal.isTradingDay($0.date) }.map(\.date) == [F.date("2017-04-14"), F.date("2020-04-10")],
                "CPI on Good Friday")
        let unscheduled = rows.filter { !$0.isScheduled }
        #expect(unscheduled.map(\.time.iso8601) == ["2020-03-03T10:00:00-05:00", "2020-03-15T17:00:00-04:00"])
    }

    /// Counts per year. FOMC: eight scheduled meetings a year, except 2020, when the scheduled 17–18 March
    /// meeting was replaced by the unscheduled one of Sunday 15 March (Federal Reserve, 2020 calendar).
    /// CPI: twelve releases a year; 2025 has eleven (October 2025 CPI cancelled, BLS notice) and 2026 has
    /// the seven releases through July that the source lists.
    @Test("events per year", arguments: Array(2015...2026))
    func countsPerYear(year: Int) throws {
        let (rows, _) = try shipped()
        let inYear = rows.filter { $0.date.year == year }
        let scheduledFOMC = inYear.filter { $0.kind == .fomc && $0.isScheduled }.count
        let unscheduledFOMC = inYear.filter { $0.kind == .fomc && !$0.isScheduled }.count
        let cpi = inYear.filter { $0.kind == .cpi }.count
        #expect(scheduledFOMC == (year == 2020 ? 7 : 8), "\(year) scheduled FOMC")
        #expect(unscheduledFOMC == (year == 2020 ? 2 : 0), "\(year) unscheduled FOMC")
        let expectedCPI = [2025: 11, 2026: 7][year] ?? 12
        #expect(cpi == expectedCPI, "\(year) CPI")
    }

    @Test("the shipped calendar holds exactly the dates of the shared source files",
          .enabled(if: F.shared("events/fomc_dates_2015-2026.csv") != nil && F.shared("events/cpi_release_dates_2015-2026.csv") != nil))
    func matchesSources() throws {
        let (rows, _) = try shipped()
        func firstColumn(_ path: String) throws -> [String] {
            let text = try String(contentsOf: F.shared(path)!, encoding: .utf8)
            return text.split(whereSeparator: \.isNewline).dropFirst().map { String($0.split(separator: ",")[0]) }
        }
        #expect(rows.filter { $0.kind == .fomc }.map(\.date.isoString) == (try firstColumn("events/fomc_dates_2015-2026.csv")).sorted())
        #expect(rows.filter { $0.kind == .cpi }.map(\.date.isoString) == (try firstColumn("events/cpi_release_dates_2015-2026.csv")).sorted())
    }

    @Test("the shipped calendar's lookups")
    func shippedLookups() throws {
        let (calendar, _) = try EventsCSV.calendar(try Data(contentsOf: F.shippedEvents), source: "us_macro_events.csv")
        #expect(calendar.nextEvent(of: .fomc, after: F.date("2026-07-14"))?.date == F.date("2026-07-29"))
        #expect(calendar.lastDate(of: .fomc) == F.date("2026-12-09"))
        #expect(calendar.lastDate(of: .cpi) == F.date("2026-07-14"))
        #expect(calendar.isEventDay(F.date("2026-07-14"), kinds: [.cpi]))
    }
}
