import Config
import Foundation
import LeadModel
import Testing

@Suite("The example and development files of the repository")
struct ExampleFilesTests {
    @Test("config/leadsync.example.yaml loads and holds what its comments say")
    func exampleFileLoads() throws {
        let config = try LeadSyncConfig.load(
            path: TestSupport.repositoryFile("config/leadsync.example.yaml"),
            environment: [:]
        )
        let cluster = try #require(config.kafka.cluster)
        #expect(
            cluster.bootstrapServers == ["kafka-0.kafka.svc:9093", "kafka-1.kafka.svc:9093", "kafka-2.kafka.svc:9093"]
        )
        #expect(cluster.securityProtocol == .saslSSL)
        #expect(cluster.sasl?.mechanism == .scramSHA512)
        #expect(cluster.sasl?.password.reference == .environment("KAFKA_SASL_PASSWORD"))
        #expect(cluster.sslCALocation == "/etc/leadsync/kafka-ca/ca.crt")
        #expect(cluster.properties == ["ssl.endpoint.identification.algorithm": "https", "compression.type": "zstd"])
        #expect(
            cluster.secretProperties["ssl.key.password"]?.reference == .file("/etc/leadsync/kafka-client/key-password")
        )
        #expect(config.fold.stateDirectory == "/var/lib/leadsync/state")
        #expect(config.writers.marketo.maxRecordsPerCall == 300)
        #expect(config.writers.salesforce.retry.maxBackoff == .seconds(300))
        #expect(config.observability.metricsAddress == ListenAddress(host: "0.0.0.0", port: 9464))
        #expect(config.tenants.map(\.tenant) == ["acme", "globex"])

        let acme = try #require(config.tenant("acme"))
        #expect(acme.statusOverrides == [.ssoLogin: .attended, .preEventVisit: .registered])
        #expect(acme.allowedBackwardTransitions == StatusTransition.reRegistration)
        let marketo = try #require(acme.marketo)
        #expect(marketo.dailyCallBudget == 40000)
        #expect(marketo.callShare == 0.8)
        #expect(marketo.fieldMapping[.custom("jobLevel")] == "jobLevel__c")
        #expect(marketo.fieldMapping[.phone] == nil)
        #expect(marketo.fieldMapping[.firstName] == "firstName")
        #expect(marketo.activityType.apiName == "userSessionEngagement")
        #expect(marketo.activityType.attributes[.metric(.camOn)] == nil)
        #expect(marketo.activityType.attributes[.metric(.micOn)] == "mic_on")
        #expect(marketo.activityType.attributes.count == MarketoActivityTypeNames.defaultAttributes.count - 1)
        #expect(marketo.customObject == .standard)
        let salesforce = try #require(acme.salesforce)
        #expect(
            salesforce.leadDefaults == [
                "Company": "Unknown company", "LastName": "[not provided]", "LeadSource": "Virtual Events",
            ]
        )
        #expect(
            salesforce.authentication
                == .clientCredentials(
                    clientSecret: Secret(
                        reference: .file("/etc/leadsync/acme/salesforce-client-secret"),
                        setting: "tenants[0].salesforce.clientSecret",
                        source: SecretSource(environment: [:])
                    )
                )
        )

        #expect(salesforce.campaignMember == .standard)
        #expect(salesforce.engagement == .standard)

        let globex = try #require(config.tenant("globex"))
        #expect(globex.allowedBackwardTransitions.isEmpty)
        #expect(globex.participated == .disabled)
        guard case .jwtBearer(let username, let key) = globex.salesforce?.authentication else {
            Issue.record("globex should use the JWT bearer flow")
            return
        }
        #expect(username == "integration@globex.example")
        #expect(key.reference == .file("/etc/leadsync/globex/salesforce-jwt.key"))
    }

    @Test("config/dev.yaml loads by path with the sandbox credentials and uses the embedded Kafka")
    func developmentFileLoads() throws {
        let config = try LeadSyncConfig.load(
            path: TestSupport.repositoryFile("config/dev.yaml"),
            environment: LeadSyncConfig.developmentSandboxCredentials
        )
        #expect(config.kafka == .embedded)
        #expect(config.tenants.map(\.tenant) == ["acme", "globex"])
        try config.checkSecrets()
        let acme = try #require(config.tenant("acme"))
        #expect(try acme.marketo?.clientSecret.reveal() == "leadsync-client-secret")
        #expect(acme.marketo?.munchkinId == "123-ABC-456")
        #expect(acme.salesforce?.clientId == "leadsync-sandbox-client")
        guard case .clientCredentials(let secret) = acme.salesforce?.authentication else {
            Issue.record("acme should use client credentials")
            return
        }
        #expect(try secret.reveal() == "leadsync-sandbox-secret")
    }

    @Test("The embedded default is config/dev.yaml byte for byte")
    func embeddedDefaultMatchesFile() throws {
        let file = try String(contentsOfFile: TestSupport.repositoryFile("config/dev.yaml"), encoding: .utf8)
        #expect(LeadSyncConfig.embeddedDefaultText + "\n" == file)
        let embedded = try LeadSyncConfig.embeddedDefault()
        let loaded = try LeadSyncConfig.load(
            path: TestSupport.repositoryFile("config/dev.yaml"),
            environment: LeadSyncConfig.developmentSandboxCredentials
        )
        #expect(embedded.tenantDirectory == loaded.tenantDirectory)
        try embedded.checkSecrets()
    }

    @Test("load(environment:) uses LEADSYNC_CONFIG when set and the embedded default otherwise")
    func loadFromEnvironment() throws {
        let embedded = try LeadSyncConfig.load(environment: [:])
        #expect(embedded.tenants.map(\.tenant) == ["acme", "globex"])
        let fromFile = try LeadSyncConfig.load(environment: [
            "LEADSYNC_CONFIG": TestSupport.repositoryFile("config/leadsync.example.yaml")
        ])
        #expect(fromFile.kafka.cluster != nil)
        #expect(throws: ConfigurationError.self) {
            try LeadSyncConfig.load(environment: ["LEADSYNC_CONFIG": "/nonexistent/leadsync.yaml"])
        }
    }

    @Test("The dev ids are those the sandboxes' standard setups provision")
    func developmentIdsMatchSandboxes() throws {
        let config = try LeadSyncConfig.embeddedDefault()
        let directory = config.tenantDirectory
        // MarketoSandboxSetup.Program.standard: 1001, 1002, 1003; SalesforceSandboxSetup.standardCampaignId(0...1).
        #expect(
            directory.rules(for: "acme")?.targets(for: "summit-2026") == [
                .marketo(programId: 1001), .salesforce(campaignId: "701Dn0000000001IAA"),
            ]
        )
        #expect(
            directory.rules(for: "acme")?.targets(for: "webinar-7") == [
                .marketo(programId: 1002), .salesforce(campaignId: "701Dn0000000002IAA"),
            ]
        )
        #expect(directory.rules(for: "globex")?.targets(for: "partner-day-2026") == [.marketo(programId: 1003)])
    }
}
