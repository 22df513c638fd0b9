import CRdKafka

/// Owns an `rd_kafka_conf_t` until librdkafka takes it over in `rd_kafka_new`.
final class RDKafkaConfig {
    private(set) var pointer: OpaquePointer?

    /// Builds a configuration, letting librdkafka validate every property.
    /// - Throws: ``KafkaError`` naming the first property librdkafka rejected, with its reason.
    init(properties: [(String, String)]) throws(KafkaError) {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError.client("rd_kafka_conf_new returned no configuration (out of memory)")
        }
        self.pointer = conf
        var errorText = [CChar](repeating: 0, count: RDKafkaConfig.errorTextSize)
        for (name, value) in properties {
            let result = rd_kafka_conf_set(conf, name, value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                let reason = String(errorBuffer: errorText)
                throw KafkaError(
                    code: .invalidConfiguration,
                    reason: "invalid librdkafka property '\(name)': \(reason)"
                )
            }
        }
    }

    /// Hands the configuration to librdkafka, which frees it once `rd_kafka_new` succeeds.
    func transferOwnership() -> OpaquePointer? {
        defer { pointer = nil }
        return pointer
    }

    deinit {
        if let pointer {
            rd_kafka_conf_destroy(pointer)
        }
    }

    static let errorTextSize = 512
}
