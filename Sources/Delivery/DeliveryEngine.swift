import Basics
import Foundation
import Kafka
import LeadModel
import Logging
import ServiceLifecycle
import Synchronization

// MARK: - DeliveryEngine

/// One run of a writer: the Kafka clients, the poll loop, batch dispatch and commits.
final class DeliveryEngine: Sendable {
    let configuration: DeliveryConfiguration
    let sink: any DeliverySink
    let logger: Logger
    let state: DeliveryStateBox
    let metrics: DeliveryMetrics
    /// The ledgers' store (the ledger topic, loaded partition by partition).
    let ledgerStore: WriterLedger
    /// The per-lead order ledger over it.
    let ledger: DeliveryLedger
    /// The effect ledger over it, handed to the sink with every batch.
    let effects: EffectLedger
    let producer: KafkaProducer
    private let consumerBox = Mutex<KafkaConsumer?>(nil)
    private let random = Mutex(SystemRandomNumberGenerator())

    init(
        configuration: DeliveryConfiguration,
        sink: any DeliverySink,
        logger: Logger,
        state: DeliveryStateBox,
        metrics: DeliveryMetrics
    ) throws(DeliveryError) {
        self.configuration = configuration
        self.sink = sink
        self.logger = logger
        self.state = state
        self.metrics = metrics
        do {
            producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: configuration.client),
                logger: logger,
                onQueueFullWait: { metrics.produceQueueFullWait.recordNanoseconds($0.nanoseconds) }
            )
        } catch {
            throw .kafka(error, context: "creating the writer's producer")
        }
        ledgerStore = WriterLedger(
            topic: configuration.topics.ledger,
            scope: configuration.groupId,
            producer: producer,
            client: configuration.client,
            logger: logger,
            orderExpiry: configuration.retry.maxAge.seconds + 3600,
            effectExpiry: configuration.effectRetention.seconds
        )
        ledger = DeliveryLedger(store: ledgerStore)
        effects = EffectLedger(store: ledgerStore)
    }

    // MARK: Run

    func run() async throws {
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(
                    client: configuration.client,
                    groupId: configuration.groupId,
                    // Range assignment: partition p of the command, retry and ledger topics (equal partition counts)
                    // always go to the same member, so one member owns everything that protects partition p.
                    assignmentStrategy: .range,
                    isolationLevel: .readCommitted,
                    sessionTimeoutMilliseconds: Int(configuration.sessionTimeout.milliseconds)
                ),
                logger: logger,
                onRebalance: { [weak self] event in self?.rebalanced(event) }
            )
            consumerBox.withLock { $0 = consumer }
            try consumer.subscribe([configuration.topics.commands, configuration.topics.retry])
        } catch {
            throw DeliveryError.kafka(error, context: "joining group \(configuration.groupId)")
        }
        try await checkTopology()
        state.withLock { $0.status.isRunning = true }
        logger.info(
            "writer started",
            metadata: [
                "destination": "\(sink.destination.rawValue)", "group": "\(configuration.groupId)",
                "topics": "\(configuration.topics.commands), \(configuration.topics.retry)",
            ]
        )

        let stopping = Atomic(false)
        var lastCommit = ContinuousClock.now
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                    await loadAssignedLedgers(consumer)
                    let idle = state.withLock { $0.queuedCount == 0 && $0.busyTenants.isEmpty }
                    let batch: ConsumerBatch
                    do throws(KafkaError) {
                        batch = try await consumer.poll(maxRecords: 2000, timeout: .milliseconds(idle ? 100 : 10))
                    } catch {
                        throw DeliveryError.kafka(error, context: "polling \(configuration.topics.commands)")
                    }
                    let undecodable = ingest(batch, now: Date())
                    if !undecodable.isEmpty {
                        let routing = Task { await self.deadLetterUndecodable(undecodable) }
                        group.addTask { await routing.value }
                    }
                    for work in takeWork(now: Date(), draining: false) {
                        // Cancellation stops the loop as a graceful shutdown does, but never a batch in flight:
                        // a CRM call cut off mid-request leaves its result unknown, and a custom activity sent
                        // again is a duplicate. The batch runs in a task of its own (not cancelled with this
                        // one); the group waits for it.
                        let batch = Task { await self.perform(work) }
                        group.addTask { await batch.value }
                    }
                    applyBackpressure(consumer)
                    if ContinuousClock.now - lastCommit >= configuration.commitInterval {
                        await commit(consumer)
                        lastCommit = .now
                    }
                }
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
        }
        // Batches in flight have finished (the task group waited for them): commit what they finished.
        await commit(consumer)
        state.withLock { $0.status.isRunning = false }
        do { try await consumer.close() } catch { logger.warning("closing the consumer: \(error)") }
        do {
            try await producer.flush(timeout: .seconds(10))
        } catch {
            logger.warning("flushing the producer: \(error)")
        }
        logger.info("writer stopped", metadata: ["status": "\(state.withLock { $0.status })"])
    }

    // MARK: Ingest

    /// Queues consumed commands; returns records that are not commands (to dead-letter).
    private func ingest(_ batch: ConsumerBatch, now: Date) -> [ConsumedRecord] {
        guard !batch.isEmpty else { return [] }
        var undecodable: [ConsumedRecord] = []
        var decoded: [PendingCommand] = []
        for partition in batch.partitions {
            for record in partition.records {
                do {
                    decoded.append(try PendingCommand.decode(record))
                } catch {
                    undecodable.append(record)
                }
            }
        }
        state.withLock { state in
            for partition in batch.partitions {
                guard state.assigned.contains(partition.topicPartition) else { continue }
                for record in partition.records {
                    state.offsets.consumed(record.topicPartition, offset: record.offset)
                }
                state.status.consumed += partition.records.count
            }
            for var pending in decoded where state.assigned.contains(pending.source) {
                // Routed already by an instance that crashed before committing it: done, not routed twice.
                if ledgerStore.wasRouted(ledgerPartition: pending.order.partition, key: pending.routedKey) {
                    state.offsets.finished(pending.source, offset: pending.record.offset)
                    state.status.alreadyRouted += 1
                    metrics.commands(tenant: pending.tenant, outcome: "already_routed")
                    continue
                }
                pending.queuedAt = .now
                if let notBefore = pending.notBefore, notBefore > now {
                    state.delayed.insert(pending)
                } else {
                    state.queues[pending.tenant, default: []].append(pending)
                }
            }
            undecodable.removeAll { !state.assigned.contains($0.topicPartition) }
        }
        return undecodable
    }

    // MARK: Dispatch

    /// A unit of work for a batch task.
    enum Work: Sendable {
        /// Deliver these commands of one tenant.
        case deliver(tenant: String, items: [PendingCommand], backlog: Int, limiter: CallLimiter)
        /// The tenant's subscription is parked: move these commands to the retry topic until `until`.
        case park(tenant: String, items: [PendingCommand], until: Date)
        /// The sink does not know the tenant: dead-letter its commands.
        case unknownTenant(tenant: String, items: [PendingCommand])
    }

    /// Moves due retries to their queues and takes the batches that are ready.
    func takeWork(now: Date, draining: Bool) -> [Work] {
        state.withLock { state in
            for pending in state.delayed.popDue(now: now) {
                state.queues[pending.tenant, default: []].append(pending)
            }
            var work: [Work] = []
            let nowInstant = ContinuousClock.now
            // Held commands of parked tenants must not stop everyone else: past 90% of the unfinished budget,
            // parked queues go to the retry topic.
            let crowded = state.offsets.unfinished - state.delayed.count >= configuration.maxUnfinishedCommands * 9 / 10
            for (tenant, queue) in state.queues where !queue.isEmpty && !state.busyTenants.contains(tenant) {
                let subscription = sink.subscription(ofTenant: tenant)
                if let until = state.parked[subscription], until > now {
                    // A short park holds the commands where they are (queued, uncommitted) until it ends.
                    if until.timeIntervalSince(now) <= configuration.parkHoldLimit.seconds && !crowded { continue }
                    work.append(.park(tenant: tenant, items: queue, until: until))
                    state.queues[tenant] = nil
                    state.busyTenants.insert(tenant)
                    for pending in queue { state.inFlight[pending.source, default: 0] += 1 }
                    continue
                }
                let limiter =
                    state.limiters[tenant]
                    ?? sink.limits(forTenant: tenant).map {
                        CallLimiter(
                            limits: $0,
                            metricDimensions: [("destination", sink.destination.rawValue), ("tenant", tenant)]
                        )
                    }
                guard let limiter else {
                    work.append(.unknownTenant(tenant: tenant, items: queue))
                    state.queues[tenant] = nil
                    state.busyTenants.insert(tenant)
                    for pending in queue { state.inFlight[pending.source, default: 0] += 1 }
                    continue
                }
                if state.limiters[tenant] == nil {
                    limiter.setInstanceShare(state.instanceShare(commandTopic: configuration.topics.commands))
                    state.limiters[tenant] = limiter
                }
                let bulk = queue.count >= configuration.bulkThreshold
                let size = bulk ? configuration.bulkBatchCommands : configuration.maxBatchCommands
                let lingered = nowInstant - queue[0].queuedAt >= configuration.linger
                guard draining || lingered || queue.count >= size else { continue }
                let items = Array(queue.prefix(size))
                state.queues[tenant] = queue.count > size ? Array(queue.dropFirst(size)) : nil
                state.busyTenants.insert(tenant)
                for pending in items { state.inFlight[pending.source, default: 0] += 1 }
                work.append(
                    .deliver(tenant: tenant, items: items, backlog: queue.count - items.count, limiter: limiter)
                )
                state.status.batches += 1
            }
            return work
        }
    }

    // MARK: Backpressure and commits

    private func applyBackpressure(_ consumer: KafkaConsumer) {
        let limit = configuration.maxUnfinishedCommands
        let (pauseCommands, resumeCommands, pauseRetries, resumeRetries, commandPartitions, retryPartitions) =
            state.withLock { state in
                let delayed = state.delayed.count
                let fresh = state.offsets.unfinished - delayed
                // Partitions whose ledgers are still loading stay paused whatever the backpressure says.
                let loading = state.pendingLedgerLoads
                let commandPartitions = state.assigned.filter {
                    $0.topic == configuration.topics.commands && !loading.contains($0.partition)
                }
                let retryPartitions = state.assigned.filter {
                    $0.topic == configuration.topics.retry && !loading.contains($0.partition)
                }
                let pauseCommands = !state.pausedCommands && fresh >= limit
                let resumeCommands = state.pausedCommands && fresh < limit / 2
                let pauseRetries = !state.pausedRetries && delayed >= limit
                let resumeRetries = state.pausedRetries && delayed < limit / 2
                if pauseCommands { state.pausedCommands = true }
                if resumeCommands { state.pausedCommands = false }
                if pauseRetries { state.pausedRetries = true }
                if resumeRetries { state.pausedRetries = false }
                metrics.unfinished.record(state.offsets.unfinished)
                metrics.delayed.record(delayed)
                metrics.parked.record(state.parked.values.filter { $0 > Date() }.count)
                return (pauseCommands, resumeCommands, pauseRetries, resumeRetries, commandPartitions, retryPartitions)
            }
        do {
            if pauseCommands { try consumer.pause(Array(commandPartitions)) }
            if resumeCommands { try consumer.resume(Array(commandPartitions)) }
            if pauseRetries { try consumer.pause(Array(retryPartitions)) }
            if resumeRetries { try consumer.resume(Array(retryPartitions)) }
        } catch {
            logger.warning("pausing or resuming partitions failed: \(error)")
        }
    }

    private func commit(_ consumer: KafkaConsumer) async {
        recordLag(consumer)
        // A command's ledger records were acknowledged before its offset finished (settle).
        let offsets = state.withLock { $0.offsets.takeCommittable() }
        guard !offsets.isEmpty else { return }
        do {
            try await consumer.commit(offsets)
            state.withLock { $0.status.commits += 1 }
        } catch {
            metrics.commitFailures.increment()
            state.withLock { $0.offsets.commitFailed(offsets) }
            logger.warning("offset commit failed (will retry): \(error)")
        }
    }

    private func recordLag(_ consumer: KafkaConsumer) {
        let assigned = state.withLock { Array($0.assigned) }
        guard !assigned.isEmpty, let lag = try? consumer.lag(assigned) else { return }
        var byTopic: [String: Int64] = [configuration.topics.commands: 0, configuration.topics.retry: 0]
        for (partition, records) in lag { byTopic[partition.topic, default: 0] += records }
        metrics.lag(group: configuration.groupId, byTopic: byTopic)
    }

    // MARK: Topology and ledgers

    /// The command, retry and ledger topics must have one partition count: partition p of each belongs together.
    private func checkTopology() async throws(DeliveryError) {
        let topics = [configuration.topics.commands, configuration.topics.retry, configuration.topics.ledger]
        let counts: [String: Int]
        do {
            let admin = try KafkaAdmin(configuration: configuration.client, logger: logger)
            let described = try await admin.describeTopics(topics)
            counts = Dictionary(described.map { ($0.name, $0.partitionCount) }, uniquingKeysWith: { first, _ in first })
        } catch {
            throw DeliveryError.kafka(error, context: "describing \(topics.joined(separator: ", "))")
        }
        let missing = topics.filter { (counts[$0] ?? 0) == 0 }
        if !missing.isEmpty {
            throw DeliveryError.topology(
                "missing topics \(missing.joined(separator: ", ")): create them with `leadsync topics apply` "
                    + "(topics/ defines them)"
            )
        }
        if Set(topics.compactMap { counts[$0] }).count > 1 {
            throw DeliveryError.topology(
                "\(topics.map { "\($0) has \(counts[$0] ?? 0)" }.joined(separator: ", ")) partitions: they must be "
                    + "equal (partition p of each protects the same leads)"
            )
        }
        state.withLock { $0.commandPartitionCount = counts[configuration.topics.commands] ?? 0 }
    }

    /// Reads the ledgers of newly assigned partitions, then lets their commands through (they were paused on
    /// assignment: nothing of a partition is delivered before its ledger is known).
    private func loadAssignedLedgers(_ consumer: KafkaConsumer) async {
        let pending = state.withLock { $0.pendingLedgerLoads }
        guard !pending.isEmpty else { return }
        let started = ContinuousClock.now
        do {
            let records = try await ledgerStore.load(pending.sorted())
            let resume = state.withLock { state -> [TopicPartition] in
                state.pendingLedgerLoads.subtract(pending)
                return state.assigned.filter { pending.contains($0.partition) }
            }
            try consumer.resume(resume)
            logger.info(
                "ledgers loaded",
                metadata: [
                    "partitions": "\(pending.sorted())", "records": "\(records)",
                    "seconds": "\(Double((ContinuousClock.now - started).milliseconds) / 1000)",
                ]
            )
        } catch {
            logger.warning(
                "loading the ledgers of partitions \(pending.sorted()) failed; trying again",
                metadata: ["error": "\(error)"]
            )
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    // MARK: Rebalance

    /// Runs on the polling thread inside `poll`.
    private func rebalanced(_ event: RebalanceEvent) {
        switch event {
        case .assigned(let partitions):
            // Nothing of these partitions is handed out until their ledgers are loaded.
            if let consumer = consumerBox.withLock({ $0 }) {
                do {
                    try consumer.pause(partitions)
                } catch {
                    logger.error("pausing assigned partitions failed: \(error)")
                }
            }
            state.withLock { state in
                state.assigned.formUnion(partitions)
                state.pendingLedgerLoads.formUnion(partitions.map(\.partition))
                state.pausedCommands = false
                state.pausedRetries = false
            }
            updateInstanceShare()
            logger.info("partitions assigned", metadata: ["partitions": "\(partitions)"])
        case .revoked(let partitions):
            let revoked = Set(partitions)
            state.withLock { state in
                state.assigned.subtract(revoked)
                state.forget(revoked)
            }
            // Let batches in flight on these partitions finish, so their offsets are committed here and the next
            // owner does not send them again.
            let deadline = ContinuousClock.now + configuration.revocationDrainTimeout
            while state.withLock({ $0.inFlightCount(revoked) }) > 0 && ContinuousClock.now < deadline {
                usleep(10_000)
            }
            // Their ledger records were written before their offsets finished (settle): commit and hand over.
            let offsets = state.withLock { $0.offsets.takeCommittable(revoked) }
            do {
                if !offsets.isEmpty, let consumer = consumerBox.withLock({ $0 }) { try consumer.commitNow(offsets) }
            } catch {
                // The next owner reads these commands again: the ledger and idempotent calls keep the repeats harmless.
                metrics.commitFailures.increment()
                logger.warning("committing revoked partitions failed: \(error)")
            }
            _ = releasedLedgers(after: revoked)
            state.withLock { $0.offsets.remove(revoked) }
            updateInstanceShare()
            logger.info("partitions revoked", metadata: ["partitions": "\(partitions)"])
        case .lost(let partitions):
            let lost = Set(partitions)
            state.withLock { state in
                state.assigned.subtract(lost)
                state.forget(lost)
                state.offsets.remove(lost)
            }
            _ = releasedLedgers(after: lost)
            updateInstanceShare()
            logger.warning("partitions lost (not committed)", metadata: ["partitions": "\(partitions)"])
        }
    }

    /// Gives up the ledgers of partition numbers of which neither the command nor the retry partition is still
    /// assigned; returns them.
    private func releasedLedgers(after removed: Set<TopicPartition>) -> [Int32] {
        let released = state.withLock { state -> [Int32] in
            let stillAssigned = Set(state.assigned.map(\.partition))
            let numbers = Set(removed.map(\.partition)).subtracting(stillAssigned)
            state.pendingLedgerLoads.subtract(numbers)
            return numbers.sorted()
        }
        ledgerStore.release(released)
        return released
    }

    /// Gives every tenant's limiter this member's part of the limits (its part of the command partitions).
    private func updateInstanceShare() {
        let (share, limiters) = state.withLock { state in
            (state.instanceShare(commandTopic: configuration.topics.commands), Array(state.limiters.values))
        }
        for limiter in limiters { limiter.setInstanceShare(share) }
    }

    func jitter() -> Double {
        random.withLock { Double.random(in: 0..<1, using: &$0) }
    }
}
