import Foundation
import Salesforce
import SandboxSalesforce
import Testing

@Suite("Bulk API 2.0 ingest end to end", .serialized)
struct BulkIngestTests {
    static let fixture = Task { try await SandboxFixture.start(SeedData.setup(numberedLeads: 60)) }

    @Test("an upsert job: rows matched back to the input by external id, failed rows with their errors")
    func bulkUpsertCampaignMembers() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        var records = (0..<50).map { SeedData.newMember(lead: SeedData.leadId(100 + $0), status: "Registered") }
        records[7]["Status"] = "Teleported"
        records[23]["LeadId"] = .string(SeedData.leadId(4))  // converted
        records[23]["external_id__c"] = .string(SeedData.memberKey(lead: SeedData.leadId(4)))
        records[41]["Status"] = "Status, with \"quotes\" and a comma"

        let result = try await client.bulkUpsert(
            records,
            object: "CampaignMember",
            externalIdField: "external_id__c",
            pollInterval: .milliseconds(100),
            timeout: .seconds(30)
        )
        #expect(result.job.state == .jobComplete)
        #expect(result.job.numberRecordsFailed == 3)
        #expect(result.rows.count == 50)

        let failedIndexes = result.rows.indices.filter { result.rows[$0].classification != nil }
        #expect(failedIndexes == [7, 23, 41])
        guard case .failed(let picklist) = result.rows[7], case .failed(let converted) = result.rows[23] else {
            Issue.record("rows 7 and 23 should have failed: \(result.rows[7]), \(result.rows[23])")
            return
        }
        #expect(picklist.statusCode == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
        #expect(picklist.classification == .permanent)
        #expect(converted.statusCode == "CANNOT_UPDATE_CONVERTED_LEAD")

        // Every successful row maps to the member stored under its key.
        let stored = Dictionary(
            fixture.sandbox.campaignMembers().map { (($0["external_id__c"].string ?? "").lowercased(), $0.id) },
            uniquingKeysWith: { first, _ in first }
        )
        for (index, row) in result.rows.enumerated() where row.classification == nil {
            let key = (records[index]["external_id__c"]?.stringValue ?? "").lowercased()
            #expect(row == .succeeded(id: try #require(stored[key]), created: true))
        }
        #expect(recorder.calls(.bulkUpload).map(\.recordCount) == [50])
        #expect(recorder.calls(.bulkResults).count == 2)
        #expect(fixture.sandbox.bulkJobs().contains { $0.id == result.job.id && $0.rowsUploaded == 50 })
    }

    @Test("a repeated bulk upsert updates the same members")
    func bulkRepeatUpdates() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        let leads = (50..<55).map { SeedData.leadId(100 + $0) }
        let first = try await client.bulkUpsert(
            leads.map { SeedData.newMember(lead: $0, status: "Invited", campaign: SeedData.otherCampaign) },
            object: "CampaignMember",
            externalIdField: "external_id__c",
            pollInterval: .milliseconds(100)
        )
        let second = try await client.bulkUpsert(
            leads.map { SeedData.memberStatus(lead: $0, status: "Attended", campaign: SeedData.otherCampaign) },
            object: "CampaignMember",
            externalIdField: "external_id__c",
            pollInterval: .milliseconds(100)
        )
        let firstIds = first.rows.compactMap { row -> String? in
            if case .succeeded(let id, true) = row { return id }
            return nil
        }
        let secondIds = second.rows.compactMap { row -> String? in
            if case .succeeded(let id, false) = row { return id }
            return nil
        }
        #expect(firstIds.count == 5)
        #expect(secondIds == firstIds)
        let members = fixture.sandbox.campaignMembers().filter { $0["CampaignId"].string == SeedData.otherCampaign }
        #expect(members.count == 5)
        #expect(members.allSatisfy { $0["Status"].string == "Attended" })
    }

    @Test("a job that fails as a whole returns its rows as unprocessed")
    func failedJob() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        var records = (0..<3).map { SeedData.newMember(lead: SeedData.leadId(100 + $0), status: "Invited") }
        records[0]["Not_A_Field__c"] = "x"
        let result = try await client.bulkUpsert(
            records,
            object: "CampaignMember",
            externalIdField: "external_id__c",
            pollInterval: .milliseconds(100)
        )
        #expect(result.job.state == .failed)
        #expect(result.job.errorMessage?.contains("Not_A_Field__c") == true)
        #expect(result.rows == [.unprocessed, .unprocessed, .unprocessed])
        #expect(result.rows.allSatisfy { $0.classification == .retry })
    }

    @Test("an upload that fails leaves no open job behind, and the failure is classified retry")
    func uploadFailureAbortsJob() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        fixture.sandbox.inject(
            SandboxFault(kind: .error, endpoint: "bulk.upload", errorCode: "SERVER_UNAVAILABLE", remaining: 1)
        )
        defer { fixture.sandbox.clearFaults() }
        let error = try await #require(throws: SalesforceError.self) {
            try await client.bulkUpsert(
                [SeedData.newMember(lead: SeedData.leadId(159), status: "Invited")],
                object: "CampaignMember",
                externalIdField: "external_id__c",
                pollInterval: .milliseconds(100)
            )
        }
        #expect(error.endpoint == .bulkUpload)
        #expect(error.classification == .retry)
        let job = try #require(fixture.sandbox.bulkJobs().last)
        #expect(job.state == "Aborted")
        #expect(job.rowsUploaded == 0)
    }
}
