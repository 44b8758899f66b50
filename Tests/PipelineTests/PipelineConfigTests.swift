import Foundation
import Ingest
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

@Suite("Pipeline files")
struct PipelineConfigTests {
    static let minimal = """
        name: t
        sources:
          - name: chain
            kind: cboe_options_json
            url: "file://{data_dir}/_SPX_{date}.json"
        """

    func parse(_ yaml: String) throws -> PipelineConfig {
        try PipelineConfig.parse(yaml: yaml, origin: "t.yaml", sha256: "x")
    }

    func message(_ yaml: String) -> String {
        do { _ = try parse(yaml); return "parsed" } catch { return "\(error)" }
    }

    @Test("the embedded pipelines parse and match the files in pipelines/")
    func embeddedPipelines() throws {
        #expect(PipelineLoader.embeddedNames == ["cboe", "history-files", "replay", "sample"])
        for name in PipelineLoader.embeddedNames {
            let config = try PipelineLoader.load(name)
            #expect(config.name == name)
            let file = TestPaths.packageRoot.appendingPathComponent("pipelines/\(name).yaml")
            let text = try String(contentsOf: file, encoding: .utf8)
            let embedded = try #require(EmbeddedResources.files.first { $0.path == "pipelines/\(name).yaml" })
            #expect(embedded.text + "\n" == text, "pipelines/\(name).yaml differs from its embedded copy: run scripts/embed-resources")
        }
        let sample = try PipelineLoader.load("sample")
        #expect(sample.simulation == .init(seed: 42, from: CalendarDate(iso: "2026-07-06")!, to: CalendarDate(iso: "2026-07-17")!))
        #expect(sample.defaultDate == CalendarDate(iso: "2026-07-17"))
        #expect(sample.sources.allSatisfy { $0.url.hasPrefix("file://{sim_dir}/") })
        #expect(try PipelineLoader.load("cboe").sources.allSatisfy { $0.url.hasPrefix("https://") })
    }

    @Test("defaults: one CNDR monthly profile, $2M capital, 5 % risk")
    func defaults() throws {
        let c = try parse(Self.minimal)
        #expect(c.profiles.map(\.name) == ["cndr_monthly"] && c.profiles[0].dteRange == 25...45)
        #expect(c.sizing.capitalUSD == 2_000_000 && c.sizing.maxRiskFraction == 0.05)
        #expect(c.sources[0].required && c.underlying == "SPX")
        #expect(c.fetchPolicy == FetchPolicy())
        let tuned = try parse(Self.minimal + "\nfetch: {connect_timeout_seconds: 5, total_timeout_seconds: 60, max_attempts: 2, max_response_mb: 64}")
        #expect(tuned.fetchPolicy.connectTimeoutSeconds == 5 && tuned.fetchPolicy.totalTimeoutSeconds == 60)
        #expect(tuned.fetchPolicy.maxAttempts == 2 && tuned.fetchPolicy.maxResponseBytes == 64 << 20)
    }

    @Test("bad pipeline files give one line naming what and where", arguments: [
        ("", "t.yaml: empty file"),
        ("name: [unclosed", "t.yaml: not valid YAML"),
        ("name: t\nsources: []", "t.yaml: sources: expected a non-empty list"),
        (minimal.replacingOccurrences(of: "cboe_options_json", with: "bloomberg"), "t.yaml: sources[0].kind: unknown source kind 'bloomberg'"),
        (minimal + "\ncolour: blue", "t.yaml: pipeline: unknown key 'colour'"),
        (minimal.replacingOccurrences(of: "{date}", with: "{day}"), "t.yaml: sources[0].url: unknown placeholder {day}"),
        (minimal.replacingOccurrences(of: "file://", with: "ftp://"), "t.yaml: sources[0].url: URL must start with http://, https:// or file://"),
        (minimal + "\ndefault_date: 2026-02-30", "t.yaml: default_date: not a YYYY-MM-DD date: '2026-02-30'"),
        (minimal + "\nsimulate: {seed: 1, from: 2026-07-10, to: 2026-07-01}", "t.yaml: simulate: from 2026-07-10 is after to 2026-07-01"),
        (minimal + "\nstrategy: {capital_usd: -5}", "t.yaml: strategy.capital_usd: must be positive"),
        (minimal + "\nstrategy: {profiles: [{name: a, short_delta: 0.03, long_delta: 0.05}]}", "t.yaml: strategy.profiles[0]: need 0 < long_delta < short_delta < 0.5"),
        (minimal + "\nstrategy: {profiles: [{name: a, dte_min: forty}]}", "t.yaml: strategy.profiles[0].dte_min: expected a whole number"),
        (minimal.replacingOccurrences(of: "cboe_options_json", with: "cfe_vx_curve"), "t.yaml: sources: no option chain source"),
        (minimal + "\n  - name: chain\n    kind: cfe_vx_curve\n    url: file:///x", "t.yaml: sources[1].name: duplicate source name 'chain'"),
        (minimal + "\nfetch: {max_attempts: 0}", "t.yaml: fetch.max_attempts: must be 1 to 20 (got 0)"),
        (minimal + "\nfetch: {retries: 3}", "t.yaml: fetch: unknown key 'retries'"),
    ])
    func badFiles(yaml: String, expectedPrefix: String) {
        let m = message(yaml)
        #expect(m.hasPrefix(expectedPrefix), "got: \(m)")
        #expect(!m.contains("\n"), "not one line: \(m)")
    }

    @Test("an unreadable pipeline path is a one-line error")
    func unreadable() {
        #expect(throws: PipelineError.invalidConfig("/nonexistent/p.yaml", "cannot read the pipeline file (embedded pipelines: cboe, history-files, replay, sample)")) {
            try PipelineLoader.load("/nonexistent/p.yaml")
        }
    }

    @Test("URL templates expand dates and folders")
    func templates() {
        let date = CalendarDate(iso: "2026-07-06")!
        let dir = URL(fileURLWithPath: "/tmp/with space")
        #expect(URLTemplate.expand("file://{data_dir}/x_{yyyymmdd}_{yyyy}-{mm}-{dd}.csv", date: date, dataDir: dir)
                == "file:///tmp/with%20space/x_20260706_2026-07-06.csv")
        #expect(URLTemplate.expand("file://{sim_dir}/{date}.json", date: date, dataDir: dir) == "file:///tmp/with%20space/simulated/2026-07-06.json")
        #expect(URLTemplate.expand("https://h/csv?dt={date}", date: date, dataDir: dir) == "https://h/csv?dt=2026-07-06")
    }
}
