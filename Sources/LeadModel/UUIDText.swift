// MARK: - UUIDText

/// The canonical lowercase `8-4-4-4-12` text form of 16 bytes, both ways.
enum UUIDText {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Formats the first 16 bytes.
    static func format(_ bytes: some RandomAccessCollection<UInt8>) -> String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            var byteIndex = 0
            for byte in bytes.prefix(16) {
                if byteIndex == 4 || byteIndex == 6 || byteIndex == 8 || byteIndex == 10 {
                    buffer[index] = UInt8(ascii: "-")
                    index += 1
                }
                buffer[index] = hexDigits[Int(byte >> 4)]
                buffer[index + 1] = hexDigits[Int(byte & 0x0F)]
                index += 2
                byteIndex += 1
            }
            return index
        }
    }

    /// The 16 bytes of a lowercase canonical UUID text as two big-endian words (bytes 0-7, 8-15), or `nil` for
    /// any other text.
    static func parse(_ text: String) -> (high: UInt64, low: UInt64)? {
        var text = text
        return text.withUTF8 { utf8 -> (high: UInt64, low: UInt64)? in
            guard utf8.count == 36 else { return nil }
            var high: UInt64 = 0
            var low: UInt64 = 0
            var nibbles = 0
            for index in 0..<36 {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard utf8[index] == UInt8(ascii: "-") else { return nil }
                    continue
                }
                guard let value = nibble(utf8[index]) else { return nil }
                if nibbles < 16 {
                    high = high << 4 | UInt64(value)
                } else {
                    low = low << 4 | UInt64(value)
                }
                nibbles += 1
            }
            return (high, low)
        }
    }

    @inline(__always)
    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
