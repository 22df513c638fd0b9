import Foundation
import Kafka
import LeadModel
import Logging
import Operations
import RecordHeaders
import Synchronization

/// One mock cluster for the operations suites, topics per test, and the means to seed dead letters the way the
/// fold and the writers write them, and to read topics back.
enum OperationsHarness {
    private static let cluster = Mutex<MockCluster?>(nil)
    static let partitions = 3

    static var logger: Logger {
        var logger = Logger(label: "operations-tests")
        logger.logLevel =
            ProcessInfo.processInfo.environment["OPERATIONS_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) }
            ?? .critical
        return logger
    }

    static func shared() throws -> MockCluster {
        try cluster.withLock { cluster in
            if let cluster { return cluster }
            let created = try MockCluster(brokers: 1, logger: logger)
            cluster = created
            return created
        }
    }

    static func client() throws -> KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: [try shared().bootstrapServers], clientId: "operations-tests")
    }

    /// Fast settings: short polls, a short idle timeout, progress every call.
    static let settings = DeadLetterReader.Settings(
        pollTimeout: .milliseconds(100),
        idleTimeout: .seconds(20),
        metadataTimeout: .seconds(10),
        progressInterval: .zero
    )

    /// A command topic, its dead-letter topic and an input topic with the events dead-letter topic, under a
    /// unique prefix.
    struct Topics {
        var prefix: String
        var commands: String { prefix + "marketo.commands" }
        var commandsDeadLetter: String { prefix + "marketo.commands.dlq" }
        var attendee: String { prefix + "attendee.events" }
        var eventsDeadLetter: String { prefix + "leadsync.events.dlq" }
        var all: [String] { [commands, commandsDeadLetter, attendee, eventsDeadLetter] }
        var deadLetterTopics: [String] { [eventsDeadLetter, commandsDeadLetter] }
    }

    static func makeTopics(_ name: String) throws -> Topics {
        let topics = Topics(prefix: "\(name)-\(UUID().uuidString.prefix(6))-")
        let cluster = try shared()
        for topic in topics.all { try cluster.createTopic(topic, partitions: partitions) }
        return topics
    }

    // MARK: - Producing

    static func producer() throws -> KafkaProducer {
        try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: try client(), lingerMilliseconds: 1),
            logger: logger
        )
    }

    /// Produces records and returns them as a consumer would read them (with their partitions and offsets).
    static func produce(_ records: [OutgoingRecord]) async throws -> [ConsumedRecord] {
        let reports = try await producer().send(records)
        return try zip(records, reports).map { record, report in
            guard report.isDelivered, let offset = report.offset else {
                throw HarnessError("a record to \(record.topic) was not delivered")
            }
            return ConsumedRecord(
                topic: record.topic,
                partition: report.partition,
                offset: offset,
                key: record.key,
                value: record.value ?? [],
                headers: record.headers,
                timestamp: record.timestamp
            )
        }
    }

    /// A dead letter of `original`, as the fold and the writers build it (``DeadLetterHeaders/make``), written to
    /// `topic` in the partition of its key.
    static func deadLetter(
        of original: ConsumedRecord,
        to topic: String,
        errorClass: String,
        code: String,
        message: String = "it failed",
        field: String? = nil,
        deadLetteredAt: Timestamp? = nil,
        extraHeaders: [KafkaHeader] = []
    ) -> OutgoingRecord {
        let headers = DeadLetterHeaders.make(
            for: original,
            errorClass: errorClass,
            code: code,
            message: message,
            field: field,
            attempts: 1,
            firstFailedAt: (deadLetteredAt ?? Timestamp(millisecondsSinceEpoch: 1_790_000_000_000)).rfc3339
        )
        return OutgoingRecord(
            topic: topic,
            key: original.key,
            value: original.value,
            headers: headers + extraHeaders,
            timestamp: deadLetteredAt?.millisecondsSinceEpoch
        )
    }

    /// A command JSON value for `tenant` (the writers' contract has `tenant` at the top level), valid under
    /// `topics/schemas/command.memberStatus.v1.json`: its id derived as the fold derives it, from a fresh source event
    /// id, so that every call gives another command.
    static func commandValue(tenant: String, email: String, status: String = "Registered") -> [UInt8] {
        let sourceEventId = UUID().uuidString.lowercased()
        let commandId =
            LeadKey(tenant: tenant, email: email).map { key in
                CommandID.memberStatus(
                    destination: .marketo,
                    leadKey: key,
                    virtualEventId: "summit",
                    status: ChannelStatus(name: status) ?? .registered,
                    sourceEventId: sourceEventId
                ).rawValue
            } ?? sourceEventId
        return Array(
            """
            {"version":1,"commandId":"\(commandId)","kind":"memberStatus","destination":"marketo",\
            "tenant":"\(tenant)","leadKey":"\(tenant)/\(email)","email":"\(email)","virtualEventId":"summit",\
            "programId":1001,"occurredAt":"2026-11-20T10:00:00.000Z","sourceEventId":"\(sourceEventId)",\
            "status":"\(status)","step":30,"success":true,"derived":false}
            """.utf8
        )
    }

    /// Originals on the command topic and their dead letters: `count` commands per tenant, each dead-lettered.
    static func seedCommandDeadLetters(
        _ topics: Topics,
        tenants: [String],
        perTenant count: Int,
        errorClass: String = "permanent",
        code: String = "1013",
        deadLetteredAt: Timestamp? = nil
    ) async throws -> [ConsumedRecord] {
        var originals: [OutgoingRecord] = []
        for tenant in tenants {
            for index in 0..<count {
                let email = "lead\(index)@\(tenant).example"
                originals.append(
                    OutgoingRecord(
                        topic: topics.commands,
                        key: Array("\(tenant)/\(email)".utf8),
                        value: commandValue(tenant: tenant, email: email),
                        headers: [KafkaHeader(key: "leadsync.tenant", string: tenant)]
                    )
                )
            }
        }
        let consumed = try await produce(originals)
        _ = try await produce(
            consumed.map {
                deadLetter(
                    of: $0,
                    to: topics.commandsDeadLetter,
                    errorClass: errorClass,
                    code: code,
                    deadLetteredAt: deadLetteredAt
                )
            }
        )
        return consumed
    }

    // MARK: - Reading

    /// Every record of a topic, partition by partition.
    static func readAll(_ topic: String) async throws -> [ConsumedRecord] {
        try await TopicReader.readAll(topic, client: try client(), logger: logger)
    }

    /// The high watermark of every partition of a topic.
    static func ends(_ topic: String) async throws -> [Int64] {
        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: try client(), groupId: "reader"),
            logger: logger
        )
        var ends: [Int64] = []
        for partition in 0..<Int32(partitions) {
            ends.append(try await reader.watermarks(TopicPartition(topic: topic, partition: partition)).high)
        }
        return ends
    }

    static func reader() throws -> DeadLetterReader {
        try DeadLetterReader(client: try client(), logger: logger, settings: settings)
    }

    static func replayer() throws -> DeadLetterReplayer {
        try DeadLetterReplayer(client: try client(), logger: logger, settings: settings)
    }

    /// Every dead letter of `topics` that passes `filter`.
    static func list(_ topics: [String], _ filter: DeadLetterFilter = .all) async throws -> [DeadLetterRecord] {
        var letters: [DeadLetterRecord] = []
        _ = try await reader().read(topics, matching: filter) { letter in
            letters.append(letter)
            return true
        }
        return letters
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
