/// "Did you mean" for a misspelt key or name in a pipeline file.
enum Suggestion {
    /// `unknown key 'symbl' (did you mean 'symbol'? allowed: symbol)`; `(no keys allowed here)` for an empty set.
    static func unknownKey(_ key: String, allowed: Set<String>) -> String {
        guard !allowed.isEmpty else { return "unknown key '\(key)' (no keys allowed here)" }
        return "unknown key '\(key)' (\(hint(key, among: allowed))allowed: \(allowed.sorted().joined(separator: ", ")))"
    }

    /// `unknown source kind 'cboe_option_json' (did you mean 'cboe_options_json'? known: …)`.
    static func unknown(_ what: String, _ value: String, known: Set<String>) -> String {
        "unknown \(what) '\(value)' (\(hint(value, among: known))known: \(known.sorted().joined(separator: ", ")))"
    }

    /// `did you mean 'x'? ` for the closest candidate within a third of the word's length (at least
    /// 1, at most 3 edits), or nothing.
    static func hint(_ word: String, among candidates: Set<String>) -> String {
        let budget = min(3, max(1, word.count / 3))
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }.filter { $0.1 <= budget }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return "" }
        return "did you mean '\(best.0)'? "
    }

    /// Levenshtein distance (insertions, deletions, substitutions), two rows.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
