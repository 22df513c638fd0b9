import Foundation
import Kafka
import Testing

@testable import Fold

@Suite("Changelog replay: only committed state records are applied")
struct ChangelogReplayTests {
    private func state(
        _ key: String,
        _ value: UInt8,
        token: String,
        due: Int64? = nil
    ) -> (
        [UInt8], [UInt8], [KafkaHeader]
    ) {
        var headers = [KafkaHeader(key: "leadsync.txn", string: token)]
        if let due { headers.append(KafkaHeader(key: "leadsync.activity.due", string: String(due))) }
        return (Array(key.utf8), [value], headers)
    }

    private func checkpoint(
        _ token: String,
        abandoned: [String] = [],
        input: Int64 = 0
    ) -> (
        [UInt8], [UInt8], [KafkaHeader]
    ) {
        let checkpoint = FoldCheckpoint(
            token: token,
            abandoned: abandoned,
            inputs: ["attendee.events": input],
            outputs: ["marketo.commands": input * 2],
            committedAt: 1
        )
        return (FoldCheckpoint.key, checkpoint.encoded(), [])
    }

    private func replay(_ records: [([UInt8], [UInt8], [KafkaHeader])]) throws -> ChangelogReplay {
        var replay = ChangelogReplay()
        for (key, value, headers) in records { try replay.consume(key: key, value: value, headers: headers) }
        return replay
    }

    @Test("records of a transaction apply at its checkpoint, in log order; the tail after the last one does not")
    func appliesUpToLastCheckpoint() throws {
        let replay = try replay([
            state("acme/a@x.io", 1, token: "t1"),
            state("acme/a@x.io", 2, token: "t1", due: 99),
            checkpoint("t1", input: 10),
            state("acme/a@x.io", 3, token: "t2"),
            state("acme/b@x.io", 4, token: "t2"),
        ])
        #expect(replay.store.states == ["acme/a@x.io": [2]])
        #expect(replay.store.activityDueByKey == ["acme/a@x.io": 99])
        #expect(replay.store.checkpoint?.token == "t1")
        #expect(replay.store.checkpoint?.inputs["attendee.events"] == 10)
        #expect(replay.uncommittedTokens == ["t2"])
        #expect(replay.appliedRecords == 2)
        #expect(replay.readRecords == 5)
    }

    @Test("records of an abandoned transaction before a later checkpoint are never applied")
    func abandonedTokensAreSkipped() throws {
        let replay = try replay([
            state("acme/a@x.io", 1, token: "t1"),
            checkpoint("t1"),
            state("acme/a@x.io", 9, token: "crashed"),  // a crashed transaction, visible on the mock cluster
            state("acme/c@x.io", 9, token: "crashed"),
            state("acme/a@x.io", 2, token: "t3"),
            checkpoint("t3", abandoned: ["crashed"]),
        ])
        #expect(replay.store.states == ["acme/a@x.io": [2]])
        #expect(replay.uncommittedTokens.isEmpty)
    }

    @Test("a held record whose checkpoint was compacted away is applied at the next checkpoint, in order")
    func compactedCheckpointKeepsOrder() throws {
        let replay = try replay([
            state("acme/a@x.io", 1, token: "t1"),  // t1's checkpoint was compacted (same key as t2's)
            state("acme/a@x.io", 2, token: "t2"),
            checkpoint("t2"),
        ])
        #expect(replay.store.states == ["acme/a@x.io": [2]])
    }

    @Test("records of a snapshot's checkpoint token committed: applied when met, never reported as uncommitted")
    func snapshotCheckpointTokenCommitted() throws {
        // A snapshot written right after t1 committed holds t1's checkpoint, which the log gets only with the next
        // transaction; a restore that re-reads t1's records must not take t1 for a crashed transaction.
        var store = LeadStateStore()
        store.put("acme/a@x.io", state: [1], due: nil)
        store.checkpoint = FoldCheckpoint(token: "t1", abandoned: [], inputs: [:], outputs: [:], committedAt: 1)
        var replay = ChangelogReplay(startingFrom: store)
        for (key, value, headers) in [state("acme/a@x.io", 1, token: "t1"), state("acme/b@x.io", 5, token: "t2")] {
            try replay.consume(key: key, value: value, headers: headers)
        }
        #expect(replay.store.states == ["acme/a@x.io": [1]])
        #expect(replay.uncommittedTokens == ["t2"])
        #expect(replay.appliedRecords == 1)
    }

    @Test("a pending activity is cleared by a later state record without a due header")
    func dueIsCleared() throws {
        let replay = try replay([
            state("acme/a@x.io", 1, token: "t1", due: 5),
            checkpoint("t1"),
            state("acme/a@x.io", 2, token: "t2"),
            checkpoint("t2"),
        ])
        #expect(replay.store.activityDueByKey.isEmpty)
    }

    @Test("a checkpoint that is not JSON is a corrupt_checkpoint error")
    func corruptCheckpoint() {
        var replay = ChangelogReplay()
        #expect(throws: ChangelogError.self) {
            try replay.consume(key: FoldCheckpoint.key, value: Array("{".utf8), headers: [])
        }
    }
}

@Suite("State snapshot files")
struct StateSnapshotFileTests {
    private func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("leadsync-snapshot-\(UUID().uuidString)")
            .appendingPathComponent("partition-3.snapshot")
    }

    @Test("a snapshot round-trips states, pending activities, the checkpoint and the changelog offset")
    func roundTrip() throws {
        var store = LeadStateStore()
        for index in 0..<1_000 {
            store.put(
                "acme/lead\(index)@example.com",
                state: Array(repeating: UInt8(index % 256), count: index % 300),
                due: index.isMultiple(of: 7) ? Int64(index) : nil
            )
        }
        store.checkpoint = FoldCheckpoint(
            token: "t9",
            abandoned: ["x"],
            inputs: ["a": 5],
            outputs: ["b": 6],
            committedAt: 7
        )
        let file = StateSnapshotFile(url: temporaryFile())
        try file.write(store, changelogOffset: 12_345)
        let read = try #require(try file.read())
        #expect(read.changelogOffset == 12_345)
        #expect(read.store.states == store.states)
        #expect(read.store.activityDueByKey == store.activityDueByKey)
        #expect(read.store.checkpoint == store.checkpoint)
        file.remove()
        #expect(try file.read() == nil)
    }

    @Test("a truncated snapshot is reported, not half-loaded")
    func truncated() throws {
        var store = LeadStateStore()
        store.put("acme/a@example.com", state: [1, 2, 3], due: nil)
        let file = StateSnapshotFile(url: temporaryFile())
        try file.write(store, changelogOffset: 1)
        let bytes = try Data(contentsOf: file.url)
        try bytes.prefix(bytes.count - 2).write(to: file.url)
        #expect(throws: ChangelogError.self) { try file.read() }
        try Data("nope".utf8).write(to: file.url)
        #expect(throws: ChangelogError.self) { try file.read() }
    }
}

@Suite("Checkpoint output bounds")
struct CheckpointOutputBoundsTests {
    @Test("a checkpoint's output bound never passes a suppressed output the re-fold has not met yet")
    func boundsStayBeforeUnmatchedSuppressedOutputs() {
        var task = FoldTask(
            partition: 0,
            store: LeadStateStore(),
            suppressedOutputIds: [
                "a": FoldTask.SuppressedOutput(topic: "marketo.commands", offset: 40),
                "b": FoldTask.SuppressedOutput(topic: "marketo.commands", offset: 55),
                "c": FoldTask.SuppressedOutput(topic: "leadsync.events.dlq", offset: 7),
            ],
            abandonedTokens: [],
            nextInputOffsets: [:],
            outputLowerBounds: ["marketo.commands": 100, "salesforce.commands": 80]
        )
        #expect(
            task.checkpointOutputBounds()
                == ["marketo.commands": 40, "salesforce.commands": 80, "leadsync.events.dlq": 7]
        )
        task.suppressedOutputIds.removeValue(forKey: "a")
        task.suppressedOutputIds.removeValue(forKey: "c")
        #expect(task.checkpointOutputBounds()["marketo.commands"] == 55)
        task.suppressedOutputIds.removeAll()
        #expect(task.checkpointOutputBounds() == ["marketo.commands": 100, "salesforce.commands": 80])
    }
}
