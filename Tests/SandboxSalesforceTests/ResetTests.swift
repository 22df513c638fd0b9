import Foundation
import SandboxSalesforce
import Testing

@Suite("POST /_sandbox/reset puts a running sandbox back to its setup")
struct ResetTests {
    @Test("Created records, jobs, tokens, the allocation, the call log and faults are cleared; seeded records stay")
    func reset() async throws {
        var setup = Fixtures.setup()
        setup.orgs[0].limits.dailyApiRequests = 3
        let harness = try await SandboxHarness.start(setup)
        let token = try await harness.token()
        let member =
            #"{"CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(Fixtures.leadId(1))","Status":"Registered","#
            + #""external_id__c":"\#(Fixtures.campaign)_\#(Fixtures.leadId(1))"}"#
        let created = try await harness.send(
            "POST",
            "/services/data/v66.0/sobjects/CampaignMember",
            body: member,
            token: token
        )
        #expect(created.status == 201)
        _ = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
        _ = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
        #expect(try await harness.send("GET", "/services/data/v66.0/limits", token: token).status == 403)
        harness.sandbox.inject(SandboxFault(kind: .error, errorCode: "SERVER_UNAVAILABLE"))

        let reset = try await harness.send("POST", "/_sandbox/reset")
        #expect(reset.status == 200)
        #expect(harness.sandbox.campaignMembers().isEmpty)
        #expect(harness.sandbox.records("Lead").count == 4)
        #expect(harness.sandbox.calls().isEmpty)
        #expect(harness.sandbox.counters().apiRequestsInWindow == 0)
        #expect(harness.sandbox.faults().isEmpty)
        let stale = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
        #expect(stale.status == 401)
        #expect(try stale.errorCode() == "INVALID_SESSION_ID")

        let fresh = try await harness.token()
        let again = try await harness.send(
            "POST",
            "/services/data/v66.0/sobjects/CampaignMember",
            body: member,
            token: fresh
        )
        #expect(again.status == 201)
        #expect(harness.sandbox.campaignMembers().count == 1)
    }
}
