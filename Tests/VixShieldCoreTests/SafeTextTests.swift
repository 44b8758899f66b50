import Testing
import VixShieldCore
import VixShieldTestSupport

@Suite("Safe text: control characters, secrets, checked conversions")
struct SafeTextTests {
    @Test("C0, DEL and C1 controls are escaped; printable text, Unicode and backslashes are kept", arguments: [
        ("plain", "plain"),
        ("\u{1B}[31mred\u{1B}[0m", "\\x1b[31mred\\x1b[0m"),
        ("bell\u{07}", "bell\\x07"),
        ("a\tb\nc\rd\u{00}", "a\\x09b\\x0ac\\x0dd\\x00"),
        ("del\u{7F}", "del\\x7f"),
        ("csi\u{9B}2J next\u{85}line", "csi\\x9b2J next\\x85line"),
        ("naïve € 日本 \\x1b", "naïve € 日本 \\x1b"),
    ])
    func escaping(input: String, expected: String) {
        #expect(SafeText.escapingControlCharacters(input) == expected, "\(input.unicodeScalars.map { $0.value })")
        #expect(SafeText.escapingControlCharacters(expected) == expected, "escaping is stable on its own output")
    }

    @Test("diagnostics and their locations are stored escaped")
    func diagnosticsEscape() {
        let d = Diagnostic(.warning, "f.csv:\u{1B}", "not a date: \"\u{07}\"")
        #expect(d.description == "warning: f.csv:\\x1b: not a date: \"\\x07\"")
    }

    @Test("secrets are masked as written and percent-encoded; URL passwords and credential parameters too")
    func redaction() {
        let r = Redaction(secrets: [SecretString("ab/c d+e"), SecretString("tok123")])
        #expect(r.apply("GET https://x.test/q?t=tok123: refused") == "GET https://x.test/q?t=***: refused")
        #expect(r.apply("https://x.test/q?t=ab%2Fc%20d%2Be") == "https://x.test/q?t=***")
        #expect(r.apply("https://user:hunter2@x.test/a?Api-Key=zzz&date=2026-07-06&token=&x#frag")
                    == "https://user:***@x.test/a?Api-Key=***&date=2026-07-06&token=***&x#frag")
        #expect(r.apply("see \"http://h.test/?access_token=q\" and file:///tmp/a?b") == "see \"http://h.test/?access_token=***\" and file:///tmp/a?b")
        #expect(r.apply("no url here tok123\u{1B}") == "no url here ***\\x1b")
        #expect(r.apply("GET https://h.test/a?token={env:VS_T}&key=abc: HTTP status 500")
                    == "GET https://h.test/a?token={env:VS_T}&key=***: HTTP status 500")
        #expect("\(SecretString("tok123"))" == "***" && String(reflecting: SecretString("tok123")) == "***")
    }

    @Test("Double → Int conversions that would trap give nil or clamp", arguments: [
        (Double.nan, nil as Int?, nil as Int?), (.infinity, nil, 100), (-.infinity, nil, 1), (1e300, nil, 100),
        (0x1p63, nil, 100), (-0x1p63, Int.min, 1), (42.9, 42, 42), (-3.7, -3, 1),
    ])
    func checkedConversions(value: Double, truncated: Int?, clamped: Int?) {
        #expect(Int(truncatingIfRepresentable: value) == truncated, "\(value)")
        #expect(Int(clamping: value, to: 1...100) == clamped, "\(value)")
    }
}
