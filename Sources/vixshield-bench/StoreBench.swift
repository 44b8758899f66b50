import Foundation
import Store
import VixShieldCore

/// SQLite write throughput on a full-size chain: the normalize stage's partition replace (delete the chain,
/// insert every quote) in one transaction, on a file database, from the quotes a sample run stored.
func benchStore() throws {
    let day = CalendarDate(iso: "2026-07-16")!
    let bench = try SampleBench(label: "store", dates: [day])
    defer { bench.remove() }
    _ = try bench.run([day], database: "source.sqlite", jobs: 1)
    let source = try VixShieldDatabase(path: bench.path(database: "source.sqlite"), readOnly: true)
    let quotes = try source.optionQuotes(asOf: day, underlying: "SPX")
    guard let snapshot = try source.chainSnapshots(asOf: day, underlying: "SPX").first, !quotes.isEmpty else {
        Figures.say("store: the sample day stored no chain; skipped")
        return
    }
    let target = try VixShieldDatabase(path: bench.path(database: "target.sqlite"))
    // The pipeline prepares the chain before the transaction (the time it holds the writer is what parallel
    // dates wait for): both parts, and the transaction alone.
    var prepared: PreparedChain? = nil
    let prepare = try Timing.measure(repeats: 7) { prepared = try PreparedChain(snapshot: snapshot, quotes: quotes) }
    let timing = try Timing.measure(repeats: 7) {
        try target.transaction { tx in try tx.replaceChain(prepared!) }
    }
    Figures.record("sqlite_rows_per_second", unit: "1/s", timing: timing, value: { Double(quotes.count) / $0 },
                   notes: ["workload": "replace one prepared chain partition of \(quotes.count) option quotes in one transaction"])
    Figures.record("chain_prepare_rows_per_second", unit: "1/s", timing: prepare, value: { Double(quotes.count) / $0 },
                   notes: ["workload": "check and order \(quotes.count) option quotes before the transaction"])
    Figures.say(String(format: "prepare a %d-quote chain (outside the transaction): %@", quotes.count, prepare.summary))
    Figures.say(String(format: "replace a %d-quote chain partition: %@; %.0f rows/s at the median", quotes.count, timing.summary,
                       Double(quotes.count) / timing.median))
}
