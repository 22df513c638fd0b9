public import Kafka

/// Rebuilds a ``LeadStateStore`` from changelog records read in offset order, applying only what committed.
///
/// State records are held back until the checkpoint of their transaction arrives. At a checkpoint, the held
/// records are applied in log order, except those of tokens the checkpoint lists as abandoned. Records after
/// the last checkpoint belong to a transaction that has not committed (yet, or ever): they are dropped, and
/// their tokens are reported so the next checkpoint can list them as abandoned.
///
/// A transaction's checkpoint is written in the next transaction, so a snapshot taken right after a commit holds
/// that transaction's checkpoint before the log does: records of the snapshot's checkpoint token committed, and
/// are applied when met.
struct ChangelogReplay {
    private struct HeldRecord {
        var token: String
        var key: String
        var state: [UInt8]
        var due: Int64?
    }

    private(set) var store: LeadStateStore
    private var held: [HeldRecord] = []
    /// State records applied so far.
    private(set) var appliedRecords = 0
    /// Records read so far (state and checkpoints).
    private(set) var readRecords = 0

    /// The token of the checkpoint the replay started from (a snapshot's), whose records committed.
    private let committedToken: String?

    init(startingFrom store: LeadStateStore = LeadStateStore()) {
        self.store = store
        self.committedToken = store.checkpoint?.token
    }

    mutating func consume(key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader]) throws(ChangelogError) {
        readRecords += 1
        guard let key, !key.isEmpty else { return }
        if key == FoldCheckpoint.key {
            guard let value else { return }
            let checkpoint = try FoldCheckpoint.decode(value)
            let abandoned = Set(checkpoint.abandoned)
            // Only a lead's last committed record of the transaction counts: the store re-encodes each record it
            // takes (into its in-memory form), so the ones a later record replaces are skipped.
            var lastRecord: [String: Int] = [:]
            for (index, record) in held.enumerated() where !abandoned.contains(record.token) {
                lastRecord[record.key] = index
                appliedRecords += 1
            }
            for (index, record) in held.enumerated() where lastRecord[record.key] == index {
                store.put(record.key, state: record.state, due: record.due)
            }
            held.removeAll(keepingCapacity: true)
            store.checkpoint = checkpoint
            return
        }
        guard let value else { return }  // no lead is ever deleted; a tombstone would be an operator's doing
        let token = FoldHeaders.string(FoldHeaders.transactionToken, in: headers) ?? ""
        let due = FoldHeaders.string(FoldHeaders.activityDue, in: headers).flatMap { Int64($0) }
        if token == committedToken {
            appliedRecords += 1
            store.put(String(decoding: key, as: UTF8.self), state: value, due: due)
            return
        }
        held.append(HeldRecord(token: token, key: String(decoding: key, as: UTF8.self), state: value, due: due))
    }

    /// The tokens of the records after the last checkpoint: transactions that did not commit.
    var uncommittedTokens: Set<String> { Set(held.map(\.token)) }
}
