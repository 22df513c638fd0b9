import Config
import Foundation
import Testing

@Suite("Secrets")
struct SecretTests {
    @Test("An env reference resolves from the injected environment")
    func environmentSecret() throws {
        let config = try TestSupport.parse(TestSupport.minimal(), environment: ["ACME_SECRET": "env-value"]).get()
        let secret = try #require(config.tenants[0].marketo?.clientSecret)
        #expect(secret.reference == .environment("ACME_SECRET"))
        #expect(secret.setting == "tenants[0].marketo.clientSecret")
        #expect(try secret.reveal() == "env-value")
    }

    @Test("A missing or empty variable is an error that names it and the setting")
    func missingEnvironmentSecret() throws {
        for environment in [[:], ["ACME_SECRET": ""]] {
            let config = try TestSupport.parse(TestSupport.minimal(), environment: environment).get()
            let secret = try #require(config.tenants[0].marketo?.clientSecret)
            let error = #expect(throws: SecretResolutionError.self) { try secret.reveal() }
            #expect(
                error?.description.hasPrefix("tenants[0].marketo.clientSecret: environment variable ACME_SECRET is")
                    == true
            )
            #expect(throws: ConfigurationError.self) { try config.checkSecrets() }
        }
    }

    @Test("A file reference reads a real file, without its trailing line break, each time it is revealed")
    func fileSecret() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "config-tests-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("marketo-secret")
        try "from-a-file\n".write(to: file, atomically: true, encoding: .utf8)
        let document = TestSupport.minimal().replacingFirst("{ env: ACME_SECRET }", with: "{ file: \(file.path) }")
        let config = try LeadSyncConfig.parse(document, fileName: "config.yaml", source: SecretSource(environment: [:]))
        let secret = try #require(config.tenants[0].marketo?.clientSecret)
        #expect(secret.reference == .file(file.path))
        #expect(try secret.reveal() == "from-a-file")
        try config.checkSecrets()
        // A rotated Kubernetes Secret is picked up on the next use.
        try "rotated".write(to: file, atomically: true, encoding: .utf8)
        #expect(try secret.reveal() == "rotated")
        try FileManager.default.removeItem(at: file)
        let error = #expect(throws: SecretResolutionError.self) { try secret.reveal() }
        #expect(error?.reason.contains("cannot read the secret file \(file.path)") == true)
    }

    @Test("checkSecrets lists every unresolvable secret")
    func checkSecretsListsAll() throws {
        let document = TestSupport.minimal(
            tenantLines:
                "    salesforce: { clientId: c, jwt: { username: u, privateKey: { file: /nonexistent/key.pem } } }",
            top:
                "kafka: { bootstrapServers: k:9092, securityProtocol: SASL_SSL, "
                + "sasl: { mechanism: PLAIN, username: u, password: { env: KAFKA_PASSWORD } } }"
        )
        let config = try TestSupport.parse(document).get()
        #expect(config.secrets.count == 3)
        let error = #expect(throws: ConfigurationError.self) { try config.checkSecrets() }
        #expect(
            error?.issues.map(\.path) == [
                "kafka.sasl.password", "tenants[0].marketo.clientSecret", "tenants[0].salesforce.jwt.privateKey",
            ]
        )
    }

    @Test("Printing, debug-printing, dumping and reflecting a loaded configuration show no secret value")
    func redaction() throws {
        let environment = [
            "ACME_SECRET": "VALUE-MARKETO-1",
            "KAFKA_PASSWORD": "VALUE-KAFKA-2",
            "LEADSYNC_KAFKA_PROPERTY_SSL_KEY_PASSWORD": "VALUE-KEY-3",
        ]
        let document = TestSupport.minimal(
            tenantLines: "    salesforce: { clientId: c, clientSecret: { env: ACME_SECRET } }",
            top:
                "kafka: { bootstrapServers: k:9092, securityProtocol: SASL_SSL, "
                + "sasl: { mechanism: PLAIN, username: u, password: { env: KAFKA_PASSWORD } } }"
        )
        let config = try TestSupport.parse(document, environment: environment).get()
        try config.checkSecrets()
        // The values are there to be revealed...
        let client = try #require(try config.kafka.cluster?.clientConfiguration())
        #expect(client.additionalProperties["sasl.password"] == "VALUE-KAFKA-2")
        #expect(client.additionalProperties["ssl.key.password"] == "VALUE-KEY-3")
        // ...but never shown.
        var dumped = ""
        dump(config, to: &dumped)
        var dumpedSecret = ""
        dump(config.secrets, to: &dumpedSecret)
        let mirrorText = Mirror(reflecting: config.tenants[0].marketo!.clientSecret).children.map { "\($0)" }.joined()
        for text in ["\(config)", String(reflecting: config), dumped, dumpedSecret, mirrorText, "\(config.secrets)"] {
            for value in environment.values {
                #expect(!text.contains(value), "a secret value appears in: \(text.prefix(200))")
            }
        }
        #expect("\(config.tenants[0].marketo!.clientSecret)" == "<redacted>")
        #expect(String(reflecting: config.tenants[0].marketo!.clientSecret) == "<redacted>")
        #expect(dumped.contains("<redacted>"))
    }

    @Test("A secret property from the environment becomes a reference to that variable")
    func environmentSecretProperty() throws {
        let config = try TestSupport.parse(
            TestSupport.minimal(),
            environment: [
                "LEADSYNC_KAFKA_BOOTSTRAP_SERVERS": "k:9092",
                "LEADSYNC_KAFKA_PROPERTY_SSL_KEY_PASSWORD": "key-password",
            ]
        ).get()
        let cluster = try #require(config.kafka.cluster)
        #expect(cluster.properties["ssl.key.password"] == nil)
        #expect(
            cluster.secretProperties["ssl.key.password"]?.reference
                == .environment("LEADSYNC_KAFKA_PROPERTY_SSL_KEY_PASSWORD")
        )
        #expect(try cluster.clientConfiguration().additionalProperties["ssl.key.password"] == "key-password")
    }
}
