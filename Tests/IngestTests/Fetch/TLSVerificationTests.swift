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

    /// A self-signed certificate must be refused: proves peer verification is on. Uses the system
    /// `openssl s_server` as the TLS peer; skipped where openssl is not installed.
    @Test("a self-signed HTTPS server is refused, without retry",
          .enabled(if: FileManager.default.isExecutableFile(atPath: opensslPath)))
    func selfSignedIsRefused() async throws {
        let error = try await runOffConcurrencyPool { () throws -> FetchError? in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vixshield-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let key = directory.appendingPathComponent("key.pem").path
            let cert = directory.appendingPathComponent("cert.pem").path

            let generate = Process()
            generate.executableURL = URL(fileURLWithPath: opensslPath)
            generate.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                  "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"]
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
            let fetcher = CurlFetcher(policy: FetchPolicy(connectTimeoutSeconds: 2, totalTimeoutSeconds: 4, maxAttempts: 3),
                                      sleep: SleepRecorder().sleeper)
            do throws(FetchError) {
                _ = try fetcher.fetch("https://127.0.0.1:\(port ?? 0)/")
                return nil
            } catch {
                return error
            }
        }
        let failure = try #require(error as FetchError?, "a self-signed certificate was accepted")
        guard case .transport(let code, let message) = failure.reason else {
            Issue.record("expected a transport error, got \(failure)")
            return
        }
        #expect(code == 60, "CURLE_PEER_FAILED_VERIFICATION; got \(code): \(message)")
        #expect(failure.attempts.count == 1, "a certificate failure is not transient")
    }
}
