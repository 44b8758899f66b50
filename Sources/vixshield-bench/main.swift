import Foundation

// Each suite is a function that runs its workload and reports its own figures through `Figures`.
// Add a suite: write `func benchXxx()` in its own file and list it here.
// `vixshield-bench [--json] [suite …]`: with --json, one JSON object per figure on stdout.
let suites: [(name: String, run: () throws -> Void)] = [
    ("volmath", benchVolMath),
    ("ingest", benchIngest),
    ("fetch", benchFetch),
    ("simulator", benchSimulator),
    ("pipeline", benchPipeline),
    ("signals", benchSignals),
    ("store", benchStore),
    ("backfill", benchBackfill),
]

var arguments = Array(CommandLine.arguments.dropFirst())
if let i = arguments.firstIndex(of: "--json") {
    Figures.json = true
    arguments.remove(at: i)
}
let requested = Set(arguments)
let unknown = requested.subtracting(suites.map(\.name))
if !unknown.isEmpty {
    FileHandle.standardError.write(Data("vixshield-bench: unknown suite(s) \(unknown.sorted().joined(separator: ", ")); known: \(suites.map(\.name).joined(separator: ", ")); flags: --json\n".utf8))
    exit(2)
}
Figures.machine()
for suite in suites where requested.isEmpty || requested.contains(suite.name) {
    Figures.suite = suite.name
    Figures.say("== \(suite.name)")
    try suite.run()
}
