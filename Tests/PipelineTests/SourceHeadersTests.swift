import FlyingFox
import Foundation
import Ingest
import Testing
import VixShieldTestSupport
@testable import Pipeline

@Suite("Pipeline file: source headers")
struct SourceHeadersTests {
    static func yaml(_ source: String) -> String {
        """
        name: t
        sources:
          - name: spx_chain
            kind: cboe_options_json
            \(source)
        """
    }

    static func message(_ text: String) -> String {
        do {
            _ = try PipelineConfig.parse(yaml: text, origin: "t.yaml", sha256: "x", environment: ["TOKEN": "abc"])
            return "parsed"
        } catch {
            return "\(error)"
        }
    }

    @Test("headers keep their order and placeholders; the secret is read once, as for URLs")
    func parsed() throws {
        let c = try PipelineConfig.parse(yaml: Self.yaml("""
            url: "https://example.test/q"
                headers: {X-Api-Key: "{env:TOKEN}", Accept: application/json}
            """), origin: "t.yaml", sha256: "x", environment: ["TOKEN": "abc"])
        #expect(c.sources[0].headers == [.init(name: "X-Api-Key", value: "{env:TOKEN}"), .init(name: "Accept", value: "application/json")])
        #expect(c.secrets["TOKEN"]?.revealed == "abc")
    }

    @Test("bad headers are one-line errors naming the key", arguments: [
        (#"url: "file:///x.json"\#n    headers: {X-A: b}"#, "t.yaml: sources[0].headers: headers are sent only to http(s) sources"),
        (#"url: "https://e.test/x"\#n    headers: {"Bad Name": b}"#, "t.yaml: sources[0].headers: 'Bad Name' is not a header name"),
        (#"url: "https://e.test/x"\#n    headers: {Accept-Encoding: br}"#, "t.yaml: sources[0].headers.Accept-Encoding: is set by vixshield itself"),
        (#"url: "https://e.test/x"\#n    headers: {X-A: "a\r\nX-Injected: 1"}"#, "t.yaml: sources[0].headers.X-A: must be one line without control characters"),
        (#"url: "https://e.test/x"\#n    headers: {X-A: "{date}"}"#, "t.yaml: sources[0].headers.X-A: {date}: a header value takes only {env:NAME} placeholders"),
        (#"url: "https://e.test/x"\#n    headers: {X-A: "{env:UNSET_ONE}"}"#, "t.yaml: sources[0].headers.X-A: {env:UNSET_ONE}: the environment variable UNSET_ONE is not set"),
        (#"url: "https://e.test/x"\#n    headers: {X-A: a, x-a: b}"#, "t.yaml: sources[0].headers.x-a: given twice"),
        (#"url: "https://e.test/x"\#n    headers: [X-A]"#, "t.yaml: sources[0].headers: expected a mapping of header names to values"),
    ])
    func refused(source: String, expected: String) {
        let m = Self.message(Self.yaml(source))
        #expect(m.hasPrefix(expected), "\(m)")
    }

    @Test("on a redirect to another host, libcurl keeps Authorization back and passes other headers on (as the README says)")
    func redirectToAnotherHost() async throws {
        let seen = HeadersSeen()
        try await LocalHTTPServer.with({ request in
            await seen.add("\(request.headers[HTTPHeader("Authorization")] ?? "-") \(request.headers[HTTPHeader("X-Client")] ?? "-")")
            return HTTPResponse(statusCode: .ok, body: Data("moved".utf8))
        }) { target in
            try await LocalHTTPServer.with({ _ in
                HTTPResponse(statusCode: .found, headers: HTTPHeaders([.location: target.url("/x")]))
            }) { origin in
                let fetcher = CurlFetcher(policy: FetchPolicy(connectTimeoutSeconds: 2, totalTimeoutSeconds: 5, maxAttempts: 1))
                let result = try await fetcher.fetch(origin.url("/x"), headers: ["Authorization: Bearer abc", "X-Client: t"])
                #expect(result.body == Data("moved".utf8) && result.finalURL == target.url("/x"))
                #expect(await seen.all == ["- t"])
            }
        }
    }
}

/// Header values a loopback server received, in order.
actor HeadersSeen {
    private(set) var all: [String] = []
    func add(_ line: String) { all.append(line) }
}
