import Foundation
import Testing
import VixShieldCore

@Suite("JSON text")
struct JSONTextTests {
    @Test("a quoted string parses back to itself, control characters and quotes included",
          arguments: ["", "plain", "quote \" and backslash \\", "line\nbreak\r\ttab", "bell \u{07} escape \u{1B}[31m", "é 日本 🙂"])
    func roundTrip(_ s: String) throws {
        let text = JSONText.quoted(s)
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [String]
        #expect(parsed == [s])
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 }, "no raw control character in \(text)")
    }
}
