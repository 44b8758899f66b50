import Foundation
import Store
import VixShieldCore

/// Fetches every source of the pipeline over libcurl (or replays the archive offline). The one stage that
/// touches the network; each payload is archived as it arrives (the archive is append-only and outside
/// every date partition, so a payload is kept even when a later stage fails the date).
struct IngestStage: DailyStage {
    struct Output: Sendable {
        var payloads: [LoadedPayload]
    }

    static let name = StageName.ingest
    static let inputs: [StageName] = []

    let loader: PayloadLoader

    func run(_ day: DayContext) throws(StageFailure) -> StageResult<Output> {
        var result = StageResult(output: Output(payloads: []))
        for source in day.config.sources {
            var warnings: [String] = []
            let loaded = loader.load(source, date: day.date, runId: day.runId, warnings: &warnings)
            result.diagnostics += warnings.map { Diagnostic(.warning, source.name, $0) }
            switch loaded {
            case .success(let payload):
                result.output.payloads.append(payload)
                if let note = payload.replayNote { result.diagnostics.append(Diagnostic(.info, source.name, note)) }
            case .failure(let error):
                result.diagnostics.append(Diagnostic(source.required ? .error : .warning, source.name, error.description))
                // A broken archive is a storage fault, not a market outage: fail the date.
                if case .archive = error { throw StageFailure(error.description) }
                if source.required {
                    result.noTrade.append(.missingInput(source: source.name, detail: error.detail))
                }
            }
        }
        result.counts["payloads"] = result.output.payloads.count
        return result
    }

    func write(_ output: Output, day: DayContext, to tx: StoreTransaction) throws {}
}
