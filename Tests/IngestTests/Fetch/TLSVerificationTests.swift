import Foundation
import Testing

@testable import Ingest

private let opensslPath = "/usr/bin/openssl"

/// Runs blocking work (processes, pipes, the blocking fetch) on its own thread, never on the
/// concurrency pool.
func runOffConcurrencyPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let result: Result<T, any Error> = await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: Result { try body() }) }.start()
    }
    return try result.get()
}

@Suite("TLS verification")
struct TLSVerificationTests {
    struct ServerDidNotStart: Error, CustomStringConvertible {
        let output: String
        var description: String { "openssl s_server did not report its port; output: \(output)" }
    }

    /// Runs `body` against an `openssl s_server -www` on 127.0.0.1 with a self-signed certificate made
    /// for the test (its SAN is the loopback IP, so only the trust anchor is missing); `body` gets the
    /// port and the certificate's path. Blocking: call it off the concurrency pool.
    static func withSelfSignedServer<T>(_ body: (Int, String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vixshield-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key.pem").path
        let cert = directory.appendingPathComponent("cert.pem").path

        let generate = Process()
        generate.executableURL = URL(fileURLWithPath: opensslPath)
        generate.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                              "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                              "-addext", "subjectAltName=IP:127.0.0.1"]
        generate.standardOutput = FileHandle.nullDevice
        generate.standardError = FileHandle.nullDevice
        try generate.run()
        generate.waitUntilExit()

        let server = Process()
        server.executableURL = URL(fileURLWithPath: opensslPath)
        server.arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key, "-www"]
        let stdout = Pipe()
        server.standardOutput = stdout
        server.standardError = FileHandle.nullDevice
        try server.run()
        let finished = NSLock()
        nonisolated(unsafe) var done = false
        // SIGKILL, not terminate(): the child inherits the test runner's blocked signal mask, so
        // s_server never sees SIGTERM.
        let pid = server.processIdentifier
        defer {
            finished.withLock { done = true }
            kill(pid, SIGKILL)
            server.waitUntilExit()
        }
        // Watchdog: if the port never appears, killing the server closes the pipe and ends the read.
        DispatchQueue.global().asyncAfter(deadline: .now() + 5) {
            finished.withLock { if !done { kill(pid, SIGKILL) } }
        }

        // s_server prints "ACCEPT 127.0.0.1:<port>" once it listens.
        var output = ""
        var port: Int?
        while port == nil {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { throw ServerDidNotStart(output: output) }
            output += String(decoding: chunk, as: UTF8.self)
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
               let portText = line.split(separator: ":").last {
                port = Int(portText.trimmingCharacters(in: .whitespaces))
            }
        }
        return try body(port ?? 0, cert)
    }

    static func fetch(_ url: String, caFile: String?) -> Result<FetchResult, FetchError> {
        // `s_server -www` answers with an HTML status page, which the fetcher refuses by default.
        let fetcher = CurlFetcher(policy: FetchPolicy(connectTimeoutSeconds: 2, totalTimeoutSeconds: 4, maxAttempts: 3, caFile: caFile,
                                                      refusesHTML: false),
                                  sleep: SleepRecorder().sleeper)
        return Result { () throws(FetchError) -> FetchResult in try fetcher.fetch(url) }
    }

    /// A self-signed certificate must be refused: proves peer verification is on; naming the
    /// certificate as the CA file (the pipeline's `ca_file:`) is the only way to trust it.
    @Test("a self-signed HTTPS server is refused without retry, and accepted once its certificate is the CA file",
          .enabled(if: FileManager.default.isExecutableFile(atPath: opensslPath)))
    func selfSignedIsRefusedUnlessItsCAIsConfigured() async throws {
        let (refused, trusted) = try await runOffConcurrencyPool { () throws -> (Result<FetchResult, FetchError>, Result<FetchResult, FetchError>) in
            try Self.withSelfSignedServer { port, cert in
                (Self.fetch("https://127.0.0.1:\(port)/", caFile: nil), Self.fetch("https://127.0.0.1:\(port)/", caFile: cert))
            }
        }
        guard case .failure(let failure) = refused else {
            Issue.record("a self-signed certificate was accepted without a CA file")
            return
        }
        guard case .transport(let code, let message) = failure.reason else {
            Issue.record("expected a transport error, got \(failure)")
            return
        }
        #expect(code == 60, "CURLE_PEER_FAILED_VERIFICATION; got \(code): \(message)")
        #expect(failure.attempts.count == 1, "a certificate failure is not transient")
        switch trusted {
        case .success(let result):
            #expect(result.httpStatus == 200 && !result.body.isEmpty)
        case .failure(let error):
            Issue.record("with the certificate as CA file the fetch should succeed: \(error)")
        }
    }

    @Test("a CA file that is not a certificate fails the fetch instead of falling back to no verification",
          .enabled(if: FileManager.default.isExecutableFile(atPath: opensslPath)))
    func bogusCAFileFails() async throws {
        let outcome = try await runOffConcurrencyPool { () throws -> Result<FetchResult, FetchError> in
            try Self.withSelfSignedServer { port, cert in
                let bogus = cert + ".bogus"
                try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: bogus))
                return Self.fetch("https://127.0.0.1:\(port)/", caFile: bogus)
            }
        }
        guard case .failure(let failure) = outcome else {
            Issue.record("a bogus CA file let the self-signed server through")
            return
        }
        #expect(failure.attempts.count == 1, "\(failure)")
    }
}
