import Delivery
import Fold
import Foundation
import Kafka
import LeadModel
import Logging
import SandboxMarketo
import SandboxSalesforce
import Simulation

// MARK: - Running

extension EmbeddedPipeline {
    /// Feeds the simulation through the pipeline until every event is folded and every command delivered or
    /// routed, then stops the roles and checks the sandboxes against the fold's state.
    ///
    /// The fold and the writers run in a ``RoleGroup`` (a `ServiceGroup`) beside the feeding: when the work is done
    /// they are shut down gracefully; when one of them throws, the others are shut down and this throws that error;
    /// SIGINT and SIGTERM stop the run the same way (when `handlesSignals`).
    /// - Parameters:
    ///   - handlesSignals: Whether SIGINT and SIGTERM shut the roles down gracefully (`leadsync run`: yes).
    ///   - progress: called about twice a second.
    /// - Throws: A role's error, ``RoleGroupError``, or ``EmbeddedPipelineError`` (input not accepted by Kafka, a
    ///   writer stopped, the timeout).
    public func run(
        handlesSignals: Bool = false,
        progress: @escaping @Sendable (EmbeddedProgress) -> Void
    ) async throws -> EmbeddedSummary {
        var roles = [RoleGroup.Role(name: "fold", service: fold)]
        for (destination, writer) in writers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            roles.append(RoleGroup.Role(name: "\(destination.rawValue) writer", service: writer))
        }
        let group = RoleGroup(roles: roles, handlesSignals: handlesSignals, logger: logger)
        let fed = try await group.run { [self] in try await feed(progress: progress) }

        logger.info("reading the fold's committed state from the changelog")
        let states = try await LeadStateLookup.committedStates(
            changelog: FoldConfiguration.Topics.standard.changelog,
            client: client,
            logger: logger
        )
        logger.info("checking the sandboxes against \(states.count) leads' state")
        let consistency = PipelineConsistency.check(
            states: states,
            tenants: config.tenants,
            marketo: marketo,
            salesforce: salesforce
        )
        return EmbeddedSummary(
            progress: fed.final,
            inputIntents: fed.intents,
            leadsInState: states.count,
            commands: try await commandCounts(),
            marketoCalls: marketo.calls(),
            salesforceCalls: salesforce.calls(),
            consistency: consistency
        )
    }

    /// Produces the simulation's input and waits until the pipeline has finished it (or fails, or times out).
    private func feed(
        progress: @Sendable (EmbeddedProgress) -> Void
    ) async throws -> (final: EmbeddedProgress, intents: [String: Int]) {
        let started = ContinuousClock.now
        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupId: "leadsync-run-reader"),
            logger: logger
        )

        // Feed the input in chunks, so progress shows and the mock's per-partition retention is never stressed.
        let plan = SimulationPlan(
            leadCount: options.leads,
            eventsPerLead: options.eventsPerLead,
            rates: options.rates,
            seed: options.seed,
            topicSkew: options.topicSkew
        )
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, lingerMilliseconds: 5),
            logger: logger
        )
        var produced = 0
        var chunk: [OutgoingRecord] = []
        var intents: [String: Int] = [:]
        let total = options.leads * options.eventsPerLead
        for record in plan.records() {
            chunk.append(OutgoingRecord(topic: record.topic, key: record.key, value: record.value))
            intents[record.intent.summaryName, default: 0] += 1
            if chunk.count == 2_000 {
                try Task.checkCancellation()  // a signal or a failed role stops the feeding between chunks
                produced += try await send(chunk, with: producer)
                chunk.removeAll(keepingCapacity: true)
                progress(try await snapshot(reader: reader, produced: produced, total: total, since: started))
            }
        }
        produced += try await send(chunk, with: producer)

        var last: EmbeddedProgress?
        var stableRounds = 0
        let deadline = started + options.timeout
        while true {
            let current = try await snapshot(reader: reader, produced: produced, total: produced, since: started)
            progress(current)
            if current.isFinished && current.sameWork(as: last) { stableRounds += 1 } else { stableRounds = 0 }
            if stableRounds >= 2 { break }
            if let failure = current.failure { throw EmbeddedPipelineError(message: failure) }
            guard ContinuousClock.now < deadline else {
                throw EmbeddedPipelineError(message: "the pipeline did not finish in \(options.timeout): \(current)")
            }
            last = current
            try await Task.sleep(for: .milliseconds(500))
        }
        let final = try await snapshot(reader: reader, produced: produced, total: produced, since: started)
        return (final, intents)
    }

    private func send(_ records: [OutgoingRecord], with producer: KafkaProducer) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        let reports = try await producer.send(records)
        let failed = reports.filter { !$0.isDelivered }.count
        if failed > 0 { throw EmbeddedPipelineError(message: "\(failed) simulated events were not accepted by Kafka") }
        return records.count
    }

    private func endOffsets(_ topic: String, reader: KafkaConsumer) async throws -> Int {
        var total: Int64 = 0
        for partition in 0..<Int32(options.partitions) {
            total += try await reader.watermarks(TopicPartition(topic: topic, partition: partition)).high
        }
        return Int(total)
    }

    private func snapshot(
        reader: KafkaConsumer,
        produced: Int,
        total: Int,
        since: ContinuousClock.Instant
    ) async throws -> EmbeddedProgress {
        var progress = EmbeddedProgress(produced: produced, total: total, elapsed: ContinuousClock.now - since)
        let foldStatus = fold.status
        progress.folded = foldStatus.inputRecords
        progress.foldUncommitted = foldStatus.uncommittedInputRecords
        progress.foldDeadLetters = try await endOffsets(FoldConfiguration.Topics.standard.deadLetter, reader: reader)
        for (destination, writer) in writers {
            let topics = DeliveryConfiguration.Topics.standard(for: destination)
            progress.commands[destination] = try await endOffsets(topics.commands, reader: reader)
            progress.writers[destination] = writer.status
        }
        return progress
    }

    /// Commands by destination, kind and (for member statuses) status name.
    private func commandCounts() async throws -> [String: Int] {
        logger.info("counting commands")
        var counts: [String: Int] = [:]
        for destination in writers.keys {
            let topic = DeliveryConfiguration.Topics.standard(for: destination).commands
            for record in try await TopicReader.readAll(topic, client: client, logger: logger) {
                guard let command = try? CommandCodec.decode(record.value) else { continue }
                var key = "\(command.destination.rawValue)|\(command.kind.rawValue)"
                if case .memberStatus(let change) = command.payload { key += "|\(change.status.name)" }
                counts[key, default: 0] += 1
            }
        }
        return counts
    }
}

/// The embedded pipeline could not finish.
public struct EmbeddedPipelineError: Error, Sendable, CustomStringConvertible {
    /// What happened.
    public var message: String
    public var description: String { message }
}

extension RecordIntent {
    var summaryName: String {
        switch kind {
        case .valid: "valid"
        case .duplicate: "duplicate"
        case .poison: "poison"
        }
    }
}
