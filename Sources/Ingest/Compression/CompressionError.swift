/// Why a zlib/gzip/deflate or zstd stream could not be compressed or decoded.
public enum CompressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stream is not valid for its format; `detail` is zlib's own message when it gives one.
    case corrupt(detail: String)
    /// The input ended before the compressed stream (or the current gzip member) was complete.
    case truncated
    /// Bytes follow the end of a zlib or raw deflate stream.
    case trailingData(byteCount: Int)
    /// Decoding would produce more than the caller's limit.
    case outputTooLarge(limitBytes: Int)
    /// A compression level outside 0...9.
    case invalidLevel(Int)
    /// zlib refused to start or ran out of memory (return code and message).
    case zlibFailure(code: Int32, detail: String)
    /// libzstd could not allocate or refused its input (its error name).
    case zstdFailure(detail: String)

    public var description: String {
        switch self {
        case .corrupt(let detail): "corrupt compressed data: \(detail)"
        case .truncated: "compressed data ends before the end of the stream"
        case .trailingData(let count): "\(count) unexpected bytes after the end of the compressed stream"
        case .outputTooLarge(let limit): "decompressed size exceeds the limit of \(limit) bytes"
        case .invalidLevel(let level): "compression level \(level) is outside 0...9"
        case .zlibFailure(let code, let detail): "zlib failure (code \(code)): \(detail)"
        case .zstdFailure(let detail): "zstd failure: \(detail)"
        }
    }
}
