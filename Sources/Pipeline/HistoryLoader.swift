import Foundation
import Ingest
import Logging
import Store
import VixShieldCore

/// Loads whole history files (VIX since 1990, VX per-contract files, SPX OHLC, breadth, rates, option
/// chain archives) through the same client, archive and adapters as the nightly run. Each file is
/// parsed completely before anything is written, archived unchanged, and written in one transaction;
/// loading the same file again replaces the same rows.
public struct HistoryLoader: Sendable {
    public struct Request: Sendable {
        public var kind: String
        public var options: [String: String]
        /// Source name for the archive and the rows; defaults to the file name.
        public var name: String?
        /// For formats without dates of their own (a VX settlement curve) and to file option chains
        /// under one date; nil files each chain under its own session.
        public var asOf: CalendarDate?

        public init(kind: String, options: [String: String] = [:], name: String? = nil, asOf: CalendarDate? = nil) {
            self.kind = kind
            self.options = options
            self.name = name
            self.asOf = asOf
        }
    }

    public struct FileOutcome: Sendable {
        public var input: String
        public var rows: [String: Int]
        public var error: String?
        public var diagnostics: [Diagnostic]
    }

    public let databasePath: String
    public let fetchPolicy: FetchPolicy
    public let now: @Sendable () -> Date
    public let logger: Logger

    public init(databasePath: String, fetchPolicy: FetchPolicy = FetchPolicy(), now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.databasePath = databasePath
        self.fetchPolicy = fetchPolicy
        self.now = now
        self.logger = logger
    }

    /// A local path becomes a `file://` URL; URLs pass through.
    static func url(for input: String) -> String {
        if let scheme = input.split(separator: ":", maxSplits: 1).first, ["http", "https", "file"].contains(scheme.lowercased()),
           input.contains("://") {
            return input
        }
        let path = URL(fileURLWithPath: input).standardizedFileURL.path
        return "file://" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path)
    }

    /// Loads every input; one bad file is reported and the others still load.
    public func load(_ request: Request, inputs: [String]) throws -> [FileOutcome] {
        guard let kind = SourceKind(rawValue: request.kind) else {
            throw PipelineError.invalidArgument(Suggestion.unknown("kind", request.kind, known: SourceKinds.known))
        }
        for key in request.options.keys.sorted() where !kind.optionKeys.contains(key) {
            throw PipelineError.invalidArgument("--option \(Suggestion.unknownKey(key, allowed: kind.optionKeys))")
        }
        let lock = try WriterLock(databasePath: databasePath)
        defer { withExtendedLifetime(lock) {} }
        let database = try VixShieldDatabase(path: databasePath)
        let fetcher = CurlFetcher(policy: fetchPolicy)
        // A credential in a URL given on the command line is masked in everything stored or printed.
        let redaction = Redaction()
        return inputs.map { requested in
            let input = redaction.apply(requested)
            let name = request.name ?? URL(fileURLWithPath: input).lastPathComponent
            var outcome = FileOutcome(input: input, rows: [:], error: nil, diagnostics: [])
            do {
                let url = redaction.apply(Self.url(for: requested))
                let fetched: FetchResult
                do throws(FetchError) {
                    fetched = try fetcher.fetch(Self.url(for: requested))
                } catch {
                    var shown = error
                    shown.url = url
                    throw PipelineError.invalidArgument(redaction.apply("\(shown)"))
                }
                var day = NormalizedDay(date: request.asOf)
                let source = PipelineConfig.Source(name: name, kind: kind.rawValue, url: url, options: request.options, required: true)
                try day.add(LoadedPayload(source: source, url: url, data: fetched.body, payloadId: nil),
                            diagnostics: { outcome.diagnostics.append($0) })
                guard let asOf = request.asOf ?? day.latestDataDate else {
                    // A valid file with no rows (a contract not yet traded): nothing to store or date.
                    outcome.diagnostics.append(Diagnostic(.info, input, "no rows: nothing stored"))
                    logger.info("\(input): no rows")
                    return outcome
                }
                let record = try ArchivedBytes.record(of: fetched.body, source: name, kind: kind.rawValue, url: url, asOf: asOf,
                                                      fetchedAt: now(), httpStatus: fetched.httpStatus, runId: nil)
                try database.archive(record, isIntact: ArchivedBytes.intactCheck(for: record))
                try database.transaction { tx in try day.write(tx) }
                outcome.rows = day.counts
                logger.info("\(input): \(day.counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))")
            } catch {
                outcome.error = redaction.apply("\(input): \(error)")
                logger.error("\(outcome.error ?? "")")
            }
            return outcome
        }
    }
}
