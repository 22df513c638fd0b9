// MARK: - ByteWriter

/// Appends the primitives of the binary snapshot format: LEB128 varints, zigzag, fixed little-endian words,
/// length-prefixed UTF-8.
///
/// It writes into a stack buffer (``withWriter(_:)``) and moves to the heap only for unusually large states, so
/// encoding a lead costs a single allocation: the resulting array.
struct ByteWriter: ~Copyable {
    /// Stack bytes: comfortably more than a typical lead (200-350 bytes).
    static let stackCapacity = 1024

    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0
    private var ownsHeap = false

    private init(buffer: UnsafeMutableRawBufferPointer) {
        // A temporary allocation of a non-zero size always has a base address.
        base = buffer.baseAddress ?? UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        capacity = buffer.count
    }

    deinit {
        if ownsHeap { base.deallocate() }
    }

    /// Runs `body` with a writer over a stack buffer.
    static func withWriter<Result>(_ body: (inout ByteWriter) -> Result) -> Result {
        withUnsafeTemporaryAllocation(byteCount: stackCapacity, alignment: 8) { buffer in
            var writer = ByteWriter(buffer: buffer)
            return body(&writer)
        }
    }

    /// The bytes written so far, as an array.
    func makeArray() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let destination = buffer.baseAddress {
                UnsafeMutableRawPointer(destination).copyMemory(from: base, byteCount: count)
            }
            initialized = count
        }
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
    mutating func byte(_ value: UInt8) {
        ensure(1)
        base.storeBytes(of: value, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        ensure(10)
        var value = value
        while value >= 0x80 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, toByteOffset: count, as: UInt8.self)
            count += 1
            value >>= 7
        }
        base.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: count, as: UInt8.self)
        count += 1
    }

    mutating func varint(_ value: Int) {
        varint(UInt64(UInt(bitPattern: value)))
    }

    /// Signed values, small in magnitude either side of zero, in few bytes.
    mutating func zigzag(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func fixed64(_ value: UInt64) {
        ensure(8)
        base.storeBytes(of: value.littleEndian, toByteOffset: count, as: UInt64.self)
        count += 8
    }

    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard let sourceBase = source.baseAddress, !source.isEmpty else { return }
        ensure(source.count)
        (base + count).copyMemory(from: sourceBase, byteCount: source.count)
        count += source.count
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            varint(utf8.count)
            bytes(UnsafeRawBufferPointer(utf8))
        }
    }
}
