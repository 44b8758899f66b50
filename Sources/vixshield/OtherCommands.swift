import ArgumentParser
import Foundation
import Pipeline
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

    func validate() throws {
        guard from <= to else { throw ValidationError("--from \(from) is after --to \(to)") }
        guard !TradingCalendar.nyse.tradingDays(from: from, through: to).isEmpty else {
            throw ValidationError("no trading day between \(from) and \(to)")
        }
    }

    func run() throws {
        let simulator = MarketSimulator(config: size == .standard ? .standard(seed: seed) : .compact(seed: seed))
        do {
            let manifest = try simulator.write(from: from, to: to,
                                               into: URL(fileURLWithPath: out, isDirectory: true))
            print("wrote \(manifest.files.count) files to \(out)")
        } catch {
            throw failure("simulate: \(error)")
        }
    }
}

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
