import Foundation
public import Kafka
public import LeadModel
public import Logging

/// Reads one lead's committed state from the changelog, the way a restore would (for `leadsync state get`).
public enum LeadStateLookup {
    /// The lead's committed state, or `nil` when the fold has recorded nothing for it.
    /// - Parameters:
    ///   - key: the lead.
    ///   - changelog: the changelog topic.
    ///   - client: the cluster to read the changelog from.
    ///   - snapshotDirectory: a fold's state directory with its group (`{stateDirectory}/{groupId}`), to start
    ///     from the partition's snapshot instead of the changelog's beginning.
    ///   - logger: receives the logs of the Kafka clients made for the look-up.
    /// - Throws: ``FoldError`` when Kafka cannot be read or the changelog does not decode.
    public static func committedState(
        of key: LeadKey,
        changelog: String,
        client: KafkaClientConfiguration,
        snapshotDirectory: String? = nil,
        logger: Logger
    ) async throws(FoldError) -> LeadState? {
        let partitionCount = try await partitionCount(of: changelog, client: client, logger: logger)
        let rawKey = key.rawValue
        let partition = Murmur2Partitioner.partition(for: Array(rawKey.utf8), partitionCount: partitionCount)
        var snapshot: (store: LeadStateStore, changelogOffset: Int64)?
        if let snapshotDirectory {
            let file = StateSnapshotFile(
                url: URL(fileURLWithPath: snapshotDirectory).appendingPathComponent("partition-\(partition).snapshot")
            )
            snapshot = try? file.read()
        }
        var replay = ChangelogReplay(startingFrom: snapshot?.store ?? LeadStateStore())
        let reader = try stateReader(client: client, label: "leadsync-state-get", logger: logger)
        let changelogPartition = TopicPartition(topic: changelog, partition: partition)
        try await reader.readToEnd(from: [changelogPartition: snapshot?.changelogOffset ?? 0]) {
            record throws(FoldError) in
            // Only this lead's records (and checkpoints) matter; skip the rest without holding them.
            guard record.key.map({ $0 == FoldCheckpoint.key || $0.elementsEqual(rawKey.utf8) }) == true else { return }
            do {
                try replay.consume(key: record.key, value: record.value, headers: record.headers)
            } catch {
                throw FoldError(kind: .corruptState, message: "\(changelog)[\(partition)]@\(record.offset): \(error)")
            }
        }
        do throws(LeadStateCodec.DecodingError) {
            return try replay.store.state(of: rawKey)
        } catch {
            throw FoldError(kind: .corruptState, message: "state of \(rawKey) does not decode: \(error)")
        }
    }

    /// The changelog's partition count.
    /// - Throws: ``FoldError/Kind/topicLayout`` when the topic does not exist.
    static func partitionCount(
        of changelog: String,
        client: KafkaClientConfiguration,
        logger: Logger
    ) async throws(FoldError) -> Int {
        let descriptions: [TopicDescription]
        do {
            let admin = try KafkaAdmin(configuration: client, logger: logger)
            descriptions = try await admin.describeTopics([changelog])
        } catch {
            throw FoldError.kafka(error, "describe \(changelog)")
        }
        guard let description = descriptions.first else {
            throw FoldError(kind: .topicLayout, message: "topic \(changelog) does not exist")
        }
        return description.partitionCount
    }

    /// A reader of changelog partitions for a look-up: it fails when a read makes no progress for a minute.
    static func stateReader(
        client: KafkaClientConfiguration,
        label: String,
        logger: Logger
    ) throws(FoldError) -> PartitionReader {
        do {
            return try PartitionReader(
                client: client,
                label: label,
                settings: PartitionReader.Settings(stallTimeout: .seconds(60)),
                logger: logger
            )
        } catch {
            throw FoldError.kafka(error, "create the changelog reader")
        }
    }
}
