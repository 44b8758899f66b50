import Foundation
import VixShieldTestSupport
import Testing

@testable import Ingest

/// Seeded test data: incompressible random bytes, or a small alphabet that deflate can squeeze.
private func sampleData(count: Int, seed: UInt64, compressible: Bool) -> Data {
    var generator = SeededGenerator(seed: seed)
    var bytes = [UInt8](repeating: 0, count: count)
    for index in bytes.indices {
        let word = generator.next()
        bytes[index] = compressible ? UInt8(ascii: "a") + UInt8(word % 4) : UInt8(truncatingIfNeeded: word)
    }
    return Data(bytes)
}

private let allFormats: [Zlib.Format] = [.gzip, .zlib, .rawDeflate]

@Suite("Zlib codec")
struct ZlibTests {
    @Test("round trip of seeded random data in every format and level", arguments: [0, 1, 100, 65_536, 300_001])
    func roundTrip(count: Int) throws {
        for seed: UInt64 in [1, 42] {
            for compressible in [false, true] {
                let input = sampleData(count: count, seed: seed, compressible: compressible)
                for format in allFormats {
                    for level in [0, 1, 6, 9] {
                        let packed = try Zlib.compress(input, format: format, level: level)
                        let unpacked = try Zlib.decompress(packed, format: format)
                        #expect(unpacked == input,
                                "seed \(seed) count \(count) compressible \(compressible) format \(format) level \(level)")
                    }
                }
            }
        }
    }

    @Test("empty input round trips and gives a complete stream")
    func emptyInput() throws {
        for format in allFormats {
            let packed = try Zlib.compress(Data(), format: format)
            #expect(!packed.isEmpty, "format \(format)")
            #expect(try Zlib.decompress(packed, format: format) == Data(), "format \(format)")
        }
    }

    @Test("gzip output is deterministic: no timestamp, no name")
    func deterministicGzip() throws {
        let input = sampleData(count: 10_000, seed: 7, compressible: true)
        let first = try Zlib.gzip(input)
        let second = try Zlib.gzip(input)
        #expect(first == second)
        let header = [UInt8](first.prefix(10))
        #expect(header[0] == 0x1F && header[1] == 0x8B && header[2] == 8, "gzip magic and deflate method")
        #expect(header[3] == 0, "FLG: no name, comment or extra field")
        #expect(header[4..<8].allSatisfy { $0 == 0 }, "MTIME is zero")
    }

    /// Cross-implementation vectors for "hello world\n": GNU gzip 1.12 `gzip -n -9`, and
    /// CPython 3 `zlib.compress(level 9)` / raw `compressobj(9, DEFLATED, -15)`.
    @Test("decodes streams written by other implementations")
    func referenceVectors() throws {
        let expected = Data("hello world\n".utf8)
        let gnuGzip: [UInt8] = [
            0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x57,
            0x28, 0xCF, 0x2F, 0xCA, 0x49, 0xE1, 0x02, 0x00, 0x2D, 0x3B, 0x08, 0xAF, 0x0C, 0x00, 0x00, 0x00,
        ]
        let pythonZlib = try #require(Data(hex: "78dacb48cdc9c95728cf2fca49e102001e720467"))
        let pythonRaw = try #require(Data(hex: "cb48cdc9c95728cf2fca49e10200"))
        #expect(try Zlib.gunzip(Data(gnuGzip)) == expected)
        #expect(try Zlib.decompress(pythonZlib, format: .zlib) == expected)
        #expect(try Zlib.decompress(pythonRaw, format: .rawDeflate) == expected)
    }

    @Test("gunzip reads concatenated members")
    func concatenatedMembers() throws {
        let parts = (0..<3).map { sampleData(count: 5_000 * ($0 + 1), seed: UInt64(100 + $0), compressible: $0 != 1) }
        var archive = Data()
        for part in parts { archive.append(try Zlib.gzip(part)) }
        #expect(try Zlib.gunzip(archive) == parts.reduce(Data(), +))
    }

    @Test("a truncated stream is an error in every format")
    func truncated() throws {
        let input = sampleData(count: 20_000, seed: 3, compressible: true)
        for format in allFormats {
            let packed = try Zlib.compress(input, format: format)
            for keep in [1, packed.count / 2, packed.count - 1] {
                #expect(throws: CompressionError.self, "format \(format) keeping \(keep) of \(packed.count) bytes") {
                    try Zlib.decompress(packed.prefix(keep), format: format)
                }
            }
        }
        // A whole first member followed by part of a second is still truncated.
        let member = try Zlib.gzip(input)
        #expect(throws: CompressionError.truncated) {
            try Zlib.gunzip(member + member.prefix(12))
        }
        #expect(throws: CompressionError.truncated) { try Zlib.gunzip(Data()) }
    }

    @Test("corrupt data and a bad checksum are typed errors")
    func corrupt() throws {
        let input = sampleData(count: 20_000, seed: 5, compressible: true)
        var badMagic = try Zlib.gzip(input)
        badMagic[0] = 0x00
        #expect(throws: CompressionError.self) { try Zlib.gunzip(badMagic) }

        var badCRC = try Zlib.gzip(input)
        badCRC[badCRC.count - 6] ^= 0xFF  // inside the CRC-32 of the trailer
        do {
            _ = try Zlib.gunzip(badCRC)
            Issue.record("a gzip stream with a wrong CRC decoded")
        } catch {
            guard case .corrupt = error else { Issue.record("expected .corrupt, got \(error)"); return }
        }
    }

    @Test("bytes after a zlib stream are reported")
    func trailingData() throws {
        let packed = try Zlib.compress(Data("abc".utf8), format: .zlib)
        #expect(throws: CompressionError.trailingData(byteCount: 3)) {
            try Zlib.decompress(packed + Data([1, 2, 3]), format: .zlib)
        }
    }

    @Test("the output cap is enforced exactly")
    func outputCap() throws {
        let input = Data(repeating: 0, count: 1_000_000)
        let packed = try Zlib.gzip(input)
        #expect(packed.count < 5_000, "a million zeros compress well (\(packed.count) bytes)")
        #expect(try Zlib.gunzip(packed, maxOutputBytes: input.count) == input)
        #expect(throws: CompressionError.outputTooLarge(limitBytes: input.count - 1)) {
            try Zlib.gunzip(packed, maxOutputBytes: input.count - 1)
        }
    }

    @Test("levels outside 0...9 are rejected", arguments: [-1, 10])
    func invalidLevel(level: Int) {
        #expect(throws: CompressionError.invalidLevel(level)) { try Zlib.gzip(Data("x".utf8), level: level) }
    }

    @Test("streaming decode in small chunks equals the one-shot decode")
    func streamingChunks() throws {
        let input = sampleData(count: 150_000, seed: 11, compressible: true)
        let cases: [(StreamingInflater.Mode, Zlib.Format)] = [
            (.gzipMembers, .gzip), (.zlib, .zlib), (.raw, .rawDeflate), (.zlibOrRaw, .zlib), (.zlibOrRaw, .rawDeflate),
        ]
        for (mode, format) in cases {
            let packed = try Zlib.compress(input, format: format)
            for chunkSize in [1, 7, 4096] {
                let inflater = StreamingInflater(mode: mode, maxOutputBytes: .max)
                var offset = 0
                while offset < packed.count {
                    let end = min(offset + chunkSize, packed.count)
                    try inflater.feed(packed.subdata(in: offset..<end))
                    offset = end
                }
                #expect(try inflater.finish() == input, "mode \(mode) format \(format) chunk \(chunkSize)")
            }
        }
    }
}

fileprivate extension Data {
    /// Parses an even-length hex string; nil on any other character.
    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.init(bytes)
    }
}
