// MARK: - DERReader

/// Reads the DER elements of an RSA private key (PKCS#1 `RSAPrivateKey` or PKCS#8 `PrivateKeyInfo`).
struct DERReader {
    private let bytes: [UInt8]
    private var offset: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    var isAtEnd: Bool { offset >= bytes.count }

    /// The tag of the next element, without consuming it.
    var nextTag: UInt8? { isAtEnd ? nil : bytes[offset] }

    /// Reads one element: its tag and content.
    mutating func read() -> (tag: UInt8, content: [UInt8])? {
        guard offset + 2 <= bytes.count else { return nil }
        let tag = bytes[offset]
        var length = Int(bytes[offset + 1])
        offset += 2
        if length & 0x80 != 0 {
            let count = length & 0x7f
            guard count > 0, count <= 4, offset + count <= bytes.count else { return nil }
            length = 0
            for _ in 0..<count {
                length = length << 8 | Int(bytes[offset])
                offset += 1
            }
        }
        guard length >= 0, offset + length <= bytes.count else { return nil }
        let content = Array(bytes[offset..<offset + length])
        offset += length
        return (tag, content)
    }

    /// Reads an element with the expected tag.
    mutating func read(tag expected: UInt8) -> [UInt8]? {
        guard let element = read(), element.tag == expected else { return nil }
        return element.content
    }

    /// Reads an INTEGER as an unsigned value.
    mutating func readInteger() -> UnsignedBigInteger? {
        guard let content = read(tag: 0x02) else { return nil }
        return UnsignedBigInteger(bigEndian: content.drop { $0 == 0 })
    }
}
