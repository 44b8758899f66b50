import FlyingFox
import FlyingSocks
import Foundation

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
