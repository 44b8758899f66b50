import Foundation
import Ingest
import Logging
import Store
import VixShieldCore

/// One source's payload for one as-of date, as the later stages see it.
struct LoadedPayload: Sendable {
    var source: PipelineConfig.Source
    var url: String
    var data: Data
    var payloadId: Int64?
    /// Offline: which archived payload was replayed, and why any newer one was passed over.
    var replayNote: String? = nil
    /// The adapter's outcome when choosing among archived payloads already parsed this one (with the
    /// same as-of date and options as normalize), so normalize does not parse it again.
    var parsed: ParseOutcome? = nil
}

/// The raw archive's bytes: payloads are written with zstd (level 1) and read in whichever codec their row
/// names (`gzip` for rows archived before migration 013, which an upgrade leaves as they are).
enum ArchivedBytes {
    /// The codec new archive entries are written in (the `compression` column).
    static let compression = "zstd"

    struct UnknownCodec: Error, CustomStringConvertible {
        var name: String
        var description: String { "unknown archive compression '\(name)'" }
    }

    /// The archive row of a payload fetched now: its size, SHA-256 and compressed bytes.
    static func record(of body: Data, source: String, kind: String, url: String, asOf: CalendarDate, fetchedAt: Date,
                       httpStatus: Int, runId: Int64?) throws -> RawPayloadRecord {
        RawPayloadRecord(source: source, kind: kind, url: url, asOf: asOf.isoString, fetchedAt: Timestamps.iso8601(fetchedAt),
                         httpStatus: httpStatus, byteCount: body.count, sha256: Checksum.sha256Hex(body),
                         compression: compression, body: try Zstd.compress(body), runId: runId)
    }

    /// Decompresses at most one byte more than the payload had (so a longer stream shows as a mismatch).
    static func decompress(_ stored: Data, compression: String, byteCount: Int) throws -> Data {
        let limit = max(byteCount, 0) + 1
        switch compression {
        case "zstd": return try Zstd.decompress(stored, maxOutputBytes: limit)
        case "gzip": return try Zlib.gunzip(stored, maxOutputBytes: limit)
        default: throw UnknownCodec(name: compression)
        }
    }

    /// Whether stored bytes in a codec still decompress to exactly `record`'s payload (its size and SHA-256).
    static func intactCheck(for record: RawPayloadRecord) -> (Data, String) -> Bool {
        { stored, compression in
            guard let data = try? decompress(stored, compression: compression, byteCount: record.byteCount) else { return false }
            return data.count == record.byteCount && Checksum.sha256Hex(data) == record.sha256
        }
    }
}

/// The ingest stage: fetches each source over libcurl and archives the bytes unchanged, or, offline,
/// replays the archive after checking its checksum.
struct PayloadLoader: Sendable {
    let database: VixShieldDatabase
    let fetcher: CurlFetcher
    let dataDir: URL
    let offline: Bool
    let now: @Sendable () -> Date
    let logger: Logger
    /// The pipeline's `{env:NAME}` secrets, substituted into the request only.
    var secrets: [String: SecretString] = [:]
    /// The pipeline's `allowed_file_roots` (the data folder when not given).
    var fileRoots: [String] = ["{data_dir}"]

    /// The payload of `source` for `date`, or a one-line reason it could not be had.
    ///
    /// The URL that is stored, logged and quoted in reasons keeps its `{env:NAME}` placeholders and
    /// goes through `Redaction`; only the request itself sees the secrets.
    /// - Parameter warnings: gets one line per thing worth a warning whatever the result: the failed
    ///   attempts of a fetch that was retried, an archived payload passed over because it is corrupt.
    func load(_ source: PipelineConfig.Source, date: CalendarDate, runId: Int64,
              warnings: inout [String]) -> Result<LoadedPayload, PipelineError> {
        let redaction = Redaction(secrets: Array(secrets.values))
        let expanded = URLTemplate.expand(source.url, date: date, dataDir: dataDir)
        let url = redaction.apply(expanded)
        if offline { return replay(source, url: url, date: date, warnings: &warnings) }
        let request = URLTemplate.revealingSecrets(expanded, secrets: secrets)
        if request.lowercased().hasPrefix("file:") {
            if case .failure(let refused) = FileAccess(roots: fileRoots, dataDir: dataDir).check(fileURL: request) {
                return .failure(.sourceFailed(source: source.name, message: redaction.apply(refused.description)))
            }
        }
        var sourceFetcher = fetcher
        if let caFile = source.caFile {
            var policy = fetcher.policy
            policy.caFile = caFile
            sourceFetcher = CurlFetcher(policy: policy)
        }
        let result: FetchResult
        do throws(FetchError) {
            result = try sourceFetcher.fetch(request, headers: source.headers.map {
                "\($0.name): \(URLTemplate.revealingSecrets($0.value, secrets: secrets))"
            })
        } catch {
            logRetries(error.attempts, of: source, url: url, redaction: redaction, into: &warnings)
            // The error names the requested URL and may quote it in curl's message: both are masked.
            var shown = error
            shown.url = url
            return .failure(.sourceFailed(source: source.name, message: redaction.apply("\(shown)")))
        }
        logRetries(result.attempts, of: source, url: url, redaction: redaction, into: &warnings)
        do {
            let record = try ArchivedBytes.record(of: result.body, source: source.name, kind: source.kind, url: url, asOf: date,
                                                  fetchedAt: now(), httpStatus: result.httpStatus, runId: runId)
            let (stored, inserted) = try database.archive(record, isIntact: ArchivedBytes.intactCheck(for: record))
            logger.debug("\(source.name): \(result.body.count) bytes from \(url)\(inserted ? "" : " (already archived)")")
            return .success(LoadedPayload(source: source, url: url, data: result.body, payloadId: stored.payloadId))
        } catch {
            return .failure(.archive("\(source.name): \(error)"))
        }
    }

    /// One warning (and log line) listing the failed attempts of a fetch that made more than one.
    private func logRetries(_ attempts: [FetchAttempt], of source: PipelineConfig.Source, url: String, redaction: Redaction,
                            into warnings: inout [String]) {
        guard attempts.count > 1 else { return }
        let succeeded = attempts.last.map { if case .succeeded = $0.outcome { true } else { false } } ?? false
        let line = redaction.apply("\(succeeded ? "fetched" : "failed") after \(attempts.count) attempts (GET \(url)): "
                                   + FetchAttempt.failureLog(attempts))
        logger.warning("\(source.name): \(line)")
        warnings.append(line)
    }

    /// Offline: the newest archived payload that passes its checksum and parses with the source's adapter. A
    /// newer one that does not is passed over and named: one whose bytes no longer match their SHA-256 (or do
    /// not decompress) with a warning, one that does not parse (such as an HTML error page archived with
    /// status 200) in the replay note. With none left the source is a missing input.
    private func replay(_ source: PipelineConfig.Source, url: String, date: CalendarDate,
                        warnings: inout [String]) -> Result<LoadedPayload, PipelineError> {
        let records: [RawPayloadRecord]
        do {
            records = try database.payloads(source: source.name, asOf: date)
        } catch {
            return .failure(.archive("\(source.name), \(date): \(error)"))
        }
        guard !records.isEmpty else {
            return .failure(.sourceFailed(source: source.name, message: "offline: nothing archived for \(date)"))
        }
        var passedOver: [String] = []
        // Entries whose stored bytes changed since they were archived (bit rot, a bad copy, tampering).
        var corrupt: [String] = []
        func passOver(_ why: String) {
            corrupt.append(why)
            warnings.append("offline: \(why); not used")
        }
        for record in records {
            let id = record.payloadId ?? 0
            let data: Data
            do {
                data = try ArchivedBytes.decompress(record.body, compression: record.compression, byteCount: record.byteCount)
            } catch {
                passOver("payload \(id) (fetched \(record.fetchedAt)) cannot be decompressed: \(error)")
                continue
            }
            let digest = Checksum.sha256Hex(data)
            guard data.count == record.byteCount, digest == record.sha256 else {
                passOver("payload \(id) (fetched \(record.fetchedAt)) fails its checksum: stored \(record.sha256.prefix(12))…, got \(digest.prefix(12))…")
                continue
            }
            // A lone payload is left to the normalize stage to parse; a chosen one is handed over parsed.
            var parsed: ParseOutcome? = nil
            if let kind = SourceKind(rawValue: source.kind), records.count > 1 {
                let context = AdapterContext(sourceName: source.name, asOf: date, options: source.options)
                do {
                    parsed = try Adapters.parse(kind, data: data, context: context)
                } catch {
                    passedOver.append("payload \(id) (fetched \(record.fetchedAt)) does not parse: \(error)")
                    continue
                }
            }
            var note = "offline: replayed payload \(id) fetched \(record.fetchedAt)"
            if !(corrupt + passedOver).isEmpty { note += "; newer passed over: " + (corrupt + passedOver).joined(separator: "; ") }
            return .success(LoadedPayload(source: source, url: record.url, data: data, payloadId: record.payloadId, replayNote: note,
                                          parsed: parsed))
        }
        return .failure(.sourceFailed(source: source.name, message: "offline: no usable archived payload for \(date): "
                                      + (corrupt + passedOver).joined(separator: "; ")))
    }
}
