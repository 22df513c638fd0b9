import Foundation
import LeadModel

/// A fold task's store on local disk, written at a commit boundary, so a restore reads only the changelog after
/// it (the mock cluster keeps about 5 MB a partition, and a long changelog is slow to read anyway).
///
/// Format (little-endian): `LSNP` magic, version, the changelog offset after the checkpoint the snapshot
/// reflects, the checkpoint as JSON, then
/// - version 2 (written): the store's string table (count, then per string: length, UTF-8), the entry count, then
///   per entry: key length, key, state length, state in the store's in-memory form (`LeadStateCodec`
///   version 2, numbering strings in that table), activity due (Int64.min when none). Reading it copies the
///   states as they are, with no decoding.
/// - version 1 (still read): the entry count, then per entry: key length, key, state length, self-contained state
///   (codec version 1), activity due. Reading re-encodes each state into the store's form.
struct StateSnapshotFile {
    let url: URL

    private static let magic: [UInt8] = Array("LSNP".utf8)
    private static let version: UInt8 = 2

    /// Writes the store atomically (a temporary file renamed over the old one).
    func write(_ store: LeadStateStore, changelogOffset: Int64) throws {
        var bytes: [UInt8] = []
        let strings = store.strings
        bytes.reserveCapacity(64 + store.memoryStatistics.payloadBytes + store.count * 16 + strings.utf8Count * 2)
        bytes += Self.magic
        bytes.append(Self.version)
        append(changelogOffset, to: &bytes)
        let checkpoint = store.checkpoint?.encoded() ?? []
        append(UInt32(checkpoint.count), to: &bytes)
        bytes += checkpoint
        append(UInt32(strings.count), to: &bytes)
        for string in strings.strings {
            append(UInt32(string.utf8.count), to: &bytes)
            bytes += string.utf8
        }
        append(UInt64(store.count), to: &bytes)
        store.forEachStored { key, state, due in
            append(UInt32(key.count), to: &bytes)
            bytes += key
            append(UInt32(state.count), to: &bytes)
            bytes += state
            append(due ?? Int64.min, to: &bytes)
        }
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        let temporary = url.appendingPathExtension("tmp")
        try Data(bytes).write(to: temporary)
        // rename(2) replaces the old snapshot atomically: a crash leaves the old one or the new one.
        guard rename(temporary.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }

    /// Reads the snapshot, or `nil` when there is none.
    func read() throws(ChangelogError) -> (store: LeadStateStore, changelogOffset: Int64)? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        var reader = SnapshotReader(bytes: [UInt8](data), file: url.path)
        guard try reader.bytes(4) == Self.magic else {
            throw ChangelogError(kind: .corruptSnapshot, detail: "\(url.path): not a state snapshot")
        }
        let version = try reader.integer(UInt8.self)
        guard version == 1 || version == 2 else {
            throw ChangelogError(
                kind: .corruptSnapshot,
                detail: "\(url.path): state snapshot version \(version) is not supported (supported: 1, 2)"
            )
        }
        let offset = try reader.integer(Int64.self)
        let checkpointLength = Int(try reader.integer(UInt32.self))
        let checkpoint = checkpointLength > 0 ? try FoldCheckpoint.decode(try reader.bytes(checkpointLength)) : nil
        var store: LeadStateStore
        if version == 2 {
            let stringCount = Int(try reader.integer(UInt32.self))
            var strings: [String] = []
            for _ in 0..<stringCount {
                strings.append(String(decoding: try reader.bytes(Int(try reader.integer(UInt32.self))), as: UTF8.self))
            }
            store = LeadStateStore(strings: LeadStringTable(strings))
        } else {
            store = LeadStateStore()
        }
        store.checkpoint = checkpoint
        let count = Int(try reader.integer(UInt64.self))
        for _ in 0..<count {
            let key = String(decoding: try reader.bytes(Int(try reader.integer(UInt32.self))), as: UTF8.self)
            let state = try reader.bytes(Int(try reader.integer(UInt32.self)))
            let due = try reader.integer(Int64.self)
            if version == 2 {
                store.put(key, storedState: state, due: due == Int64.min ? nil : due)
            } else {
                store.put(key, state: state, due: due == Int64.min ? nil : due)
            }
        }
        return (store, offset)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    private func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}

/// A bounds-checked cursor over a snapshot's bytes.
private struct SnapshotReader {
    let bytes: [UInt8]
    let file: String
    var position = 0

    mutating func bytes(_ count: Int) throws(ChangelogError) -> [UInt8] {
        guard count >= 0, position + count <= bytes.count else {
            throw ChangelogError(kind: .corruptSnapshot, detail: "\(file): truncated at byte \(position)")
        }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws(ChangelogError) -> T {
        let raw = try bytes(MemoryLayout<T>.size)
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: raw) }
        return T(littleEndian: value)
    }
}
