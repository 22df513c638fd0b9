import Basics
import CRdKafka
public import Logging

/// Cluster administration: topic metadata, creation and configs.
///
/// librdkafka's mock cluster answers metadata but not CreateTopics or DescribeConfigs; those calls fail there
/// with ``KafkaError/Code/unsupportedFeature`` (the development cluster offers its own control endpoint).
public final class KafkaAdmin: Sendable {
    private let client: RDKafkaClient
    private let bootstrapServers: String

    /// - Throws: ``KafkaError`` for an invalid property.
    public init(configuration: KafkaClientConfiguration, logger: Logger) throws(KafkaError) {
        self.bootstrapServers = configuration.bootstrapServers.joined(separator: ",")
        self.client = try RDKafkaClient.make(
            kind: .producer,
            properties: configuration.merged(with: []),
            logger: logger
        )
    }

    // MARK: - Metadata

    /// Describes topics, or every topic when `names` is `nil`. Topics that do not exist are left out.
    /// - Throws: ``KafkaError`` when no broker answered within `timeout` (for example unreachable bootstrap
    ///   servers: the reason names them).
    public func describeTopics(
        _ names: [String]? = nil,
        timeout: Duration = .seconds(10)
    ) async throws(KafkaError) -> [TopicDescription] {
        let handle = SendableOpaquePointer(pointer: client.handle)
        let milliseconds = Int32(timeout.milliseconds)
        let context = "cluster metadata from \(bootstrapServers)"
        let result = await client.blockingCalls.run { () -> Result<[TopicDescription], KafkaError> in
            var metadata: UnsafePointer<rd_kafka_metadata_t>?
            let err = rd_kafka_metadata(handle.pointer, 1, nil, &metadata, milliseconds)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                return .failure(KafkaError.response(err, context: context))
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            var topics: [TopicDescription] = []
            for index in 0..<Int(metadata.pointee.topic_cnt) {
                let topic = metadata.pointee.topics[index]
                guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
                let name = String(cString: topic.topic)
                let replicas = topic.partition_cnt > 0 ? Int(topic.partitions[0].replica_cnt) : 0
                topics.append(
                    TopicDescription(name: name, partitionCount: Int(topic.partition_cnt), replicationFactor: replicas)
                )
            }
            return .success(topics)
        }
        let topics = try result.get()
        guard let names else { return topics.sorted { $0.name < $1.name } }
        let wanted = Set(names)
        return topics.filter { wanted.contains($0.name) }.sorted { $0.name < $1.name }
    }

    // MARK: - Admin API

    /// Creates topics; one existing already is reported as such, not as an error.
    public func createTopics(
        _ topics: [TopicSpecification],
        timeout: Duration = .seconds(30)
    ) async throws(KafkaError) -> [TopicCreationResult] {
        guard !topics.isEmpty else { return [] }
        let handle = SendableOpaquePointer(pointer: client.handle)
        let milliseconds = Int32(timeout.milliseconds)
        let result = await client.blockingCalls.run { () -> Result<[TopicCreationResult], KafkaError> in
            Result { () throws(KafkaError) in try Self.createTopics(handle.pointer, topics, milliseconds) }
        }
        return try result.get()
    }

    private static func createTopics(
        _ handle: OpaquePointer,
        _ topics: [TopicSpecification],
        _ milliseconds: Int32
    ) throws(KafkaError) -> [TopicCreationResult] {
        var newTopics: [OpaquePointer?] = []
        defer { for case let topic? in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        var errorText = [CChar](repeating: 0, count: 512)
        for topic in topics {
            guard
                let newTopic = rd_kafka_NewTopic_new(
                    topic.name,
                    Int32(topic.partitions),
                    Int32(topic.replicationFactor),
                    &errorText,
                    errorText.count
                )
            else {
                throw KafkaError.client("topic \(topic.name): \(String(errorBuffer: errorText))")
            }
            newTopics.append(newTopic)
            for (name, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                let err = rd_kafka_NewTopic_set_config(newTopic, name, value)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw KafkaError.response(err, context: "topic \(topic.name) config \(name)")
                }
            }
        }
        let event = try runAdmin(handle, operation: RD_KAFKA_ADMIN_OP_CREATETOPICS, milliseconds: milliseconds) {
            options,
            queue in
            rd_kafka_CreateTopics(handle, &newTopics, newTopics.count, options, queue)
        }
        defer { rd_kafka_event_destroy(event) }
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            throw KafkaError.client("CreateTopics returned no result")
        }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return [] }
        return (0..<count).compactMap { index in
            guard let entry = results[index] else { return nil }
            let name = String(cString: rd_kafka_topic_result_name(entry))
            let err = rd_kafka_topic_result_error(entry)
            switch err {
            case RD_KAFKA_RESP_ERR_NO_ERROR:
                return .created(name)
            case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
                return .alreadyExists(name)
            default:
                let text = rd_kafka_topic_result_error_string(entry).map { String(cString: $0) } ?? ""
                return .failed(name, KafkaError.Code(err), text)
            }
        }
    }

    /// The topic-level configs (`cleanup.policy`, `retention.ms`, ...) of existing topics.
    public func describeConfigs(
        topics: [String],
        timeout: Duration = .seconds(30)
    ) async throws(KafkaError) -> [String: [String: String]] {
        guard !topics.isEmpty else { return [:] }
        let handle = SendableOpaquePointer(pointer: client.handle)
        let milliseconds = Int32(timeout.milliseconds)
        let result = await client.blockingCalls.run { () -> Result<[String: [String: String]], KafkaError> in
            Result { () throws(KafkaError) in try Self.describeConfigs(handle.pointer, topics, milliseconds) }
        }
        return try result.get()
    }

    private static func describeConfigs(
        _ handle: OpaquePointer,
        _ topics: [String],
        _ milliseconds: Int32
    ) throws(KafkaError) -> [String: [String: String]] {
        var resources: [OpaquePointer?] = topics.map { rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, $0) }
        defer { for case let resource? in resources { rd_kafka_ConfigResource_destroy(resource) } }
        let event = try runAdmin(handle, operation: RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, milliseconds: milliseconds) {
            options,
            queue in
            rd_kafka_DescribeConfigs(handle, &resources, resources.count, options, queue)
        }
        defer { rd_kafka_event_destroy(event) }
        guard let result = rd_kafka_event_DescribeConfigs_result(event) else {
            throw KafkaError.client("DescribeConfigs returned no result")
        }
        var count = 0
        var configs: [String: [String: String]] = [:]
        guard let described = rd_kafka_DescribeConfigs_result_resources(result, &count) else { return [:] }
        for index in 0..<count {
            guard let resource = described[index] else { continue }
            let name = String(cString: rd_kafka_ConfigResource_name(resource))
            let err = rd_kafka_ConfigResource_error(resource)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError.response(err, context: "configs of topic \(name)")
            }
            var entryCount = 0
            var values: [String: String] = [:]
            if let entries = rd_kafka_ConfigResource_configs(resource, &entryCount) {
                for entryIndex in 0..<entryCount {
                    guard let entry = entries[entryIndex] else { continue }
                    let key = String(cString: rd_kafka_ConfigEntry_name(entry))
                    values[key] = rd_kafka_ConfigEntry_value(entry).map { String(cString: $0) }
                }
            }
            configs[name] = values
        }
        return configs
    }

    /// Runs one admin request on a private queue and returns its result event (the caller destroys it).
    private static func runAdmin(
        _ handle: OpaquePointer,
        operation: rd_kafka_admin_op_t,
        milliseconds: Int32,
        _ start: (OpaquePointer?, OpaquePointer?) -> Void
    ) throws(KafkaError) -> OpaquePointer {
        guard let queue = rd_kafka_queue_new(handle) else { throw KafkaError.client("no admin queue") }
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle, operation)
        defer { if let options { rd_kafka_AdminOptions_destroy(options) } }
        var errorText = [CChar](repeating: 0, count: 512)
        rd_kafka_AdminOptions_set_request_timeout(options, milliseconds, &errorText, errorText.count)
        start(options, queue)
        guard let event = rd_kafka_queue_poll(queue, milliseconds + 1000) else {
            throw KafkaError(code: .timedOut, reason: "admin request timed out after \(milliseconds) ms")
        }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            rd_kafka_event_destroy(event)
            throw KafkaError(code: KafkaError.Code(err), reason: text)
        }
        return event
    }
}
