import Config
import Foundation
import LeadModel
import Logging
import Marketo
import Reconciliation
import Salesforce
import SandboxMarketo
import SandboxSalesforce
import Testing

/// `reconcile`'s engagement read goes by the tenant's configured API names, never by docs/crm-setup.md's defaults:
/// a Marketo subscription whose custom object (its name, entry id and lead link fields) and activity type have other
/// names, and a Salesforce org whose engagement object and External ID field have other names, are read under those
/// names.
@Suite("reconcile: engagement read under the tenant's configured names")
struct EngagementReaderNamesTests {
    static let munchkinId = "RC-NAMES-1"

    /// The subscription: `sessionEngagement_c` (`session_id`, lead link `leadLink`) and `sessionActivity`.
    static func subscription() -> MarketoSandboxSetup.Subscription {
        var renamed = MarketoSandboxSetup.Subscription(
            munchkinId: munchkinId,
            clientId: "\(munchkinId)-id",
            clientSecret: "\(munchkinId)-secret"
        )
        renamed.customObjects[0].name = "sessionEngagement_c"
        for (index, field) in renamed.customObjects[0].fields.enumerated() {
            if field.name == "entry_id" { renamed.customObjects[0].fields[index].name = "session_id" }
            if field.name == "personId" { renamed.customObjects[0].fields[index].name = "leadLink" }
        }
        renamed.customObjects[0].dedupeFields = ["session_id", "leadLink"]
        renamed.customObjects[0].relationships = [.init(field: "leadLink")]
        renamed.activityTypes[0].apiName = "sessionActivity"
        return renamed
    }

    @Test("records by the renamed lead link and entry field, activities of the renamed type counted per lead and entry")
    func renamedNames() async throws {
        let sandbox = try MarketoSandbox(
            setup: MarketoSandboxSetup(subscriptions: [Self.subscription()]),
            options: MarketoSandboxOptions(
                logger: Logger(label: "test.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        let task = Task { try await sandbox.run() }
        defer { task.cancel() }
        let client = try MarketoClient(
            configuration: MarketoClientConfiguration(
                baseURL: try await sandbox.baseURL(),
                clientId: "\(Self.munchkinId)-id",
                clientSecret: "\(Self.munchkinId)-secret"
            )
        )

        // Ada has a record and two copies of one activity (a duplicate); Grace has an activity but no record.
        let leads = try await client.syncLeads([
            ["email": .string("ada@example.com")], ["email": .string("grace@example.com")],
        ])
        let ada = try #require(leads.records.first?.leadId)
        let grace = try #require(leads.records.last?.leadId)
        _ = try await client.syncCustomObjects(
            name: "sessionEngagement_c",
            records: [["session_id": .string("1_a"), "leadLink": .int(ada)]]
        )
        let type = try await client.describeCustomActivityType(apiName: "sessionActivity")
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        let copy = MarketoCustomActivity(
            leadId: ada,
            activityDate: date,
            activityTypeId: type.id,
            primaryAttributeValue: "1_a"
        )
        let other = MarketoCustomActivity(
            leadId: grace,
            activityDate: date,
            activityTypeId: type.id,
            primaryAttributeValue: "1_g"
        )
        _ = try await client.addCustomActivities([copy, copy, other])

        var customObject = MarketoCustomObjectNames(
            apiName: "sessionEngagement_c",
            entryIdField: "session_id",
            leadLinkField: "leadLink"
        )
        customObject.dedupeFields = ["session_id", "leadLink"]
        let reader = MarketoEngagementReader(
            client: client,
            since: date.addingTimeInterval(-86_400),
            customObject: customObject,
            activityType: MarketoActivityTypeNames(apiName: "sessionActivity")
        )
        let expected = [
            try Self.expectation("ada@example.com", entry: "1_a"),
            try Self.expectation("grace@example.com", entry: "1_g"),
        ]
        let found = try await reader.engagement(expected: expected, members: [:], progress: { _ in })
        #expect(found.records == ["1001|ada@example.com|1_a": 1])
        #expect(found.activities == ["ada@example.com|1_a": 2, "grace@example.com|1_g": 1])

        // docs/crm-setup.md's default names do not exist in this subscription: reading by them fails, naming it.
        let byDefaults = MarketoEngagementReader(client: client, since: date.addingTimeInterval(-86_400))
        await #expect(throws: ReconciliationError.self) {
            _ = try await byDefaults.engagement(expected: expected, members: [:], progress: { _ in })
        }
    }

    @Test("Salesforce engagement records of a renamed object by a renamed External ID field")
    func renamedSalesforceNames() async throws {
        var org = SalesforceSandboxSetup.standard().orgs[0]
        let fields = SalesforceSandboxSetup.CustomObject.userSessionEngagement(
            externalId: .engagementKey(name: "Key__c")
        ).fields
        org.customObjects = [
            SalesforceSandboxSetup.CustomObject(name: "Session_Engagement__c", keyPrefix: "a0S", fields: fields)
        ]
        let sandbox = try SalesforceSandbox(
            setup: SalesforceSandboxSetup(orgs: [org]),
            options: .init(
                timeScale: 1,
                logger: Logger(label: "test.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        let task = Task { try await sandbox.run() }
        defer { task.cancel() }
        let client = SalesforceClient(
            configuration: SalesforceClientConfiguration(
                loginURL: try await sandbox.waitUntilRunning(),
                credentials: .clientCredentials(
                    clientId: "leadsync-sandbox-client",
                    clientSecret: "leadsync-sandbox-secret"
                )
            )
        )
        let record = SalesforceRecord(
            type: "Session_Engagement__c",
            fields: ["Key__c": .string("701a_00qada_1_a"), "entry_id__c": .string("1_a")]
        )
        let results = try await client.upsertRecords(
            [record],
            type: "Session_Engagement__c",
            externalIdField: "Key__c"
        )
        #expect(results.allSatisfy { $0.success }, "\(results)")

        let names = SalesforceEngagementNames(object: "Session_Engagement__c", externalIdField: "Key__c")
        let reader = SalesforceEngagementReader(client: client, names: names)
        let expected = [
            try Self.expectation("ada@example.com", entry: "1_a", target: "701a"),
            try Self.expectation("grace@example.com", entry: "1_g", target: "701a"),
        ]
        let members = [
            "701a": [
                CRMMember(email: "ada@example.com", statusName: "Attended", personId: "00qada"),
                CRMMember(email: "grace@example.com", statusName: "Attended", personId: "00qgrace"),
            ]
        ]
        let found = try await reader.engagement(expected: expected, members: members, progress: { _ in })
        #expect(found.records == ["701a|ada@example.com|1_a": 1])
        #expect(found.activities == nil)

        let byDefaults = SalesforceEngagementReader(client: client)
        await #expect(throws: ReconciliationError.self) {
            _ = try await byDefaults.engagement(expected: expected, members: members, progress: { _ in })
        }
    }

    static func expectation(_ email: String, entry: String, target: String = "1001") throws -> ExpectedEngagement {
        ExpectedEngagement(
            leadKey: try #require(LeadKey(tenant: "acme", email: email)),
            virtualEventId: "ve-1",
            targetId: target,
            entryId: entry,
            activityEmitted: true
        )
    }
}
