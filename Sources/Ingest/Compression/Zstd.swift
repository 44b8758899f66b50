import CZstd
import Foundation

/// One-shot Zstandard (RFC 8878) compression and bounded decompression on the system libzstd: the raw
/// archive's codec. A full SPX chain (a 12.0 MB Cboe JSON) takes 2.23 MB at level 1 in about 25 ms, where
/// gzip level 5 took 2.21 MB in 140 ms (libzstd 1.5.4, zlib 1.2.13, one core of the 2-core EPYC used for
/// the README's figures): the archive's compression was the largest single cost of a backfilled day.
public enum Zstd {
    /// Level 1: on the chain above levels 2–4 are both slower and larger; level 5 is 0.5 % smaller at 3.5× the time.
    public static let defaultLevel: Int32 = 1

    /// Compresses `data` into one frame that records its content size, with no checksum (the archive keeps
    /// the payload's SHA-256) and no dictionary: equal inputs give byte-identical frames.
    /// - Parameter level: zstd's level; out-of-range levels are clamped by libzstd.
    public static func compress(_ data: Data, level: Int32 = defaultLevel) throws(CompressionError) -> Data {
        let bound = ZSTD_compressBound(data.count)
        guard ZSTD_isError(bound) == 0 else { throw .zstdFailure(detail: String(cString: ZSTD_getErrorName(bound))) }
        var output = Data(count: bound)
        let written = output.withUnsafeMutableBytes { out in
            data.withUnsafeBytes { input in ZSTD_compress(out.baseAddress, bound, input.baseAddress, input.count, level) }
        }
        guard ZSTD_isError(written) == 0 else { throw .zstdFailure(detail: String(cString: ZSTD_getErrorName(written))) }
        output.count = written
        return output
    }

    /// Decodes `data`: one or more complete frames (RFC 8878 §3.1 allows concatenation), nothing else.
    /// Streams into a growing buffer, so a frame that does not state its size (or states a wrong one) is
    /// still bounded by `maxOutputBytes`.
    /// - Throws: `CompressionError.corrupt`, `.truncated`, `.outputTooLarge`, `.zstdFailure`.
    public static func decompress(_ data: Data, maxOutputBytes: Int = .max) throws(CompressionError) -> Data {
        guard !data.isEmpty else { throw .truncated }
        guard let stream = ZSTD_createDStream() else { throw .zstdFailure(detail: "cannot allocate a decompression context") }
        defer { ZSTD_freeDStream(stream) }
        let chunkSize = ZSTD_DStreamOutSize()
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { scratch.deallocate() }
        // A frame that states its size lets the buffer be reserved once (capped, so a lying header costs nothing).
        var output = Data()
        let stated = data.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        if stated < UInt64(Int.max), Int(stated) <= maxOutputBytes { output.reserveCapacity(min(Int(stated), 1 << 30)) }

        // withUnsafeBytes is untyped-rethrows: carry the typed error out in a Result.
        return try data.withUnsafeBytes { input in Result { () throws(CompressionError) -> Data in
            var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
            // 0 once a frame is complete; a hint of the bytes still needed while one is open.
            var pending = 1
            while inBuffer.pos < inBuffer.size || pending != 0 {
                var outBuffer = ZSTD_outBuffer(dst: scratch, size: chunkSize, pos: 0)
                let code = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
                if ZSTD_isError(code) != 0 { throw .corrupt(detail: String(cString: ZSTD_getErrorName(code))) }
                pending = code
                guard output.count + outBuffer.pos <= maxOutputBytes else { throw .outputTooLarge(limitBytes: maxOutputBytes) }
                output.append(scratch.assumingMemoryBound(to: UInt8.self), count: outBuffer.pos)
                // Input used up inside a frame with the output not full (so nothing is left to flush): the data
                // stops mid-frame.
                if pending != 0, inBuffer.pos == inBuffer.size, outBuffer.pos < outBuffer.size { throw .truncated }
            }
            return output
        } }.get()
    }
}
