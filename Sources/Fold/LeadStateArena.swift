/// Variable-size byte records in large chunks, with size-class free lists: the memory of a ``LeadStateStore``.
///
/// A record lives at an ``Address`` (chunk number and offset) and takes its size rounded up to 8 bytes. Freed
/// space goes to the free list of its size class and is reused by the next record of that class, so a lead whose
/// state is replaced leaves no garbage behind for long: the fold touches a lead a few times while its journey is
/// in progress, and the space its older encodings took is reused by the next leads growing through the same sizes.
/// No compaction is needed; what can stay unused is one free slot per size class per lead in progress.
///
/// Records of up to ``largeRecordThreshold`` bytes share ``chunkSize`` chunks; larger ones get a chunk of their
/// own, released when freed.
///
/// A class because it owns raw memory; ``LeadStateTable`` copies it (``copy()``) before mutating a shared one.
final class LeadStateArena {
    /// Where a record starts: chunk number in the high 32 bits, byte offset in the low 32.
    typealias Address = UInt64

    /// Bytes per shared chunk (small enough that the 32 stores of a fold process waste little in their last one).
    static let chunkSize = 1 << 18
    /// Records above this size get a chunk of their own.
    static let largeRecordThreshold = 1 << 14
    /// Allocation granularity (and alignment) of records.
    static let granularity = 8
    private static let noAddress = Address.max

    /// Chunk number -> memory (nil: a released large chunk whose number is free for reuse).
    private var chunks: [UnsafeMutableRawPointer?] = []
    /// Chunk number -> its size in bytes.
    private var chunkSizes: [Int] = []
    /// Numbers of released large chunks.
    private var releasedChunks: [Int] = []
    /// Size class (size / granularity) -> head of its free list (a free slot's first 8 bytes hold the next).
    private var freeLists: [Address]
    /// The chunk records are appended to, and its first unused byte.
    private var currentChunk = -1
    private var currentOffset = 0

    /// Bytes in chunks (allocated from the system).
    private(set) var reservedBytes = 0
    /// Bytes in free slots, waiting for reuse.
    private(set) var freeBytes = 0

    init() {
        freeLists = Array(repeating: Self.noAddress, count: Self.largeRecordThreshold / Self.granularity + 1)
    }

    deinit {
        for chunk in chunks { chunk?.deallocate() }
    }

    /// The space a record of `byteCount` bytes takes.
    static func slotSize(_ byteCount: Int) -> Int {
        (max(byteCount, granularity) + granularity - 1) & ~(granularity - 1)
    }

    /// Memory at an address returned by ``allocate(_:)``.
    @inline(__always)
    func pointer(_ address: Address) -> UnsafeMutableRawPointer {
        // Addresses only come from allocate(_:): the chunk exists.
        chunks[Int(address >> 32)].unsafelyUnwrapped + Int(address & 0xFFFF_FFFF)
    }

    /// Space for a record of `byteCount` bytes (a free slot of its size class, or new space).
    func allocate(_ byteCount: Int) -> Address {
        let size = Self.slotSize(byteCount)
        if size > Self.largeRecordThreshold { return allocateLarge(size) }
        let sizeClass = size / Self.granularity
        let head = freeLists[sizeClass]
        if head != Self.noAddress {
            freeLists[sizeClass] = pointer(head).load(as: Address.self)
            freeBytes -= size
            return head
        }
        if currentChunk < 0 || currentOffset + size > chunkSizes[currentChunk] {
            // The tail of the full chunk becomes a free slot of its own size class.
            if currentChunk >= 0, chunkSizes[currentChunk] - currentOffset >= Self.granularity {
                release(
                    Address(currentChunk) << 32 | Address(currentOffset),
                    size: chunkSizes[currentChunk] - currentOffset
                )
            }
            currentChunk = newChunk(Self.chunkSize)
            currentOffset = 0
        }
        let address = Address(currentChunk) << 32 | Address(currentOffset)
        currentOffset += size
        return address
    }

    /// Returns a record's space (its `byteCount` as given to ``allocate(_:)``) for reuse.
    func free(_ address: Address, byteCount: Int) {
        let size = Self.slotSize(byteCount)
        if size > Self.largeRecordThreshold {
            let chunk = Int(address >> 32)
            chunks[chunk]?.deallocate()
            chunks[chunk] = nil
            reservedBytes -= chunkSizes[chunk]
            chunkSizes[chunk] = 0
            releasedChunks.append(chunk)
            return
        }
        release(address, size: size)
    }

    /// A deep copy (for copy-on-write).
    func copy() -> LeadStateArena {
        let copy = LeadStateArena()
        copy.chunks = chunks.enumerated().map { number, chunk in
            guard let chunk else { return nil }
            let memory = UnsafeMutableRawPointer.allocate(byteCount: chunkSizes[number], alignment: Self.granularity)
            memory.copyMemory(from: chunk, byteCount: chunkSizes[number])
            return memory
        }
        copy.chunkSizes = chunkSizes
        copy.releasedChunks = releasedChunks
        copy.freeLists = freeLists
        copy.currentChunk = currentChunk
        copy.currentOffset = currentOffset
        copy.reservedBytes = reservedBytes
        copy.freeBytes = freeBytes
        return copy
    }

    // MARK: - Private

    private func release(_ address: Address, size: Int) {
        let sizeClass = size / Self.granularity
        pointer(address).storeBytes(of: freeLists[sizeClass], as: Address.self)
        freeLists[sizeClass] = address
        freeBytes += size
    }

    private func allocateLarge(_ size: Int) -> Address {
        let number = newChunk(size)
        return Address(number) << 32
    }

    private func newChunk(_ size: Int) -> Int {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: Self.granularity)
        reservedBytes += size
        if let number = releasedChunks.popLast() {
            chunks[number] = memory
            chunkSizes[number] = size
            return number
        }
        chunks.append(memory)
        chunkSizes.append(size)
        return chunks.count - 1
    }
}
