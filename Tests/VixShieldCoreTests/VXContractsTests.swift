import Testing
import VixShieldCore

/// Known VX final settlement dates. Sources: the last trade date of each Cboe CFE per-contract file in
/// /work/shared/data/vx_futures/cfe_per_contract (the final-settlement row), Cboe's 2026 settlement
/// curve files (same folder), and Cboe's published expirations for the Good Friday cases.
@Suite struct VXContractsTests {
    @Test(arguments: [
        (2005, 1, "2005-01-19"),   // CFE_F05_VX.csv last row
        (2008, 2, "2008-02-19"),   // Mar 21 2008 is Good Friday: 30 days before Thursday Mar 20 = Tuesday
        (2014, 1, "2014-01-22"),   // CFE_F14_VX.csv last row
        (2014, 3, "2014-03-18"),   // Apr 18 2014 is Good Friday
        (2013, 12, "2013-12-18"),  // CFE_Z13_VX.csv last row; December rolls into January's third Friday
        (2018, 1, "2018-01-17"),   // CFE_F18_VX.csv last row
        (2022, 3, "2022-03-15"),   // Apr 15 2022 is Good Friday
        (2024, 6, "2024-06-18"),   // Wednesday Jun 19 2024 is Juneteenth: the business day before
        (2026, 7, "2026-07-22"),   // vx_curve_settle_2026-07-14.csv: VX/N6
        (2027, 2, "2027-02-17"),   // vx_curve_settle_2026-07-14.csv: VX/G7
        (2027, 3, "2027-03-17"),   // vx_curve_settle_2026-07-14.csv: VX/H7
    ])
    func monthlyExpiry(year: Int, month: Int, expected: String) {
        let got = VXContracts.monthlyExpiry(year: year, month: month)
        #expect(got == CalendarDate(iso: expected)!, "VX \(year)-\(month): got \(got), expected \(expected)")
    }

    @Test func monthlyExpiryIsAlwaysATradingDayInItsMonthAndAWednesdayUnlessMoved() {
        for year in 2004...2040 {
            for month in 1...12 {
                let e = VXContracts.monthlyExpiry(year: year, month: month)
                #expect(TradingCalendar.nyse.isTradingDay(e), "\(year)-\(month): \(e) is not a trading day")
                #expect(e.month == month, "\(year)-\(month): \(e) falls in another month")
                #expect(e.isoWeekday <= 3, "\(year)-\(month): \(e) is after Wednesday")
                let next = month == 12 ? (year + 1, 1) : (year, month + 1)
                let spx = VXContracts.standardSPXExpiry(year: next.0, month: next.1)
                #expect((30...32).contains(spx.days(since: e)), "\(year)-\(month): \(e) is \(spx.days(since: e)) days before \(spx)")
            }
        }
    }

    @Test func standardSPXExpiryMovesOffGoodFriday() {
        #expect(VXContracts.standardSPXExpiry(year: 2014, month: 4) == CalendarDate(iso: "2014-04-17")!)
        #expect(VXContracts.standardSPXExpiry(year: 2026, month: 8) == CalendarDate(iso: "2026-08-21")!)
    }

    /// Weekly numbers and dates from vx_curve_settle_2026-07-14.csv and -07-23.csv.
    @Test(arguments: [("VX28/N6", "2026-07-15"), ("VX30/N6", "2026-07-29"), ("VX31/Q6", "2026-08-05")])
    func weeklySymbols(symbol: String, expiry: String) throws {
        let parsed = try #require(VXContracts.Symbol(symbol, referenceDate: CalendarDate(iso: "2026-07-14")!))
        #expect(parsed.isWeekly)
        #expect(parsed.expiry == CalendarDate(iso: expiry)!, "\(symbol): got \(parsed.expiry)")
        #expect(parsed.text == symbol)
    }

    /// Weekly on a holiday Wednesday: 2024-06-19 (Juneteenth) is the 25th Wednesday of 2024.
    @Test func weeklyOnAHolidayMovesToTheBusinessDayBefore() throws {
        #expect(VXContracts.weeklyExpiry(year: 2024, week: 25) == CalendarDate(iso: "2024-06-18")!)
        let parsed = try #require(VXContracts.Symbol("VX25/M4", referenceDate: CalendarDate(iso: "2024-06-10")!))
        #expect(parsed.expiry == CalendarDate(iso: "2024-06-18")! && parsed.year == 2024)
        #expect(VXContracts.weeklyExpiry(year: 2026, week: 53) == nil)
    }

    @Test func monthlySymbolYearResolvesNearTheReferenceDate() throws {
        let ref = CalendarDate(iso: "2026-07-14")!
        let n6 = try #require(VXContracts.Symbol("VX/N6", referenceDate: ref))
        #expect(n6.year == 2026 && n6.month == 7 && !n6.isWeekly)
        let g7 = try #require(VXContracts.Symbol("VX/G7", referenceDate: ref))
        #expect(g7.year == 2027 && g7.expiry == CalendarDate(iso: "2027-02-17")!)
        let z5 = try #require(VXContracts.Symbol("VX/Z5", referenceDate: CalendarDate(iso: "2026-01-05")!))
        #expect(z5.year == 2025)
    }

    @Test(arguments: ["VX/A6", "VX/N", "VXN6", "VX123/N6", "VX28/Q6", "UX/N6", "VX/Nx", ""])
    func rejectsBadSymbols(text: String) {
        #expect(VXContracts.Symbol(text, referenceDate: CalendarDate(iso: "2026-07-14")!) == nil, "accepted \"\(text)\"")
    }

    @Test func monthCodesRoundTrip() {
        for m in 1...12 { #expect(VXContracts.month(forCode: VXContracts.monthCode(for: m)) == m) }
        #expect(VXContracts.month(forCode: "A") == nil)
    }
}
