import Kafka
import LeadModel
import Logging

extension FoldLoop {
    /// Checks the topics, creates the Kafka clients and the fold's parts, and joins the group.
    static func start(
        configuration: FoldConfiguration,
        logger: Logger,
        clock: @escaping @Sendable () -> Timestamp,
        status: FoldStatusBox
    ) async throws(FoldError) -> FoldLoop {
        let partitionCount = try await checkTopicLayout(configuration, logger: logger)
        let hook = RebalanceHookTarget()
        do {
            let producer = try TransactionalProducer(
                configuration: KafkaProducerConfiguration(
                    client: configuration.client,
                    lingerMilliseconds: 5,
                    compression: configuration.outputCompression,
                    // librdkafka requires message.timeout.ms <= transaction.timeout.ms.
                    messageTimeoutMilliseconds: Int(configuration.transactionTimeout.milliseconds),
                    transactionTimeoutMilliseconds: Int(configuration.transactionTimeout.milliseconds)
                ),
                transactionalId: configuration.transactionalId,
                logger: logger
            )
            try await producer.initTransactions()
            try await producer.prepareTopics(configuration.topics.outputs)
            let consumer = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(
                    client: configuration.client,
                    groupId: configuration.groupId,
                    // Range keeps partition p of every input topic on one member: one task owns all of a lead.
                    assignmentStrategy: .range,
                    offsetReset: .earliest,
                    isolationLevel: .readCommitted,
                    sessionTimeoutMilliseconds: Int(configuration.sessionTimeout.milliseconds),
                    fetchWaitMaxMilliseconds: Int(configuration.fetchWaitMax.milliseconds)
                ),
                logger: logger,
                onRebalance: { event in hook.rebalanced(event) }
            )
            let snapshots = SnapshotFiles(configuration: configuration, logger: logger)
            let shared = SharedFoldState(
                FoldState(
                    context: FoldTask.Context(
                        tenants: configuration.tenants,
                        topics: configuration.topics,
                        partitionCount: partitionCount,
                        transactionToken: ""
                    ),
                    transaction: TransactionStateMachine(
                        token: FoldTransactions.newToken(),
                        commitInterval: configuration.commitInterval,
                        commitMaxRecords: configuration.commitMaxRecords,
                        now: .now
                    )
                ),
                status: status
            )
            let transactions = FoldTransactions(
                shared: shared,
                producer: producer,
                consumer: consumer,
                configuration: configuration,
                clock: clock,
                logger: logger
            )
            let loop = FoldLoop(
                configuration: configuration,
                consumer: consumer,
                transactions: transactions,
                restorer: try FoldRestorer(
                    configuration: configuration,
                    consumer: consumer,
                    snapshots: snapshots,
                    logger: logger
                ),
                snapshots: SnapshotScheduler(files: snapshots, interval: configuration.snapshotInterval),
                hook: hook,
                clock: clock,
                logger: logger
            )
            hook.set(
                FoldRebalancer(
                    transactions: transactions,
                    consumer: consumer,
                    snapshots: snapshots,
                    topics: configuration.topics,
                    logger: logger
                )
            )
            try consumer.subscribe(configuration.topics.inputs)
            logger.info(
                "fold started",
                metadata: [
                    "group": "\(configuration.groupId)", "transactional.id": "\(configuration.transactionalId)",
                    "partitions": "\(partitionCount)",
                ]
            )
            return loop
        } catch let error as KafkaError {
            throw FoldError.kafka(error, "start the fold")
        } catch let error as FoldError {
            throw error
        } catch {
            throw FoldError(kind: .kafka, message: "start the fold: \(error)")
        }
    }

    /// Every topic the fold touches must exist with one partition count (partition p of each is task p's).
    private static func checkTopicLayout(
        _ configuration: FoldConfiguration,
        logger: Logger
    ) async throws(FoldError) -> Int {
        let topics = configuration.topics
        let names = topics.inputs + [topics.changelog, topics.deadLetter] + topics.commands.values.sorted()
        let descriptions: [TopicDescription]
        do {
            let admin = try KafkaAdmin(configuration: configuration.client, logger: logger)
            descriptions = try await admin.describeTopics(names)
        } catch {
            throw FoldError.kafka(error, "describe the fold's topics")
        }
        let counts = Dictionary(uniqueKeysWithValues: descriptions.map { ($0.name, $0.partitionCount) })
        let missing = names.filter { counts[$0] == nil }
        guard missing.isEmpty else {
            throw FoldError(
                kind: .topicLayout,
                message: "missing topics \(missing.joined(separator: ", ")): run `leadsync topics apply`"
            )
        }
        let distinct = Set(counts.values)
        guard distinct.count == 1, let count = distinct.first else {
            let layout = names.map { "\($0)=\(counts[$0] ?? 0)" }.joined(separator: ", ")
            throw FoldError(
                kind: .topicLayout,
                message: "the fold's topics must have one partition count (partition p of each belongs to one task): "
                    + layout
            )
        }
        return count
    }
}
