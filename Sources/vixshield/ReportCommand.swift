import ArgumentParser
import Foundation
import Pipeline
import Store
import VixShieldCore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the HTML report: smiles, term structure, condor P&L, indicators, and a performance page.",
        discussion: """
            --date D writes DIR/report-D.html; --from/--to writes one page per as-of date with a recommendation in \
            the range. Without a date: the newest as-of date stored. Every call also writes DIR/performance.html \
            (cumulative P&L of the scored rank-1 trades with and without the hedge, expiries in the range or up to \
            the date) and DIR/index.html. The pages are self-contained (inline CSS and SVG, no script, no network). \
            The database is opened read-only.
            """)

    @OptionGroup var common: CommonOptions

    @OptionGroup var range: Query.DateRange

    @Option(help: "Output folder (created if needed).")
    var out: String

    @Option(help: "Underlying of the recommendations.")
    var underlying: String = "SPX"

    /// `Query.DateRange` checks --date against --from/--to and their order; a page range needs both ends.
    func validate() throws {
        if (range.from == nil) != (range.to == nil) { throw ValidationError("--from and --to go together") }
    }

    func run() throws {
        do {
            let store = try VixShieldDatabase(path: common.databasePath, readOnly: true)
            let dates: [CalendarDate]
            let performance: (from: CalendarDate?, through: CalendarDate?)
            if let from = range.from, let to = range.to {
                dates = try store.recommendationDates(underlying: underlying, from: from, through: to)
                performance = (from, to)
            } else if let day = try range.date ?? store.latestRecommendationDate(underlying: underlying) {
                dates = [day]
                performance = (nil, day)
            } else {
                throw failure("no recommendation is stored in \(common.databasePath) (run `vixshield run` first)")
            }
            let written = try ReportWriter.write(store: store, underlying: underlying, dates: dates, performanceRange: performance,
                                                 to: URL(fileURLWithPath: out, isDirectory: true))
            for url in written { print(url.path) }
        } catch let error as ExitCode {
            throw error
        } catch {
            throw failure("report: \(error)")
        }
    }
}
