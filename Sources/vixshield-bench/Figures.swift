import Foundation
import VixShieldCore

/// Where figures go. Text mode (the default) prints the human lines on stdout; `--json` prints one JSON
/// object per figure on stdout (machine-readable, for baselines and CI logs) and the human lines on stderr.
enum Figures {
    nonisolated(unsafe) static var json = false
    nonisolated(unsafe) static var suite = ""

    /// A human-readable line.
    static func say(_ line: String) {
        if json {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            print(line)
        }
    }

    /// A timed figure: `value` maps seconds to the figure's unit (e.g. a rate), so min and max stay paired with
    /// the right runs (the fastest run gives the highest rate).
    static func record(_ name: String, unit: String, timing: Timing, value: (Double) -> Double = { $0 },
                       target: String? = nil, notes: [String: String] = [:]) {
        let mapped = timing.seconds.map(value).sorted()
        record(name, unit: unit, median: mapped[mapped.count / 2], min: mapped.first!, max: mapped.last!, n: mapped.count,
               target: target, notes: notes)
    }

    /// A figure measured once (a size, a count) or already summarised.
    static func record(_ name: String, unit: String, median: Double, min: Double? = nil, max: Double? = nil, n: Int = 1,
                       target: String? = nil, notes: [String: String] = [:]) {
        guard json else { return }
        var fields: [(String, String)] = [
            ("suite", JSONText.quoted(suite)), ("figure", JSONText.quoted(name)), ("unit", JSONText.quoted(unit)),
            ("median", number(median)), ("min", number(min ?? median)), ("max", number(max ?? median)), ("n", String(n)),
        ]
        if let target { fields.append(("target", JSONText.quoted(target))) }
        for (k, v) in notes.sorted(by: { $0.key < $1.key }) { fields.append((k, JSONText.quoted(v))) }
        print("{" + fields.map { "\(JSONText.quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}")
    }

    /// The machine the figures ran on: the first JSON line of a run.
    static func machine() {
        guard json else { return }
        let info = ProcessInfo.processInfo
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        print("{\"figure\":\"machine\",\"cores\":\(info.activeProcessorCount),\"memory_gib\":\(number(Double(info.physicalMemory) / 1_073_741_824)),"
              + "\"os\":\(JSONText.quoted(info.operatingSystemVersionString)),\"cpu\":\(JSONText.quoted(cpuModel())),\"build\":\(JSONText.quoted(build))}")
    }

    private static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "unknown" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    private static func number(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "null" }
}

/// Peak resident set of this process so far, in MiB (Linux reports ru_maxrss in KiB).
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
