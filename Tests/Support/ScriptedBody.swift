import FlyingFox
import FlyingSocks
import Foundation

/// A response body delivered step by step: bytes, pauses, or a failure that makes the server drop
/// the connection mid-body (used for slow, stalled and truncated bodies).
public struct ScriptedBody: AsyncBufferedSequence, Sendable {
    public typealias Element = UInt8

    public enum Step: Sendable {
        case bytes([UInt8])
        case pause(Duration)
        case dropConnection
    }

    struct Dropped: Error {}

    let steps: [Step]

    public init(steps: [Step]) { self.steps = steps }

    public func makeAsyncIterator() -> Iterator { Iterator(steps: steps[...]) }

    public struct Iterator: AsyncBufferedIteratorProtocol {
        var steps: ArraySlice<Step>
        var pending: ArraySlice<UInt8> = []

        public mutating func next() async throws -> UInt8? {
            try await nextBuffer(suggested: 1)?.first
        }

        public mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
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
