// MARK: - JSONBodyWriter

/// Appends JSON text to a byte array, without `JSONEncoder` or `JSONSerialization` (the simulation must write
/// hundreds of thousands of records a second).
///
/// It writes exactly what it is told: callers are responsible for commas and nesting.
struct JSONBodyWriter {
    /// The bytes written so far.
    var bytes: [UInt8]

    /// A writer whose buffer has room for `capacity` bytes.
    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends literal ASCII text (punctuation, keys with their quotes).
    @inline(__always)
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends bytes that are already valid JSON (a pre-quoted string, a number).
    @inline(__always)
    mutating func raw(_ text: [UInt8]) {
        bytes.append(contentsOf: text)
    }

    /// Appends one byte.
    @inline(__always)
    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends `text` as a quoted JSON string, escaping what JSON requires.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        JSONBodyWriter.appendEscaped(text.utf8, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a non-negative or negative integer.
    mutating func integer(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            unsigned(value.magnitude)
        } else {
            unsigned(UInt64(value))
        }
    }

    /// Appends `value / 10^decimals` with exactly `decimals` digits after the point (`3250, 2` is `32.50`).
    mutating func fixedPoint(_ value: Int64, decimals: Int) {
        guard decimals > 0 else {
            integer(value)
            return
        }
        var divisor: Int64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let whole = value / divisor
        var fraction = value % divisor
        integer(whole)
        guard decimals > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var digits = decimals
        var scale = divisor / 10
        while digits > 0 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction / scale))
            fraction %= scale
            scale /= 10
            digits -= 1
        }
    }

    /// Appends `value` as exactly `width` decimal digits (zero-padded; `value` must fit).
    @inline(__always)
    mutating func padded(_ value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    private mutating func unsigned(_ value: UInt64) {
        guard value >= 10 else {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        // Digits are written least significant first, then reversed in place (no scratch buffer).
        let start = bytes.count
        var rest = value
        while rest > 0 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        }
        bytes[start...].reverse()
    }

    // MARK: - Strings

    /// The quoted, escaped JSON form of `text`, computed once for values written many times.
    static func quoted(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        appendEscaped(text.utf8, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        return bytes
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendEscaped(_ utf8: String.UTF8View, to bytes: inout [UInt8]) {
        // Fast path: most text needs no escaping and is copied in one go.
        let copied: Bool? = utf8.withContiguousStorageIfAvailable { buffer in
            guard !buffer.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
            else { return false }
            bytes.append(contentsOf: buffer)
            return true
        }
        if copied == true { return }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0x0A:
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "n"))
            case 0x0D:
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "r"))
            case 0x09:
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
    }
}
