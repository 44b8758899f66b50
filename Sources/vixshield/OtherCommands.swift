import ArgumentParser
import Foundation
import Logging
import Pipeline
import Replay
import Simulator
import Store
import VixShieldCore

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a seeded synthetic market in the real vendor formats.",
        discussion: "Option chains for every trading day from --from to --to, index, VX, breadth and rate history before them, and the true parameters under truth/.")

    @Option(help: "First chain date (YYYY-MM-DD).")
    var from: CalendarDate

    @Option(help: "Last chain date (YYYY-MM-DD).")
    var to: CalendarDate

    @Option(help: "Output folder.")
    var out: String

    @Option(help: "Random seed: the same seed and dates give byte-identical files.")
    var seed: UInt64 = 42

    @Option(help: "standard (a realistic full-size chain) or compact (a small chain and short history, for quick trials).")
    var size: MarketSize = .standard

    enum MarketSize: String, ExpressibleByArgument, CaseIterable { case standard, compact }

    @Option(help: "Chain files: cboe-json (Cboe delayed quotes, read by the sample pipeline) or datashop (Cboe DataShop EOD CSV, read by the history-files pipeline).")
    var chainFormat: ChainFileFormat = .cboeOptionsJSON

    func validate() throws { try validateSessionRange(from: from, to: to) }

    func run() throws {
        let simulator = MarketSimulator(config: size == .standard ? .standard(seed: seed) : .compact(seed: seed))
        do {
            let manifest = try simulator.write(from: from, to: to, into: URL(fileURLWithPath: out, isDirectory: true),
                                               chainFormat: chainFormat)
            print("wrote \(manifest.files.count) files to \(out)")
        } catch {
            throw failure("simulate: \(error)")
        }
    }
}

extension ChainFileFormat: ExpressibleByArgument {}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema (also done by every command that opens it).")

    @OptionGroup var common: CommonOptions

    func run() throws {
        do {
            let lock = try WriterLock(databasePath: common.databasePath)
            defer { withExtendedLifetime(lock) {} }
            let db = try VixShieldDatabase(path: common.databasePath)
            print("\(common.databasePath): schema at \(try db.appliedMigrations().last ?? "none")")
        } catch let busy as WriterLock.Busy {
            throw failure("\(busy)", code: ExitStatus.busy.rawValue)
        } catch {
            throw failure("\(common.databasePath): \(error)")
        }
    }
}

struct Positions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the position book (real fills; the nightly advice is `query positions`).",
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import real condor fills from a CSV into position_fills.",
            discussion: """
                Columns: trade_date,profile,expiry,root,long_put,short_put,short_call,long_call,contracts,\
                fill_credit_points[,fill_id] (see the README). A fill replaces the paper fill of the recommended \
                condor it matches from the next run on. Every row is checked first: any bad row is printed \
                (FILE:LINE: column: reason) and nothing is imported (exit 1). Importing the same file again changes nothing.
                """)

        @OptionGroup var common: CommonOptions

        @Argument(help: "The fills CSV.")
        var file: String

        func run() throws {
            let count: Int
            do {
                let lock = try WriterLock(databasePath: common.databasePath)
                defer { withExtendedLifetime(lock) {} }
                count = try FillImporter(databasePath: common.databasePath).importFills(path: file)
            } catch let error as FillImporter.ImportError {
                if case .badRows(let lines) = error {
                    for line in lines { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
                }
                throw failure("\(error)")
            } catch let busy as WriterLock.Busy {
                throw failure("\(busy)", code: ExitStatus.busy.rawValue)
            } catch {
                throw failure("\(common.databasePath): \(error)")
            }
            print("\(file): \(count) fill(s) imported")
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge shard databases made by backfill --shard, then run the cross-date stages over the merged dates.",
        discussion: """
            Every shard is checked first: a shard at another schema version, or with dates made by another \
            pipeline file, is refused with one line and nothing is written. Each as-of date of a shard is \
            one transaction that replaces that date's rows in OUT; shared history (index bars, rates, the \
            event calendar) is upserted, the raw archive only gains payloads it lacks. Merging the same \
            shard again changes no row. Then context, positions, hedge and outcomes run in date order from \
            the first merged date on, as one backfill would have run them.
            """)

    @Option(name: .long, help: ArgumentHelp("The shards' pipeline: a YAML file, or the name of an embedded one (sample, cboe, history-files).", valueName: "file-or-name"))
    var pipeline: String = "sample"

    @Flag(name: .long, help: "Debug logging on stderr.")
    var verbose = false

    @Argument(help: "The merged database (created if missing).")
    var output: String

    @Argument(help: "Shard databases, each written by `backfill --shard K/N --db FILE`.")
    var shards: [String]

    func validate() throws {
        let out = URL(fileURLWithPath: output).standardizedFileURL.path
        if shards.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == out }) {
            throw ValidationError("OUT \(output) is also listed as a shard")
        }
    }

    func run() throws {
        LoggingBootstrap.once(verbose: verbose)
        let logger = Logger(label: "vixshield")
        let config: PipelineConfig
        do { config = try PipelineLoader.load(pipeline) } catch { throw failure("\(error)") }
        let settings = RunSettings(pipeline: config, databasePath: output,
                                   dataDir: URL(fileURLWithPath: output).deletingLastPathComponent(), offline: true)
        let control = RunControl()
        let signals = SignalForwarder(control: control, logger: logger)
        defer { signals.restore() }
        let merged: (report: RunReport, shards: [ShardMergeResult])
        do {
            merged = try PipelineRunner(settings: settings, logger: logger, control: control).merge(shards: shards)
        } catch let busy as WriterLock.Busy {
            throw failure("\(busy)", code: ExitStatus.busy.rawValue)
        } catch {
            throw failure("merge: \(error)")
        }
        for s in merged.shards {
            let range = s.partitions.first.map { "\($0) to \(s.partitions.last!)" } ?? "no dates"
            print("\(s.path): \(s.partitions.count) date(s) (\(range)), \(s.rows.values.reduce(0, +)) row(s)")
        }
        let report = merged.report
        print("cross-date stages over \(report.crossDateCount) completed date(s) (run \(report.runId))")
        for o in report.outcomes where o.status == .failed {
            FileHandle.standardError.write(Data("vixshield: \(o.date): \(o.reason ?? "failed")\n".utf8))
        }
        let exit = report.exitStatus
        if exit != .ok { throw ExitCode(exit.rawValue) }
    }
}

struct Reconstruct: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write SPX chains reconstructed from the index histories in the database, for a backfill of past sessions.",
        discussion: """
            For every trading day from --from to --to with an SPX, VIX and VX settlement history loaded by `ingest` \
            (VIX9D, VIX3M and SKEW too where they exist), fits a surface to them and writes its chain as a DataShop EOD \
            CSV with the VX curve, index histories and rates in the history-files layout. Then: \
            `vixshield backfill --pipeline replay --data-dir OUT --from … --to …`; every row is marked reconstructed.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "First session (YYYY-MM-DD).")
    var from: CalendarDate

    @Option(help: "Last session (YYYY-MM-DD).")
    var to: CalendarDate

    @Option(help: "Output folder (the --data-dir of the replay backfill).")
    var out: String

    @Option(help: "standard (the full SPX listing) or compact (fewer expiries and strikes, for quick trials).")
    var size: ReplayListing = .standard

    func validate() throws { try validateSessionRange(from: from, to: to) }

    func run() throws {
        let logger = common.bootstrapLogging()
        let outcome: Reconstructor.Outcome
        do {
            outcome = try Reconstructor(databasePath: common.databasePath, listing: size)
                .write(from: from, to: to, into: URL(fileURLWithPath: out, isDirectory: true))
        } catch {
            throw failure("reconstruct: \(common.databasePath): \(error)")
        }
        for note in outcome.manifest.notes { logger.info("\(note)") }
        for s in outcome.skipped { logger.warning("\(s.date): skipped: \(s.reason)") }
        print("reconstructed \(outcome.manifest.sessions.count) session(s), \(outcome.skipped.count) skipped; wrote \(outcome.manifest.files.count) files to \(out)")
        if outcome.manifest.sessions.isEmpty { throw failure("reconstruct: no session from \(from) to \(to) has the histories it needs") }
    }
}

extension ReplayListing: ExpressibleByArgument {}
