import ArgumentParser
import Foundation
import Pipeline
import Store
import VixShieldCore

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load whole history files (or URLs) of one kind into the database.",
        discussion: """
            For backfill inputs: Cboe index histories (VIX since 1990), CFE VX per-contract files, SPX OHLC, \
            breadth, FRED rates, event calendars, DataShop/OptionsDX chain archives. Each file is archived \
            unchanged and written in one transaction; loading it again replaces the same rows. A bad file is \
            reported on stderr, the others still load, and the exit code is 1.
            Example: vixshield ingest --kind cfe_vx_history data/CFE_*_VX.csv
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("Adapter for every input.", discussion: "One of: \(SourceKinds.known.sorted().joined(separator: ", "))."))
    var kind: String

    @Option(name: .customLong("option"), help: ArgumentHelp("Adapter option as key=value (e.g. symbol=VIX); repeatable.", valueName: "key=value"))
    var options: [String] = []

    @Option(help: "Source name recorded with the rows (default: each file's name).")
    var name: String?

    @Option(help: "As-of date for formats without dates (a VX settlement curve); also files option chains under it.")
    var asOf: CalendarDate?

    @Argument(help: "Files or URLs.")
    var inputs: [String]

    func validate() throws {
        guard SourceKinds.known.contains(kind) else {
            throw ValidationError("--kind: unknown kind '\(kind)' (known: \(SourceKinds.known.sorted().joined(separator: ", ")))")
        }
        for o in options where !o.contains("=") { throw ValidationError("--option: expected key=value, got '\(o)'") }
        guard !inputs.isEmpty else { throw ValidationError("name at least one file or URL") }
    }

    func run() throws {
        let logger = common.bootstrapLogging()
        var parsed: [String: String] = [:]
        for o in options {
            let parts = o.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { throw failure("--option '\(o)': expected key=value", code: ExitStatus.usage.rawValue) }
            parsed[String(parts[0])] = String(parts[1])
        }
        if let asOf, let problem = AsOfDate.unsupported(asOf, "--as-of") { throw failure(problem, code: ExitStatus.usage.rawValue) }
        let request = HistoryLoader.Request(kind: kind, options: parsed, name: name, asOf: asOf)
        let outcomes: [HistoryLoader.FileOutcome]
        do {
            outcomes = try HistoryLoader(databasePath: common.databasePath, logger: logger).load(request, inputs: inputs)
        } catch let busy as WriterLock.Busy {
            throw failure("\(busy)", code: ExitStatus.busy.rawValue)
        } catch {
            throw failure("\(error)")
        }
        for o in outcomes where o.error == nil {
            print("\(o.input): " + o.rows.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        let failed = outcomes.compactMap(\.error)
        if let last = failed.last {
            throw failure("\(failed.count) of \(outcomes.count) file(s) failed; last: \(last)")
        }
    }
}
