import Foundation
import Ingest
import Testing

/// FIPS 180-2, Appendix B (SHA-256 examples B.1, B.2, B.3) plus the empty message
/// (NIST "SHA-256 examples with intermediate values", SHA256.pdf). Exact match, no tolerance.
@Suite("SHA-256 hex digest")
struct ChecksumTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let message: Data
        let digest: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "B.1 \"abc\"", message: Data("abc".utf8),
               digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        Vector(name: "empty message", message: Data(),
               digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        Vector(name: "B.2 448-bit message",
               message: Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
               digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        Vector(name: "B.3 one million \"a\"", message: Data(repeating: UInt8(ascii: "a"), count: 1_000_000),
               digest: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    @Test("matches the FIPS 180-2 vectors in lowercase hex", arguments: vectors)
    func fipsVector(_ vector: Vector) {
        #expect(Checksum.sha256Hex(vector.message) == vector.digest, "\(vector.name), \(vector.message.count) bytes")
    }

    @Test("accepts any byte collection")
    func byteCollections() {
        let bytes: [UInt8] = Array("abc".utf8)
        #expect(Checksum.sha256Hex(bytes) == Checksum.sha256Hex(Data(bytes)))
    }
}
