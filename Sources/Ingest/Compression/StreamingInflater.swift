import CZlibShim
import Foundation

/// An incremental zlib decoder: feed compressed chunks as they arrive, then `finish()`.
///
/// The fetch client decodes `Content-Encoding` inside curl's write callback with this type so that the
/// decoded-size cap aborts the transfer as soon as it is crossed, instead of after a (possibly huge)
/// body has been buffered. The one-shot `Zlib.decompress` uses the same code.
///
/// Not thread-safe: one instance belongs to one transfer on one thread.
final class StreamingInflater {
    /// What the compressed bytes are wrapped in.
    enum Mode {
        /// One or more concatenated gzip members (RFC 1952); `gunzip` accepts the same.
        case gzipMembers
        /// A single zlib stream (RFC 1950).
        case zlib
        /// A single raw deflate stream (RFC 1951), no header or trailer.
        case raw
        /// HTTP `Content-Encoding: deflate`: RFC 9110 says zlib, but some servers send raw deflate, so
        /// the first two bytes decide (a zlib header is CM = 8 and a multiple of 31 as a big-endian word).
        case zlibOrRaw
    }

    private static let scratchSize = 64 * 1024

    private let maxOutputBytes: Int
    private var mode: Mode
    /// Allocated (not a stored struct) because zlib keeps a back-pointer to the stream and rejects it
    /// if the address moves between calls.
    private var stream: UnsafeMutablePointer<z_stream>?
    private let scratch: UnsafeMutablePointer<Bytef>
    /// Bytes held back while `zlibOrRaw` waits for its two header bytes.
    private var pendingHeader: [UInt8] = []
    /// True once the current stream (or gzip member) has ended and nothing has been fed since.
    private var streamEnded = false
    private(set) var output = Data()

    /// - Parameters:
    ///   - mode: the wrapper format.
    ///   - maxOutputBytes: decoding more than this throws `.outputTooLarge`.
    init(mode: Mode, maxOutputBytes: Int) {
        self.mode = mode
        self.maxOutputBytes = maxOutputBytes
        self.scratch = .allocate(capacity: Self.scratchSize)
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
        scratch.deallocate()
    }

    /// Decodes one chunk of compressed input, appending to `output`.
    func feed(_ bytes: UnsafeRawBufferPointer) throws(CompressionError) {
        guard bytes.count > 0 else { return }
        if case .zlibOrRaw = mode {
            pendingHeader.append(contentsOf: bytes)
            guard pendingHeader.count >= 2 else { return }
            mode = Self.looksLikeZlibHeader(pendingHeader[0], pendingHeader[1]) ? .zlib : .raw
            let held = pendingHeader
            pendingHeader = []
            try held.withUnsafeBytes { buffer in Result { () throws(CompressionError) in try inflateChunk(buffer) } }.get()
            return
        }
        try inflateChunk(bytes)
    }

    /// Decodes one chunk of compressed input.
    func feed(_ data: Data) throws(CompressionError) {
        // withUnsafeBytes is untyped-rethrows: carry the typed error out in a Result.
        try data.withUnsafeBytes { buffer in Result { () throws(CompressionError) in try feed(buffer) } }.get()
    }

    /// Checks that the input ended exactly at the end of a stream (or gzip member) and returns the output.
    func finish() throws(CompressionError) -> Data {
        guard streamEnded else { throw .truncated }
        return output
    }

    // MARK: - zlib

    /// RFC 1950 §2.2: CMF low nibble 8 (deflate), window ≤ 32 KiB, and CMF·256 + FLG divisible by 31.
    private static func looksLikeZlibHeader(_ cmf: UInt8, _ flg: UInt8) -> Bool {
        (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0
    }

    private func startStream() throws(CompressionError) -> UnsafeMutablePointer<z_stream> {
        if let stream { return stream }
        let windowBits: Int32 = switch mode {
        case .gzipMembers: 16 + MAX_WBITS  // gzip wrapper only
        case .zlib: MAX_WBITS
        case .raw, .zlibOrRaw: -MAX_WBITS
        }
        let created = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        created.initialize(to: z_stream())
        let code = vs_inflateInit2(created, windowBits)
        guard code == Z_OK else {
            let detail = Self.message(created, code: code)
            created.deallocate()
            throw .zlibFailure(code: code, detail: detail)
        }
        stream = created
        return created
    }

    private func inflateChunk(_ bytes: UnsafeRawBufferPointer) throws(CompressionError) {
        let stream = try startStream()
        var remaining = bytes
        // avail_in is 32-bit: walk very large buffers in slices.
        while remaining.count > 0 {
            let sliceCount = min(remaining.count, Int(UInt32.max))
            try inflateSlice(stream, UnsafeRawBufferPointer(rebasing: remaining[..<sliceCount]))
            remaining = UnsafeRawBufferPointer(rebasing: remaining[sliceCount...])
        }
    }

    private func inflateSlice(_ stream: UnsafeMutablePointer<z_stream>, _ bytes: UnsafeRawBufferPointer) throws(CompressionError) {
        // zlib never writes through next_in; the mutable pointer type is a C API artefact (no z_const).
        stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.bindMemory(to: Bytef.self).baseAddress)
        stream.pointee.avail_in = uInt(bytes.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            if streamEnded {
                guard stream.pointee.avail_in > 0 else { return }
                guard case .gzipMembers = mode else {
                    throw .trailingData(byteCount: Int(stream.pointee.avail_in))
                }
                // Another gzip member follows (RFC 1952 §2.2 allows concatenation): start over on it.
                inflateReset(stream)
                streamEnded = false
            }
            stream.pointee.next_out = scratch
            stream.pointee.avail_out = uInt(Self.scratchSize)
            let code = inflate(stream, Z_NO_FLUSH)
            let produced = Self.scratchSize - Int(stream.pointee.avail_out)
            if produced > 0 {
                guard output.count + produced <= maxOutputBytes else {
                    throw .outputTooLarge(limitBytes: maxOutputBytes)
                }
                output.append(scratch, count: produced)
            }
            switch code {
            case Z_STREAM_END:
                streamEnded = true
            case Z_OK:
                // Output space was exhausted: there may be more to flush even with no input left.
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
            case Z_BUF_ERROR:
                // No progress possible: all input consumed and nothing pending.
                return
            case Z_NEED_DICT:
                throw .corrupt(detail: "stream needs a preset dictionary")
            case Z_DATA_ERROR:
                throw .corrupt(detail: Self.message(stream, code: code))
            default:
                throw .zlibFailure(code: code, detail: Self.message(stream, code: code))
            }
        }
    }

    private static func message(_ stream: UnsafeMutablePointer<z_stream>, code: Int32) -> String {
        if let msg = stream.pointee.msg { return String(cString: msg) }
        return String(cString: zError(code))
    }
}
