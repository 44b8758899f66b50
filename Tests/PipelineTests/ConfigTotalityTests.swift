import Foundation
import Ingest
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

/// Issue 13 item 1: every configuration value has a documented range and every bad one is a one-line
/// error naming its YAML key (never a trap, never a code property's name); unknown keys anywhere are
/// errors with a "did you mean".
@Suite("Pipeline files: total parsing")
struct ConfigTotalityTests {
    static let minimal = PipelineConfigTests.minimal

    func message(_ yaml: String, environment: [String: String] = [:], baseDirectory: URL? = nil) -> String {
        do {
            _ = try PipelineConfig.parse(yaml: yaml, origin: "t.yaml", sha256: "x", baseDirectory: baseDirectory, environment: environment)
            return "parsed"
        } catch { return "\(error)" }
    }

    @Test("out-of-range fetch settings are errors with their key and range (they trapped before)", arguments: [
        ("max_response_mb: 1e15", "t.yaml: fetch.max_response_mb: must be in"),
        ("total_timeout_seconds: 1e300", "t.yaml: fetch.total_timeout_seconds: must be in"),
        ("connect_timeout_seconds: 1e17", "t.yaml: fetch.connect_timeout_seconds: must be in"),
        ("max_attempts: 1000000", "t.yaml: fetch.max_attempts: must be 1 to 20 (got 1000000)"),
        ("max_attempts: 0", "t.yaml: fetch.max_attempts: must be 1 to 20 (got 0)"),
        ("max_attempts: 99999999999999999999", "t.yaml: fetch.max_attempts: expected a whole number"),
        ("connect_timeout_seconds: 0", "t.yaml: fetch.connect_timeout_seconds: must be in"),
        ("max_response_mb: .nan", "t.yaml: fetch.max_response_mb: expected a number"),
        ("max_response_mb: -1", "t.yaml: fetch.max_response_mb: must be in"),
    ])
    func fetchRanges(setting: String, expected: String) {
        let m = message(Self.minimal + "\nfetch: {\(setting)}")
        #expect(m.hasPrefix(expected), "\(setting) → \(m)")
        #expect(!m.contains("maxAttempts") && !m.contains("Seconds") && !m.contains("Bytes"), "names a code property: \(m)")
    }

    @Test("the range limits themselves are accepted")
    func fetchLimitsAccepted() throws {
        let c = try PipelineConfig.parse(yaml: Self.minimal + "\nfetch: {connect_timeout_seconds: 600, total_timeout_seconds: 86400, max_attempts: 20, max_response_mb: 16384}",
                                         origin: "t.yaml", sha256: "x")
        #expect(c.fetchPolicy.maxAttempts == 20 && c.fetchPolicy.maxResponseBytes == 16 << 30 && c.fetchPolicy.invalidSetting == nil)
    }

    @Test("a typo in an adapter's options is an error with a suggestion (it exited 0 before)")
    func optionTypos() {
        let yaml = Self.minimal + """

              - name: vix
                kind: cboe_index_history
                url: "file://{data_dir}/VIX.csv"
                options: {symbl: VIX}
            """
        #expect(message(yaml) == "t.yaml: sources[1].options: unknown key 'symbl' (did you mean 'symbol'? allowed: symbol)")
        let chainOptions = Self.minimal.replacingOccurrences(of: "url:", with: "options: {root: SPX}\n    url:")
        #expect(message(chainOptions) == "t.yaml: sources[0].options: unknown key 'root' (allowed: origin)")
        let noOptions = Self.minimal.replacingOccurrences(of: "cboe_options_json", with: "cfe_vx_curve")
            .replacingOccurrences(of: "url:", with: "options: {root: SPX}\n    url:")
        #expect(message(noOptions) == "t.yaml: sources[0].options: unknown key 'root' (no keys allowed here)")
        let badCompression = Self.minimal.replacingOccurrences(of: "cboe_options_json", with: "cboe_datashop_eod") + "\n    options: {compression: rar}"
        #expect(message(badCompression) == "t.yaml: sources[0].options.compression: must be zip or none (got 'rar')")
    }

    @Test("unknown keys and kinds suggest the closest known one")
    func suggestions() {
        #expect(message(Self.minimal + "\nfetch: {max_atempts: 3}").hasPrefix("t.yaml: fetch: unknown key 'max_atempts' (did you mean 'max_attempts'? allowed:"))
        #expect(message(Self.minimal.replacingOccurrences(of: "cboe_options_json", with: "cboe_option_json"))
                    .hasPrefix("t.yaml: sources[0].kind: unknown source kind 'cboe_option_json' (did you mean 'cboe_options_json'? known:"))
        #expect(message(Self.minimal + "\nallowed_file_root: [x]").hasPrefix("t.yaml: pipeline: unknown key 'allowed_file_root' (did you mean 'allowed_file_roots'?"))
        #expect(Suggestion.hint("colour", among: ["name", "sources"]) == "")
    }

    @Test("{env:NAME}: an unset variable names the YAML key; a set one is kept as a secret, never in the URL")
    func environmentSecrets() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "file://{data_dir}/_SPX_{date}.json", with: "https://example.test/q?token={env:VS_TOKEN}&d={date}")
        #expect(message(yaml) == "t.yaml: sources[0].url: {env:VS_TOKEN}: the environment variable VS_TOKEN is not set")
        #expect(message(yaml.replacingOccurrences(of: "VS_TOKEN", with: "1BAD")).contains("does not name an environment variable"))
        let c = try PipelineConfig.parse(yaml: yaml, origin: "t.yaml", sha256: "x", environment: ["VS_TOKEN": "s3cr3t-abc"])
        #expect(c.sources[0].url.contains("{env:VS_TOKEN}") && !"\(c)".contains("s3cr3t-abc"))
        let url = URLTemplate.expand(c.sources[0].url, date: CalendarDate(iso: "2026-07-06")!, dataDir: URL(fileURLWithPath: "/tmp"))
        #expect(URLTemplate.revealingSecrets(url, secrets: c.secrets) == "https://example.test/q?token=s3cr3t-abc&d=2026-07-06")
        #expect(c.redaction.apply("curl: could not resolve https://example.test/q?token=s3cr3t-abc") == "curl: could not resolve https://example.test/q?token=***")
    }

    @Test("allowed_file_roots and ca_file resolve against the pipeline file's folder and are checked on load")
    func rootsAndCAFile() throws {
        let dir = try TestPaths.temporaryDirectory("config-roots")
        let ca = dir.appendingPathComponent("ca.pem")
        try Data("x".utf8).write(to: ca)
        let c = try PipelineConfig.parse(yaml: Self.minimal + "\nallowed_file_roots: [\"{data_dir}\", market, /srv/x]\nca_file: ca.pem",
                                         origin: "t.yaml", sha256: "x", baseDirectory: dir)
        #expect(c.allowedFileRoots == ["{data_dir}", dir.appendingPathComponent("market").standardizedFileURL.path, "/srv/x"])
        #expect(c.fetchPolicy.caFile == ca.standardizedFileURL.path)
        #expect(message(Self.minimal + "\nca_file: missing.pem", baseDirectory: dir).hasPrefix("t.yaml: ca_file: no readable CA file at"))
        #expect(message(Self.minimal + "\nca_file: ca.pem") == "t.yaml: ca_file: a relative path needs a pipeline file on disk ('ca.pem'); give an absolute path")
        #expect(message(Self.minimal + "\nallowed_file_roots: [\"{date}\"]") == "t.yaml: allowed_file_roots[0]: only {data_dir} and {sim_dir} may start a root ('{date}')")
        let perSource = Self.minimal + "\n    ca_file: \(ca.path)"
        #expect(try PipelineConfig.parse(yaml: perSource, origin: "t.yaml", sha256: "x").sources[0].caFile == ca.standardizedFileURL.path)
        // No roots given: the data folder and the pipeline file's own folder.
        let defaults = try PipelineConfig.parse(yaml: Self.minimal, origin: "t.yaml", sha256: "x", baseDirectory: dir)
        #expect(defaults.allowedFileRoots == ["{data_dir}", dir.standardizedFileURL.path])
    }
}
