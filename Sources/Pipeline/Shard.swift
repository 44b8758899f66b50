import VixShieldCore

/// One shard of a backfill split across processes or machines (`backfill --shard K/N`): the trading days
/// of the range whose position in it, counted from 0, is K − 1 modulo N. Every date belongs to exactly one
/// shard, and neighbouring dates go to different shards so each shard spans the whole range.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// 1-based, as job arrays number their tasks (`SLURM_ARRAY_TASK_ID` from 1; a Kubernetes Indexed Job's
    /// `JOB_COMPLETION_INDEX` is 0-based, so add 1).
    public let index: Int
    public let count: Int

    public enum ParseError: Error, CustomStringConvertible, Equatable {
        case malformed(String)
        case outOfRange(index: Int, count: Int)
        public var description: String {
            switch self {
            case .malformed(let text): return "shard must be K/N with whole numbers (e.g. 2/8), not '\(text)'"
            case .outOfRange(let k, let n): return "shard \(k)/\(n): need 1 <= K <= N"
            }
        }
    }

    public init(index: Int, count: Int) throws(ParseError) {
        guard count >= 1, (1...count).contains(index) else { throw .outOfRange(index: index, count: count) }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`.
    public init(parsing text: String) throws(ParseError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { throw .malformed(text) }
        try self.init(index: k, count: n)
    }

    /// The shard's share of `dates` (in the order given: the caller passes the range's trading days).
    public func select<T>(_ dates: [T]) -> [T] {
        dates.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }

    public var description: String { "\(index)/\(count)" }
}
