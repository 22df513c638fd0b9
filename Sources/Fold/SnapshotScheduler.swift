import Foundation
import Kafka
import Logging

/// Where a fold group's snapshot files live (`{stateDirectory}/{groupId}/partition-N.snapshot`), read by restores
/// and written after commits and on revoke. Without a state directory there are none: restores read the whole
/// changelog.
struct SnapshotFiles: Sendable {
    private let directory: URL?
    private let changelog: String
    private let logger: Logger

    init(configuration: FoldConfiguration, logger: Logger) {
        self.directory = configuration.stateDirectory.map {
            URL(fileURLWithPath: $0).appendingPathComponent(configuration.groupId)
        }
        self.changelog = configuration.topics.changelog
        self.logger = logger
    }

    /// Whether snapshots are kept at all.
    var isEnabled: Bool { directory != nil }

    private func file(_ partition: Int32) -> StateSnapshotFile? {
        directory.map { StateSnapshotFile(url: $0.appendingPathComponent("partition-\(partition).snapshot")) }
    }

    /// A partition's snapshot and the changelog offset it reflects; `nil` when there is none or it is unreadable.
    func read(_ partition: Int32) -> (store: LeadStateStore, changelogOffset: Int64)? {
        guard let file = file(partition) else { return nil }
        do {
            return try file.read()
        } catch {
            logger.warning("ignoring an unreadable state snapshot", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Writes a clean (committed) task's state, atomically, with the changelog position its state reflects: the
    /// later of where its restore ended and the producer's delivered end of its changelog partition.
    ///
    /// The position is a lower bound: re-reading a few committed records on restore is harmless, since state
    /// records are whole states.
    func write(_ task: FoldTask, restoredChangelogEnd: Int64, delivered: [TopicPartition: Int64]) {
        guard let file = file(task.partition), !task.isDirty else { return }
        let position = max(
            restoredChangelogEnd,
            delivered[TopicPartition(topic: changelog, partition: task.partition)] ?? 0
        )
        do {
            try file.write(task.store, changelogOffset: position)
        } catch {
            logger.warning(
                "writing a state snapshot failed",
                metadata: ["file": "\(file.url.path)", "error": "\(error)"]
            )
        }
    }
}

/// Which partition's snapshot is due: after a commit, one partition at a time, each once per snapshot interval.
///
/// Owned by the poll loop. A commit followed by a snapshot does not overlap the next fold, so the snapshot holds
/// only committed state.
struct SnapshotScheduler {
    let files: SnapshotFiles
    private let interval: Duration
    private var lastSnapshot = ContinuousClock.now
    private var cursor = 0

    init(files: SnapshotFiles, interval: Duration) {
        self.files = files
        self.interval = interval
    }

    /// Whether a snapshot is due among `partitionCount` restored partitions.
    func isDue(partitionCount: Int, now: ContinuousClock.Instant) -> Bool {
        files.isEnabled && partitionCount > 0 && now - lastSnapshot >= interval / max(partitionCount, 1)
    }

    /// The partition whose snapshot is due now, if one is; the next call moves on to the next partition.
    mutating func takeDuePartition(among partitions: [Int32], now: ContinuousClock.Instant) -> Int32? {
        guard isDue(partitionCount: partitions.count, now: now) else { return nil }
        lastSnapshot = now
        cursor = (cursor + 1) % partitions.count
        return partitions.sorted()[cursor]
    }
}
