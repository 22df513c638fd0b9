import Foundation
import Salesforce
import SandboxSalesforce
import Testing

@Suite("sObject Collections: campaign members and engagement records")
struct CollectionsTests {
    static let fixture = Task { try await SandboxFixture.start(SeedData.setup(numberedLeads: 220)) }

    @Test("200 campaign members upserted by external_id__c in one call, then their status updated")
    func campaignMemberUpsert() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        let leads = (0..<200).map { SeedData.leadId(100 + $0) }
        let campaign = SeedData.otherCampaign

        let created = try await client.upsertRecords(
            leads.map { SeedData.newMember(lead: $0, status: "Registered", campaign: campaign) },
            type: "CampaignMember",
            externalIdField: "external_id__c"
        )
        #expect(created.count == 200)
        #expect(created.allSatisfy { $0.success && $0.created == true && $0.id?.hasPrefix("00v") == true })
        #expect(recorder.calls(.collectionsUpsert).map(\.recordCount) == [200])

        let updated = try await client.upsertRecords(
            leads.map { SeedData.memberStatus(lead: $0, status: "Attended", campaign: campaign) },
            type: "CampaignMember",
            externalIdField: "external_id__c"
        )
        #expect(updated.allSatisfy { $0.success && $0.created == false })
        #expect(updated.map(\.id) == created.map(\.id), "results come in input order")
        #expect(fixture.calls("collections.upsert").filter { $0.records == 200 }.count == 2, "one call per 200")

        let members = fixture.sandbox.campaignMembers().filter { $0["CampaignId"].string == campaign }
        #expect(members.count == 200)
        #expect(members.allSatisfy { $0["Status"].string == "Attended" })
    }

    @Test("creating an existing campaign member surfaces DUPLICATE_VALUE per row")
    func duplicateMember() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        let lead = SeedData.leadId(1)
        let first = try await client.createRecords([SeedData.newMember(lead: lead, status: "Invited")])
        #expect(first.first?.success == true)

        // The same campaign and lead again, under another key: Salesforce refuses the second member.
        var again = SeedData.newMember(lead: lead, status: "Registered")
        again["external_id__c"] = "another-key-for-jane"
        let fresh = SeedData.newMember(lead: SeedData.leadId(310), status: "Invited")
        let results = try await client.createRecords([again, fresh])
        #expect(results.count == 2)
        #expect(results[0].success == false)
        #expect(results[0].errorCode == "DUPLICATE_VALUE")
        #expect(results[0].classification == .duplicateValue)
        #expect(results[1].success == true)
        #expect(results[1].classification == nil)
    }

    @Test("field errors are per row and permanent; the valid rows are saved")
    func fieldErrors() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        let key = SeedData.engagementKeyField
        let records = [
            SalesforceRecord(
                type: "UserSessionEngagement__c",
                fields: [key: "field-errors-1", "entry_id__c": "1_abcdefghij", "plays__c": 3]
            ),
            SalesforceRecord(
                type: "UserSessionEngagement__c",
                fields: [key: "field-errors-2", "entry_id__c": "1_abcd1234", "email__c": "not an email"]
            ),
            SalesforceRecord(
                type: "UserSessionEngagement__c",
                fields: [key: "field-errors-3", "entry_id__c": "1_abcd1234", "Lead__c": "bogus-id"]
            ),
            SalesforceRecord(
                type: "UserSessionEngagement__c",
                fields: [key: "field-errors-4", "entry_id__c": "1_abcd1234", "live_minutes_viewed__c": 12.5]
            ),
        ]
        let results = try await client.upsertRecords(records, type: "UserSessionEngagement__c", externalIdField: key)
        #expect(results.map(\.errorCode) == ["STRING_TOO_LONG", "INVALID_EMAIL_ADDRESS", "MALFORMED_ID", nil])
        #expect(results.map(\.classification) == [.permanent, .permanent, .permanent, nil])
        #expect(results[0].errors.first?.fields == ["entry_id__c"])
        let stored = fixture.sandbox.engagementRecords().filter { $0[key].string?.hasPrefix("field-errors") == true }
        #expect(stored.map { $0[key].string } == ["field-errors-4"])
    }

    @Test("allOrNone: one bad row rolls the others back, and nothing is stored")
    func allOrNoneRollback() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        let leads = (200..<203).map { SeedData.leadId(100 + $0) }
        var records = leads.map { SeedData.newMember(lead: $0, status: "Registered") }
        records[1]["Status"] = "Teleported"
        let results = try await client.upsertRecords(
            records,
            type: "CampaignMember",
            externalIdField: "external_id__c",
            allOrNone: true
        )
        #expect(results.map(\.success) == [false, false, false])
        #expect(results[1].errorCode == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
        #expect(results[1].classification == .permanent)
        #expect(results[0].errorCode == "ALL_OR_NONE_OPERATION_ROLLED_BACK")
        #expect(results[0].classification == .rolledBack)
        #expect(results[2].classification == .rolledBack)
        let keys = Set(leads.map { SeedData.memberKey(lead: $0) })
        #expect(fixture.sandbox.campaignMembers().filter { keys.contains($0["external_id__c"].string ?? "") }.isEmpty)
    }

    @Test("engagement upserts: a repeat updates the record instead of duplicating it")
    func engagementUpsert() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        let key = SeedData.engagementKeyField
        let engagementKey = "\(SeedData.memberKey(lead: SeedData.leadId(1)))_1_abcd1234"
        let fields: [String: SalesforceValue] = [
            "Lead__c": .string(SeedData.leadId(1)),
            "entry_id__c": "1_abcd1234",
            "entry_name__c": "Keynote",
            "email__c": "jane.doe@example.com",
            "live_minutes_viewed__c": 12.5,
            "plays__c": 1,
        ]
        let first = try await client.upsertRecord(
            type: "UserSessionEngagement__c",
            externalIdField: key,
            externalId: engagementKey,
            fields: fields
        )
        guard case .created(let id) = first else {
            Issue.record("expected a created record, got \(first)")
            return
        }
        var later = fields
        later["live_minutes_viewed__c"] = 30.25
        later["plays__c"] = 2
        let second = try await client.upsertRecord(
            type: "UserSessionEngagement__c",
            externalIdField: key,
            externalId: engagementKey.uppercased(),
            fields: later
        )
        #expect(second == .updated(id: id), "the External ID matches without case")

        // The same key through a collections upsert also updates.
        var record = SalesforceRecord(type: "UserSessionEngagement__c", fields: later)
        record[key] = .string(engagementKey)
        record["plays__c"] = 3
        let rows = try await client.upsertRecords([record], type: "UserSessionEngagement__c", externalIdField: key)
        #expect(rows.first?.created == false)
        #expect(rows.first?.id == id)

        let stored = fixture.sandbox.engagementRecords().filter { $0[key].string == engagementKey }
        #expect(stored.count == 1)
        #expect(stored.first?["live_minutes_viewed__c"].number == 30.25)
        #expect(stored.first?["plays__c"].number == 3)
        #expect(recorder.calls(.sobjectUpsert).map(\.httpStatus) == [201, 200])
    }

    @Test("more than 200 records are refused before anything is sent")
    func tooManyRecords() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        let records = (0..<201).map { SeedData.newMember(lead: SeedData.leadId(100 + $0 % 200), status: "Invited") }
        let error = try await #require(throws: SalesforceError.self) {
            try await client.createRecords(records)
        }
        #expect(error.errorCode == SalesforceError.Code.invalidRequest)
        #expect(error.httpStatus == nil)
        #expect(recorder.all.isEmpty)
    }
}
