import Foundation

/// A bounds check of a zip archive held in memory, run before ZIPFoundation reads it.
///
/// Why: ZIPFoundation's in-memory archive traps (a `Range` with its bounds reversed) when a record points
/// past the end of the data, where a file on disk would give a short read and an error; and it converts
/// ZIP64's 64-bit offsets to `off_t` unchecked. A corrupt or truncated download must be an error, not a
/// crash, so this walks the records ZIPFoundation will seek to (the last end-of-central-directory record,
/// every central directory entry, its local header and data descriptor) and requires each to lie whole
/// inside the payload. ZIP64 archives are refused outright: a DataShop file is far below 4 GB.
enum ZipLayout {
    static let endOfCentralDirectorySignature = 0x0605_4B50
    static let zip64LocatorSignature = 0x0706_4B50
    static let centralEntrySignature = 0x0201_4B50
    static let localHeaderSignature = 0x0403_4B50

    /// What is wrong with `data`'s layout, or nil when every record lies inside it. An archive without an
    /// end-of-central-directory record is also nil: ZIPFoundation reports that one itself.
    static func problem(in data: Data) -> String? {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> String? in
            let count = bytes.count
            func u16(_ at: Int) -> Int? { at >= 0 && at <= count - 2 ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : nil }
            func u32(_ at: Int) -> Int? {
                guard let low = u16(at), let high = u16(at + 2) else { return nil }
                return low | high << 16
            }
            // The record ZIPFoundation uses: the signature nearest the end, at least 22 bytes (the record's size) before it.
            var end = count - 22
            while end >= 0, u32(end) != endOfCentralDirectorySignature { end -= 1 }
            guard end >= 0 else { return nil }
            if end >= 20, u32(end - 20) == zip64LocatorSignature { return "ZIP64 archives are not read" }
            guard let entryCount = u16(end + 10), var entry = u32(end + 16) else { return "end of central directory cut short" }
            for index in 1..<(entryCount + 1) {
                guard u32(entry) == centralEntrySignature, let version = u16(entry + 6), let flags = u16(entry + 8),
                      let method = u16(entry + 10), let compressed = u32(entry + 20), let uncompressed = u32(entry + 24),
                      let nameLength = u16(entry + 28), let extraLength = u16(entry + 30), let commentLength = u16(entry + 32),
                      let local = u32(entry + 42), entry + 46 + nameLength + extraLength + commentLength <= count else {
                    return "central directory entry \(index) lies outside the archive (offset \(entry), \(count) bytes)"
                }
                // ZIPFoundation reads an entry as ZIP64 from its version or from a ZIP64 extra field (tag 1).
                var extra = entry + 46 + nameLength
                var zip64 = version & 0xFF >= 45 || [compressed, uncompressed, local].contains(0xFFFF_FFFF)
                while !zip64, extra + 4 <= entry + 46 + nameLength + extraLength, let tag = u16(extra), let size = u16(extra + 2) {
                    zip64 = tag == 1
                    extra += 4 + size
                }
                if zip64 { return "ZIP64 archives are not read (entry \(index))" }
                guard u32(local) == localHeaderSignature, let localName = u16(local + 26), let localExtra = u16(local + 28),
                      local + 30 + localName + localExtra <= count else {
                    return "entry \(index)'s local header lies outside the archive (offset \(local), \(count) bytes)"
                }
                // A data descriptor follows the data (bit 3); its position comes from the central directory's sizes.
                let descriptor = local + 30 + localName + localExtra + (method == 0 ? uncompressed : compressed)
                if flags & 0x8 != 0, descriptor > count {
                    return "entry \(index)'s data descriptor lies outside the archive (offset \(descriptor), \(count) bytes)"
                }
                entry += 46 + nameLength + extraLength + commentLength
            }
            return nil
        }
    }
}
