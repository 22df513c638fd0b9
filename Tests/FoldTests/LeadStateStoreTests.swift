import Basics
import Foundation
import LeadModel
import Testing

@testable import Fold

@Suite("Lead state store: one arena, an open-addressing index, a heap of due times")
struct LeadStateStoreTests {
    /// A small but real state: one membership, a profile with repeated strings, a pending engagement.
    private func state(_ index: Int, history: Int = 1) -> LeadState {
        var state = LeadState()
        let entries = (0..<history).map { entry in
            TimelineEntry(
                occurredAt: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000 + Int64(entry)),
                eventDigest: EventDigest(eventId: "evt-\(index)-\(entry)"),
                kind: .status(.registered, granular: nil)
            )
        }
        state.timelines = [
            StatusTimeline(
                virtualEventId: "event-\(index % 3)",
                entries: entries,
                resultSource: entries.isEmpty ? .none : .entry(0)
            )
        ]
        state.userId = "user-\(index)"
        state.profile = LeadProfile(firstName: "Jane", lastName: "Doe", company: "Initech", title: "CTO", country: "US")
        return state
    }

    /// Bytes that are not a state encoding (first byte 0xFF): the store keeps them as they are.
    private func opaque(_ count: Int, fill: UInt8) -> [UInt8] {
        count == 0 ? [] : [0xFF] + Array(repeating: fill, count: count - 1)
    }

    @Test("put, get and replace states; other leads are untouched")
    func putGetReplace() throws {
        var store = LeadStateStore()
        #expect(try store.state(of: "acme/a@x.io") == nil)
        store.put("acme/a@x.io", state: state(1), due: nil)
        store.put("acme/b@x.io", state: state(2), due: 50)
        #expect(store.count == 2)
        #expect(try store.state(of: "acme/a@x.io") == state(1))
        store.put("acme/a@x.io", state: state(1, history: 20), due: 10)  // grows: a new record
        store.put("acme/b@x.io", state: state(3), due: nil)  // same size: in place
        #expect(store.count == 2)
        #expect(try store.state(of: "acme/a@x.io") == state(1, history: 20))
        #expect(try store.state(of: "acme/b@x.io") == state(3))
        #expect(store.activityDue(of: "acme/a@x.io") == 10)
        #expect(store.activityDue(of: "acme/b@x.io") == nil)
        #expect(store.encodedState(of: "acme/a@x.io") == LeadStateCodec.encode(state(1, history: 20)))
    }

    @Test("a self-contained encoding put into the store reads back the same, smaller inside")
    func selfContainedPut() throws {
        var store = LeadStateStore()
        for index in 0..<100 {
            store.put("acme/lead\(index)@x.io", state: LeadStateCodec.encode(state(index)), due: nil)
        }
        for index in 0..<100 {
            #expect(try store.state(of: "acme/lead\(index)@x.io") == state(index))
            #expect(store.encodedState(of: "acme/lead\(index)@x.io") == LeadStateCodec.encode(state(index)))
        }
        let statistics = store.memoryStatistics
        let selfContained = (0..<100).reduce(0) {
            $0 + "acme/lead\($1)@x.io".utf8.count + LeadStateCodec.encode(state($1)).count
        }
        #expect(statistics.payloadBytes < selfContained - 100 * 20, "repeated strings are stored once")
    }

    @Test("many leads, random sizes (some past the large-record threshold), replaced many times (seeded)")
    func growthAndReuse() throws {
        var generator = SplitMix64(seed: 5)
        var store = LeadStateStore()
        var reference: [String: [UInt8]] = [:]
        let keys = (0..<20_000).map { "acme/lead\($0)@example.com" }
        for round in 0..<3 {
            for key in keys {
                let size =
                    Int.random(in: 0..<1000, using: &generator) == 0
                    ? Int.random(in: 70_000..<140_000, using: &generator) : Int.random(in: 0..<600, using: &generator)
                let bytes = opaque(size, fill: UInt8(round))
                store.put(key, state: bytes, due: nil)
                reference[key] = bytes
            }
        }
        #expect(store.count == keys.count)
        for key in keys { #expect(store.encodedState(of: key) == reference[key]) }
        #expect(store.states == reference)
        let statistics = store.memoryStatistics
        let payload = reference.reduce(0) { $0 + $1.key.utf8.count + $1.value.count }
        #expect(statistics.payloadBytes == payload)
        // Three rounds of replacements, yet the arena holds little more than one round: freed space is reused.
        #expect(statistics.reservedBytes < payload + payload / 2 + 4 << 20, "\(statistics)")
    }

    @Test("a copy is independent of the original (copy-on-write)")
    func copyOnWrite() throws {
        var original = LeadStateStore()
        original.put("acme/a@x.io", state: state(1), due: 5)
        var copy = original
        copy.put("acme/a@x.io", state: state(2, history: 5), due: nil)
        copy.put("acme/b@x.io", state: state(3), due: 7)
        #expect(try original.state(of: "acme/a@x.io") == state(1))
        #expect(original.activityDue(of: "acme/a@x.io") == 5)
        #expect(original.count == 1)
        #expect(try copy.state(of: "acme/a@x.io") == state(2, history: 5))
        #expect(copy.count == 2)
    }

    @Test("the due index finds the leads due at a time, sorted by key, through updates and clears (seeded)")
    func dueIndex() throws {
        var generator = SplitMix64(seed: 3)
        var store = LeadStateStore()
        var reference: [String: Int64] = [:]
        let keys = (0..<2_000).map { "acme/lead\($0)@example.com" }
        for _ in 0..<10_000 {
            let key = keys[Int.random(in: 0..<keys.count, using: &generator)]
            let due: Int64? = Bool.random(using: &generator) ? nil : .random(in: 0..<1_000, using: &generator)
            store.put(key, state: opaque(8, fill: 1), due: due)
            reference[key] = due
            if Int.random(in: 0..<10, using: &generator) == 0 {
                let cleared = keys[Int.random(in: 0..<keys.count, using: &generator)]
                store.clearActivityDue(of: cleared)
                reference[cleared] = nil
            }
        }
        #expect(store.activityDueByKey == reference.compactMapValues { $0 })
        #expect(store.activityDue.earliest == reference.values.compactMap { $0 }.min())
        for time: Int64 in [-1, 0, 10, 250, 999, 5_000] {
            let expected = reference.filter { ($0.value ?? .max) <= time }.map(\.key).sorted()
            #expect(store.keysDue(atOrBefore: time) == expected)
        }
    }

    @Test("a snapshot file round-trips interned states, due times and the checkpoint")
    func snapshotRoundTrip() throws {
        var store = LeadStateStore()
        for index in 0..<500 {
            store.put(
                "acme/lead\(index)@x.io",
                state: state(index, history: index % 5),
                due: index % 3 == 0 ? Int64(index) : nil
            )
        }
        store.checkpoint = FoldCheckpoint(token: "t1", abandoned: [], inputs: ["a": 1], outputs: [:], committedAt: 2)
        let file = StateSnapshotFile(
            url: FileManager.default.temporaryDirectory.appendingPathComponent(
                "leadsync-store-\(UUID().uuidString).snapshot"
            )
        )
        defer { file.remove() }
        try file.write(store, changelogOffset: 77)
        let read = try #require(try file.read())
        #expect(read.changelogOffset == 77)
        #expect(read.store.count == 500)
        #expect(read.store.checkpoint == store.checkpoint)
        #expect(read.store.activityDueByKey == store.activityDueByKey)
        for index in 0..<500 {
            #expect(try read.store.state(of: "acme/lead\(index)@x.io") == state(index, history: index % 5))
        }
        // Version 2: the store's strings, then its states as they are (in-memory form).
        let bytes = try [UInt8](Data(contentsOf: file.url))
        #expect(Array(bytes.prefix(5)) == Array("LSNP".utf8) + [2])
        #expect(read.store.strings.strings == store.strings.strings)
        #expect(read.store.memoryStatistics.payloadBytes == store.memoryStatistics.payloadBytes)
    }

    @Test("a version 1 snapshot file (self-contained states) is still read")
    func versionOneSnapshot() throws {
        func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            withUnsafeBytes(of: value.littleEndian) { Array($0) }
        }
        var bytes =
            Array("LSNP".utf8) + [1] + littleEndian(Int64(42)) + littleEndian(UInt32(0)) + littleEndian(UInt64(2))
        for (index, due) in [(1, Int64(9)), (2, Int64.min)] {
            let key = Array("acme/lead\(index)@x.io".utf8)
            let state = LeadStateCodec.encode(state(index))
            bytes +=
                littleEndian(UInt32(key.count)) + key + littleEndian(UInt32(state.count)) + state + littleEndian(due)
        }
        let file = StateSnapshotFile(
            url: FileManager.default.temporaryDirectory.appendingPathComponent(
                "leadsync-v1-\(UUID().uuidString).snapshot"
            )
        )
        defer { file.remove() }
        try Data(bytes).write(to: file.url)
        let read = try #require(try file.read())
        #expect(read.changelogOffset == 42)
        #expect(read.store.checkpoint == nil)
        #expect(try read.store.state(of: "acme/lead1@x.io") == state(1))
        #expect(try read.store.state(of: "acme/lead2@x.io") == state(2))
        #expect(read.store.activityDueByKey == ["acme/lead1@x.io": 9])
        var future = bytes
        future[4] = 3
        try Data(future).write(to: file.url)
        #expect(throws: ChangelogError.self) { try file.read() }
    }
}
