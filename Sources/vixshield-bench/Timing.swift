import Foundation

/// Wall-clock statistics of repeated runs, so every figure is printed with its spread.
struct Timing {
    let seconds: [Double]

    /// Runs `body` `warmup` times unmeasured, then `repeats` times measured.
    static func measure(repeats: Int = 7, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Timing {
        for _ in 0..<warmup { try body() }
        var out: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            out.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return Timing(seconds: out)
    }

    var median: Double { let s = seconds.sorted(); return s[s.count / 2] }
    var min: Double { seconds.min() ?? .nan }
    var max: Double { seconds.max() ?? .nan }

    /// e.g. `median 0.123 s (min 0.120, max 0.131, n=7)`.
    var summary: String {
        String(format: "median %.4f s (min %.4f, max %.4f, n=%d)", median, min, max, seconds.count)
    }
}
