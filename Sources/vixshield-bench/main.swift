import Foundation

// Each suite is a function that runs its workload and prints its own figures.
// Add a suite: write `func benchXxx()` in its own file and list it here.
let suites: [(name: String, run: () throws -> Void)] = [
    ("volmath", benchVolMath),
    ("ingest", benchIngest),
    ("fetch", benchFetch),
    ("simulator", benchSimulator),
    ("pipeline", benchPipeline),
    ("signals", benchSignals),
]

let requested = Set(CommandLine.arguments.dropFirst())
let unknown = requested.subtracting(suites.map(\.name))
if !unknown.isEmpty {
    FileHandle.standardError.write(Data("vixshield-bench: unknown suite(s) \(unknown.sorted().joined(separator: ", ")); known: \(suites.map(\.name).joined(separator: ", "))\n".utf8))
    exit(2)
}
for suite in suites where requested.isEmpty || requested.contains(suite.name) {
    print("== \(suite.name)")
    try suite.run()
}
