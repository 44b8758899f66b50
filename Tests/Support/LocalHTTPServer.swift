import FlyingFox
import FlyingSocks
import Foundation

/// A FlyingFox server on 127.0.0.1 with an ephemeral port, for fetch tests.
///
/// Bound explicitly to IPv4 (FlyingFox's loopback default is IPv6) and stopped with timeout 0 so
/// handlers stuck in a deliberate pause are cancelled at once. A suite that uses it is listed in
/// `scripts/test`, which runs those suites apart from the compute-heavy ones (see there why).
public struct LocalHTTPServer: Sendable {
    public struct NoPort: Error {}

    public let server: HTTPServer
    public let task: Task<Void, any Error>
    public let port: UInt16

    /// Starts a server answering every request with `handler` and waits until it listens.
    public static func start(_ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) async throws -> LocalHTTPServer {
        let server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: 0), timeout: 10, logger: .disabled)
        await server.appendRoute("*", handler: handler)
        // The server's tasks (and the handlers they call) run on threads of their own, not on the
        // concurrency pool: Swift Testing runs synchronous tests on that pool, which has 2 threads here,
        // and two long ones there starved the server until the fetch under test timed out.
        let task = Task(executorPreference: ServerExecutor.shared) { try await server.run() }
        // Not FlyingFox's waitUntilListening: it races the wait against a wall-clock timer, and when synchronous
        // tests hold both threads of the concurrency pool (a full `swift test` on a slow 2-core machine held
        // them for three minutes) the timer, started first, wins as soon as the pool is free, although the
        // server (on threads of its own) listened long before. This bound counts polls instead: a stalled
        // pool delays them without using them up.
        var address = await server.listeningAddress
        for _ in 0..<6_000 where address == nil {
            try await Task.sleep(for: .milliseconds(10))
            address = await server.listeningAddress
        }
        guard case .ip4(_, let port) = address else {
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

/// A task executor on GCD worker threads (outside the Swift concurrency pool) for in-process test servers.
/// A task's jobs never overlap and default actors keep their own exclusion, so a concurrent queue is enough.
final class ServerExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = ServerExecutor()
    private let queue = DispatchQueue(label: "vixshield.test-http-server", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
