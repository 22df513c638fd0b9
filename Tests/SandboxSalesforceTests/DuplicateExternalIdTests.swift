import Foundation
import SandboxSalesforce
import Testing

@Suite("sObject Collections upsert with one external id on two rows")
struct DuplicateExternalIdTests {
    static let harness = Task { try await SandboxHarness.start(Fixtures.setup(numberedLeads: 10)) }

    @Test("every row carrying the id fails with DUPLICATE_VALUE \"Duplicate external id specified\", none is written")
    func everyRowFails() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let (a, b) = (Fixtures.leadId(101), Fixtures.leadId(102))
        let key = "\(Fixtures.campaign)_\(a)"
        // The same key twice (once in another case: the field is unique case-insensitively), and another row.
        let reply = try await harness.send(
            "PATCH",
            "/services/data/v66.0/composite/sobjects/CampaignMember/external_id__c",
            body: #"""
                {"allOrNone":false,"records":[
                  {"attributes":{"type":"CampaignMember"},"external_id__c":"\#(key)",
                   "CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(a)","Status":"Invited"},
                  {"attributes":{"type":"CampaignMember"},"external_id__c":"\#(Fixtures.campaign)_\#(b)",
                   "CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(b)","Status":"Invited"},
                  {"attributes":{"type":"CampaignMember"},"external_id__c":"\#(key.uppercased())",
                   "CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(a)","Status":"Attended"}]}
                """#,
            token: token
        )
        #expect(reply.status == 200)
        let rows = try #require(try reply.json() as? [[String: Any]], "\(reply.text)")
        #expect(rows.map { $0["success"] as? Bool } == [false, true, false])
        for index in [0, 2] {
            let error = try #require((rows[index]["errors"] as? [[String: Any]])?.first)
            #expect(error["statusCode"] as? String == "DUPLICATE_VALUE")
            #expect((error["message"] as? String)?.hasPrefix("Duplicate external id specified") == true)
        }
        let stored = harness.sandbox.campaignMembers().compactMap { $0["external_id__c"].string?.lowercased() }
        #expect(!stored.contains(key.lowercased()))
        #expect(stored.contains("\(Fixtures.campaign)_\(b)".lowercased()))
    }
}
