import Foundation
import Ingest
import VixShieldCore

/// Facts about this build that commands print.
public enum PipelineInfo {
    public static let version = VixShieldVersion.current
}

/// Finds a pipeline by embedded name (`sample`, `cboe`) or file path and parses it.
public enum PipelineLoader {
    /// Names of the pipelines embedded in the binary.
    public static var embeddedNames: [String] {
        EmbeddedResources.files.compactMap { f in
            f.path.hasPrefix("pipelines/") && f.path.hasSuffix(".yaml")
                ? String(f.path.dropFirst("pipelines/".count).dropLast(".yaml".count)) : nil
        }.sorted()
    }

    public static func load(_ nameOrPath: String) throws -> PipelineConfig {
        if let embedded = EmbeddedResources.files.first(where: { $0.path == "pipelines/\(nameOrPath).yaml" }),
           !FileManager.default.fileExists(atPath: nameOrPath) {
            let text = embedded.text + "\n"
            return try PipelineConfig.parse(yaml: text, origin: "pipelines/\(nameOrPath).yaml (embedded)",
                                            sha256: Checksum.sha256Hex(Data(text.utf8)))
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: nameOrPath))
        } catch {
            let known = embeddedNames.joined(separator: ", ")
            throw PipelineError.invalidConfig(nameOrPath, "cannot read the pipeline file (embedded pipelines: \(known))")
        }
        return try parse(fileData: data, path: nameOrPath)
    }

    /// Parses the bytes of the pipeline file at `path` as `load` does once it has read them (the fuzz
    /// target feeds bytes here without touching the disk).
    public static func parse(fileData data: Data, path: String) throws -> PipelineConfig {
        guard let text = String(data: data, encoding: .utf8) else {
            throw PipelineError.invalidConfig(path, "not UTF-8 text")
        }
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        return try PipelineConfig.parse(yaml: text, origin: path, sha256: Checksum.sha256Hex(data), baseDirectory: folder)
    }
}

/// The FOMC/CPI calendar the project ships (`data/events/us_macro_events.csv`, embedded in the binary).
public enum ShippedEvents {
    public static let path = "data/events/us_macro_events.csv"

    public static func events() throws -> [MarketEvent] {
        guard let file = EmbeddedResources.files.first(where: { $0.path == path }) else {
            throw PipelineError.invalidConfig(path, "not embedded in this build")
        }
        return try EventsCSV.parse(Data((file.text + "\n").utf8), source: path).rows
    }
}
