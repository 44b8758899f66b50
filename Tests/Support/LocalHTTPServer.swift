import FlyingFox
import FlyingSocks
import Foundation

/// A FlyingFox server on 127.0.0.1 with an ephemeral port, for fetch tests.
///
/// Bound explicitly to IPv4 (FlyingFox's loopback default is IPv6) and stopped with timeout 0 so
/// handlers stuck in a deliberate pause are cancelled at once.
public struct LocalHTTPServer: Sendable {
    public struct NoPort: Error {}

    public let server: HTTPServer
    public let task: Task<Void, any Error>
    public let port: UInt16

    /// Starts a server answering every request with `handler` and waits until it listens.
    public static func start(_ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) async throws -> LocalHTTPServer {
        let server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: 0), timeout: 10, logger: .disabled)
        await server.appendRoute("*", handler: handler)
        let task = Task { try await server.run() }
        // Generous: a loaded 2-core machine can keep the concurrency pool busy for seconds.
        try await server.waitUntilListening(timeout: 60)
        guard case .ip4(_, let port) = await server.listeningAddress else {
            task.cancel()
            throw NoPort()
        }
        return LocalHTTPServer(server: server, task: task, port: port)
    }

    /// Runs `body` against a fresh server and always stops it.
    public static func with<T>(
        _ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse,
        _ body: (LocalHTTPServer) async throws -> T
    ) async throws -> T {
        let running = try await start(handler)
        do {
            let result = try await body(running)
            await running.stop()
            return result
        } catch {
            await running.stop()
            throw error
        }
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    public func stop() async {
        await server.stop(timeout: 0)
        task.cancel()
    }
}
