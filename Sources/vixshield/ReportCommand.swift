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

    @Option(help: "One as-of date (YYYY-MM-DD).")
    var date: CalendarDate?
    @Option(help: "First as-of date (YYYY-MM-DD).")
    var from: CalendarDate?
    @Option(help: "Last as-of date (YYYY-MM-DD).")
    var to: CalendarDate?

    @Option(help: "Output folder (created if needed).")
    var out: String

    @Option(help: "Underlying of the recommendations.")
    var underlying: String = "SPX"

    func validate() throws {
        if date != nil, from != nil || to != nil { throw ValidationError("use --date or --from/--to, not both") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
    }

    func run() throws {
        do {
            let store = try VixShieldDatabase(path: common.databasePath, readOnly: true)
            let dates: [CalendarDate]
            let performance: (from: CalendarDate?, through: CalendarDate?)
            if let from, let to {
                dates = try store.recommendationDates(underlying: underlying, from: from, through: to)
                performance = (from, to)
            } else if let day = try date ?? store.latestRecommendationDate(underlying: underlying) {
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
