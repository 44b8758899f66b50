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

    @Test("the source column is optional: read when present, nil when absent or empty")
    func sourceColumn() throws {
        let (rows, _) = try parse("""
        date,time_et,kind,label,scheduled,source
        2024-12-18,14:00,fomc,FOMC,yes,federalreserve.gov/monetarypolicy/fomccalendars.htm
        2024-12-11,,cpi,"CPI for November 2024, all items",, bls.gov/schedule/2024/home.htm
        2024-12-12,,ppi,PPI,,
        """)
        #expect(rows.map(\.source) == ["bls.gov/schedule/2024/home.htm", nil, "federalreserve.gov/monetarypolicy/fomccalendars.htm"],
                "sorted by time; surrounding blanks trimmed; empty means nil")
        #expect(rows.map(\.kind) == [.cpi, .ppi, .fomc])
        let (old, _) = try parse("date,time_et,kind,label,scheduled\n2024-12-18,,fomc,FOMC,yes\n")
        #expect(old.count == 1 && old[0].source == nil, "a file written before the column existed reads unchanged")
        let (reordered, _) = try parse("source,kind,date,label,time_et\nbls.gov/x.htm,ppi,2025-01-14,PPI,\n")
        #expect(reordered.first?.source == "bls.gov/x.htm" && reordered.first?.time.minuteOfDay == 8 * 60 + 30,
                "columns are found by name")
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
        ("date,time_et,kind,label,scheduled,source\n2024-12-18,14:00,fomc,X,yes\n", "ev.csv:2: source: missing (row has 5 fields)"),
        ("date,time_et,kind,label,scheduled,source\n2024-12-11,08:30,cpi,CPI for November, 2024,yes,bls.gov\n",
         "ev.csv:2: 7 fields, header has 6 (quote labels that contain commas)"),
        ("date,time_et,kind,label,scheduled,source\n2024-12-18,14:00,fomc,X,maybe,bls.gov\n", "ev.csv:2: scheduled: not yes or no: \"maybe\""),
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

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    /// The reference month a CPI or PPI label names (`CPI for July 2026` → 2026*12+6), or nil.
    static func referenceMonth(_ label: String) -> Int? {
        let words = label.split(separator: " ")
        guard words.count >= 4, words[1] == "for", let m = monthNames.firstIndex(of: String(words[2])),
              let y = Int(words[3]) else { return nil }
        return y * 12 + m
    }

    /// BLS published CPI on Good Friday in 2017 and 2020, when the NYSE was shut; the Fed's second 2020
    /// emergency cut came on a Sunday. Those three are the only events on closed days.
    @Test("the shipped calendar parses; its only diagnostics are the three events on closed days")
    func shippedParses() throws {
        let (rows, diagnostics) = try shipped()
        #expect(rows.count == 271)
        #expect(diagnostics.map(\.message) == ["cpi event on 2017-04-14, a day the NYSE is closed",
                                                "fomc event on 2020-03-15, a day the NYSE is closed",
                                                "cpi event on 2020-04-10, a day the NYSE is closed"])
        #expect(rows.first?.date == F.date("2015-01-16"))
        #expect(Set(rows.map(\.kind)) == [.fomc, .cpi, .ppi])
    }

    @Test("every shipped row names its source: a Federal Reserve page for FOMC, a BLS page for CPI and PPI")
    func shippedSources() throws {
        let (rows, _) = try shipped()
        for e in rows {
            let source = e.source ?? ""
            #expect(!source.isEmpty, "\(e)")
            #expect(!source.contains("://") && !source.hasPrefix("www.") && !source.contains(" "), "publisher page without scheme: \(e)")
            switch e.kind {
            case .fomc: #expect(source.hasPrefix("federalreserve.gov/monetarypolicy/fomc"), "\(e) \(source)")
            case .cpi: #expect(source.hasPrefix("bls.gov/") && !source.contains("ppi"), "\(e) \(source)")
            case .ppi: #expect(source.hasPrefix("bls.gov/") && !source.contains("cpi"), "\(e) \(source)")
            case .other: Issue.record("unexpected kind in the shipped calendar: \(e)")
            }
        }
    }

    @Test("scheduled events are on trading days at the usual time (FOMC 14:00 ET, CPI and PPI 08:30 ET)")
    func shippedDaysAndTimes() throws {
        let (rows, _) = try shipped()
        let cal = TradingCalendar.nyse
        for e in rows where e.isScheduled {
            #expect(e.time.minuteOfDay == (e.kind == .fomc ? 14 * 60 : 8 * 60 + 30), "\(e)")
        }
        // The documented exceptions: CPI on Good Friday (BLS works, the NYSE does not) and the Sunday cut.
        #expect(rows.filter { !cal.isTradingDay($0.date) }.map(\.date.isoString) == ["2017-04-14", "2020-03-15", "2020-04-10"])
        #expect(rows.filter { $0.kind == .ppi && !cal.isTradingDay($0.date) }.isEmpty)
        let unscheduled = rows.filter { !$0.isScheduled }
        #expect(unscheduled.map(\.time.iso8601) == ["2020-03-03T10:00:00-05:00", "2020-03-15T17:00:00-04:00"])
        #expect(unscheduled.allSatisfy { $0.kind == .fomc })
    }

    /// The statement comes on the second day of a two-day meeting. Meetings are Tuesday–Wednesday except
    /// four Wednesday–Thursday meetings (September 2015, and the November meetings of 2018, 2020 and 2024
    /// that followed US election days), so the decision day is a Wednesday apart from those four Thursdays.
    @Test("scheduled FOMC decisions are the second day of a two-day meeting, Wednesdays but for four Thursdays")
    func shippedFOMCSecondDay() throws {
        let (rows, _) = try shipped()
        let cal = TradingCalendar.nyse
        let fomc = rows.filter { $0.kind == .fomc && $0.isScheduled }
        #expect(fomc.count == 103)
        for e in fomc {
            // "FOMC decision (Jan 31-Feb 1 meeting)": the day numbers around the dash.
            let inner = e.label.split(separator: "(").last?.split(separator: " meeting)").first ?? ""
            let days = inner.split(separator: "-").map { Int($0.split(separator: " ").last ?? "") }
            let first = e.date.adding(days: -1)
            #expect(days.count == 2 && days[0] == first.day && days[1] == e.date.day, "\(e)")
            #expect(cal.isTradingDay(first) && cal.isTradingDay(e.date), "\(e)")
        }
        #expect(fomc.filter { $0.date.isoWeekday != 3 }.map(\.date.isoString) == ["2015-09-17", "2018-11-08", "2020-11-05", "2024-11-07"])
        #expect(fomc.filter { $0.date.isoWeekday != 3 }.allSatisfy { $0.date.isoWeekday == 4 })
    }

    /// How far each kind reaches. FOMC: through December 2027 (the Fed's tentative 2027 schedule). CPI and
    /// PPI: through December 2026 only, because BLS had not published its 2027 release schedule when the
    /// file was written; PPI starts in January 2025, the first year with a complete cross-checked schedule.
    @Test("coverage per kind: FOMC through 2027-12, CPI and PPI through 2026-12 (no BLS 2027 schedule yet)")
    func shippedCoverage() throws {
        let (calendar, _) = try EventsCSV.calendar(try Data(contentsOf: F.shippedEvents), source: "us_macro_events.csv")
        #expect(calendar.firstDate(of: .fomc) == F.date("2015-01-28") && calendar.lastDate(of: .fomc) == F.date("2027-12-08"))
        #expect(calendar.firstDate(of: .cpi) == F.date("2015-01-16") && calendar.lastDate(of: .cpi) == F.date("2026-12-10"))
        #expect(calendar.firstDate(of: .ppi) == F.date("2025-01-14") && calendar.lastDate(of: .ppi) == F.date("2026-12-15"))
        #expect(calendar.events.filter { $0.date.year == 2027 }.allSatisfy { $0.kind == .fomc }, "no 2027 CPI or PPI date was published")
    }

    /// One release per reference month, in order, none skipped, except where the sources say otherwise:
    /// the October 2025 CPI was cancelled, and the October 2025 PPI had no release of its own (its data
    /// came with the November 2025 PPI on 14 January 2026).
    @Test("CPI and PPI: one release per reference month, in release order, with the documented 2025 gaps",
          arguments: [MarketEvent.Kind.cpi, .ppi])
    func shippedReferenceMonths(kind: MarketEvent.Kind) throws {
        let (rows, _) = try shipped()
        let releases = rows.filter { $0.kind == kind }
        let months = releases.map { Self.referenceMonth($0.label) }
        #expect(months.allSatisfy { $0 != nil }, "every label names its reference month")
        let refs = months.compactMap { $0 }
        var gaps: [String] = []
        for (a, b) in zip(refs, refs.dropFirst()) where b != a + 1 {
            gaps.append("\(Self.monthNames[(a + 1) % 12]) \((a + 1) / 12)")
            #expect(b == a + 2, "only single-month gaps are documented: \(a) -> \(b)")
        }
        #expect(gaps == ["October 2025"])
        for (e, ref) in zip(releases, refs) {
            // Released after the reference month ends, and within three months of it (the shutdown delays).
            let monthsAfter = e.date.year * 12 + (e.date.month - 1) - ref
            #expect((1...3).contains(monthsAfter), "\(e)")
        }
    }

    /// Counts per year. FOMC: eight scheduled meetings a year, except 2020, when the scheduled 17–18 March
    /// meeting was replaced by the unscheduled one of Sunday 15 March (Federal Reserve, 2020 calendar).
    /// CPI: twelve releases a year; 2025 has eleven (October 2025 CPI cancelled, BLS notice) and 2027 none
    /// (not yet published). PPI: none before 2025 (not sourced) or in 2027 (not yet published); 2025 has ten
    /// (no October release, the November release moved to 14 January 2026) and 2026 thirteen (two in January).
    @Test("events per year", arguments: Array(2015...2027))
    func countsPerYear(year: Int) throws {
        let (rows, _) = try shipped()
        let inYear = rows.filter { $0.date.year == year }
        let scheduledFOMC = inYear.filter { $0.kind == .fomc && $0.isScheduled }.count
        let unscheduledFOMC = inYear.filter { $0.kind == .fomc && !$0.isScheduled }.count
        #expect(scheduledFOMC == (year == 2020 ? 7 : 8), "\(year) scheduled FOMC")
        #expect(unscheduledFOMC == (year == 2020 ? 2 : 0), "\(year) unscheduled FOMC")
        #expect(inYear.filter { $0.kind == .cpi }.count == ([2025: 11, 2027: 0][year] ?? 12), "\(year) CPI")
        #expect(inYear.filter { $0.kind == .ppi }.count == ([2025: 10, 2026: 13][year] ?? 0), "\(year) PPI")
    }

    /// The shared real samples (`fomc_dates_2015-2026.csv`, `cpi_release_dates_2015-2026.csv`) carry the
    /// dates with their source pages. The calendar holds exactly their dates, sources and CPI reference
    /// months; beyond the CPI file's last row (July 2026) it adds the five releases of August–December 2026.
    @Test("the shipped calendar's 2015–2026 FOMC and CPI rows equal the shared source files",
          .enabled(if: F.shared("events/fomc_dates_2015-2026.csv") != nil && F.shared("events/cpi_release_dates_2015-2026.csv") != nil))
    func matchesSources() throws {
        let (rows, _) = try shipped()
        func records(_ path: String) throws -> [[String]] {
            let text = try String(contentsOf: F.shared(path)!, encoding: .utf8)
            return text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").map(String.init) }
        }
        func page(_ url: String) -> String {
            url.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "www.", with: "")
        }
        let fomcFile = try records("events/fomc_dates_2015-2026.csv").sorted { $0[0] < $1[0] }
        let fomc = rows.filter { $0.kind == .fomc && $0.date.year <= 2026 }
        #expect(fomc.map(\.date.isoString) == fomcFile.map { $0[0] })
        #expect(fomc.map(\.isScheduled) == fomcFile.map { $0[2] == "scheduled" })
        #expect(fomc.map { $0.source ?? "" } == fomcFile.map { "federalreserve.gov/monetarypolicy/\($0[3]).htm" })
        for (e, r) in zip(fomc, fomcFile) where e.isScheduled {
            #expect(e.date.adding(days: -1).isoString == r[1], "meeting start of \(e)")
        }

        let cpiFile = try records("events/cpi_release_dates_2015-2026.csv").sorted { $0[0] < $1[0] }
        let lastInFile = try #require(CalendarDate(iso: cpiFile.last?[0] ?? ""))
        let cpi = rows.filter { $0.kind == .cpi && $0.date <= lastInFile }
        #expect(cpi.map(\.date.isoString) == cpiFile.map { $0[0] })
        #expect(cpi.map(\.label) == cpiFile.map { "CPI for \($0[1])" })
        #expect(cpi.map { $0.source ?? "" } == cpiFile.map { page($0[2]) })
        let added = rows.filter { $0.kind == .cpi && $0.date > lastInFile }
        #expect(added.map(\.date.isoString) == ["2026-08-12", "2026-09-11", "2026-10-14", "2026-11-10", "2026-12-10"])
        #expect(added.allSatisfy { $0.source == "bls.gov/schedule/news_release/cpi.htm" })
    }

    @Test("the shipped calendar's lookups")
    func shippedLookups() throws {
        let (calendar, _) = try EventsCSV.calendar(try Data(contentsOf: F.shippedEvents), source: "us_macro_events.csv")
        #expect(calendar.nextEvent(of: .fomc, after: F.date("2026-07-14"))?.date == F.date("2026-07-29"))
        #expect(calendar.nextEvent(of: .fomc, after: F.date("2026-12-09"))?.date == F.date("2027-01-27"))
        #expect(calendar.nextEvent(of: .ppi, after: F.date("2025-09-10"))?.date == F.date("2025-11-25"), "the 2025 lapse")
        #expect(calendar.nextEvent(of: .cpi, after: F.date("2025-09-11"))?.date == F.date("2025-10-24"), "September 2025 CPI, rescheduled")
        #expect(calendar.nextEvent(of: .cpi, after: F.date("2026-12-10")) == nil)
        #expect(calendar.isEventDay(F.date("2026-01-30"), kinds: [.ppi]))
        #expect(calendar.events(on: F.date("2027-03-17")).map(\.source) == ["federalreserve.gov/monetarypolicy/fomccalendars.htm"])
    }
}
