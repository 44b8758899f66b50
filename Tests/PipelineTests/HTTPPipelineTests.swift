import FlyingFox
import Foundation
import Store
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

@Suite("Pipeline over HTTP")
struct HTTPPipelineTests {
    @Test("the nightly run fetches over http from a loopback server, archives, and replays offline")
    func overHTTP() async throws {
        let market = try SharedMarket.url()
        let day = CalendarDate(iso: "2026-07-16")!
        try await LocalHTTPServer.with({ request in
            let file = market.appendingPathComponent(String(request.path.drop(while: { $0 == "/" })))
            guard !request.path.contains(".."), let data = try? Data(contentsOf: file) else { return HTTPResponse(statusCode: .notFound) }
            return HTTPResponse(statusCode: .ok, body: data)
        }) { server in
            let yaml = pipelineYAML(chain: server.url("/cboe/options/_SPX_{date}.json"), curve: server.url("/cfe/vx_curve/{date}.csv"))
            var h = try Harness(yaml: yaml)
            let report = try await h.run([day])
            #expect(report.outcomes[0].status == .ok, "\(report.outcomes[0].reason ?? "")")
            let archived = try SQLiteProbe.rows(h.dbPath, "SELECT source, url, http_status FROM raw_payloads WHERE as_of = ? ORDER BY source",
                                                [day.isoString])
            #expect(archived.count == 6)  // every source of the harness pipeline, once
            #expect(archived.first { $0[0] == "spx_chain" }?[1] == server.url("/cboe/options/_SPX_2026-07-16.json"))
            #expect(archived.allSatisfy { $0[2] == "200" })
            let online = try h.dataFingerprint()
            await server.stop()
            h.offline = true
            let replay = try await h.run([day])
            #expect(replay.outcomes[0].status == .ok)
            #expect(try h.dataFingerprint() == online)
        }
    }

    @Test("a 404 for a required source is a missing input: no_trade naming the status")
    func notFound() async throws {
        try await LocalHTTPServer.with({ _ in HTTPResponse(statusCode: .notFound) }) { server in
            let h = try Harness(yaml: pipelineYAML(chain: server.url("/missing/{date}.json")))
            let report = try await h.run([CalendarDate(iso: "2026-07-16")!])
            #expect(report.outcomes[0].status == .noTrade)
            let row = try #require(try h.database().recommendations(from: CalendarDate(iso: "2026-07-16")!, through: CalendarDate(iso: "2026-07-16")!).first)
            #expect(row.reason?.contains("missing input: source spx_chain: ") == true && row.reason?.contains("404") == true,
                    "\(row.reason ?? "")")
        }
    }
}
