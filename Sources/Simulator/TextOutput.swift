import Foundation
import VixShieldCore

/// A growing UTF-8 byte buffer with deterministic number formatting.
///
/// The vendor formats are written by hand rather than through JSONSerialization or `String(format:)`:
/// key order and number spelling must be identical on every run and platform, and a full chain is
/// ~800k numbers, so formatting goes straight from integers to bytes.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func append(_ other: TextBuffer) { bytes.append(contentsOf: other.bytes) }

    /// A JSON string literal (the texts we write need no escapes beyond quotes and backslashes).
    mutating func appendJSONString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in text.utf8 {
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(b)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func appendInteger(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(value.magnitude), minimumWidth: 1)
    }

    private mutating func appendDigits(_ value: UInt64, minimumWidth: Int) {
        var digits: [UInt8] = []
        var v = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        while digits.count < minimumWidth { digits.append(UInt8(ascii: "0")) }
        bytes.append(contentsOf: digits.reversed())
    }

    private static let powersOfTen: [Double] = (0...9).map { pow(10, Double($0)) }

    /// `value` rounded to `decimals` places. `trim` drops trailing zeros but keeps one (`1.0`, `0.05`),
    /// the way Cboe's JSON spells floats; without it exactly `decimals` digits are written (`17.240000`).
    /// Never writes `-0`.
    mutating func appendDecimal(_ value: Double, decimals: Int, trim: Bool) {
        precondition(value.isFinite && abs(value) < 1e12 && (0...9).contains(decimals), "unformattable number \(value)")
        let scale = UInt64(Self.powersOfTen[decimals])
        let scaled = UInt64((abs(value) * Self.powersOfTen[decimals]).rounded())
        if value < 0 && scaled != 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(scaled / scale, minimumWidth: 1)
        bytes.append(UInt8(ascii: "."))
        var fraction = scaled % scale
        var width = decimals
        if trim {
            while width > 1 && fraction % 10 == 0 { fraction /= 10; width -= 1 }
            if width == 0 { width = 1 }
        }
        if decimals == 0 { bytes.append(UInt8(ascii: "0")); return }
        appendDigits(fraction, minimumWidth: width)
    }

    /// Shortest round-trip spelling (Swift's `description`), for truth files where full precision matters.
    mutating func appendExact(_ value: Double) {
        precondition(value.isFinite, "non-finite number in output")
        append(value == 0 ? "0.0" : value.description)
    }

    /// `MM/DD/YYYY`, Cboe's index history date.
    mutating func appendUSDate(_ date: CalendarDate) {
        appendDigits(UInt64(date.month), minimumWidth: 2)
        bytes.append(UInt8(ascii: "/"))
        appendDigits(UInt64(date.day), minimumWidth: 2)
        bytes.append(UInt8(ascii: "/"))
        appendDigits(UInt64(date.year), minimumWidth: 4)
    }

    var data: Data { Data(bytes) }
}

/// Option prices on the exchange's tick grid, kept as integer hundredths so rounding is exact.
enum Tick {
    /// SPX tick: 0.05 below 3.00, 0.10 from 3.00 up.
    static func size(forCents cents: Int) -> Int { cents < 300 ? 5 : 10 }

    /// The highest tick-grid price not above `price` (in points), in cents.
    static func floorCents(_ price: Double) -> Int {
        guard price > 0 else { return 0 }
        let raw = Int((price * 100).rounded(.down))
        let tick = size(forCents: raw)
        return raw / tick * tick
    }

    /// The lowest tick-grid price not below `price`, in cents (at least one tick).
    static func ceilCents(_ price: Double) -> Int {
        guard price > 0 else { return 5 }
        let raw = Int((price * 100 - 1e-9).rounded(.up))
        let tick = size(forCents: raw)
        return max(5, (raw + tick - 1) / tick * tick)
    }

    /// The nearest tick-grid price, in cents.
    static func nearestCents(_ price: Double) -> Int {
        guard price > 0 else { return 0 }
        let raw = Int((price * 100).rounded())
        let tick = size(forCents: raw)
        return Int((Double(raw) / Double(tick)).rounded()) * tick
    }
}
