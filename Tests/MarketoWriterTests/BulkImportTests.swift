import Config
import Delivery
import Foundation
import LeadModel
import MarketoWriter
import SandboxMarketo
import Testing

@Suite("Marketo sink: bulk imports above the threshold")
struct BulkImportTests {
    static let harness = Task {
        try await SinkHarness.start([SinkHarness.subscription("BK-MEMBERS"), SinkHarness.subscription("BK-OBJECTS")])
    }

    @Test(
        "program member import: rows land, a failed row is permanent with its reason, small groups stay REST"
    )
    func programMembers() async throws {
        let h = try await Self.harness.value
        let tenant = h.tenant(
            "bulkm",
            munchkinId: "BK-MEMBERS",
            fieldMapping: [.firstName: "firstName", .custom("score"): "leadScore"]
        )
        let sink = try SinkDriver.sink([tenant], maxRecordsPerCall: 10, bulkThreshold: 50)
        var commands: [Command] = []
        for lead in 0..<40 {
            let profile = LeadProfile(firstName: "Bulk \(lead)", custom: ["score": lead == 7 ? "lots" : "\(lead)"])
            commands.append(
                try Commands.status("bulkm", "bulk\(lead)@example.com", program: 1001, .registered, profile: profile)
            )
        }
        for lead in 0..<5 {
            commands.append(try Commands.status("bulkm", "rest\(lead)@example.com", program: 1001, .invited))
        }
        let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: "bulkm")))
        let outcomes = await sink.deliver(
            DeliveryBatch(
                tenant: "bulkm",
                items: commands.map { DeliveryItem(command: $0) },
                backlog: 100,
                limiter: limiter
            )
        )
        for (index, outcome) in outcomes.enumerated() where index != 7 {
            #expect(outcome == .delivered, "item \(index): \(outcome)")
        }
        guard case .failed(let failure) = outcomes[7] else {
            Issue.record("the bad row's command was \(outcomes[7]), expected a permanent failure")
            return
        }
        #expect(failure.errorClass == .permanent)
        #expect(failure.message.contains("bulk7@example.com"))
        #expect(failure.message.contains("Lead Score"))
        #expect(failure.message.contains("Registered"))

        let snapshot = try h.snapshot("BK-MEMBERS")
        #expect(snapshot.imports.count == 1)
        let job = try #require(snapshot.imports.first)
        #expect(job.kind == "programMembers")
        #expect(job.rows == 40)
        #expect(job.failed == 1)
        let bulkMembers = snapshot.memberships.filter { $0.history.contains { $0.source == "bulk" } }
        #expect(bulkMembers.count == 39)
        #expect(bulkMembers.allSatisfy { $0.statusName == "Registered" })
        let lead = try #require(snapshot.leads(withEmail: "bulk3@example.com").first)
        #expect(lead.fields["firstName"]?.stringValue == "Bulk 3")
        #expect(lead.fields["leadScore"]?.intValue == 3)
        // The small group went by REST: one lead upsert of its 5 leads and one status call.
        let calls = h.apiCalls("BK-MEMBERS")
        #expect(calls.count { $0.endpoint.hasSuffix("/members/status.json") } == 1)
        #expect(calls.count { $0.endpoint == "/rest/v1/leads.json" } == 1)
        #expect(calls.count { $0.endpoint.hasSuffix("/failures.json") } == 1)
    }

    @Test("engagement records by custom object import, polled to the end, with leads resolved first")
    func customObjects() async throws {
        let h = try await Self.harness.value
        let sink = try SinkDriver.sink(
            [h.tenant("bulko", munchkinId: "BK-OBJECTS")],
            maxRecordsPerCall: 10,
            bulkThreshold: 50
        )
        var commands: [Command] = []
        for lead in 0..<40 {
            commands.append(
                try Commands.engagement(
                    .engagementUpsert,
                    "bulko",
                    "obj\(lead)@example.com",
                    program: 1002,
                    entry: "1_bulk",
                    plays: lead
                )
            )
        }
        let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: "bulko")))
        let outcomes = await sink.deliver(
            DeliveryBatch(
                tenant: "bulko",
                items: commands.map { DeliveryItem(command: $0) },
                backlog: 20,
                limiter: limiter
            )
        )
        #expect(outcomes.allSatisfy { $0 == .delivered })
        let snapshot = try h.snapshot("BK-OBJECTS")
        #expect(snapshot.imports.map(\.kind) == ["customObjects"])
        let records = snapshot.customObjects(named: "kalturaUserSessionEngagement")
        #expect(records.count == 40)
        let lead = try #require(snapshot.leads(withEmail: "obj5@example.com").first)
        let record = try #require(records.first { $0.fields["personId"]?.intValue == lead.id })
        #expect(record.fields["plays"]?.intValue == 5)
        #expect(record.fields["entry_id"]?.stringValue == "1_bulk")
        #expect(h.apiCalls("BK-OBJECTS").count { $0.endpoint.hasPrefix("/rest/v1/customobjects/") } == 0)
    }
}
