import FlyingFox
import FlyingSocks
import Foundation

/// A FlyingFox server on 127.0.0.1 with an ephemeral port, for fetch tests.
///
/// Bound explicitly to IPv4 (FlyingFox's loopback default is IPv6) and stopped with timeout 0 so
/// handlers stuck in a deliberate pause are cancelled at once.
struct LocalHTTPServer: Sendable {
    struct NoPort: Error {}

    let server: HTTPServer
    let task: Task<Void, any Error>
    let port: UInt16

    /// Starts a server answering every request with `handler` and waits until it listens.
    static func start(_ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) async throws -> LocalHTTPServer {
        let server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: 0), timeout: 10, logger: .disabled)
        await server.appendRoute("*", handler: handler)
        let task = Task { try await server.run() }
        try await server.waitUntilListening()
        guard case .ip4(_, let port) = await server.listeningAddress else {
            task.cancel()
            throw NoPort()
        }
        return LocalHTTPServer(server: server, task: task, port: port)
    }

    /// Runs `body` against a fresh server and always stops it.
    static func with<T>(
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

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func stop() async {
        await server.stop(timeout: 0)
        task.cancel()
    }
}

/// A response body delivered step by step: bytes, pauses, or a failure that makes the server drop
/// the connection mid-body (used for slow and truncated bodies).
struct ScriptedBody: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8

    enum Step: Sendable {
        case bytes([UInt8])
        case pause(Duration)
        case dropConnection
    }

    struct Dropped: Error {}

    let steps: [Step]

    func makeAsyncIterator() -> Iterator { Iterator(steps: steps[...]) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var steps: ArraySlice<Step>
        var pending: ArraySlice<UInt8> = []

        mutating func next() async throws -> UInt8? {
            try await nextBuffer(suggested: 1)?.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            while pending.isEmpty {
                guard let step = steps.popFirst() else { return nil }
                switch step {
                case .bytes(let bytes): pending = bytes[...]
                case .pause(let duration): try await Task.sleep(for: duration)
                case .dropConnection: throw Dropped()
                }
            }
            let taken = Array(pending.prefix(Swift.max(1, count)))
            pending.removeFirst(taken.count)
            return taken
        }
    }
}

/// Counts requests across concurrent handler calls.
actor RequestCounter {
    private(set) var count = 0

    /// Increments and returns the new count (1 for the first request).
    func next() -> Int {
        count += 1
        return count
    }
}

/// Records the delays the fetcher asks to sleep, instead of sleeping.
final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []

    var delays: [Double] { lock.withLock { recorded } }

    var sleeper: @Sendable (Double) -> Void {
        { [self] seconds in lock.withLock { recorded.append(seconds) } }
    }
}
