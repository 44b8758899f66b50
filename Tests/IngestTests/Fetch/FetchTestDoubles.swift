import FlyingFox
import FlyingSocks
import Foundation

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
