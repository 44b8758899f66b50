import CZlibShim
import Foundation

/// The entries of a zip archive held in memory, read from its central directory (PKWARE APPNOTE 6.3.x
/// §4.3) and inflated with the project's zlib.
///
/// Why not ZIPFoundation: on corrupt archives its in-memory reader trapped (a record pointing past the
/// end of the data gave a `Range` with reversed bounds) and looped forever (a deflate stream that does not
/// end within the entry's compressed size), both found by `vixshield-fuzz cboe_datashop_eod`. Here every
/// record must lie whole inside the payload, the inflater's typed errors cover truncated and corrupt
/// streams, and the central directory's size and CRC-32 are checked. Stored and deflated entries only;
/// ZIP64 and encrypted entries are refused (a DataShop file is far below 4 GB and never encrypted).
enum ZipReader {
    struct Entry: Sendable {
        /// 1-based position in the central directory, for messages.
        let index: Int
        let path: String
        let method: Int
        let crc32: UInt32
        let uncompressedSize: Int
        /// Where the entry's (compressed) bytes lie in the archive.
        let dataRange: Range<Int>
    }

    /// A one-line reason, without the source (the adapter adds it).
    struct FormatError: Error, Equatable { let message: String }

    static let endOfCentralDirectorySignature = 0x0605_4B50
    static let zip64LocatorSignature = 0x0706_4B50
    static let centralEntrySignature = 0x0201_4B50
    static let localHeaderSignature = 0x0403_4B50

    /// The archive's entries, directories included, in central directory order.
    static func entries(in data: Data) throws(FormatError) -> [Entry] {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            Result { () throws(FormatError) in try entries(in: bytes) }
        }.get()
    }

    private static func entries(in bytes: UnsafeRawBufferPointer) throws(FormatError) -> [Entry] {
        let count = bytes.count
        func u16(_ at: Int) -> Int? { at >= 0 && at <= count - 2 ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : nil }
        func u32(_ at: Int) -> Int? {
            guard let low = u16(at), let high = u16(at + 2) else { return nil }
            return low | high << 16
        }
        // The record is 22 bytes plus a comment: take the signature nearest the end.
        var end = count - 22
        while end >= 0, u32(end) != endOfCentralDirectorySignature { end -= 1 }
        guard end >= 0 else { throw FormatError(message: "no end of central directory record") }
        if end >= 20, u32(end - 20) == zip64LocatorSignature { throw FormatError(message: "ZIP64 archives are not read") }
        guard let entryCount = u16(end + 10), var at = u32(end + 16), entryCount != 0xFFFF, at != 0xFFFF_FFFF else {
            throw FormatError(message: "ZIP64 archives are not read")
        }
        var out: [Entry] = []
        for index in 1..<(entryCount + 1) {
            guard u32(at) == centralEntrySignature, let flags = u16(at + 8), let method = u16(at + 10),
                  let crc = u32(at + 16), let compressed = u32(at + 20), let uncompressed = u32(at + 24),
                  let nameLength = u16(at + 28), let extraLength = u16(at + 30), let commentLength = u16(at + 32),
                  let local = u32(at + 42), at + 46 + nameLength + extraLength + commentLength <= count else {
                throw FormatError(message: "central directory entry \(index) lies outside the archive (offset \(at), \(count) bytes)")
            }
            if [compressed, uncompressed, local].contains(0xFFFF_FFFF) {
                throw FormatError(message: "ZIP64 archives are not read (entry \(index))")
            }
            if flags & 0x1 != 0 { throw FormatError(message: "entry \(index) is encrypted") }
            // The local header repeats the name and has its own extra field; the data follows it. Its sizes may
            // be zero (a data descriptor after the data holds them), so the central directory's are used.
            guard u32(local) == localHeaderSignature, let localName = u16(local + 26), let localExtra = u16(local + 28),
                  local + 30 + localName + localExtra + compressed <= count else {
                throw FormatError(message: "entry \(index)'s data lies outside the archive (local header at \(local), \(count) bytes)")
            }
            let start = local + 30 + localName + localExtra
            let name = UnsafeRawBufferPointer(rebasing: bytes[(at + 46)..<(at + 46 + nameLength)])
            out.append(Entry(index: index, path: String(decoding: name, as: UTF8.self), method: method, crc32: UInt32(crc),
                             uncompressedSize: uncompressed, dataRange: start..<(start + compressed)))
            at += 46 + nameLength + extraLength + commentLength
        }
        return out
    }

    /// The entry's bytes, checked against the central directory's size and CRC-32.
    static func contents(of entry: Entry, in data: Data) throws(FormatError) -> Data {
        let stored = data.subdata(in: (data.startIndex + entry.dataRange.lowerBound)..<(data.startIndex + entry.dataRange.upperBound))
        let bytes: Data
        switch entry.method {
        case 0:
            bytes = stored
        case 8:
            do {
                bytes = try Zlib.decompress(stored, format: .rawDeflate, maxOutputBytes: entry.uncompressedSize)
            } catch {
                throw FormatError(message: "entry \(entry.index): \(error)")
            }
        default:
            throw FormatError(message: "entry \(entry.index): compression method \(entry.method) is not stored (0) or deflate (8)")
        }
        guard bytes.count == entry.uncompressedSize else {
            throw FormatError(message: "entry \(entry.index): \(bytes.count) bytes, the directory says \(entry.uncompressedSize)")
        }
        let crc = bytes.withUnsafeBytes { raw in
            UInt32(CZlibShim.crc32(0, raw.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(raw.count)))
        }
        guard crc == entry.crc32 else {
            throw FormatError(message: "entry \(entry.index): CRC-32 \(String(crc, radix: 16)) is not the directory's \(String(entry.crc32, radix: 16))")
        }
        return bytes
    }
}
