import Foundation
import Salesforce
import SandboxSalesforce
import Testing

@Suite("Finding leads by email, converted leads and paging")
struct LeadLookupTests {
    static let fixture = Task { try await SandboxFixture.start(SeedData.setup(numberedLeads: 250)) }

    @Test("leads are found by email in one batched query, matched back without case, in input order")
    func batchedLookup() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        let emails = [
            "JANE.DOE@example.com", "john.roe@example.com", "converted@example.com", "nobody@example.com",
            "o'brien@example.com", SeedData.numberedEmail(7), " jane.doe@example.com ",
        ]
        let lookups = try await client.findLeads(byEmail: emails)

        #expect(lookups.map(\.email) == emails)
        #expect(lookups[0].match == .lead(id: SeedData.leadId(1)))
        #expect(lookups[6].match == .lead(id: SeedData.leadId(1)))
        #expect(Set(lookups[1].leads.map(\.id)) == [SeedData.leadId(2), SeedData.leadId(3)])
        #expect(lookups[1].match == .ambiguous(leadIds: lookups[1].leads.map(\.id)))
        #expect(lookups[3].match == .notFound)
        #expect(lookups[4].match == .lead(id: SeedData.leadId(5)), "the quote in the email is escaped")
        #expect(lookups[5].match == .lead(id: SeedData.leadId(107)))

        // A converted lead resolves to the contact it became.
        #expect(lookups[2].leads.first?.isConverted == true)
        #expect(lookups[2].match == .contact(id: SeedData.contactId(1), convertedLeadId: SeedData.leadId(4)))
        #expect(lookups[2].convertedContacts.map(\.email) == ["converted@example.com"])

        // One Lead query for the six distinct emails, one Contact query for the converted lead.
        let queries = recorder.calls(.query)
        #expect(queries.count == 2)
        #expect(queries.first?.recordCount == 6)
        #expect(recorder.calls(.queryMore).isEmpty)
    }

    @Test("a long email list is split into queries that keep the URI under the limit")
    func chunkedByURILength() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client(maxURILength: 2_000)
        let emails = (0..<200).map(SeedData.numberedEmail)
        let lookups = try await client.findLeads(byEmail: emails)

        #expect(lookups.count == 200)
        for (n, lookup) in lookups.enumerated() {
            #expect(lookup.match == .lead(id: SeedData.leadId(100 + n)))
        }
        let queries = recorder.calls(.query)
        #expect(queries.count > 1)
        #expect(queries.map(\.recordCount).reduce(0, +) == 200)
        #expect(queries.allSatisfy { $0.httpStatus == 200 })
    }

    @Test("a query follows nextRecordsUrl until done")
    func paging() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        let records = try await client.query("SELECT Id, Email FROM Lead WHERE Company = 'Summit Co'", batchSize: 200)
        #expect(records.count == 250)
        #expect(Set(records.compactMap(\.id)).count == 250)
        #expect(records.allSatisfy { $0.type == "Lead" })
        #expect(recorder.calls(.query).count == 1)
        #expect(recorder.calls(.queryMore).count == 1)
    }

    @Test("an unknown column is a permanent INVALID_FIELD error")
    func invalidField() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        let error = try await #require(throws: SalesforceError.self) {
            try await client.query("SELECT Id, Shoe_Size__c FROM Lead")
        }
        #expect(error.httpStatus == 400)
        #expect(error.errorCode == "INVALID_FIELD")
        #expect(error.classification == .permanent)
        #expect(error.endpoint == .query)
    }

    @Test("a campaign's member statuses are read with their default and responded flags")
    func campaignMemberStatuses() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        let statuses = try await client.campaignMemberStatuses(campaignId: SeedData.campaign)
        #expect(
            statuses.map(\.label) == [
                "Created", "Invited", "Registered", "Confirmed", "autoConfirmed", "Attended", "Participated",
                "Blocked", "Un-registered",
            ]
        )
        #expect(statuses.filter(\.isDefault).map(\.label) == ["Created"])
        #expect(statuses.first { $0.label == "Attended" }?.hasResponded == true)
        #expect(statuses.first { $0.label == "Invited" }?.hasResponded == false)
    }
}
