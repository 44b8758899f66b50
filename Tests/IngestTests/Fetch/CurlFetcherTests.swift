import FlyingFox
import Foundation
import VixShieldCore
import VixShieldTestSupport
import Testing

@testable import Ingest

/// Jitter seed of every test policy (printed in messages so a failure can be replayed).
private let jitterSeed: UInt64 = 20_261_125

/// Short timeouts and tiny backoffs: the sleeper is a recorder, so nothing here waits for real.
private func testPolicy(maxAttempts: Int = 3, totalTimeoutSeconds: Double = 5, maxResponseBytes: Int = 1 << 20) -> FetchPolicy {
    FetchPolicy(
        connectTimeoutSeconds: 2, totalTimeoutSeconds: totalTimeoutSeconds, maxAttempts: maxAttempts,
        backoffBaseSeconds: 0.05, backoffCapSeconds: 0.2, jitterFraction: 0.5, maxRetryAfterSeconds: 10,
        maxResponseBytes: maxResponseBytes, jitterSeed: jitterSeed)
}

private func status(_ code: Int) -> HTTPStatusCode { HTTPStatusCode(code, phrase: "Status \(code)") }

/// Fetches `url` expecting failure; returns the typed error (or records an issue and returns nil).
private func expectFailure(_ fetcher: CurlFetcher, _ url: String, sourceLocation: SourceLocation = #_sourceLocation) async -> FetchError? {
    do {
        let result = try await fetcher.fetch(url)
        Issue.record("expected \(url) to fail, got HTTP \(result.httpStatus) with \(result.body.count) bytes",
                     sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Text-like bytes that deflate compresses well (a repeating word pattern with some variation).
private func compressibleText(count: Int) -> Data {
    var bytes = [UInt8]()
    bytes.reserveCapacity(count)
    for index in 0..<count {
        let letter = index % 7 == 0 ? 1 : (index / 13) % 5
        bytes.append(UInt8(ascii: "a") + UInt8(letter))
    }
    return Data(bytes)
}

// MARK: - Against a real server on 127.0.0.1

@Suite("CurlFetcher over HTTP")
struct CurlFetcherHTTPTests {
    @Test("200: body, status, final URL, one attempt")
    func ok() async throws {
        try await LocalHTTPServer.with({ _ in
            HTTPResponse(statusCode: .ok, headers: HTTPHeaders([.contentType: "text/plain"]), body: Data("hello".utf8))
        }) { server in
            let result = try await CurlFetcher(policy: testPolicy(), sleep: SleepRecorder().sleeper).fetch(server.url("/quotes"))
            #expect(result.httpStatus == 200)
            #expect(result.body == Data("hello".utf8))
            #expect(result.finalURL == server.url("/quotes"))
            #expect(result.rawByteCount == 5)
            #expect(result.contentEncoding == .identity)
            #expect(result.headers["content-type"] == "text/plain")
            #expect(result.attempts.count == 1)
            #expect(result.attempts.first?.outcome == .succeeded(httpStatus: 200))
        }
    }

    @Test("404 is not retried and names the URL and status")
    func notFound() async throws {
        let counter = RequestCounter()
        try await LocalHTTPServer.with({ _ in
            _ = await counter.next()
            return HTTPResponse(statusCode: .notFound)
        }) { server in
            let recorder = SleepRecorder()
            let url = server.url("/missing")
            let error = try #require(await expectFailure(CurlFetcher(policy: testPolicy(), sleep: recorder.sleeper), url))
            #expect(error.reason == .httpStatus(404))
            #expect(error.attempts.count == 1)
            #expect(recorder.delays.isEmpty)
            #expect(await counter.count == 1)
            #expect(error.description.contains(url) && error.description.contains("404"), "\(error)")
        }
    }

    @Test("500 then 200: retried once after a jittered backoff")
    func serverErrorThenOK() async throws {
        let counter = RequestCounter()
        try await LocalHTTPServer.with({ _ in
            await counter.next() == 1
                ? HTTPResponse(statusCode: .internalServerError)
                : HTTPResponse(statusCode: .ok, body: Data("second".utf8))
        }) { server in
            let recorder = SleepRecorder()
            let result = try await CurlFetcher(policy: testPolicy(), sleep: recorder.sleeper).fetch(server.url("/flaky"))
            #expect(result.body == Data("second".utf8))
            #expect(result.attempts.map(\.outcome) == [.failed(.httpStatus(500)), .succeeded(httpStatus: 200)])
            #expect(recorder.delays.count == 1)
            // Equal jitter on a 0.05 s base: the first wait lies in [0.025, 0.05].
            let delay = try #require(recorder.delays.first)
            #expect(delay >= 0.025 && delay <= 0.05, "delay \(delay), seed \(jitterSeed)")
            #expect(result.attempts.first?.retryDelaySeconds == delay)
        }
    }

    @Test("429 with Retry-After: 2 waits at least 2 s before retrying")
    func tooManyRequestsRetryAfterSeconds() async throws {
        let counter = RequestCounter()
        try await LocalHTTPServer.with({ _ in
            await counter.next() == 1
                ? HTTPResponse(statusCode: status(429), headers: HTTPHeaders([HTTPHeader("Retry-After"): "2"]))
                : HTTPResponse(statusCode: .ok, body: Data("ok".utf8))
        }) { server in
            let recorder = SleepRecorder()
            let result = try await CurlFetcher(policy: testPolicy(), sleep: recorder.sleeper).fetch(server.url("/limited"))
            #expect(result.httpStatus == 200)
            #expect(result.attempts.count == 2)
            #expect(recorder.delays.count == 1)
            #expect((recorder.delays.first ?? 0) >= 2, "delays \(recorder.delays)")
        }
    }

    @Test("503 with an HTTP-date Retry-After waits until that date; a long one is capped")
    func retryAfterDateAndCap() async throws {
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        try await LocalHTTPServer.with({ request in
            let value = request.path.hasSuffix("/date") ? "Wed, 21 Oct 2015 07:28:05 GMT" : "3600"
            return HTTPResponse(statusCode: .serviceUnavailable, headers: HTTPHeaders([HTTPHeader("Retry-After"): value]))
        }) { server in
            let dated = SleepRecorder()
            let datedError = try #require(await expectFailure(
                CurlFetcher(policy: testPolicy(maxAttempts: 2), sleep: dated.sleeper, now: { now }), server.url("/date")))
            #expect(datedError.reason == .httpStatus(503))
            #expect(dated.delays == [5], "delays \(dated.delays)")

            let capped = SleepRecorder()
            _ = await expectFailure(CurlFetcher(policy: testPolicy(maxAttempts: 2), sleep: capped.sleeper), server.url("/long"))
            #expect(capped.delays == [10], "maxRetryAfterSeconds is 10; delays \(capped.delays)")
        }
    }

    @Test("persistent 503: every attempt made, backoff grows, same seed gives same delays")
    func exhaustedRetries() async throws {
        try await LocalHTTPServer.with({ _ in HTTPResponse(statusCode: .serviceUnavailable) }) { server in
            let url = server.url("/down")
            var runs: [[Double]] = []
            for _ in 0..<2 {
                let recorder = SleepRecorder()
                let error = try #require(await expectFailure(CurlFetcher(policy: testPolicy(maxAttempts: 4), sleep: recorder.sleeper), url))
                #expect(error.reason == .httpStatus(503))
                #expect(error.attempts.count == 4)
                #expect(error.attempts.last?.retryDelaySeconds == nil)
                runs.append(recorder.delays)
            }
            #expect(runs[0] == runs[1], "seed \(jitterSeed): \(runs)")
            // Expected ranges with base 0.05 s, cap 0.2 s, jitter 0.5: [0.025, 0.05], [0.05, 0.1], [0.1, 0.2].
            for (index, delay) in runs[0].enumerated() {
                let full = min(0.2, 0.05 * Double(1 << index))
                #expect(delay >= full / 2 && delay <= full, "retry \(index + 1): \(delay) outside [\(full / 2), \(full)], seed \(jitterSeed)")
            }
        }
    }

    @Test("a body slower than the total timeout times out on every attempt")
    func slowBody() async throws {
        try await LocalHTTPServer.with({ _ in
            let body = ScriptedBody(steps: [.bytes(Array("start".utf8)), .pause(.seconds(5)), .bytes(Array("end".utf8))])
            return HTTPResponse(statusCode: .ok, body: HTTPBodySequence(from: body, count: 8))
        }) { server in
            let recorder = SleepRecorder()
            let fetcher = CurlFetcher(policy: testPolicy(maxAttempts: 2, totalTimeoutSeconds: 0.4), sleep: recorder.sleeper)
            let error = try #require(await expectFailure(fetcher, server.url("/slow")))
            guard case .timedOut = error.reason else {
                Issue.record("expected a timeout, got \(error)")
                return
            }
            #expect(error.attempts.count == 2)
            #expect(recorder.delays.count == 1)
            for attempt in error.attempts {
                #expect(attempt.durationSeconds >= 0.3 && attempt.durationSeconds < 3, "attempt \(attempt)")
            }
        }
    }

    @Test("a body cut short of its Content-Length is a retried transport error")
    func truncatedBody() async throws {
        try await LocalHTTPServer.with({ _ in
            let body = ScriptedBody(steps: [.bytes(Array("0123456789".utf8)), .dropConnection])
            return HTTPResponse(statusCode: .ok, body: HTTPBodySequence(from: body, count: 1000))
        }) { server in
            let error = try #require(await expectFailure(
                CurlFetcher(policy: testPolicy(maxAttempts: 2), sleep: SleepRecorder().sleeper), server.url("/cut")))
            guard case .transport(let code, let message) = error.reason else {
                Issue.record("expected a transport error, got \(error)")
                return
            }
            #expect(code == 18, "CURLE_PARTIAL_FILE; message: \(message)")
            #expect(error.attempts.count == 2)
        }
    }

    @Test("gzip, zlib-deflate and raw-deflate bodies are decoded", arguments: [
        ("gzip", Zlib.Format.gzip, ContentEncoding.gzip),
        ("deflate", Zlib.Format.zlib, ContentEncoding.deflate),
        ("deflate", Zlib.Format.rawDeflate, ContentEncoding.deflate),
    ])
    func encodedBodies(header: String, format: Zlib.Format, expected: ContentEncoding) async throws {
        let plain = compressibleText(count: 200_000)
        let packed = try Zlib.compress(plain, format: format)
        try await LocalHTTPServer.with({ _ in
            HTTPResponse(statusCode: .ok, headers: HTTPHeaders([.contentEncoding: header]), body: packed)
        }) { server in
            let result = try await CurlFetcher(policy: testPolicy(), sleep: SleepRecorder().sleeper).fetch(server.url("/packed"))
            #expect(result.body == plain)
            #expect(result.contentEncoding == expected)
            #expect(result.rawByteCount == packed.count)
        }
    }

    @Test("corrupt or truncated gzip bodies are typed decode errors, not retried")
    func corruptGzip() async throws {
        var damaged = try Zlib.gzip(compressibleText(count: 50_000))
        for index in 20..<40 { damaged[index] ^= 0x5A }
        let corrupt = damaged
        let truncated = try Zlib.gzip(compressibleText(count: 50_000)).dropLast(20)
        try await LocalHTTPServer.with({ request in
            HTTPResponse(statusCode: .ok, headers: HTTPHeaders([.contentEncoding: "gzip"]),
                         body: request.path.hasSuffix("/corrupt") ? corrupt : Data(truncated))
        }) { server in
            let fetcher = CurlFetcher(policy: testPolicy(), sleep: SleepRecorder().sleeper)
            let corruptError = try #require(await expectFailure(fetcher, server.url("/corrupt")))
            guard case .decode(.corrupt) = corruptError.reason else {
                Issue.record("expected decode(.corrupt), got \(corruptError)")
                return
            }
            #expect(corruptError.attempts.count == 1)

            let truncatedError = try #require(await expectFailure(fetcher, server.url("/truncated")))
            #expect(truncatedError.reason == .decode(.truncated))
        }
    }

    @Test("a Content-Encoding other than gzip/deflate is refused")
    func unsupportedEncoding() async throws {
        try await LocalHTTPServer.with({ _ in
            HTTPResponse(statusCode: .ok, headers: HTTPHeaders([.contentEncoding: "br"]), body: Data("xyz".utf8))
        }) { server in
            let error = try #require(await expectFailure(CurlFetcher(policy: testPolicy(), sleep: SleepRecorder().sleeper), server.url("/br")))
            #expect(error.reason == .unsupportedContentEncoding("br"))
        }
    }

    @Test("bodies over the cap are refused: announced, chunked, and after decoding")
    func tooLarge() async throws {
        let limit = 10_000
        let big = compressibleText(count: 50_000)
        let bomb = try Zlib.gzip(Data(repeating: 0, count: 1_000_000))
        try await LocalHTTPServer.with({ request in
            switch request.path {
            case "/announced":
                return HTTPResponse(statusCode: .ok, body: big)
            case "/chunked":
                // No count: sent with Transfer-Encoding: chunked, so only the write callback can stop it.
                let body = ScriptedBody(steps: [.bytes(Array(big))])
                return HTTPResponse(statusCode: .ok, body: HTTPBodySequence(from: body))
            default:
                return HTTPResponse(statusCode: .ok, headers: HTTPHeaders([.contentEncoding: "gzip"]), body: bomb)
            }
        }) { server in
            let fetcher = CurlFetcher(policy: testPolicy(maxResponseBytes: limit), sleep: SleepRecorder().sleeper)
            for (path, decoded) in [("/announced", false), ("/chunked", false), ("/bomb", true)] {
                let error = try #require(await expectFailure(fetcher, server.url(path)))
                #expect(error.reason == .tooLarge(limitBytes: limit, decoded: decoded), "\(path): \(error)")
                #expect(error.attempts.count == 1, "\(path)")
            }
            #expect(bomb.count < limit, "the bomb itself fits under the cap (\(bomb.count) bytes)")
        }
    }

    @Test("the server sees our User-Agent and Accept-Encoding")
    func requestHeaders() async throws {
        try await LocalHTTPServer.with({ request in
            let agent = request.headers[HTTPHeader("User-Agent")] ?? "-"
            let encodings = request.headers[HTTPHeader("Accept-Encoding")] ?? "-"
            return HTTPResponse(statusCode: .ok, body: Data("\(agent)\n\(encodings)".utf8))
        }) { server in
            let result = try await CurlFetcher(policy: testPolicy(), sleep: SleepRecorder().sleeper).fetch(server.url("/echo"))
            let lines = String(decoding: result.body, as: UTF8.self).split(separator: "\n").map(String.init)
            #expect(lines == [VixShieldVersion.userAgent, "gzip, deflate"])
            #expect(VixShieldVersion.userAgent == "vixshield/\(VixShieldVersion.current) (+https://github.com/vixshield)")
        }
    }

    @Test("redirects are followed and the final URL reported")
    func redirect() async throws {
        try await LocalHTTPServer.with({ request in
            request.path == "/old"
                ? HTTPResponse(statusCode: .found, headers: HTTPHeaders([.location: "/new"]))
                : HTTPResponse(statusCode: .ok, body: Data("moved".utf8))
        }) { server in
            let result = try await CurlFetcher(policy: testPolicy(), sleep: SleepRecorder().sleeper).fetch(server.url("/old"))
            #expect(result.finalURL == server.url("/new"))
            #expect(result.body == Data("moved".utf8))
            #expect(result.attempts.count == 1)
        }
    }

    /// If the async variant blocked pool threads, eight concurrent fetches would occupy the whole pool
    /// (two threads here) and the in-process server could never answer: every fetch would time out.
    @Test("concurrent async fetches do not starve an in-process server")
    func concurrentFetches() async throws {
        try await LocalHTTPServer.with({ request in
            try await Task.sleep(for: .milliseconds(100))
            return HTTPResponse(statusCode: .ok, body: Data(request.path.utf8))
        }) { server in
            let fetcher = CurlFetcher(policy: testPolicy(maxAttempts: 1, totalTimeoutSeconds: 4), sleep: SleepRecorder().sleeper)
            let bodies = try await withThrowingTaskGroup(of: (Int, Data).self) { group in
                for index in 0..<8 {
                    group.addTask { (index, try await fetcher.fetch(server.url("/item/\(index)")).body) }
                }
                var collected: [Int: Data] = [:]
                for try await (index, body) in group { collected[index] = body }
                return collected
            }
            #expect(bodies.count == 8)
            for (index, body) in bodies {
                #expect(body == Data("/item/\(index)".utf8))
            }
        }
    }

    @Test("a refused connection is retried, then reported with curl's message")
    func connectionRefused() async throws {
        // A port that was just listening and is now closed.
        let server = try await LocalHTTPServer.start { _ in HTTPResponse(statusCode: .ok) }
        let url = server.url("/gone")
        await server.stop()
        let recorder = SleepRecorder()
        let error = try #require(await expectFailure(CurlFetcher(policy: testPolicy(maxAttempts: 2), sleep: recorder.sleeper), url))
        guard case .transport(let code, _) = error.reason else {
            Issue.record("expected a transport error, got \(error)")
            return
        }
        #expect(code == 7, "CURLE_COULDNT_CONNECT: \(error)")
        #expect(error.attempts.count == 2)
        #expect(recorder.delays.count == 1)
    }
}

// MARK: - file:// and bad URLs

@Suite("CurlFetcher over file:// and bad URLs")
struct CurlFetcherFileTests {
    @Test("file:// reads the file with status 200 (blocking API, on its own thread)")
    func fileSuccess() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vixshield-fetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("VIX_History.csv")
        let content = Data("DATE,OPEN,HIGH,LOW,CLOSE\n01/02/2026,17.1,17.9,16.8,17.4\n".utf8)
        try content.write(to: file)

        let result = try await runOffConcurrencyPool {
            try CurlFetcher(policy: testPolicy(), sleep: SleepRecorder().sleeper).fetch(file)
        }
        #expect(result.httpStatus == 200)
        #expect(result.body == content)
        #expect(result.rawByteCount == content.count)
        #expect(result.contentEncoding == .identity)
        #expect(result.attempts.count == 1)
    }

    @Test("a file:// body over the cap is refused")
    func fileTooLarge() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vixshield-fetch-\(UUID().uuidString).bin")
        try Data(repeating: 7, count: 5_000).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            _ = try await CurlFetcher(policy: testPolicy(maxResponseBytes: 1_000), sleep: SleepRecorder().sleeper).fetch(file)
            Issue.record("expected tooLarge")
        } catch {
            #expect(error.reason == .tooLarge(limitBytes: 1_000, decoded: false), "\(error)")
        }
    }

    @Test("a missing file:// is fileNotFound after one attempt (async API)")
    func fileMissing() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vixshield-missing-\(UUID().uuidString).json").path
        let url = URL(fileURLWithPath: path).absoluteString
        let error = try #require(await expectFailure(CurlFetcher(policy: testPolicy(), sleep: SleepRecorder().sleeper), url))
        #expect(error.reason == .fileNotFound(path: path))
        #expect(error.attempts.count == 1)
        #expect(error.description.contains(url), "\(error)")
    }

    @Test("unsupported schemes and unparsable URLs are badURL with no attempt",
          arguments: ["ftp://example.com/x.csv", "not a url", "http:///nohost", "/just/a/path"])
    func badURL(_ url: String) async throws {
        let error = try #require(await expectFailure(CurlFetcher(policy: testPolicy(), sleep: SleepRecorder().sleeper), url))
        guard case .badURL = error.reason else {
            Issue.record("expected badURL for \(url), got \(error)")
            return
        }
        #expect(error.attempts.isEmpty)
    }
}

// MARK: - Policy and Retry-After arithmetic

@Suite("Fetch policy")
struct FetchPolicyTests {
    @Test("backoff doubles from the base up to the cap; jitter removes at most its fraction")
    func backoff() {
        let policy = FetchPolicy(backoffBaseSeconds: 1, backoffCapSeconds: 10, jitterFraction: 0.5)
        let noJitter = (1...6).map { policy.backoffSeconds(afterAttempt: $0, unitRandom: 0) }
        #expect(noJitter == [1, 2, 4, 8, 10, 10])
        #expect(policy.backoffSeconds(afterAttempt: 3, unitRandom: 0.999_999) > 2)
        #expect(policy.backoffSeconds(afterAttempt: 3, unitRandom: 0.5) == 3)
        #expect(policy.backoffSeconds(afterAttempt: 1_000, unitRandom: 0) == 10, "huge attempt numbers stay at the cap")
    }

    @Test("Retry-After wins over a shorter backoff and is capped")
    func retryAfterCombination() {
        let policy = FetchPolicy(backoffBaseSeconds: 1, backoffCapSeconds: 10, jitterFraction: 0, maxRetryAfterSeconds: 30)
        #expect(policy.retryDelaySeconds(afterAttempt: 1, unitRandom: 0, retryAfterSeconds: nil) == 1)
        #expect(policy.retryDelaySeconds(afterAttempt: 1, unitRandom: 0, retryAfterSeconds: 7) == 7)
        #expect(policy.retryDelaySeconds(afterAttempt: 4, unitRandom: 0, retryAfterSeconds: 2) == 8)
        #expect(policy.retryDelaySeconds(afterAttempt: 1, unitRandom: 0, retryAfterSeconds: 3_600) == 30)
    }

    @Test("invalid settings are named")
    func validation() {
        #expect(FetchPolicy().invalidSetting == nil)
        #expect(FetchPolicy(maxAttempts: 0).invalidSetting != nil)
        #expect(FetchPolicy(totalTimeoutSeconds: 0).invalidSetting != nil)
        #expect(FetchPolicy(backoffBaseSeconds: 5, backoffCapSeconds: 1).invalidSetting != nil)
        #expect(FetchPolicy(jitterFraction: 1.5).invalidSetting != nil)
        #expect(FetchPolicy(userAgent: "a\r\nX-Injected: 1").invalidSetting != nil)
    }

    /// RFC 9110 §5.6.7 gives the three date forms with the same instant (Sun, 06 Nov 1994 08:49:37 GMT).
    @Test("Retry-After parses delay-seconds and all three HTTP-date forms", arguments: [
        ("120", 120.0),
        ("0", 0.0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 37.0),
        ("Sunday, 06-Nov-94 08:49:37 GMT", 37.0),
        ("Sun Nov  6 08:49:37 1994", 37.0),
        ("Sun, 06 Nov 1994 08:49:00 GMT", 0.0),  // in the past: retry now
    ])
    func retryAfterParsing(value: String, expectedSeconds: Double) {
        let now = Date(timeIntervalSince1970: 784_111_740)  // Sun, 06 Nov 1994 08:49:00 GMT
        let parsed = RetryAfter.seconds(from: value, now: now)
        #expect(parsed.map { abs($0 - expectedSeconds) < 1e-9 } == true, "\(value) -> \(String(describing: parsed))")
    }

    @Test("garbage Retry-After values are ignored", arguments: [
        "", "soon", "-5", "1.5", "Sun, 06 Nov 1994", "Sun, 31 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT", "Sunday, 06 Nov 1994 08:49:37 GMT", "Sun, 06-Nov-94 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC", "Sun Nov  6 08:49 1994",
    ])
    func retryAfterGarbage(value: String) {
        #expect(RetryAfter.seconds(from: value, now: Date(timeIntervalSince1970: 0)) == nil)
    }

    /// Seeded property: every instant from 1901 to 2099, printed in each form, parses back to itself
    /// (the RFC 850 form within its 100-year window). The printer here is Foundation's, the parser is ours.
    @Test("HTTP-dates round-trip through all three forms")
    func httpDateRoundTrip() {
        var generator = SplitMix64(seed: 20_261_202)
        let now = Date(timeIntervalSince1970: 1_784_000_000)  // 2026-07-14
        let layouts = ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"]
        let formatters = layouts.map { layout in
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "GMT")
            f.dateFormat = layout
            return f
        }
        for _ in 0..<2_000 {
            let seconds = -2_177_452_800 + Double(generator.next() % 6_311_433_600)  // 1901-01-01 ..< 2101
            let instant = Date(timeIntervalSince1970: seconds)
            for (index, formatter) in formatters.enumerated() {
                // Foundation prints asctime's day unpadded ("Nov 6"); the padded form is in the table above.
                let text = formatter.string(from: instant)
                let outsideTwoDigitWindow = abs(seconds - now.timeIntervalSince1970) > 49 * 365 * 86_400
                if index == 1 && outsideTwoDigitWindow { continue }
                #expect(HTTPDate.parse(text, now: now) == instant, "\(text)")
            }
        }
    }

    @Test("retryable reasons: 5xx, 429, timeouts, transient transport; not other 4xx or local faults")
    func retryability() {
        #expect(FetchError.Reason.httpStatus(500).isRetryable)
        #expect(FetchError.Reason.httpStatus(503).isRetryable)
        #expect(FetchError.Reason.httpStatus(429).isRetryable)
        #expect(!FetchError.Reason.httpStatus(404).isRetryable)
        #expect(!FetchError.Reason.httpStatus(403).isRetryable)
        #expect(FetchError.Reason.timedOut(detail: "x").isRetryable)
        #expect(FetchError.Reason.transport(curlCode: 7, message: "refused").isRetryable)
        #expect(!FetchError.Reason.transport(curlCode: 60, message: "certificate").isRetryable)
        #expect(!FetchError.Reason.decode(.truncated).isRetryable)
        #expect(!FetchError.Reason.tooLarge(limitBytes: 1, decoded: false).isRetryable)
    }
}
