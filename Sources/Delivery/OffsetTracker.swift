public import Kafka

// MARK: - OffsetTracker

/// Which consumed offsets of each partition are finished, and so which offset may be committed: the first
/// unfinished one (or one past the last consumed when all are finished). Records finish out of order (batches
/// per tenant, retries), offsets are committed in order.
struct OffsetTracker {
    private struct PartitionLedger {
        /// Offsets consumed and not yet committed, in consumption order, with whether each is finished.
        var offsets: [Int64] = []
        var finished: [Bool] = []
        var head = 0
        var nextUncommitted: Int64?
        var committed: Int64?

        mutating func compact() {
            if head > 4096 && head * 2 > offsets.count {
                offsets.removeFirst(head)
                finished.removeFirst(head)
                head = 0
            }
        }
    }

    private var partitions: [TopicPartition: PartitionLedger] = [:]
    /// Offsets consumed and not finished.
    private(set) var unfinished = 0

    /// Records a consumed offset (offsets of one partition arrive in increasing order).
    mutating func consumed(_ partition: TopicPartition, offset: Int64) {
        partitions[partition, default: PartitionLedger()].offsets.append(offset)
        partitions[partition, default: PartitionLedger()].finished.append(false)
        unfinished += 1
    }

    /// Marks a consumed offset finished. Unknown offsets (a partition revoked meanwhile) are ignored.
    mutating func finished(_ partition: TopicPartition, offset: Int64) {
        guard var ledger = partitions[partition] else { return }
        // Offsets are sorted: binary search from the head.
        var low = ledger.head
        var high = ledger.offsets.count
        while low < high {
            let middle = (low + high) / 2
            if ledger.offsets[middle] < offset { low = middle + 1 } else { high = middle }
        }
        guard low < ledger.offsets.count, ledger.offsets[low] == offset, !ledger.finished[low] else { return }
        ledger.finished[low] = true
        unfinished -= 1
        while ledger.head < ledger.offsets.count && ledger.finished[ledger.head] {
            ledger.nextUncommitted = ledger.offsets[ledger.head] + 1
            ledger.head += 1
        }
        ledger.compact()
        partitions[partition] = ledger
    }

    /// Offsets to commit now (those that moved since the last call), and notes them as committed.
    mutating func takeCommittable(_ only: Set<TopicPartition>? = nil) -> [TopicPartitionOffset] {
        var result: [TopicPartitionOffset] = []
        for (partition, ledger) in partitions {
            if let only, !only.contains(partition) { continue }
            guard let next = ledger.nextUncommitted, next != ledger.committed else { continue }
            result.append(TopicPartitionOffset(topicPartition: partition, offset: next))
            partitions[partition]?.committed = next
        }
        return result
    }

    /// Commits that failed: offer these partitions' positions again next time.
    mutating func commitFailed(_ offsets: [TopicPartitionOffset]) {
        for offset in offsets { partitions[offset.topicPartition]?.committed = nil }
    }

    /// Forgets partitions (revoked or lost).
    mutating func remove(_ removed: some Sequence<TopicPartition>) {
        for partition in removed {
            guard let ledger = partitions.removeValue(forKey: partition) else { continue }
            unfinished -= ledger.finished[ledger.head...].lazy.filter { !$0 }.count
        }
    }
}
