import Foundation
import LeadModel

/// The leads of a ``LeadStateStore``: `key + state` records in a ``LeadStateArena``, found through an
/// open-addressing index, numbered densely in insertion order (a lead's number never changes: leads are never
/// deleted).
///
/// Memory per lead besides its record: one 8-byte index slot per 0.8 lead at most (32-bit hash tag and lead
/// number), 8 bytes of record address, and the record's header (two varints) and rounding to 8 bytes.
///
/// A record is `varint key length · varint state length · key (UTF-8) · state`. Replacing a state writes a new
/// record (in place when it takes the same space) and frees the old one for reuse.
///
/// A class because the arena owns raw memory; ``LeadStateStore`` copies it before mutating a shared one.
/// `@unchecked Sendable`: the store mutates a table only after `isKnownUniquelyReferenced` made it its own, so a
/// store sent to another task shares nothing mutable.
final class LeadStateTable: @unchecked Sendable {
    /// A lead's number: its position in insertion order.
    typealias LeadNumber = Int

    private var arena = LeadStateArena()
    /// The strings the states' in-memory encodings refer to by number.
    private(set) var strings = LeadStringTable()
    /// Lead number -> record address.
    private var addresses: [LeadStateArena.Address] = []
    /// Open addressing, linear probing: 0 empty, else `tag << 32 | (lead number + 1)`, where the tag is the key
    /// hash's high 32 bits and also picks the home slot (so growing needs no key).
    private var slots: [UInt64] = Array(repeating: 0, count: 16)
    /// Per-table hash seed, so the slot layout cannot be predicted from the keys.
    private let seed: UInt64
    /// Sum of the keys' and states' byte counts.
    private(set) var payloadBytes = 0

    private static let maximumLoad = 0.8

    init(seed: UInt64 = UInt64.random(in: .min ... .max), strings: LeadStringTable = LeadStringTable()) {
        self.seed = seed
        self.strings = strings
    }

    /// Number of leads.
    var count: Int { addresses.count }

    /// Bytes held for the leads: arena chunks, the index and the address table.
    var reservedBytes: Int {
        arena.reservedBytes + slots.count * MemoryLayout<UInt64>.stride
            + addresses.count * MemoryLayout<LeadStateArena.Address>.stride
            + strings.utf8Count + strings.count * 48  // a String and a dictionary entry each, about
    }

    /// Arena bytes in free slots, waiting for reuse.
    var freeBytes: Int { arena.freeBytes }

    /// The number of the lead with this key, if it has a record.
    func find(_ key: String) -> LeadNumber? {
        var key = key
        return key.withUTF8 { find(UnsafeRawBufferPointer($0), tag: tag(of: UnsafeRawBufferPointer($0))).number }
    }

    /// Stores a lead's state, adding the lead or replacing its state. Returns the lead's number.
    @discardableResult
    func put(_ key: String, state: UnsafeRawBufferPointer) -> LeadNumber {
        var key = key
        return key.withUTF8 { utf8 in
            let keyBytes = UnsafeRawBufferPointer(utf8)
            let tag = tag(of: keyBytes)
            let found = find(keyBytes, tag: tag)
            if let number = found.number {
                replace(number, key: keyBytes, state: state)
                return number
            }
            let number = addresses.count
            precondition(number < Int(UInt32.max) - 1, "a lead state store holds fewer than 2^32 - 1 leads")
            addresses.append(write(key: keyBytes, state: state))
            payloadBytes += keyBytes.count + state.count
            slots[found.slot] = UInt64(tag) << 32 | UInt64(number + 1)
            if Double(addresses.count) > Double(slots.count) * Self.maximumLoad { grow() }
            return number
        }
    }

    /// Calls `body` with the key and state of a lead (valid only inside `body`).
    func withRecord<Result, Failure: Error>(
        _ number: LeadNumber,
        _ body: (_ key: UnsafeRawBufferPointer, _ state: UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let record = arena.pointer(addresses[number])
        let layout = Self.layout(at: record)
        return try body(
            UnsafeRawBufferPointer(start: record + layout.header, count: layout.keyCount),
            UnsafeRawBufferPointer(start: record + layout.header + layout.keyCount, count: layout.stateCount)
        )
    }

    /// A lead's key.
    func key(of number: LeadNumber) -> String {
        withRecord(number) { key, _ in String(decoding: key, as: UTF8.self) }
    }

    /// A deep copy (for copy-on-write).
    func copy() -> LeadStateTable {
        let copy = LeadStateTable(seed: seed, strings: strings.copy())
        copy.arena = arena.copy()
        copy.addresses = addresses
        copy.slots = slots
        copy.payloadBytes = payloadBytes
        return copy
    }

    // MARK: - Private

    private func tag(of key: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(truncatingIfNeeded: Self.hash(key, seed: seed) >> 32)
    }

    /// The home slot of a tag: `tag * capacity / 2^32`.
    @inline(__always)
    private func home(_ tag: UInt32) -> Int {
        Int((UInt64(tag) &* UInt64(slots.count)) >> 32)
    }

    /// The lead with this key, or the empty slot where it would go.
    private func find(_ key: UnsafeRawBufferPointer, tag: UInt32) -> (number: LeadNumber?, slot: Int) {
        var slot = home(tag)
        while true {
            let entry = slots[slot]
            if entry == 0 { return (nil, slot) }
            if UInt32(truncatingIfNeeded: entry >> 32) == tag {
                let number = Int(entry & 0xFFFF_FFFF) - 1
                let record = arena.pointer(addresses[number])
                let layout = Self.layout(at: record)
                if layout.keyCount == key.count,
                    key.isEmpty || memcmp(record + layout.header, key.baseAddress.unsafelyUnwrapped, key.count) == 0
                {
                    return (number, slot)
                }
            }
            slot += 1
            if slot == slots.count { slot = 0 }
        }
    }

    private func replace(_ number: LeadNumber, key: UnsafeRawBufferPointer, state: UnsafeRawBufferPointer) {
        let old = addresses[number]
        let oldLayout = Self.layout(at: arena.pointer(old))
        let oldCount = oldLayout.header + oldLayout.keyCount + oldLayout.stateCount
        payloadBytes += state.count - oldLayout.stateCount
        let newCount = Self.header(keyCount: key.count, stateCount: state.count) + key.count + state.count
        if LeadStateArena.slotSize(newCount) == LeadStateArena.slotSize(oldCount) {
            Self.write(key: key, state: state, at: arena.pointer(old))
            return
        }
        addresses[number] = write(key: key, state: state)
        arena.free(old, byteCount: oldCount)
    }

    private func write(key: UnsafeRawBufferPointer, state: UnsafeRawBufferPointer) -> LeadStateArena.Address {
        let byteCount = Self.header(keyCount: key.count, stateCount: state.count) + key.count + state.count
        let address = arena.allocate(byteCount)
        Self.write(key: key, state: state, at: arena.pointer(address))
        return address
    }

    private static func write(
        key: UnsafeRawBufferPointer,
        state: UnsafeRawBufferPointer,
        at record: UnsafeMutableRawPointer
    ) {
        var position = writeVarint(key.count, at: record)
        position += writeVarint(state.count, at: record + position)
        if !key.isEmpty {
            (record + position).copyMemory(from: key.baseAddress.unsafelyUnwrapped, byteCount: key.count)
        }
        position += key.count
        if !state.isEmpty {
            (record + position).copyMemory(from: state.baseAddress.unsafelyUnwrapped, byteCount: state.count)
        }
    }

    private func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count + old.count / 2)
        for entry in old where entry != 0 {
            var slot = home(UInt32(truncatingIfNeeded: entry >> 32))
            while slots[slot] != 0 {
                slot += 1
                if slot == slots.count { slot = 0 }
            }
            slots[slot] = entry
        }
    }

    // MARK: - Record layout

    private static func varintSize(_ value: Int) -> Int {
        var size = 1
        var rest = value >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    private static func header(keyCount: Int, stateCount: Int) -> Int {
        varintSize(keyCount) + varintSize(stateCount)
    }

    private static func writeVarint(_ value: Int, at pointer: UnsafeMutableRawPointer) -> Int {
        var rest = UInt(value)
        var position = 0
        while rest >= 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: rest) | 0x80, toByteOffset: position, as: UInt8.self)
            rest >>= 7
            position += 1
        }
        pointer.storeBytes(of: UInt8(rest), toByteOffset: position, as: UInt8.self)
        return position + 1
    }

    @inline(__always)
    private static func readVarint(at pointer: UnsafeRawPointer, position: inout Int) -> Int {
        var value = 0
        var shift = 0
        while true {
            let byte = pointer.load(fromByteOffset: position, as: UInt8.self)
            position += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    @inline(__always)
    private static func layout(at record: UnsafeRawPointer) -> (header: Int, keyCount: Int, stateCount: Int) {
        var position = 0
        let keyCount = readVarint(at: record, position: &position)
        let stateCount = readVarint(at: record, position: &position)
        return (position, keyCount, stateCount)
    }

    /// A 64-bit hash of the key's bytes (8 bytes at a time, then a full avalanche).
    private static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var hash = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 31
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 32
        return hash
    }
}
