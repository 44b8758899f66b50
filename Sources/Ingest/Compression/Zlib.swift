import CZlibShim
import Foundation

/// One-shot zlib, gzip and raw deflate compression and decompression on the system zlib.
public enum Zlib {
    /// The wrapper around the deflate data.
    public enum Format: Sendable, Equatable {
        /// RFC 1952 gzip. Decoding accepts concatenated members; encoding writes one member with no
        /// file name and a zero modification time, so equal inputs give byte-identical archives.
        case gzip
        /// RFC 1950 zlib (2-byte header, Adler-32 trailer).
        case zlib
        /// RFC 1951 raw deflate, no header or trailer.
        case rawDeflate
    }

    /// Level 5, one below zlib's default: on a full SPX chain (an 11.2 MB Cboe JSON) it writes 2.07 MB in 0.16 s
    /// where level 6 writes 2.02 MB in 0.25 s (zlib 1.2.13, one core); level 4 is no faster and 11 % larger.
    /// (The archive itself is zstd since migration 013: see `Zstd`.)
    public static let defaultLevel = 5

    /// Compresses `data`.
    /// - Parameters:
    ///   - format: the wrapper to write (default gzip).
    ///   - level: 0 (store) ... 9 (smallest).
    /// - Throws: `CompressionError.invalidLevel` or `.zlibFailure`.
    public static func compress(_ data: Data, format: Format = .gzip, level: Int = defaultLevel) throws(CompressionError) -> Data {
        guard (0...9).contains(level) else { throw .invalidLevel(level) }
        // zlib's gzip header from deflateInit2 alone has mtime 0, no name and a build-fixed OS byte:
        // no deflateSetHeader call, so nothing time- or host-dependent enters the archive.
        let windowBits: Int32 = switch format {
        case .gzip: 16 + MAX_WBITS
        case .zlib: MAX_WBITS
        case .rawDeflate: -MAX_WBITS
        }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        let initCode = vs_deflateInit2(stream, Int32(level), windowBits)
        guard initCode == Z_OK else { throw .zlibFailure(code: initCode, detail: String(cString: zError(initCode))) }
        defer { deflateEnd(stream) }

        let chunkSize = 64 * 1024
        let scratch = UnsafeMutablePointer<Bytef>.allocate(capacity: chunkSize)
        defer { scratch.deallocate() }
        var output = Data()
        output.reserveCapacity(Int(deflateBound(stream, uLong(min(data.count, Int(UInt32.max))))))

        // withUnsafeBytes is untyped-rethrows: carry the typed error out in a Result.
        return try data.withUnsafeBytes { input in Result { () throws(CompressionError) -> Data in
            var remaining = input
            while true {
                // avail_in is 32-bit: feed large inputs in slices and only finish on the last one.
                let sliceCount = min(remaining.count, Int(UInt32.max))
                let slice = UnsafeRawBufferPointer(rebasing: remaining[..<sliceCount])
                remaining = UnsafeRawBufferPointer(rebasing: remaining[sliceCount...])
                let flush = remaining.isEmpty ? Z_FINISH : Z_NO_FLUSH
                stream.pointee.next_in = UnsafeMutablePointer(mutating: slice.bindMemory(to: Bytef.self).baseAddress)
                stream.pointee.avail_in = uInt(slice.count)
                var code: Int32
                repeat {
                    stream.pointee.next_out = scratch
                    stream.pointee.avail_out = uInt(chunkSize)
                    code = deflate(stream, flush)
                    guard code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR else {
                        throw .zlibFailure(code: code, detail: String(cString: zError(code)))
                    }
                    output.append(scratch, count: chunkSize - Int(stream.pointee.avail_out))
                } while stream.pointee.avail_out == 0
                if flush == Z_FINISH {
                    guard code == Z_STREAM_END else {
                        throw .zlibFailure(code: code, detail: "deflate did not reach the end of the stream")
                    }
                    return output
                }
            }
        } }.get()
    }

    /// Decompresses `data`, which must be exactly one complete stream (gzip: one or more members).
    /// - Parameters:
    ///   - format: the wrapper the data is in.
    ///   - maxOutputBytes: decoding more than this many bytes throws `.outputTooLarge`.
    /// - Throws: `CompressionError.corrupt`, `.truncated`, `.trailingData`, `.outputTooLarge`.
    public static func decompress(_ data: Data, format: Format, maxOutputBytes: Int = .max) throws(CompressionError) -> Data {
        let mode: StreamingInflater.Mode = switch format {
        case .gzip: .gzipMembers
        case .zlib: .zlib
        case .rawDeflate: .raw
        }
        let inflater = StreamingInflater(mode: mode, maxOutputBytes: maxOutputBytes)
        try inflater.feed(data)
        return try inflater.finish()
    }

    /// Gzip-compresses `data` deterministically (see `Format.gzip`) as one member.
    public static func gzip(_ data: Data, level: Int = defaultLevel) throws(CompressionError) -> Data {
        try compress(data, format: .gzip, level: level)
    }

    /// Decodes gzip data, concatenated members included.
    public static func gunzip(_ data: Data, maxOutputBytes: Int = .max) throws(CompressionError) -> Data {
        try decompress(data, format: .gzip, maxOutputBytes: maxOutputBytes)
    }
}
