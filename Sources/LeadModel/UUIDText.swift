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

    /// The 16 bytes of a lowercase canonical UUID text, or `nil` for any other text.
    static func parse(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { utf8 -> [UInt8]? in
            guard utf8.count == 36 else { return nil }
            var bytes = [UInt8](repeating: 0, count: 16)
            var output = 0
            var index = 0
            while index < 36 {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard utf8[index] == UInt8(ascii: "-") else { return nil }
                    index += 1
                    continue
                }
                guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
                bytes[output] = high << 4 | low
                output += 1
                index += 2
            }
            return bytes
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
