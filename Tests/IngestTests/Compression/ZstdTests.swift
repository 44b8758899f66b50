import Foundation
import VixShieldTestSupport
import Testing

@testable import Ingest

@Suite("Zstd codec (the raw archive's)")
struct ZstdTests {
    /// Seeded test data: incompressible random bytes, or JSON-like quote lines zstd can squeeze.
    private static func sample(count: Int, seed: UInt64, compressible: Bool) -> Data {
        var generator = SeededGenerator(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            if compressible {
                bytes += Array(#"{"option":"SPXW260717P0\#(5000 + generator.next() % 900)000","bid":\#(generator.next() % 5000)},"#.utf8)
            } else {
                bytes.append(UInt8(truncatingIfNeeded: generator.next()))
            }
        }
        return Data(bytes.prefix(count))
    }

    /// "hello world\n" by the zstd 1.5.4 command-line tool: `zstd -1 --no-check` and `zstd -1` (with its
    /// XXH64 content checksum).
    static let helloNoCheck: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x48, 0x61, 0x00, 0x00, 0x68, 0x65, 0x6C, 0x6C, 0x6F,
                                         0x20, 0x77, 0x6F, 0x72, 0x6C, 0x64, 0x0A]
    static let helloChecked: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x04, 0x48, 0x61, 0x00, 0x00, 0x68, 0x65, 0x6C, 0x6C, 0x6F,
                                         0x20, 0x77, 0x6F, 0x72, 0x6C, 0x64, 0x0A, 0x8C, 0x6D, 0x7D, 0x20]

    @Test("round trip of seeded data at several levels and sizes", arguments: [0, 1, 100, 131_073, 1_500_001])
    func roundTrip(count: Int) throws {
        for seed: UInt64 in [1, 42] {
            for compressible in [false, true] {
                let input = Self.sample(count: count, seed: seed, compressible: compressible)
                for level: Int32 in [1, 3, 19] {
                    let packed = try Zstd.compress(input, level: level)
                    #expect(try Zstd.decompress(packed) == input, "seed \(seed) count \(count) compressible \(compressible) level \(level)")
                    #expect(try Zstd.decompress(packed, maxOutputBytes: count) == input, "exactly at the limit")
                }
                if compressible && count > 100_000 {
                    #expect(try Zstd.compress(input).count < count / 4, "quote-like text compresses")
                }
            }
        }
    }

    @Test("output is deterministic: a single-segment frame stating its size, no checksum")
    func deterministicFrame() throws {
        let hello = Data("hello world\n".utf8)
        // The tool's streaming frame above gives a window size (descriptor 0x00, window byte 0x48); the one-shot
        // frame gives the content size instead: descriptor 0x20 (single segment, 1-byte size, no checksum), 12.
        // The block (raw, 12 bytes: 0x61 0x00 0x00) and the bytes are the same.
        #expect(try Zstd.compress(hello) == Data([0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x0C] + Self.helloNoCheck[6...]))
        let input = Self.sample(count: 200_000, seed: 7, compressible: true)
        #expect(try Zstd.compress(input) == (try Zstd.compress(input)))
    }

    @Test("frames written elsewhere decode: with a content checksum, and several frames in a row")
    func foreignFrames() throws {
        let hello = Data("hello world\n".utf8)
        #expect(try Zstd.decompress(Data(Self.helloChecked)) == hello)
        #expect(try Zstd.decompress(Data(Self.helloChecked + Self.helloNoCheck)) == hello + hello)
        // A wrong checksum is caught by the frame itself.
        var badChecksum = Self.helloChecked
        badChecksum[badChecksum.count - 1] ^= 0x01
        #expect(throws: CompressionError.self) { try Zstd.decompress(Data(badChecksum)) }
    }

    @Test("damaged input is an error, never a short or padded result")
    func damagedInput() throws {
        let input = Self.sample(count: 300_000, seed: 3, compressible: true)
        let packed = try Zstd.compress(input)
        #expect(throws: CompressionError.truncated) { try Zstd.decompress(Data()) }
        for cut in [1, 5, packed.count / 2, packed.count - 1] {
            #expect(throws: CompressionError.self, "cut at \(cut)") { try Zstd.decompress(packed.prefix(cut)) }
        }
        #expect(throws: CompressionError.truncated) { try Zstd.decompress(packed.prefix(packed.count - 1)) }
        var badMagic = packed
        badMagic[badMagic.startIndex] ^= 0xFF
        #expect(throws: CompressionError.self) { try Zstd.decompress(badMagic) }
        // Bytes after the last frame must be another frame.
        #expect(throws: CompressionError.self) { try Zstd.decompress(packed + Data("trailing".utf8)) }
        // gzip bytes are not zstd.
        #expect(throws: CompressionError.self) { try Zstd.decompress(try Zlib.gzip(input)) }
    }

    @Test("the output limit holds whatever the frame header says")
    func outputLimit() throws {
        let input = Data(repeating: 0x41, count: 1_000_000)
        let packed = try Zstd.compress(input)
        #expect(packed.count < 1_000, "a run compresses to almost nothing")
        #expect(throws: CompressionError.outputTooLarge(limitBytes: 999_999)) { try Zstd.decompress(packed, maxOutputBytes: 999_999) }
        #expect(throws: CompressionError.outputTooLarge(limitBytes: 10)) { try Zstd.decompress(packed, maxOutputBytes: 10) }
        #expect(try Zstd.decompress(packed, maxOutputBytes: 1_000_000).count == 1_000_000)
    }
}
