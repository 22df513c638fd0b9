// MARK: - ByteReader

/// Reads what ``ByteWriter`` wrote, failing on truncated or malformed input.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position == bytes.count }

    private func truncated() -> LeadStateCodec.DecodingError {
        LeadStateCodec.DecodingError(code: .truncated, offset: position, message: "the snapshot ends too early")
    }

    func corrupt(_ message: String) -> LeadStateCodec.DecodingError {
        LeadStateCodec.DecodingError(code: .corrupt, offset: position, message: message)
    }

    @inline(__always)
    mutating func byte() throws(LeadStateCodec.DecodingError) -> UInt8 {
        guard position < bytes.count else { throw truncated() }
        defer { position += 1 }
        return bytes[position]
    }

    @inline(__always)
    mutating func varint() throws(LeadStateCodec.DecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw truncated() }
            let byte = bytes[position]
            position += 1
            guard shift < 64, shift < 63 || byte <= 1 else { throw corrupt("a varint is longer than 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A varint used as a count of elements or bytes that follow. Each needs at least one byte, so a count
    /// beyond the remaining bytes means the input ends early; this also stops corrupt input from asking for huge
    /// allocations.
    @inline(__always)
    mutating func count() throws(LeadStateCodec.DecodingError) -> Int {
        let value = try varint()
        guard value <= UInt64(bytes.count - position) else { throw truncated() }
        return Int(value)
    }

    mutating func zigzag() throws(LeadStateCodec.DecodingError) -> Int64 {
        let value = try varint()
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    mutating func fixed64() throws(LeadStateCodec.DecodingError) -> UInt64 {
        guard bytes.count - position >= 8, let base = bytes.baseAddress else { throw truncated() }
        let value = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        position += 8
        return value
    }

    mutating func raw(_ count: Int) throws(LeadStateCodec.DecodingError) -> UnsafeRawBufferPointer {
        guard bytes.count - position >= count else { throw truncated() }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    mutating func string() throws(LeadStateCodec.DecodingError) -> String {
        let length = try count()
        let raw = try raw(length)
        // Not String(validating:): it runs unspecialised here, at several times the cost.
        guard JSONReader.isValidUTF8(raw) else { throw corrupt("a string is not valid UTF-8") }
        return String(decoding: raw, as: UTF8.self)
    }
}
