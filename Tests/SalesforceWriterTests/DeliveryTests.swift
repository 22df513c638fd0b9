import Config
import Delivery
import Foundation
import LeadModel
import Salesforce
import SalesforceWriter
import SandboxSalesforce
import Testing

/// The sink against one shared sandbox (org 1): each test uses its own tenant and emails; serialized, because
/// tests count the org's calls.
@Suite("Salesforce sink: commands to calls", .serialized)
struct DeliveryTests {
    static let shared = Task { try await WriterSandbox.start() }

    private static func unique(_ name: String) -> String {
        "\(name)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
    }

    @Test("every command kind: existing, new and converted leads, a Contact; engagement upsert; activity skipped")
    func everyCommandKind() async throws {
        let env = try await Self.shared.value
        let tenant = "kinds"
        let sink = try SinkDriver.sink([env.tenant(tenant)])
        let limiter = SinkDriver.limiter(sink, tenant)
        let newcomer = Self.unique("newcomer")
        let commands = [
            try Commands.status(tenant, "jane.doe@example.com", .registered),
            try Commands.status(
                tenant,
                newcomer,
                .attended,
                profile: LeadProfile(firstName: "Nora", company: "Newco", title: "CTO", custom: ["ignored": "x"])
            ),
            try Commands.status(tenant, "converted@example.com", .confirmed),
            try Commands.engagement(tenant, "jane.doe@example.com", liveMinutes: 12.345, plays: 3),
            try Commands.engagement(tenant, "jane.doe@example.com", activity: true),
            try Commands.status(tenant, "customer@example.com", .invited),
        ]
        let outcomes = await SinkDriver.deliver(sink, tenant, commands, limiter: limiter)
        #expect(Array(outcomes.prefix(4)) == Array(repeating: .delivered, count: 4))
        #expect(outcomes[5] == .delivered)
        guard case .skipped(let reason) = outcomes[4] else {
            Issue.record("an engagementActivity was not skipped: \(outcomes[4])")
            return
        }
        #expect(reason.contains("Marketo-only"))

        let members = env.members()
        let jane = WriterSandbox.leadId(1)
        let janeMember = try #require(members["\(WriterSandbox.campaign)_\(jane)"])
        #expect(janeMember["Status"].string == "Registered")
        #expect(janeMember["LeadId"].string == jane)

        let created = try #require(env.leads(email: newcomer).first)
        #expect(env.leads(email: newcomer).count == 1)
        #expect(created["FirstName"].string == "Nora")
        #expect(created["Company"].string == "Newco")
        #expect(created["Title"].string == "CTO")
        #expect(created["LastName"].string == "[not provided]")
        let newcomerId = try #require(created["Id"].string)
        #expect(members["\(WriterSandbox.campaign)_\(newcomerId)"]?["Status"].string == "Attended")

        let contact = WriterSandbox.contactId(1)
        let contactMember = try #require(members["\(WriterSandbox.campaign)_\(contact)"])
        #expect(contactMember["ContactId"].string == contact)
        #expect(contactMember["Status"].string == "Confirmed")

        // A Contact that never was a Lead is used as it is: no Lead is added for it.
        let customer = WriterSandbox.contactId(2)
        #expect(members["\(WriterSandbox.campaign)_\(customer)"]?["ContactId"].string == customer)
        #expect(env.leads(email: "customer@example.com").isEmpty)

        let key = "\(WriterSandbox.campaign)_\(jane)_1_abcd1234"
        let engagements = env.sandbox.engagementRecords().filter { $0["engagement_key__c"].string == key }
        let engagement = try #require(engagements.first)
        #expect(engagement["live_minutes_viewed__c"].number == 12.35)
        #expect(engagement["plays__c"].number == 3)
        #expect(engagement["Lead__c"].string == jane)
        #expect(engagement["channel_id__c"].number == 42)
        #expect(engagement["campaign_member__c"].string == "\(WriterSandbox.campaign)_\(jane)")

        // A newer status and a newer snapshot update the same records: no second member, no second engagement.
        let before = env.apiCalls().count
        let second = await SinkDriver.deliver(
            sink,
            tenant,
            [
                try Commands.status(tenant, "jane.doe@example.com", .attended, at: 1_000),
                try Commands.engagement(tenant, "jane.doe@example.com", liveMinutes: 30, plays: 5, at: 1_000),
            ],
            limiter: limiter
        )
        #expect(second == [.delivered, .delivered])
        let calls = env.apiCalls().dropFirst(before)
        #expect(
            calls.map(\.endpoint) == ["collections.upsert", "collections.upsert"],
            "one upsert per kind, no lookup"
        )
        #expect(env.members()["\(WriterSandbox.campaign)_\(jane)"]?["Status"].string == "Attended")
        let updated = env.sandbox.engagementRecords().filter { $0["engagement_key__c"].string == key }
        #expect(updated.count == 1)
        #expect(updated.first?["live_minutes_viewed__c"].number == 30)
    }

    @Test("a member that exists under another key (DUPLICATE_VALUE) is updated by Id and takes LeadSync's key")
    func existingMemberUnderAnotherKey() async throws {
        let env = try await Self.shared.value
        let tenant = "existing"
        let email = Self.unique("existing")
        let client = env.client()
        let lead = try await client.createRecords([
            SalesforceRecord(type: "Lead", fields: ["LastName": "Old", "Company": "Co", "Email": .string(email)])
        ])
        let leadId = try #require(lead.first?.id)
        let member = try await client.createRecords([
            SalesforceRecord(
                type: "CampaignMember",
                fields: [
                    "CampaignId": .string(WriterSandbox.campaign), "LeadId": .string(leadId), "Status": "Invited",
                    "external_id__c": .string("added-by-hand-\(leadId)"),
                ]
            )
        ])
        #expect(member.first?.success == true)

        let sink = try SinkDriver.sink([env.tenant(tenant)])
        let limiter = SinkDriver.limiter(sink, tenant)
        let outcomes = await SinkDriver.deliver(
            sink,
            tenant,
            [try Commands.status(tenant, email, .registered)],
            limiter: limiter
        )
        #expect(outcomes == [.delivered])
        let stored = env.sandbox.campaignMembers().filter { $0["LeadId"].string == leadId }
        #expect(stored.count == 1)
        #expect(stored.first?["Status"].string == "Registered")
        #expect(stored.first?["external_id__c"].string == "\(WriterSandbox.campaign)_\(leadId)")

        // Now known under our key: the next status is one upsert carrying Status only.
        let before = env.apiCalls().count
        #expect(
            await SinkDriver.deliver(sink, tenant, [try Commands.status(tenant, email, .attended)], limiter: limiter)
                == [.delivered]
        )
        #expect(env.apiCalls().dropFirst(before).map(\.endpoint) == ["collections.upsert"])
        #expect(
            env.sandbox.campaignMembers().filter { $0["LeadId"].string == leadId }.first?["Status"].string == "Attended"
        )
    }

    @Test("a member that exists under our key but is not in the cache switches to a Status-only update")
    func existingMemberUnderOurKeyWithoutCache() async throws {
        let env = try await Self.shared.value
        let tenant = "nocache"
        let email = Self.unique("nocache")
        let first = try SinkDriver.sink([env.tenant(tenant)])
        #expect(
            await SinkDriver.deliver(
                first,
                tenant,
                [try Commands.status(tenant, email, .registered)],
                limiter: SinkDriver.limiter(first, tenant)
            ) == [.delivered]
        )
        let second = try SinkDriver.sink([env.tenant(tenant)])
        #expect(
            await SinkDriver.deliver(
                second,
                tenant,
                [try Commands.status(tenant, email, .attended)],
                limiter: SinkDriver.limiter(second, tenant)
            ) == [.delivered]
        )
        let leadId = try #require(env.leads(email: email).first?["Id"].string)
        let stored = env.sandbox.campaignMembers().filter { $0["LeadId"].string == leadId }
        #expect(stored.count == 1)
        #expect(stored.first?["Status"].string == "Attended")
    }

    @Test("a member deleted in the org after it was cached is created again")
    func deletedMemberIsCreatedAgain() async throws {
        let env = try await Self.shared.value
        let tenant = "deleted"
        let email = Self.unique("deleted")
        let sink = try SinkDriver.sink([env.tenant(tenant)])
        let limiter = SinkDriver.limiter(sink, tenant)
        #expect(
            await SinkDriver.deliver(sink, tenant, [try Commands.status(tenant, email, .registered)], limiter: limiter)
                == [.delivered]
        )
        let leadId = try #require(env.leads(email: email).first?["Id"].string)
        let member = try #require(env.sandbox.campaignMembers().first { $0["LeadId"].string == leadId })
        try await env.delete("CampaignMember", id: member.id)
        #expect(env.sandbox.campaignMembers().allSatisfy { $0["LeadId"].string != leadId })

        #expect(
            await SinkDriver.deliver(sink, tenant, [try Commands.status(tenant, email, .attended)], limiter: limiter)
                == [.delivered]
        )
        let recreated = env.sandbox.campaignMembers().filter { $0["LeadId"].string == leadId }
        #expect(recreated.count == 1)
        #expect(recreated.first?["Status"].string == "Attended")
    }

    @Test("permanent errors come back with a message a person can act on; the rest of the batch is delivered")
    func permanentErrors() async throws {
        let env = try await Self.shared.value
        let tenant = "permanent"
        let sink = try SinkDriver.sink([env.tenant(tenant)])
        let limiter = SinkDriver.limiter(sink, tenant)
        let good = Self.unique("good")
        let missingCampaign = SalesforceId.make(prefix: "701", sequence: 999)
        let commands = [
            try Commands.status(tenant, good, .registered),
            try Commands.status(tenant, "john.roe@example.com", .registered),
            try Commands.status(tenant, Self.unique("nocampaign"), .registered, campaign: missingCampaign),
            try Commands.engagement(tenant, good, entry: "1_waytoolongforthefield"),
            try Commands.engagement(tenant, good, entry: "1_ok"),
        ]
        let outcomes = await SinkDriver.deliver(sink, tenant, commands, limiter: limiter)
        #expect(outcomes[0] == .delivered)
        #expect(outcomes[4] == .delivered)

        let ambiguous = try #require(outcomes[1].failure)
        #expect(ambiguous.errorClass == .permanent)
        #expect(ambiguous.code == "AMBIGUOUS_EMAIL")
        #expect(
            ambiguous.message.contains(WriterSandbox.leadId(2)) && ambiguous.message.contains(WriterSandbox.leadId(3))
        )

        let campaign = try #require(outcomes[2].failure)
        #expect(campaign.errorClass == .permanent)
        #expect(campaign.code == "INVALID_MEMBER_STATUS")
        #expect(campaign.message.contains(missingCampaign) && campaign.message.contains("does the campaign exist"))

        let tooLong = try #require(outcomes[3].failure)
        #expect(tooLong.errorClass == .permanent)
        #expect(tooLong.code == "STRING_TOO_LONG")
        #expect(tooLong.message.contains("entry_id__c"))
        #expect(tooLong.message.contains("1_waytoolongforthefield"))
    }

    @Test("two statuses for one member in one batch: only the newer is sent, the older is skipped")
    func neverTwoStatusesForOneMember() async throws {
        let env = try await Self.shared.value
        let tenant = "coalesce"
        let email = Self.unique("twice")
        let sink = try SinkDriver.sink([env.tenant(tenant)])
        let outcomes = await SinkDriver.deliver(
            sink,
            tenant,
            [
                try Commands.status(tenant, email, .attended, at: 2_000),
                try Commands.status(tenant, email, .registered, at: 1_000),
            ],
            limiter: SinkDriver.limiter(sink, tenant)
        )
        #expect(outcomes[0] == .delivered)
        guard case .skipped(let reason) = outcomes[1] else {
            Issue.record("the older status was not skipped: \(outcomes[1])")
            return
        }
        #expect(reason.contains("superseded"))
        let leadId = try #require(env.leads(email: email).first?["Id"].string)
        #expect(
            env.sandbox.campaignMembers().filter { $0["LeadId"].string == leadId }.first?["Status"].string == "Attended"
        )
    }

    @Test("an unknown tenant is dead-lettered; a tenant without its salesforce section is refused at start")
    func tenantConfiguration() async throws {
        let env = try await Self.shared.value
        let sink = try SinkDriver.sink([env.tenant("known")])
        let outcomes = await SinkDriver.deliver(
            sink,
            "stranger",
            [try Commands.status("stranger", "a@example.com", .registered)],
            limiter: CallLimiter(limits: CallLimits(callsPerWindow: 1, window: .seconds(1), concurrentCalls: 1))
        )
        #expect(outcomes.first?.failure?.code == "unknown_tenant")
        #expect(sink.limits(forTenant: "stranger") == nil)

        var broken = env.tenant("broken")
        broken.salesforce = nil
        let error = #expect(throws: SalesforceSinkConfigurationError.self) { try SinkDriver.sink([broken]) }
        #expect(error?.tenant == "broken")
        #expect(error?.problem.contains("no salesforce section") == true)
    }
}
