import Config
import Delivery
import Foundation
import LeadModel
import MarketoWriter
import SandboxMarketo
import Testing

@Suite("Marketo writer: API names from the configuration, rotated secrets")
struct NamesAndSecretsTests {
    /// `801-REN-001` holds a custom object and an activity type of other names than docs/crm-setup.md's.
    static let harness = Task {
        var renamed = SinkHarness.subscription("801-REN-001")
        renamed.customObjects[0].name = "sessionEngagement_c"
        for (index, field) in renamed.customObjects[0].fields.enumerated() {
            if field.name == "entry_id" { renamed.customObjects[0].fields[index].name = "session_id" }
            if field.name == "personId" { renamed.customObjects[0].fields[index].name = "leadLink" }
            if field.name == "plays" { renamed.customObjects[0].fields[index].name = "playCount" }
        }
        renamed.customObjects[0].dedupeFields = ["session_id", "leadLink"]
        renamed.customObjects[0].relationships = [.init(field: "leadLink")]
        renamed.activityTypes[0].apiName = "sessionActivity"
        return try await SinkHarness.start([renamed, SinkHarness.subscription("802-ROT-002")])
    }

    /// The tenant of a configuration file: `marketoLines` are appended to its `marketo` section; its secret is the
    /// file `secretFile`.
    static func tenant(
        _ h: SinkHarness,
        munchkinId: String,
        marketo marketoLines: String = "",
        secretFile: URL
    ) throws -> TenantSettings {
        let text = """
            tenants:
              - tenant: acme
                destinations: [marketo]
                events:
                  summit-2026: { marketoProgramId: 1001 }
                marketo:
                  munchkinId: \(munchkinId)
                  baseURL: \(h.baseURL.absoluteString)
                  clientId: \(munchkinId)-id
                  clientSecret: { file: \(secretFile.path) }
            \(marketoLines)
            """
        let config = try LeadSyncConfig.parse(
            text,
            fileName: "leadsync.yaml",
            source: SecretSource(environment: [:]),
            role: .writer(.marketo)
        )
        return try #require(config.tenants.first)
    }

    /// A secret file holding `value` (with the line break Kubernetes Secrets and `echo` add).
    static func secretFile(_ value: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mk-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("client-secret")
        try (value + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("A renamed custom object (fields, dedupe fields, lead link) and activity type work through configuration")
    func renamedObjects() async throws {
        let h = try await Self.harness.value
        let tenant = try Self.tenant(
            h,
            munchkinId: "801-REN-001",
            marketo: """
                      activityType: { apiName: sessionActivity }
                      customObject:
                        apiName: sessionEngagement_c
                        fields: { entryId: session_id, lead: leadLink, plays: playCount }
                """,
            secretFile: try Self.secretFile("801-REN-001-secret")
        )
        let sink = try SinkDriver.sink([tenant])
        let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: "acme")))
        let commands = [
            try Commands.engagement(.engagementUpsert, "acme", "renamed@example.com", program: 1001, entry: "1_r"),
            try Commands.engagement(.engagementActivity, "acme", "renamed@example.com", program: 1001, entry: "1_r"),
        ]
        let outcomes = await sink.deliver(
            DeliveryBatch(
                tenant: "acme",
                items: commands.map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: limiter
            )
        )
        #expect(outcomes == [.delivered, .delivered])
        let snapshot = try h.snapshot("801-REN-001")
        let lead = try #require(snapshot.leads(withEmail: "renamed@example.com").first)
        let record = try #require(snapshot.customObjects(named: "sessionEngagement_c").first)
        #expect(record.fields["session_id"]?.stringValue == "1_r")
        #expect(record.fields["leadLink"]?.intValue == lead.id)
        #expect(record.fields["playCount"]?.intValue == 3)
        #expect(record.fields["entry_id"] == nil)
        let activity = try #require(snapshot.activities.first)
        #expect(activity.activityTypeApiName == "sessionActivity")
        #expect(activity.primaryAttributeValue == "1_r")
    }

    @Test("Rotating the mounted secret while the writer runs: the next call reads it and succeeds, no restart")
    func rotatedSecretFile() async throws {
        let h = try await Self.harness.value
        let file = try Self.secretFile("802-ROT-002-secret")
        let sink = try SinkDriver.sink([try Self.tenant(h, munchkinId: "802-ROT-002", secretFile: file)])
        let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: "acme")))
        func deliver(_ email: String) async throws -> [DeliveryOutcome] {
            let command = try Commands.status("acme", email, program: 1001, .registered)
            return await sink.deliver(
                DeliveryBatch(tenant: "acme", items: [DeliveryItem(command: command)], backlog: 0, limiter: limiter)
            )
        }
        #expect(try await deliver("before@example.com") == [.delivered])

        // The admin replaces the LaunchPoint service's secret (its tokens die with it) before the mounted file is
        // updated: the writer's calls fail as authentication (retried later, never dead-lettered at once).
        h.sandbox.rotateClientSecret(munchkinId: "802-ROT-002", to: "rotated-secret", revokingTokens: true)
        let early = try await deliver("early@example.com")
        guard case .failed(let failure) = early.first else {
            Issue.record("a call with the old secret was delivered: \(early)")
            return
        }
        #expect(failure.errorClass == .authentication)

        // The Kubernetes Secret mounted as a file is updated in place: the next delivery reads it.
        try "rotated-secret\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try await deliver("after@example.com") == [.delivered])
        let identity = h.sandbox.calls(munchkinId: "802-ROT-002").filter { $0.endpoint == "/identity/oauth/token" }
        #expect(identity.map(\.httpStatus) == [200, 401, 401, 200])
        let snapshot = try h.snapshot("802-ROT-002")
        #expect(snapshot.leads(withEmail: "after@example.com").count == 1)
    }
}
