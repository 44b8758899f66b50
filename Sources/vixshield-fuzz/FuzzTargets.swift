import Foundation
import Ingest
import Pipeline
import VixShieldCore

/// One parser under fuzz: every input goes through the entry point the pipeline itself calls. Errors
/// are the expected outcome; a trap (or a broken contract below) is a finding.
struct FuzzTarget: Sendable {
    let name: String
    let summary: String
    let run: @Sendable (Data) -> Void
}

enum FuzzTargets {
    /// Every adapter kind (named as pipeline files name it), the fills import, Retry-After and pipeline files.
    static let all: [FuzzTarget] = SourceKind.allCases.map(adapter) + [fills, retryAfter, pipelineFile]

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    /// The nightly run's context (an as-of session) and the history load's (none): both are pipeline paths.
    private static let asOfChoices: [CalendarDate?] = [CalendarDate(iso: "2026-07-14"), nil]

    /// `options:` a pipeline file may give that change how a kind reads its columns (the shared samples need them).
    private static func optionChoices(_ kind: SourceKind) -> [[String: String]] {
        switch kind {
        case .breadthCSV: [[:], ["prefix": "nyse"]]
        case .fredCSV: [[:], ["series": "DFF"]]
        default: [[:]]
        }
    }

    static func adapter(_ kind: SourceKind) -> FuzzTarget {
        FuzzTarget(name: kind.rawValue, summary: "Adapters.parse(.\(kind)), with and without an as-of date") { data in
            for asOf in asOfChoices {
                for options in optionChoices(kind) {
                    do throws(AdapterError) {
                        _ = try Adapters.parse(kind, data: data, context: AdapterContext(sourceName: "fuzz.input", asOf: asOf, options: options))
                    } catch {
                        requireOneLine(error.description)
                    }
                }
            }
        }
    }

    static let fills = FuzzTarget(name: "fills_csv", summary: "FillsCSV.parse (the fills import)") { data in
        do throws(AdapterError) {
            let parsed = try FillsCSV.parse(data, source: "fuzz.csv")
            parsed.errors.forEach { requireOneLine($0.description) }
        } catch {
            requireOneLine(error.description)
        }
    }

    /// The header's text as the fetcher sees it (libcurl hands over bytes; invalid UTF-8 is repaired).
    static let retryAfter = FuzzTarget(name: "retry_after", summary: "RetryAfter.seconds (the Retry-After header)") { data in
        let value = String(decoding: data, as: UTF8.self)
        if let seconds = RetryAfter.seconds(from: value, now: Date(timeIntervalSince1970: 1_784_000_000)) {
            precondition(seconds >= 0, "negative wait \(seconds) for \(value.debugDescription)")
        }
    }

    static let pipelineFile = FuzzTarget(name: "pipeline", summary: "PipelineLoader.parse (a pipeline file, as `--pipeline PATH` reads it)") { data in
        do {
            _ = try PipelineLoader.parse(fileData: data, path: "/nonexistent/vixshield-fuzz/pipeline.yaml")
        } catch let error as PipelineError {
            requireOneLine(error.description)
        } catch {
            preconditionFailure("pipeline file: untyped error \(error)")
        }
    }

    /// Errors are documented as one line (what and where), so a stray newline from a payload is a bug.
    private static func requireOneLine(_ message: String) {
        precondition(!message.contains(where: \.isNewline), "multi-line error: \(message.debugDescription)")
    }
}
