import FlyingFox
import Foundation
import Testing
import VixShieldTestSupport

/// A source's `headers:` map (issue 13, item 6 follow-up): `{env:NAME}` secrets in header values reach the
/// server and nothing stored or printed.
@Suite("CLI: source headers with {env:NAME}")
struct SourceHeadersCLITests {
    @Test("a header's {env:NAME} secret is sent to the server and appears in no database file, stdout or stderr")
    func headerSecretSentNeverShown() async throws {
        let dir = try TestPaths.temporaryDirectory("cli-headers")
        let market = try await SecurityCLITests.simulatedMarket(dir)
        let vix = try Data(contentsOf: market.appendingPathComponent("cboe/index/VIX_History.csv"))
        let secret = "hdr-s3cr3t-7319"
        let seen = SecurityCLITests.Seen()
        try await LocalHTTPServer.with({ request in
            seen.add("\(request.path) authorization=\(request.headers[HTTPHeader("Authorization")] ?? "-") "
                     + "x-client=\(request.headers[HTTPHeader("X-Client")] ?? "-")")
            // The second source is refused with the secret in its reason phrase: no error text may quote it either.
            return request.path == "/refused.csv" ? HTTPResponse(statusCode: HTTPStatusCode(403, phrase: "Forbidden \(secret)"))
                : HTTPResponse(statusCode: .ok, body: vix)
        }) { server in
            let pipeline = dir.appendingPathComponent("p.yaml")
            try """
                name: cli-headers
                fetch: {max_attempts: 1, connect_timeout_seconds: 2}
                sources:
                  - name: spx_chain
                    kind: cboe_options_json
                    url: "file://\(market.path)/cboe/options/_SPX_{date}.json"
                  - name: vix_history
                    kind: cboe_index_history
                    url: "\(server.url("/VIX_History.csv"))"
                    headers: {Authorization: "Bearer {env:VS_HEADER_SECRET}", X-Client: vixshield-test}
                    options: {symbol: VIX}
                    required: false
                  - name: refused
                    kind: cboe_index_history
                    url: "\(server.url("/refused.csv"))"
                    headers: {Authorization: "Bearer {env:VS_HEADER_SECRET}"}
                    options: {symbol: VIX9D}
                    required: false
                """.write(to: pipeline, atomically: true, encoding: .utf8)
            let db = dir.appendingPathComponent("v.sqlite").path
            let run = try await CLI.run(["run", "--date", "2026-07-16", "--pipeline", pipeline.path, "--db", db, "--verbose"],
                                        environment: ["VS_HEADER_SECRET": secret])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(seen.all.contains("/VIX_History.csv authorization=Bearer \(secret) x-client=vixshield-test"), "\(seen.all)")
            #expect(seen.all.contains("/refused.csv authorization=Bearer \(secret) x-client=-"), "\(seen.all)")
            #expect(SecurityCLITests.databaseBytes(db).range(of: Data(secret.utf8)) == nil, "the secret is in the database files")
            #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret), "printed:\n\(run.stdout)\n\(run.stderr)")
            #expect(try SQLiteProbe.count(db, "SELECT COUNT(*) FROM run_diagnostics WHERE location = 'refused' AND message LIKE '%HTTP status 403%'") == 1)

            let unset = try await CLI.run(["run", "--date", "2026-07-16", "--pipeline", pipeline.path, "--db", db])
            #expect(unset.status == 64 || unset.status == 1, "\(unset.stderr)")
            #expect(unset.stderr.contains("sources[1].headers.Authorization: {env:VS_HEADER_SECRET}: the environment variable VS_HEADER_SECRET is not set"),
                    "\(unset.stderr)")
        }
    }
}
