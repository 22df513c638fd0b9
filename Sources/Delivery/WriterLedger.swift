import Foundation
import Kafka
import Logging
import Synchronization

// MARK: - WriterLedger

/// A writer's ledgers in memory, partition by partition, backed by `<dest>.commands.ledger` (``LedgerRecord``):
/// the per-lead order ledger (``DeliveryLedger``) and the effect ledger (``EffectLedger``).
///
/// Keyed by what they protect (the consumer group and the command partition), never by the instance: a restarted
/// writer, or another one that is assigned the partition, reads the partition back (``load(_:now:)``) before it
/// delivers any of its commands. Only partitions loaded here are owned, and only owned partitions take intents.
final class WriterLedger: Sendable {
    private struct Partition {
        var order: [String: OrderMark] = [:]
        var effects: [String: EffectEntry] = [:]
        /// Consumed records already routed (`topic|partition|offset` -> when).
        var routed: [String: Date] = [:]
    }

    private struct State {
        var partitions: [Int32: Partition] = [:]
        var owned: Set<Int32> = []
    }

    /// Where the records go; nil keeps the ledger in memory (every partition owned).
    private let topic: String?
    /// The consumer group whose order and routed marks these are.
    private let scope: String
    private let producer: KafkaProducer?
    private let client: KafkaClientConfiguration?
    private let logger: Logger
    /// Order marks untouched for longer than this are forgotten (a retry of theirs cannot still be pending).
    let orderExpiry: TimeInterval
    /// Effect entries older than this are forgotten (the topic's retention: no command older than that comes back).
    let effectExpiry: TimeInterval
    private let state = Mutex(State())

    /// A ledger in memory only.
    init(memoryOnly: Bool, orderExpiry: TimeInterval = 90_000, effectExpiry: TimeInterval = 14 * 86_400) {
        topic = nil
        scope = ""
        producer = nil
        client = nil
        logger = Logger(label: "leadsync.writer.ledger")
        self.orderExpiry = orderExpiry
        self.effectExpiry = effectExpiry
    }

    /// A ledger backed by `topic`.
    init(
        topic: String,
        scope: String,
        producer: KafkaProducer,
        client: KafkaClientConfiguration,
        logger: Logger,
        orderExpiry: TimeInterval,
        effectExpiry: TimeInterval
    ) {
        self.topic = topic
        self.scope = scope
        self.producer = producer
        self.client = client
        self.logger = logger
        self.orderExpiry = orderExpiry
        self.effectExpiry = effectExpiry
    }

    var isMemoryOnly: Bool { topic == nil }

    // MARK: Ownership

    /// Whether this instance holds the partition's ledger (always, in memory).
    func isOwned(_ partition: Int32) -> Bool {
        isMemoryOnly || state.withLock { $0.owned.contains(partition) }
    }

    /// Reads the partitions' ledgers from the topic (from the start to the end they have now) and owns them.
    /// - Returns: The records read.
    /// - Throws: `KafkaError` when the topic cannot be read; the partitions stay unowned.
    @discardableResult
    func load(_ partitions: [Int32], now: Date = Date()) async throws(KafkaError) -> Int {
        guard let topic, let client, !partitions.isEmpty else {
            state.withLock { $0.owned.formUnion(partitions) }
            return 0
        }
        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client,
                groupId: "leadsync-ledger-reader",
                isolationLevel: .readUncommitted,
                fetchWaitMaxMilliseconds: 10
            ),
            logger: logger
        )
        var loaded: [Int32: Partition] = [:]
        var ends: [TopicPartition: Int64] = [:]
        var starts: [TopicPartitionOffset] = []
        for partition in partitions {
            loaded[partition] = Partition()
            let topicPartition = TopicPartition(topic: topic, partition: partition)
            let (low, high) = try await reader.watermarks(topicPartition)
            if high > low {
                ends[topicPartition] = high
                starts.append(TopicPartitionOffset(topicPartition: topicPartition, offset: low))
            }
        }
        var count = 0
        if !starts.isEmpty {
            try reader.assign(starts)
            let deadline = ContinuousClock.now + .seconds(120)
            while !ends.isEmpty {
                guard ContinuousClock.now < deadline else {
                    throw KafkaError(
                        code: .timedOut,
                        reason: "reading \(topic) partitions \(partitions) did not reach their end in 120 s"
                    )
                }
                let batch = try await reader.poll(maxRecords: 10_000, timeout: .milliseconds(100))
                for records in batch.partitions {
                    let partition = records.topicPartition.partition
                    for record in records.records {
                        count += 1
                        apply(
                            LedgerRecord.decode(key: record.key, value: record.value, scope: scope),
                            to: &loaded[partition, default: Partition()]
                        )
                    }
                }
                for (topicPartition, position) in try reader.positions(Array(ends.keys)) {
                    if let end = ends[topicPartition], position >= end { ends[topicPartition] = nil }
                }
            }
            try reader.assign([])
        }
        try? await reader.close()
        for partition in loaded.keys { expire(&loaded[partition, default: Partition()], now: now) }
        state.withLock { state in
            for (partition, entries) in loaded { state.partitions[partition] = entries }
            state.owned.formUnion(partitions)
        }
        return count
    }

    /// Gives up partitions (revoked or lost): their entries are dropped, their intents refused.
    func release(_ partitions: some Sequence<Int32>) {
        guard !isMemoryOnly else { return }
        state.withLock { state in
            for partition in partitions {
                state.owned.remove(partition)
                state.partitions[partition] = nil
            }
        }
    }

    private func apply(_ decoded: LedgerRecord.Decoded?, to partition: inout Partition) {
        switch decoded {
        case .order(let key, let mark): partition.order[key] = mark
        case .effect(let id, let entry): partition.effects[id] = entry
        case .routed(let key, let at): partition.routed[key] = at
        case nil: break
        }
    }

    private func expire(_ partition: inout Partition, now: Date) {
        partition.order = partition.order.filter { now.timeIntervalSince($0.value.touched) <= orderExpiry }
        partition.effects = partition.effects.filter { now.timeIntervalSince($0.value.at) <= effectExpiry }
        // A routed record's source is committed within seconds; a day covers any crash and restart.
        partition.routed = partition.routed.filter { now.timeIntervalSince($0.value) <= 86_400 }
    }

    /// Forgets expired entries of every partition; returns how many.
    @discardableResult
    func expireAll(now: Date = Date()) -> Int {
        state.withLock { state in
            var removed = 0
            for partition in Array(state.partitions.keys) {
                let before =
                    (state.partitions[partition]?.order.count ?? 0) + (state.partitions[partition]?.effects.count ?? 0)
                expire(&state.partitions[partition, default: Partition()], now: now)
                let after =
                    (state.partitions[partition]?.order.count ?? 0) + (state.partitions[partition]?.effects.count ?? 0)
                removed += before - after
            }
            return removed
        }
    }

    /// Entries held, for status and metrics.
    var entryCount: (order: Int, effects: Int) {
        state.withLock { state in
            state.partitions.values.reduce((0, 0)) { ($0.0 + $1.order.count, $0.1 + $1.effects.count) }
        }
    }

    // MARK: Order marks

    func orderMark(partition: Int32, key: String) -> OrderMark? {
        state.withLock { $0.partitions[partition]?.order[key] }
    }

    /// Sets a mark in memory; returns the record that makes it durable (nil in memory).
    func setOrderMark(partition: Int32, key: String, _ mark: OrderMark) -> OutgoingRecord? {
        state.withLock { $0.partitions[partition, default: Partition()].order[key] = mark }
        return topic.map { LedgerRecord.order(topic: $0, partition: partition, scope: scope, key: key, mark: mark) }
    }

    // MARK: Routed records

    /// The key of a consumed record's routed mark.
    static func routedKey(topic: String, partition: Int32, offset: Int64) -> String {
        "\(topic)|\(partition)|\(offset)"
    }

    /// Marks a command's consumed record routed to `destination`.
    func setRoutedRecord(_ pending: PendingCommand, to destination: String, at date: Date) -> OutgoingRecord? {
        setRouted(ledgerPartition: pending.order.partition, key: pending.routedKey, to: destination, at: date)
    }

    /// Whether a consumed record was already routed (by an instance that crashed before committing it).
    func wasRouted(ledgerPartition: Int32, key: String) -> Bool {
        state.withLock { $0.partitions[ledgerPartition]?.routed[key] != nil }
    }

    /// Marks a consumed record routed; returns the record that makes it durable (nil in memory).
    func setRouted(ledgerPartition: Int32, key: String, to destination: String, at date: Date) -> OutgoingRecord? {
        state.withLock { $0.partitions[ledgerPartition, default: Partition()].routed[key] = date }
        return topic.map {
            LedgerRecord.routed(
                topic: $0,
                partition: ledgerPartition,
                scope: scope,
                key: key,
                to: destination,
                at: date
            )
        }
    }

    // MARK: Effects

    func effect(_ key: EffectKey) -> EffectEntry? {
        state.withLock { $0.partitions[key.partition]?.effects[key.id] }
    }

    /// Sets (or, with nil, removes) effect entries: in Kafka first when they are intents (an intent is only
    /// acted on once durable), in memory first otherwise.
    func setEffects(_ changes: [(EffectKey, EffectEntry?)], requireOwnership: Bool) async throws(EffectLedgerError) {
        guard !changes.isEmpty else { return }
        if requireOwnership {
            let foreign = Set(changes.map(\.0.partition)).filter { !isOwned($0) }
            if !foreign.isEmpty {
                throw EffectLedgerError(
                    message: "command partitions \(foreign.sorted()) are not owned by this writer (revoked or not "
                        + "loaded yet): nothing is sent for them"
                )
            }
        }
        let isIntent = changes.contains { $0.1?.status == .intended }
        if !isIntent { applyInMemory(changes) }
        if let topic, let producer {
            let records = changes.map { LedgerRecord.effect(topic: topic, key: $0.0, entry: $0.1) }
            let reports: [DeliveryReport]
            do {
                reports = try await producer.send(records)
            } catch {
                throw EffectLedgerError(
                    message: "the ledger topic \(topic) did not take \(records.count) records: \(error)"
                )
            }
            let failed = reports.filter { !$0.isDelivered }
            if !failed.isEmpty {
                throw EffectLedgerError(
                    message:
                        "the ledger topic \(topic) did not acknowledge \(failed.count) of \(records.count) records: "
                        + "\(failed.first?.error.map { "\($0)" } ?? "unknown error")"
                )
            }
        }
        if isIntent { applyInMemory(changes) }
    }

    private func applyInMemory(_ changes: [(EffectKey, EffectEntry?)]) {
        state.withLock { state in
            for (key, entry) in changes {
                // Applied entries keep only what identifies the CRM's record: the ledger holds many of them.
                var entry = entry
                if entry?.status == .applied, let detail = entry?.detail, detail.count > 2 {
                    entry?.detail = detail.filter { $0.key == "crmId" }
                }
                state.partitions[key.partition, default: Partition()].effects[key.id] = entry
            }
        }
    }
}
