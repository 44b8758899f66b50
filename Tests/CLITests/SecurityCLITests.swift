import FlyingFox
import Foundation
import Testing
import VixShieldTestSupport

/// Issue 13 item 4, end to end through the binary: secrets never reach the database, stdout or stderr;
/// `file://` reads only under the pipeline's roots; payload control characters never reach the terminal.
@Suite("CLI: secrets, file roots, control characters")
struct SecurityCLITests {
    /// Every byte the run left on disk for the database (the WAL holds recent pages before a checkpoint).
    static func databaseBytes(_ db: String) -> Data {
        ["", "-wal", "-shm"].reduce(into: Data()) { all, suffix in
            if let d = FileManager.default.contents(atPath: db + suffix) { all.append(d) }
        }
    }

    static func simulatedMarket(_ dir: URL) async throws -> URL {
        let market = dir.appendingPathComponent("market")
        let sim = try await CLI.run(["simulate", "--from", "2026-07-15", "--to", "2026-07-16", "--out", market.path, "--seed", "3", "--size", "compact"])
        #expect(sim.status == 0, "\(sim.stderr)")
        return market
    }

    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var queries: [String] = []
        func add(_ q: String) { lock.withLock { queries.append(q) } }
        var all: [String] { lock.withLock { queries } }
    }

    @Test("an {env:NAME} secret and a literal token reach the server but no stored or printed URL, reason or diagnostic")
    func secretsNeverStoredOrPrinted() async throws {
        let dir = try TestPaths.temporaryDirectory("cli-secret")
        let market = try await Self.simulatedMarket(dir)
        let vix = try Data(contentsOf: market.appendingPathComponent("cboe/index/VIX_History.csv"))
        let secret = "s3cr3t-TOKEN-4821", literal = "literal-KEY-9876"
        let seen = Seen()
        try await LocalHTTPServer.with({ request in
            seen.add(request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&"))
            return HTTPResponse(statusCode: .ok, body: vix)
        }) { server in
            let pipeline = dir.appendingPathComponent("p.yaml")
            try """
                name: cli-secret
                fetch: {max_attempts: 1, connect_timeout_seconds: 2}
                sources:
                  - name: spx_chain
                    kind: cboe_options_json
                    url: "file://\(market.path)/cboe/options/_SPX_{date}.json"
                  - name: vix_history
                    kind: cboe_index_history
                    url: "\(server.url("/VIX_History.csv"))?token={env:VS_TEST_SECRET}&api_key=\(literal)&d={date}"
                    options: {symbol: VIX}
                    required: false
                  - name: broken
                    kind: cboe_index_history
                    url: "http://127.0.0.1:1/x.csv?token={env:VS_TEST_SECRET}&apikey=\(literal)"
                    options: {symbol: VIX9D}
                    required: false
                """.write(to: pipeline, atomically: true, encoding: .utf8)
            let db = dir.appendingPathComponent("v.sqlite").path
            let run = try await CLI.run(["run", "--date", "2026-07-16", "--pipeline", pipeline.path, "--db", db, "--verbose"],
                                        environment: ["VS_TEST_SECRET": secret])
            #expect(run.status == 0, "\(run.stderr)")
            // The request carried both: substitution happens at fetch time.
            #expect(seen.all.contains { $0.contains("token=\(secret)") && $0.contains("api_key=\(literal)") }, "\(seen.all)")
            let bytes = Self.databaseBytes(db)
            for needle in [secret, literal] {
                #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) is in the database files")
                #expect(!run.stdout.contains(needle) && !run.stderr.contains(needle), "\(needle) printed:\n\(run.stdout)\n\(run.stderr)")
            }
            let urls = try SQLiteProbe.rows(db, "SELECT url FROM raw_payloads WHERE source = 'vix_history'").compactMap { $0.first ?? nil }
            #expect(urls.count == 1 && urls[0].contains("token={env:VS_TEST_SECRET}") && urls[0].contains("api_key=***"), "\(urls)")
            // The failed source's reason is stored and printed with the placeholder, not the value.
            let diagnostics = try SQLiteProbe.rows(db, "SELECT message FROM run_diagnostics WHERE message LIKE '%127.0.0.1:1%'")
            #expect(!diagnostics.isEmpty && diagnostics.allSatisfy { ($0.first ?? nil)?.contains("{env:VS_TEST_SECRET}") == true }, "\(diagnostics)")

            // Unset, the run is a configuration error naming the key, before anything is fetched.
            let unset = try await CLI.run(["run", "--date", "2026-07-16", "--pipeline", pipeline.path, "--db", db])
            #expect(unset.status == 64 || unset.status == 1, "\(unset.stderr)")
            #expect(unset.stderr.contains("sources[1].url: {env:VS_TEST_SECRET}: the environment variable VS_TEST_SECRET is not set"), "\(unset.stderr)")
        }
    }

    @Test("file:// outside allowed_file_roots (directly, via .. or a symlink) is refused before reading a 0600 file")
    func fileRoots() async throws {
        let dir = try TestPaths.temporaryDirectory("cli-roots")
        let market = try await Self.simulatedMarket(dir)
        let outside = try TestPaths.temporaryDirectory("cli-roots-private")
        let secretFile = outside.appendingPathComponent("credentials.csv")
        let firstLine = "DATE,PRIVATE-FIRST-LINE-7731"
        try Data("\(firstLine)\n2026-07-16,1\n".utf8).write(to: secretFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile.path)
        try FileManager.default.createSymbolicLink(at: market.appendingPathComponent("link.csv"), withDestinationURL: secretFile)
        let db = dir.appendingPathComponent("v.sqlite").path
        for (i, url) in ["file://\(secretFile.path)", "file://\(market.path)/../\(outside.lastPathComponent)/x/../credentials.csv",
                         "file://\(market.path)/link.csv"].enumerated() {
            let pipeline = dir.appendingPathComponent("p\(i).yaml")
            try """
                name: cli-roots
                allowed_file_roots: [market]
                sources:
                  - name: spx_chain
                    kind: cboe_options_json
                    url: "file://\(market.path)/cboe/options/_SPX_{date}.json"
                  - name: leak
                    kind: cboe_index_history
                    url: "\(url)"
                """.write(to: pipeline, atomically: true, encoding: .utf8)
            let run = try await CLI.run(["run", "--date", "2026-07-16", "--pipeline", pipeline.path, "--db", db])
            #expect(run.status == 3, "\(url): \(run.stderr)")
            #expect(run.stderr.contains("outside the pipeline's allowed_file_roots"), "\(url): \(run.stderr)")
            #expect(!run.stdout.contains("PRIVATE-FIRST-LINE") && !run.stderr.contains("PRIVATE-FIRST-LINE"), "\(run.stdout)\n\(run.stderr)")
        }
        #expect(Self.databaseBytes(db).range(of: Data("PRIVATE-FIRST-LINE".utf8)) == nil)
        #expect(try SQLiteProbe.count(db, "SELECT count(*) FROM raw_payloads WHERE source = 'leak'") == 0)
    }

    @Test("escape and bell characters from a payload are escaped in stderr and in stored reasons")
    func controlCharacters() async throws {
        let dir = try TestPaths.temporaryDirectory("cli-ctrl")
        let market = try await Self.simulatedMarket(dir)
        try Data("DATE,OPEN,HIGH,LOW,CLOSE\n\u{1B}]0;owned\u{07}\u{1B}[2J,1,2,3,4\n".utf8).write(to: market.appendingPathComponent("evil.csv"))
        let pipeline = dir.appendingPathComponent("p.yaml")
        try """
            name: cli-ctrl
            sources:
              - name: spx_chain
                kind: cboe_options_json
                url: "file://\(market.path)/cboe/options/_SPX_{date}.json"
              - name: evil
                kind: cboe_index_history
                url: "file://\(market.path)/evil.csv"
            """.write(to: pipeline, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("v.sqlite").path
        let run = try await CLI.run(["run", "--date", "2026-07-16", "--pipeline", pipeline.path, "--db", db])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("\\x1b]0;owned\\x07\\x1b[2J"), "\(run.stderr)")
        let printed = run.stdout + run.stderr
        #expect(!printed.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a control character reached the terminal")
        let stored = try SQLiteProbe.rows(db, "SELECT message FROM run_diagnostics UNION ALL SELECT coalesce(error, '') FROM runs")
            .compactMap { $0.first ?? nil }
        #expect(stored.contains { $0.contains("\\x1b]0;owned") }, "\(stored)")
        #expect(!stored.joined().unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test("run --date 9999-12-31 is a one-line usage error, not a trap")
    func lastRepresentableDate() async throws {
        let dir = try TestPaths.temporaryDirectory("cli-9999")
        for date in ["9999-12-31", "9999-12-30"] {
            let out = try await CLI.run(["run", "--date", date, "--pipeline", "cboe", "--offline", "--db", dir.appendingPathComponent("v.sqlite").path])
            #expect(out.status == 64, "\(date): \(out.status) \(out.stderr)")
            #expect(out.stderr.hasPrefix("vixshield: ") && out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        }
    }
}
