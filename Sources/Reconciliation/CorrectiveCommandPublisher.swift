public import Fold
public import Kafka
public import LeadModel
public import Logging

// MARK: - CorrectiveCommandPublisher

/// Produces corrective commands to `<destination>.commands`, keyed by the lead key like the fold's commands (the
/// same murmur2 partitioner), so the normal writers deliver them in per-lead order.
public struct CorrectiveCommandPublisher: Sendable {
    /// The Kafka cluster.
    public var client: KafkaClientConfiguration
    /// The command topic of each destination.
    public var topics: [Destination: String]
    /// The logger.
    public var logger: Logger

    /// Creates a publisher.
    /// - Parameter topics: Command topics; the fold's standard `marketo.commands` / `salesforce.commands` by default.
    public init(
        client: KafkaClientConfiguration,
        topics: [Destination: String] = FoldConfiguration.Topics.standard.commands,
        logger: Logger
    ) {
        self.client = client
        self.topics = topics
        self.logger = logger
    }

    /// Produces the commands and waits for every delivery report.
    /// - Returns: How many were produced.
    /// - Throws: ``ReconciliationError`` (`kafka`) when the producer cannot be made or a record is refused.
    @discardableResult
    public func publish(_ commands: [Command]) async throws(ReconciliationError) -> Int {
        guard !commands.isEmpty else { return 0 }
        var records: [OutgoingRecord] = []
        for command in commands {
            guard let topic = topics[command.destination] else {
                throw ReconciliationError(code: .configuration, message: "no command topic for \(command.destination)")
            }
            records.append(
                OutgoingRecord(
                    topic: topic,
                    key: Array(command.leadKey.rawValue.utf8),
                    value: CommandCodec.encode(command)
                )
            )
        }
        do {
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
            var sent = 0
            for chunk in stride(from: 0, to: records.count, by: 1_000) {
                let reports = try await producer.send(Array(records[chunk..<min(chunk + 1_000, records.count)]))
                if let failed = reports.first(where: { !$0.isDelivered }) {
                    throw ReconciliationError(
                        code: .kafka,
                        message:
                            "\(failed.topic) refused a corrective command: \(failed.error.map { "\($0)" } ?? "?"); "
                            + "\(sent) were produced before; running the same reconcile again is harmless"
                    )
                }
                sent += reports.count
            }
            return sent
        } catch let error as ReconciliationError {
            throw error
        } catch {
            throw ReconciliationError(code: .kafka, message: "cannot produce the corrective commands: \(error)")
        }
    }
}
