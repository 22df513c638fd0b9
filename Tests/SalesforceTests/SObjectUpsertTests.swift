import Foundation
import Salesforce
import SandboxSalesforce
import Testing

@Suite("Single-record upsert answers and collections update by Id")
struct SObjectUpsertTests {
    static let fixture = Task { try await SandboxFixture.start(SeedData.setup(uniqueEngagementKey: false)) }

    @Test("several records with the external id answer 300 and nothing is written")
    func multipleMatches() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        let key = SeedData.engagementKeyField
        let twins = (0..<2).map { _ in
            SalesforceRecord(type: "UserSessionEngagement__c", fields: [key: "shared-key", "plays__c": 1])
        }
        let created = try await client.createRecords(twins)
        #expect(created.allSatisfy { $0.success })

        let result = try await client.upsertRecord(
            type: "UserSessionEngagement__c",
            externalIdField: key,
            externalId: "shared-key",
            fields: ["plays__c": 5]
        )
        guard case .multipleMatches(let urls) = result else {
            Issue.record("expected 300 multiple matches, got \(result)")
            return
        }
        #expect(urls.count == 2)
        #expect(
            Set(urls.compactMap { $0.split(separator: "/").last.map(String.init) }) == Set(created.compactMap(\.id))
        )
        #expect(recorder.calls(.sobjectUpsert).last?.httpStatus == 300)
        #expect(recorder.calls(.sobjectUpsert).last?.succeeded == true)
        let stored = fixture.sandbox.engagementRecords().filter { $0[key].string == "shared-key" }
        #expect(stored.allSatisfy { $0["plays__c"].number == 1 })
    }

    @Test("an unknown external id field is a permanent NOT_FOUND")
    func unknownExternalIdField() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        let error = try await #require(throws: SalesforceError.self) {
            try await client.upsertRecord(
                type: "UserSessionEngagement__c",
                externalIdField: "no_such_key__c",
                externalId: "x",
                fields: ["plays__c": 1]
            )
        }
        #expect(error.httpStatus == 404)
        #expect(error.classification == .permanent)
    }

    @Test("collections update by Id, with a per-row error for a converted lead")
    func updateById() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        let created = try await client.createRecords([
            SeedData.newMember(lead: SeedData.leadId(1), status: "Invited", campaign: SeedData.otherCampaign)
        ])
        let memberId = try #require(created.first?.id)
        let results = try await client.updateRecords([
            SalesforceRecord(type: "CampaignMember", fields: ["Id": .string(memberId), "Status": "Confirmed"]),
            SalesforceRecord(type: "Lead", fields: ["Id": .string(SeedData.leadId(4)), "Company": "Renamed"]),
        ])
        #expect(results.map(\.success) == [true, false])
        #expect(results[1].errorCode == "CANNOT_UPDATE_CONVERTED_LEAD")
        #expect(results[1].classification == .permanent)
        let member = fixture.sandbox.campaignMembers().first { $0.id == memberId }
        #expect(member?["Status"].string == "Confirmed")

        let error = try await #require(throws: SalesforceError.self) {
            try await client.updateRecords([SalesforceRecord(type: "Lead", fields: ["Company": "No Id"])])
        }
        #expect(error.errorCode == SalesforceError.Code.invalidRequest)
    }
}
