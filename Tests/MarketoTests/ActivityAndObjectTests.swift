import Foundation
import Marketo
import SandboxMarketo
import Testing

@Suite("Custom activities and custom objects round trip")
struct ActivityAndObjectTests {
    static let harness = Task {
        try await SandboxHarness.start([
            SandboxHarness.subscription("ACT-RT"), SandboxHarness.subscription("CO-RT"),
        ])
    }

    @Test("Activity types give userSessionEngagement's id; activities are stored as sent; 1004 per record")
    func activities() async throws {
        let h = try await Self.harness.value
        let client = try h.client("ACT-RT")
        let types = try await client.customActivityTypes()
        let engagement = try #require(types.first { $0.apiName == "userSessionEngagement" })
        #expect(engagement.id == 100_001)
        #expect(engagement.isApproved)
        let leadId = try #require(try await client.syncLeads([["email": "viewer@example.com"]]).records.first?.leadId)

        let date = Date(timeIntervalSince1970: 1_795_000_123)
        let sent = MarketoCustomActivity(
            leadId: leadId,
            activityDate: date,
            activityTypeId: engagement.id,
            primaryAttributeValue: "1_abcd1234",
            attributes: [
                "entry_name": "Keynote", "live_minutes_viewed": 32.5, "plays": 3, "channel_id": 7,
            ]
        )
        var missingLead = sent
        missingLead.leadId = 987_654
        let result = try await client.addCustomActivities([sent, missingLead])
        #expect(result.records[0].outcome == .added)
        let guid = try #require(result.records[0].marketoGUID)
        let failure = try #require(result.records[1].outcome.failure)
        #expect(failure.code == "1004")
        #expect(failure.failureClass == .permanent)

        let stored = try h.snapshot("ACT-RT").activities
        #expect(stored.count == 1)
        let activity = try #require(stored.first)
        #expect(activity.marketoGUID == guid)
        #expect(activity.leadId == leadId)
        #expect(activity.activityTypeId == 100_001)
        #expect(activity.primaryAttributeValue == "1_abcd1234")
        #expect(activity.activityDate == sent.activityDateText)
        #expect(activity.activityDate == "2026-11-18T11:08:43Z")
        #expect(
            activity.attributes == [
                "entry_name": .string("Keynote"), "live_minutes_viewed": .double(32.5), "plays": .int(3),
                "channel_id": .int(7),
            ]
        )
    }

    @Test("Custom objects: describe, create then update by dedupe fields, stored fields equal what was sent")
    func customObjects() async throws {
        let h = try await Self.harness.value
        let client = try h.client("CO-RT")
        let schema = try await client.describeCustomObject(name: "kalturaUserSessionEngagement")
        #expect(Set(schema.dedupeFields) == ["entry_id", "personId"])
        #expect(schema.fields.contains { $0.name == "personId" && $0.dataType == "link" })
        let leadIds = try await client.syncLeads([["email": "co1@example.com"], ["email": "co2@example.com"]])
            .records.compactMap(\.leadId)
        try #require(leadIds.count == 2)

        let records: [[String: MarketoFieldValue]] = leadIds.map {
            ["entry_id": "1_entry", "personId": .int($0), "plays": 1, "vod_minutes_viewed": 2.5, "entry_name": "Demo"]
        }
        let created = try await client.syncCustomObjects(name: "kalturaUserSessionEngagement", records: records)
        #expect(created.records.allSatisfy { $0.outcome == .created })
        let guids = created.records.compactMap(\.marketoGUID)
        #expect(guids.count == 2)

        var later = records
        later[1]["plays"] = 5
        later[1]["vod_minutes_viewed"] = 12.25
        let missingKey: [String: MarketoFieldValue] = ["entry_id": "1_entry", "plays": 1]
        let updated = try await client.syncCustomObjects(
            name: "kalturaUserSessionEngagement",
            records: later + [missingKey]
        )
        #expect(updated.records[0].outcome == .updated)
        #expect(updated.records[1].outcome == .updated)
        #expect(updated.records.prefix(2).map(\.marketoGUID) == guids.map { Optional($0) })
        #expect(updated.records[2].outcome.failure?.code == "1003")
        #expect(updated.records[2].outcome.failure?.failureClass == .permanent)

        let stored = try h.snapshot("CO-RT").customObjects(named: "kalturaUserSessionEngagement")
        #expect(stored.count == 2)
        for (index, leadId) in leadIds.enumerated() {
            let record = try #require(stored.first { $0.fields["personId"]?.intValue == leadId })
            #expect(record.marketoGUID == guids[index])
            #expect(record.fields["entry_id"] == .string("1_entry"))
            #expect(record.fields["entry_name"] == .string("Demo"))
            #expect(record.fields["plays"] == (index == 0 ? .int(1) : .int(5)))
            #expect(record.fields["vod_minutes_viewed"] == (index == 0 ? .double(2.5) : .double(12.25)))
        }
        #expect(stored.map(\.updateCount).sorted() == [1, 1])
    }
}
