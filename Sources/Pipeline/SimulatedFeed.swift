import Foundation
import Simulator
import VixShieldCore

/// The simulated market the sample pipeline reads: generated once under `<data dir>/simulated` and
/// regenerated only when the pipeline asks for another seed or date range.
public enum SimulatedFeed {
    public static func directory(in dataDir: URL) -> URL { dataDir.appendingPathComponent("simulated", isDirectory: true) }

    /// Makes sure the feed for `simulation` exists; returns true when it had to be generated.
    @discardableResult
    public static func ensure(_ simulation: PipelineConfig.Simulation, dataDir: URL) throws -> Bool {
        let dir = directory(in: dataDir)
        let stamp = dir.appendingPathComponent(".generated")
        let wanted = "seed=\(simulation.seed) from=\(simulation.from) to=\(simulation.to) simulator=\(MarketSimulator.simulatorVersion)\n"
        if let existing = try? String(contentsOf: stamp, encoding: .utf8), existing == wanted { return false }
        // Generate into a temporary sibling and swap it in, so an interrupted run never leaves half a feed.
        let fm = FileManager.default
        try fm.createDirectory(at: dataDir, withIntermediateDirectories: true)
        let tmp = dataDir.appendingPathComponent("simulated.tmp-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        try? fm.removeItem(at: tmp)
        do {
            _ = try MarketSimulator(config: .standard(seed: simulation.seed)).write(from: simulation.from, to: simulation.to, into: tmp)
            try wanted.write(to: tmp.appendingPathComponent(".generated"), atomically: true, encoding: .utf8)
            try? fm.removeItem(at: dir)
            try fm.moveItem(at: tmp, to: dir)
        } catch {
            try? fm.removeItem(at: tmp)
            throw PipelineError.simulation("\(error)")
        }
        return true
    }
}
