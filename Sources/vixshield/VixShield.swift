import ArgumentParser
import Foundation
import Logging
import Pipeline

@main
struct VixShield: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vixshield",
        abstract: "Next-day SPX iron condor recommendations with a layered VIX hedge, from the day's option chain and VIX futures curve.",
        discussion: """
            Exit codes: 0 done (including no_trade dates decided by the market: quality gate, no candidate), \
            1 a date or command failed (the reason is the last line on stderr), 3 a required input was \
            missing or stale (a no_trade row was written; a backfill retries the date), 64 bad command-line \
            usage, 130/143 interrupted by SIGINT/SIGTERM (finished dates kept, the run closed as interrupted).
            """,
        version: PipelineInfo.version,
        subcommands: [Run.self, Backfill.self, Merge.self, Ingest.self, Positions.self, Simulate.self, Reconstruct.self, Query.self, ReportCommand.self, Migrate.self]
    )
}
