import Testing
@testable import VixShieldCore

@Suite("Event calendar")
struct EventsTests {
    static func event(_ kind: MarketEvent.Kind, _ iso: String, _ label: String = "") -> MarketEvent {
        MarketEvent(kind: kind, date: day(iso), label: label.isEmpty ? "\(kind) \(iso)" : label)!
    }

    let calendar = EventCalendar([
        event(.fomc, "2024-12-18"), event(.cpi, "2024-12-11"), event(.fomc, "2025-01-29"), event(.cpi, "2025-01-15"),
        event(.ppi, "2025-01-14"), event(.cpi, "2025-02-12"),
        MarketEvent(kind: .other("nfp"), time: EasternTime(date: day("2025-01-10"), hour: 8, minute: 30), label: "Payrolls"),
        MarketEvent(kind: .fomc, time: EasternTime(date: day("2025-01-15"), hour: 10), label: "unscheduled", isScheduled: false),
    ])

    @Test("usual release times: FOMC 14:00 ET, CPI and PPI 08:30 ET")
    func usualTimes() {
        #expect(Self.event(.fomc, "2024-12-18").time.iso8601 == "2024-12-18T14:00:00-05:00")
        #expect(Self.event(.cpi, "2025-07-15").time.iso8601 == "2025-07-15T08:30:00-04:00")
        #expect(Self.event(.ppi, "2025-01-14").time == EasternTime(date: day("2025-01-14"), hour: 8, minute: 30))
        #expect(MarketEvent(kind: .other("gdp"), date: day("2025-01-30"), label: "GDP") == nil, "other kinds have no usual time")
    }

    @Test("the source is optional and kept as given")
    func source() {
        #expect(Self.event(.cpi, "2025-01-15").source == nil, "callers that never name a source are unaffected")
        let e = MarketEvent(kind: .ppi, date: day("2025-01-14"), label: "PPI", source: "bls.gov/schedule/2025/home.htm")
        #expect(e?.source == "bls.gov/schedule/2025/home.htm")
        let timed = MarketEvent(kind: .other("nfp"), time: EasternTime(date: day("2025-01-10"), hour: 8, minute: 30), label: "x",
                                source: "bls.gov/schedule/news_release/empsit.htm")
        #expect(timed.source == "bls.gov/schedule/news_release/empsit.htm" && timed.isScheduled)
    }

    @Test("kind names parse and print")
    func kinds() {
        #expect(MarketEvent.Kind(name: "fomc") == .fomc)
        #expect(MarketEvent.Kind(name: "ppi") == .ppi)
        #expect(MarketEvent.Kind(name: "nfp") == .other("nfp"))
        #expect(MarketEvent.Kind(name: "jobless_claims2") == .other("jobless_claims2"))
        #expect(MarketEvent.Kind(name: "FOMC") == nil)
        #expect(MarketEvent.Kind(name: "") == nil)
        #expect(MarketEvent.Kind(name: "cpi core") == nil)
        #expect(MarketEvent.Kind.other("nfp").name == "nfp")
    }

    @Test("events are ordered by release time")
    func ordering() {
        #expect(calendar.events.map(\.time) == calendar.events.map(\.time).sorted())
        // Same day: CPI 08:30 before the unscheduled FOMC 10:00.
        #expect(calendar.events(on: day("2025-01-15")).map(\.kind) == [.cpi, .fomc])
    }

    @Test("range lookups")
    func ranges() {
        #expect(calendar.events(from: day("2025-01-01"), through: day("2025-01-31")).map(\.date.isoString)
            == ["2025-01-10", "2025-01-14", "2025-01-15", "2025-01-15", "2025-01-29"])
        #expect(calendar.events(from: day("2025-01-01"), through: day("2025-12-31"), kinds: [.cpi]).map(\.date.isoString)
            == ["2025-01-15", "2025-02-12"])
        #expect(calendar.events(from: day("2025-02-13"), through: day("2025-12-31")).isEmpty)
        #expect(calendar.events(from: day("2025-01-31"), through: day("2025-01-01")).isEmpty, "reversed range")
        #expect(calendar.events(from: day("2024-12-18"), through: day("2024-12-18")).count == 1, "inclusive ends")
    }

    @Test("next and previous of a kind")
    func nextPrevious() {
        #expect(calendar.nextEvent(of: .fomc, after: day("2024-12-18"))?.date == day("2025-01-15"), "strictly after")
        #expect(calendar.nextEvent(of: .fomc, after: day("2024-12-17"))?.date == day("2024-12-18"))
        #expect(calendar.nextEvent(of: .ppi, after: day("2025-01-14")) == nil)
        #expect(calendar.nextEvent(of: .cpi, after: EasternTime(date: day("2025-01-15"), hour: 8))?.date == day("2025-01-15"),
                "a release later the same day counts")
        #expect(calendar.nextEvent(of: .cpi, after: EasternTime(date: day("2025-01-15"), hour: 8, minute: 30))?.date == day("2025-02-12"))
        #expect(calendar.previousEvent(of: .cpi, before: day("2025-01-15"))?.date == day("2024-12-11"))
        #expect(calendar.previousEvent(of: .fomc, before: day("2024-12-18")) == nil)
    }

    @Test("event days, coverage, kinds")
    func eventDays() {
        #expect(calendar.isEventDay(day("2025-01-29")))
        #expect(!calendar.isEventDay(day("2025-01-28")))
        #expect(calendar.isEventDay(day("2025-01-10"), kinds: [.other("nfp")]))
        #expect(!calendar.isEventDay(day("2025-01-10"), kinds: [.fomc, .cpi]))
        #expect(calendar.lastDate(of: .cpi) == day("2025-02-12"))
        #expect(calendar.lastDate(of: .other("gdp")) == nil)
        #expect(calendar.firstDate(of: .cpi) == day("2024-12-11"))
        #expect(calendar.firstDate(of: .fomc) == day("2024-12-18"))
        #expect(calendar.firstDate(of: .ppi) == day("2025-01-14") && calendar.lastDate(of: .ppi) == day("2025-01-14"))
        #expect(calendar.firstDate(of: .other("gdp")) == nil)
        #expect(calendar.kinds == [.fomc, .cpi, .ppi, .other("nfp")])
        #expect(EventCalendar([]).nextEvent(of: .fomc, after: day("2025-01-01")) == nil)
    }

    @Test("the first session that trades on the news", arguments: [
        // (kind, date, hour, minute, first session)
        (MarketEvent.Kind.cpi, "2024-12-11", 8, 30, "2024-12-11"),
        (.fomc, "2024-12-18", 14, 0, "2024-12-18"),
        (.cpi, "2017-04-14", 8, 30, "2017-04-17"),  // Good Friday release
        (.fomc, "2020-03-15", 17, 0, "2020-03-16"),  // Sunday announcement
        (.other("late"), "2024-12-18", 16, 0, "2024-12-19"),  // at the close: the next session trades it
        (.other("late"), "2024-12-24", 14, 0, "2024-12-26"),  // after a 13:00 early close
    ] as [(MarketEvent.Kind, String, Int, Int, String)])
    func firstSession(kind: MarketEvent.Kind, iso: String, hour: Int, minute: Int, expected: String) {
        let e = MarketEvent(kind: kind, time: EasternTime(date: day(iso), hour: hour, minute: minute), label: "x")
        #expect(e.firstSessionAfterRelease() == day(expected), "\(e)")
    }

    @Test("an override replaces the kinds it contains and keeps the rest")
    func override() {
        let ppiOnly = EventCalendar([Self.event(.ppi, "2025-02-13", "PPI for January 2025")])
        let merged = calendar.overridden(by: ppiOnly)
        #expect(merged.events(from: day("2024-01-01"), through: day("2026-01-01"), kinds: [.ppi]).map(\.date) == [day("2025-02-13")])
        #expect(merged.events.count == calendar.events.count)
        #expect(merged.events(on: day("2025-01-29")).map(\.kind) == [.fomc])
    }
}
