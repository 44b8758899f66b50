import ArgumentParser
import Foundation
import Logging
import Pipeline
import VixShieldCore

/// Where the database and data live, and how much to log: every command that opens the database.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite database file.", discussion: "Default: $VIXSHIELD_DB, else <data-dir>/vixshield.sqlite."))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Folder for the database and the simulated market.", discussion: "Default: $VIXSHIELD_DATA_DIR, else ./vixshield-data."))
    var dataDir: String?

    @Flag(name: .long, help: "Debug logging on stderr.")
    var verbose = false

    var dataDirectory: URL {
        let path = dataDir ?? ProcessInfo.processInfo.environment["VIXSHIELD_DATA_DIR"] ?? "vixshield-data"
        return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    var databasePath: String {
        db ?? ProcessInfo.processInfo.environment["VIXSHIELD_DB"] ?? dataDirectory.appendingPathComponent("vixshield.sqlite").path
    }

    func bootstrapLogging() -> Logger {
        LoggingBootstrap.once(verbose: verbose)
        return Logger(label: "vixshield")
    }
}

/// Which pipeline to run and whether to fetch: `run` and `backfill`.
struct PipelineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Pipeline: a YAML file, or the name of an embedded one (sample, cboe, history-files, replay).", valueName: "file-or-name"))
    var pipeline: String = "sample"

    @Flag(name: .long, help: "Replay payloads from the raw archive instead of fetching.")
    var offline = false

    func load() throws -> PipelineConfig { try PipelineLoader.load(pipeline) }
}

enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false
    static func once(verbose: Bool) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .info
            return EscapingLogHandler(base: handler)
        }
    }
}

/// Escapes control characters in every log message and metadata value before they reach the terminal
/// (log lines quote payloads and file names).
struct EscapingLogHandler: LogHandler {
    var base: any LogHandler

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }
    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var safe = event
        safe.message = "\(SafeText.escapingControlCharacters(event.message.description))"
        safe.metadata = event.metadata?.mapValues { Logger.Metadata.Value.string(SafeText.escapingControlCharacters("\($0)")) }
        base.log(event: safe)
    }
}

/// Dates are parsed once, at the command line, and stay `CalendarDate` from there on.
extension CalendarDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
    public static var defaultCompletionKind: CompletionKind { .default }
}

/// `--from` not after `--to`, with at least one NYSE trading day between them.
func validateSessionRange(from: CalendarDate, to: CalendarDate) throws {
    guard from <= to else { throw ValidationError("--from \(from) is after --to \(to)") }
    guard !TradingCalendar.nyse.tradingDays(from: from, through: to).isEmpty else {
        throw ValidationError("no trading day between \(from) and \(to)")
    }
}

/// Prints a one-line reason on stderr; the returned error exits non-zero.
func failure(_ message: String, code: Int32 = 1) -> Error {
    FileHandle.standardError.write(Data("vixshield: \(SafeText.escapingControlCharacters(message))\n".utf8))
    return ExitCode(code)
}
