import Crypto
import Foundation

/// Content checksums recorded with every archived payload.
public enum Checksum {
    /// The SHA-256 digest of `data` as 64 lowercase hexadecimal characters.
    public static func sha256Hex(_ data: some DataProtocol) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Lowercase hex of any byte sequence (two characters per byte, most significant nibble first).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
