// MARK: - JSONWriter

/// Builds compact JSON into UTF-8 bytes, managing commas; strings are escaped per RFC 8259.
///
/// Like ``ByteWriter`` it writes into a stack buffer (``withWriter(_:)``) and moves to the heap only for large
/// documents, and it copies strings that need no escaping in one piece.
struct JSONWriter: ~Copyable {
    /// Stack bytes: comfortably more than a command (about 400-900 bytes).
    static let stackCapacity = 2048

    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private var count = 0
    private var ownsHeap = false
    private var needsComma = false

    private init(buffer: UnsafeMutableRawBufferPointer) {
        // A temporary allocation of a non-zero size always has a base address.
        base = buffer.baseAddress ?? UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        capacity = buffer.count
    }

    deinit {
        if ownsHeap { base.deallocate() }
    }

    /// Runs `body` with a writer over a stack buffer.
    static func withWriter<Result>(_ body: (inout JSONWriter) -> Result) -> Result {
        withUnsafeTemporaryAllocation(byteCount: stackCapacity, alignment: 8) { buffer in
            var writer = JSONWriter(buffer: buffer)
            return body(&writer)
        }
    }

    /// The document written so far.
    func makeArray() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let destination = buffer.baseAddress {
                UnsafeMutableRawPointer(destination).copyMemory(from: base, byteCount: count)
            }
            initialized = count
        }
    }

    // MARK: - Structure

    mutating func beginObject() {
        separate()
        append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes a key and its colon; the value follows.
    mutating func key(_ key: String) {
        separate()
        appendString(key)
        append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a key known at compile time (it must need no escaping) and its colon.
    mutating func key(_ key: StaticString) {
        separate()
        ensure(key.utf8CodeUnitCount + 3)
        append(UInt8(ascii: "\""))
        appendBytes(key)
        append(UInt8(ascii: "\""))
        append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: - Values

    mutating func string(_ value: String) {
        separate()
        appendString(value)
        needsComma = true
    }

    mutating func integer(_ value: Int64) {
        separate()
        ensure(20)
        var magnitude = value.magnitude
        if value < 0 { append(UInt8(ascii: "-")) }
        var digits = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var position = count + digits - 1
        repeat {
            base.storeBytes(
                of: UInt8(truncatingIfNeeded: 0x30 + magnitude % 10),
                toByteOffset: position,
                as: UInt8.self
            )
            magnitude /= 10
            position -= 1
        } while magnitude > 0
        count += digits
        needsComma = true
    }

    /// A finite double in Swift's shortest round-trip form (non-finite values are written as null).
    mutating func number(_ value: Double) {
        // Whole numbers (most metrics) the way `description` writes them, `12.0`, without formatting a string.
        if value.magnitude < 1e15, value.rounded(.towardZero) == value, value != 0 || value.sign == .plus {
            integer(Int64(value))
            appendBytes(".0")
            return
        }
        separate()
        if value.isFinite {
            var text = value.description
            text.withUTF8 { appendBytes(UnsafeRawBufferPointer($0)) }
        } else {
            appendBytes("null")
        }
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        appendBytes(value ? "true" : "false")
        needsComma = true
    }

    /// A timestamp as an RFC 3339 string, written in place.
    mutating func timestamp(_ value: Timestamp) {
        separate()
        ensure(Timestamp.rfc3339Length + 2)
        append(UInt8(ascii: "\""))
        value.writeRFC3339(into: base + count)
        count += Timestamp.rfc3339Length
        append(UInt8(ascii: "\""))
        needsComma = true
    }

    // MARK: - Convenience

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        field(name, value)
    }

    mutating func field(_ name: StaticString, _ value: Int64) {
        key(name)
        integer(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func field(_ name: StaticString, _ value: Timestamp) {
        key(name)
        timestamp(value)
    }

    // MARK: - Bytes

    @inline(__always)
    private mutating func separate() {
        if needsComma { append(UInt8(ascii: ",")) }
    }

    @inline(__always)
    private mutating func ensure(_ additional: Int) {
        if count + additional > capacity { grow(to: count + additional) }
    }

    private mutating func grow(to needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 8)
        newBase.copyMemory(from: base, byteCount: count)
        if ownsHeap { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsHeap = true
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        ensure(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    private mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        ensure(bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    private mutating func appendBytes(_ literal: StaticString) {
        appendBytes(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private mutating func appendString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            append(UInt8(ascii: "\""))
            let raw = UnsafeRawBufferPointer(utf8)
            if !Self.needsEscaping(raw) {
                appendBytes(raw)
            } else {
                for byte in raw { appendEscaped(byte) }
            }
            append(UInt8(ascii: "\""))
        }
    }

    /// Whether any byte is '"', '\\' or a control character, checked 8 bytes at a time.
    private static func needsEscaping(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let base = raw.baseAddress else { return false }
        let count = raw.count
        var index = 0
        let ones: UInt64 = 0x0101_0101_0101_0101
        while count - index >= 8 {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special =
                ((word &- ones &* 0x20) & ~word) | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
            if special & 0x8080_8080_8080_8080 != 0 { return true }
            index += 8
        }
        while index < count {
            let byte = raw[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            index += 1
        }
        return false
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): appendBytes("\\\"")
        case UInt8(ascii: "\\"): appendBytes("\\\\")
        case 0x0A: appendBytes("\\n")
        case 0x0D: appendBytes("\\r")
        case 0x09: appendBytes("\\t")
        case 0..<0x20:
            let hex: StaticString = "0123456789abcdef"
            appendBytes("\\u00")
            append(hex.utf8Start[Int(byte >> 4)])
            append(hex.utf8Start[Int(byte & 0xF)])
        default: append(byte)
        }
    }
}
