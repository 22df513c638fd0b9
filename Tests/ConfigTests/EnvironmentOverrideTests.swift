import Config
import Kafka
import Testing

@Suite("Environment overrides")
struct EnvironmentOverrideTests {
    @Test("LEADSYNC_KAFKA_BOOTSTRAP_SERVERS turns the embedded Kafka into a cluster")
    func bootstrapServersFromEnvironment() throws {
        let config = try TestSupport.parse(
            TestSupport.minimal(),
            environment: ["LEADSYNC_KAFKA_BOOTSTRAP_SERVERS": "kafka-0:9092, kafka-1:9092"]
        ).get()
        #expect(config.kafka == .cluster(KafkaClusterSettings(bootstrapServers: ["kafka-0:9092", "kafka-1:9092"])))
    }

    @Test("Environment values win over the file's")
    func environmentWins() throws {
        let document = TestSupport.minimal(
            top: """
                kafka:
                  bootstrapServers: [file:9092]
                  securityProtocol: SSL
                  properties: { linger.ms: "5", compression.type: lz4 }
                observability: { logLevel: warning, metricsAddress: 127.0.0.1:1 }
                """
        )
        let config = try TestSupport.parse(
            document,
            environment: [
                "LEADSYNC_KAFKA_BOOTSTRAP_SERVERS": "env:9093",
                "LEADSYNC_KAFKA_PROPERTY_COMPRESSION_TYPE": "zstd",
                "LEADSYNC_KAFKA_PROPERTY_SECURITY_PROTOCOL": "PLAINTEXT",
                "LEADSYNC_LOG_LEVEL": "DEBUG",
                "LEADSYNC_METRICS_ADDRESS": "0.0.0.0:9100",
            ]
        ).get()
        let cluster = try #require(config.kafka.cluster)
        #expect(cluster.bootstrapServers == ["env:9093"])
        #expect(cluster.securityProtocol == .plaintext)
        #expect(cluster.properties == ["linger.ms": "5", "compression.type": "zstd"])
        #expect(config.observability.logLevel == .debug)
        #expect(config.observability.metricsAddress == ListenAddress(host: "0.0.0.0", port: 9100))
    }

    @Test("SASL can be configured entirely through LEADSYNC_KAFKA_PROPERTY_* variables")
    func saslFromEnvironment() throws {
        let environment = [
            "LEADSYNC_KAFKA_BOOTSTRAP_SERVERS": "b-1.msk.example:9096",
            "LEADSYNC_KAFKA_PROPERTY_SECURITY_PROTOCOL": "SASL_SSL",
            "LEADSYNC_KAFKA_PROPERTY_SASL_MECHANISMS": "SCRAM-SHA-512",
            "LEADSYNC_KAFKA_PROPERTY_SASL_USERNAME": "leadsync",
            "LEADSYNC_KAFKA_PROPERTY_SASL_PASSWORD": "pw-from-env",
            "LEADSYNC_KAFKA_PROPERTY_SSL_CA_LOCATION": "/etc/ca.pem",
        ]
        let config = try TestSupport.parse(TestSupport.minimal(), environment: environment).get()
        let cluster = try #require(config.kafka.cluster)
        #expect(cluster.securityProtocol == .saslSSL)
        #expect(cluster.sasl?.mechanism == .scramSHA512)
        #expect(cluster.sasl?.username == "leadsync")
        #expect(cluster.sasl?.password.reference == .environment("LEADSYNC_KAFKA_PROPERTY_SASL_PASSWORD"))
        #expect(cluster.sslCALocation == "/etc/ca.pem")
        let client = try cluster.clientConfiguration()
        #expect(client.bootstrapServers == ["b-1.msk.example:9096"])
        #expect(client.clientId == "leadsync")
        #expect(
            client.additionalProperties == [
                "security.protocol": "SASL_SSL", "sasl.mechanisms": "SCRAM-SHA-512", "sasl.username": "leadsync",
                "sasl.password": "pw-from-env", "ssl.ca.location": "/etc/ca.pem",
            ]
        )
        #expect(!"\(config)".contains("pw-from-env"))
    }

    @Test("Property variable names map to librdkafka names and back")
    func propertyNames() {
        #expect(
            EnvironmentVariable.kafkaPropertyName(ofVariable: "LEADSYNC_KAFKA_PROPERTY_SECURITY_PROTOCOL")
                == "security.protocol"
        )
        #expect(EnvironmentVariable.kafkaPropertyName(ofVariable: "LEADSYNC_KAFKA_PROPERTY_") == nil)
        #expect(EnvironmentVariable.kafkaPropertyName(ofVariable: "LEADSYNC_LOG_LEVEL") == nil)
        #expect(
            EnvironmentVariable.kafkaPropertyVariable(for: "ssl.ca.location")
                == "LEADSYNC_KAFKA_PROPERTY_SSL_CA_LOCATION"
        )
    }

    @Test("Overrides apply to the embedded default too")
    func embeddedDefaultOverrides() throws {
        let config = try LeadSyncConfig.embeddedDefault(environment: [
            "LEADSYNC_LOG_LEVEL": "trace",
            "LEADSYNC_DEV_MARKETO_CLIENT_SECRET": "mine",
        ])
        #expect(config.observability.logLevel == .trace)
        #expect(try config.tenants[0].marketo?.clientSecret.reveal() == "mine")
        #expect(config.kafka == .embedded)
    }
}
