import Kafka
import LeadModel
import Logging

/// Restores the tasks of assigned partitions before they fold: snapshot plus changelog replayed up to the last
/// checkpoint, then the outputs written since that checkpoint, so a re-fold does not write them again.
///
/// Per partition (docs/exactly-once.md, "The design"):
/// 1. the snapshot file, if any and if it belongs to this changelog, then the changelog from the snapshot's offset
///    to its end, applying state records only up to the last checkpoint (``ChangelogReplay``);
/// 2. each output partition (command topics, dead-letter topic) from the checkpoint's output bound to its end:
///    the output ids found there are suppressed once (``FoldTask/suppressedOutputIds``), and the last member-status
///    command of each lead and virtual event fills the status slots that restatements check
///    (``FoldTask/statusSlots``);
/// 3. the inputs are moved to the checkpoint's offsets (or the group's committed offsets, or the log start) and
///    resumed.
///
/// Owned by the poll loop; the rebalance hook only marks partitions as restoring.
struct FoldRestorer {
    private let configuration: FoldConfiguration
    private let consumer: KafkaConsumer
    private let reader: PartitionReader
    private let snapshots: SnapshotFiles
    private let logger: Logger
    private var metrics = FoldMetrics()

    init(
        configuration: FoldConfiguration,
        consumer: KafkaConsumer,
        snapshots: SnapshotFiles,
        logger: Logger
    ) throws(FoldError) {
        do {
            reader = try PartitionReader(
                client: configuration.client,
                label: "\(configuration.groupId)-restore",
                // A crashed instance's open transaction holds a read_committed read up for at most its timeout.
                settings: PartitionReader.Settings(stallTimeout: configuration.transactionTimeout * 2 + .seconds(30)),
                logger: logger
            )
        } catch {
            throw FoldError.kafka(error, "create the restore reader")
        }
        self.configuration = configuration
        self.consumer = consumer
        self.snapshots = snapshots
        self.logger = logger
    }

    /// Restores every partition waiting for it together (their reads overlap), positions their inputs and resumes
    /// them.
    mutating func restorePending(_ shared: SharedFoldState) async throws(FoldError) {
        let pending = shared.withLock { $0.partitions.restoring.sorted() }
        guard !pending.isEmpty else { return }
        let started = ContinuousClock.now
        let (tasks, changelogEnds) = try await restore(pending)
        try await position(tasks)
        let installed = shared.withLock { $0.partitions.restored(tasks, changelogPositions: changelogEnds) }
        do {
            try consumer.resume(configuration.topics.inputs(of: installed))
        } catch {
            throw FoldError.kafka(error, "resume restored partitions")
        }
        let seconds = Double((ContinuousClock.now - started).milliseconds) / 1000
        let records = tasks.reduce(0) { $0 + $1.restoredRecords }
        metrics.restoreSeconds.record(duration: ContinuousClock.now - started)
        shared.status.withLock {
            $0.restoreSeconds += seconds
            $0.restoredRecords += records
        }
        logger.info(
            "partitions restored",
            metadata: [
                "partitions": "\(tasks.map(\.partition))",
                "leads": "\(tasks.reduce(0) { $0 + $1.store.count })", "records": "\(records)",
                "seconds": "\(seconds)", "suppressed": "\(tasks.reduce(0) { $0 + $1.suppressedOutputIds.count })",
            ]
        )
        shared.publishStatus()
    }

    /// The restored tasks, and per partition the changelog end the replay reached.
    private mutating func restore(_ partitions: [Int32]) async throws(FoldError) -> ([FoldTask], [Int32: Int64]) {
        let changelogs = partitions.map { TopicPartition(topic: configuration.topics.changelog, partition: $0) }
        let outputTopics = configuration.topics.commands.values.sorted() + [configuration.topics.deadLetter]
        let outputs = partitions.flatMap { partition in
            outputTopics.map { TopicPartition(topic: $0, partition: partition) }
        }
        // One round of requests for every partition the restore reads: the outputs' ends cannot move meanwhile
        // (this task is their only writer), and asking later costs a metadata round trip per new topic.
        let watermarks: [TopicPartition: Watermarks]
        do {
            watermarks = try await reader.watermarks(changelogs + outputs)
        } catch {
            throw FoldError.kafka(error, "watermarks of \(changelogs.count + outputs.count) partitions")
        }

        var replays: [Int32: ChangelogReplay] = [:]
        var snapshotEntries: [Int32: Int] = [:]
        var changelogStarts: [TopicPartition: Int64] = [:]
        for (partition, changelog) in zip(partitions, changelogs) {
            let snapshot = loadSnapshot(partition, changelog: watermarks[changelog] ?? Watermarks(low: 0, high: 0))
            replays[partition] = ChangelogReplay(startingFrom: snapshot?.store ?? LeadStateStore())
            snapshotEntries[partition] = snapshot?.store.count ?? 0
            changelogStarts[changelog] = snapshot?.changelogOffset ?? 0
        }
        let changelogRanges = try await reader.readToEnd(from: changelogStarts, known: watermarks) {
            record throws(FoldError) in
            do {
                try replays[record.partition]?.consume(key: record.key, value: record.value, headers: record.headers)
            } catch {
                throw FoldError(kind: .corruptState, message: "\(record.topicPartition)@\(record.offset): \(error)")
            }
        }

        var tasks: [Int32: FoldTask] = [:]
        var changelogEnds: [Int32: Int64] = [:]
        var outputStarts: [TopicPartition: Int64] = [:]
        for (partition, changelog) in zip(partitions, changelogs) {
            guard let replay = replays[partition] else { continue }
            metrics.restored(changelogRecords: replay.readRecords, snapshotRecords: snapshotEntries[partition] ?? 0)
            changelogEnds[partition] = changelogRanges[changelog]?.end ?? 0
            var task = FoldTask(
                partition: partition,
                store: replay.store,
                suppressedOutputIds: [:],
                abandonedTokens: replay.uncommittedTokens.sorted(),
                nextInputOffsets: replay.store.checkpoint?.inputs ?? [:],
                outputLowerBounds: [:]
            )
            task.restoredRecords = replay.readRecords + (snapshotEntries[partition] ?? 0)
            tasks[partition] = task
            // Outputs of transactions after the checkpoint that reached the log anyway (visible on the mock).
            for topic in outputTopics {
                outputStarts[TopicPartition(topic: topic, partition: partition)] =
                    replay.store.checkpoint?.outputs[topic] ?? 0
            }
        }
        let outputRanges = try await reader.readToEnd(from: outputStarts, known: watermarks) {
            record throws(FoldError) in
            if let id = FoldHeaders.string(FoldHeaders.outputId, in: record.headers),
                tasks[record.partition]?.suppressedOutputIds[id] == nil
            {
                tasks[record.partition]?.suppressedOutputIds[id] = FoldTask.SuppressedOutput(
                    topic: record.topic,
                    offset: record.offset
                )
            }
            // Member statuses: what the last command of each lead and event in the scanned tail says.
            if FoldHeaders.string(FoldHeaders.commandKind, in: record.headers) == CommandKind.memberStatus.rawValue,
                let command = try? CommandCodec.decode(record.value)
            {
                tasks[record.partition]?.noteScannedCommand(command, topic: record.topic)
            }
        }
        for (output, range) in outputRanges {
            tasks[output.partition]?.outputLowerBounds[output.topic] = range.end
        }
        return (partitions.compactMap { tasks[$0] }, changelogEnds)
    }

    /// A partition's snapshot, unless it belongs to another changelog; says so when the changelog's head was
    /// deleted and no snapshot covers it.
    private mutating func loadSnapshot(
        _ partition: Int32,
        changelog: Watermarks
    ) -> (store: LeadStateStore, changelogOffset: Int64)? {
        var snapshot = snapshots.read(partition)
        if let offset = snapshot?.changelogOffset, offset > changelog.high {
            logger.warning(
                "ignoring a state snapshot from another changelog",
                metadata: [
                    "partition": "\(partition)", "snapshot.offset": "\(offset)", "changelog.end": "\(changelog.high)",
                ]
            )
            snapshot = nil
        }
        let from = snapshot?.changelogOffset ?? 0
        if from < changelog.low {
            metrics.incompleteRestore()
            logger.error(
                "the changelog's head was deleted and no snapshot covers it: leads of the deleted part restore empty",
                metadata: ["partition": "\(partition)", "from": "\(from)", "log.start": "\(changelog.low)"]
            )
        }
        return snapshot
    }

    /// Moves the tasks' inputs to their checkpoints (or the group's committed offsets, or the log start).
    private func position(_ tasks: [FoldTask]) async throws(FoldError) {
        guard !tasks.isEmpty else { return }
        let inputs = configuration.topics.inputs(of: tasks.map(\.partition))
        let checkpointed = Dictionary(uniqueKeysWithValues: tasks.map { ($0.partition, $0.nextInputOffsets) })
        do {
            let committed = try await consumer.committed(inputs)
            let offsets = inputs.map { input in
                TopicPartitionOffset(
                    topicPartition: input,
                    offset: checkpointed[input.partition]?[input.topic] ?? committed[input] ?? -2  // -2: log start
                )
            }
            // Asynchronous: the seek is queued ahead of the resume, and paused partitions fetch nothing meanwhile.
            try await consumer.seek(offsets, timeout: .zero)
        } catch {
            throw FoldError.kafka(error, "position the inputs of partitions \(tasks.map(\.partition))")
        }
    }
}
