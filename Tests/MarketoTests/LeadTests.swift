import Foundation
import Marketo
import SandboxMarketo
import Testing

@Suite("Leads: sync, lookup, describe")
struct LeadTests {
    static let harness = Task {
        try await SandboxHarness.start([
            SandboxHarness.subscription("LEAD-SYNC"), SandboxHarness.subscription("LEAD-GET"),
            SandboxHarness.subscription("LEAD-LONG"), SandboxHarness.subscription("LEAD-FIELD"),
        ])
    }

    @Test("Sync Leads upserts by email and returns lead ids in input order; a repeat updates the same leads")
    func upsert() async throws {
        let h = try await Self.harness.value
        let recorder = CallRecorder()
        let client = try h.client("LEAD-SYNC", recorder: recorder)
        let leads: [[String: LeadFieldValue]] = (0..<5).map {
            ["email": .string("attendee\($0)@example.com"), "firstName": .string("A\($0)"), "leadScore": .int($0)]
        }
        let first = try await client.syncLeads(leads)
        #expect(first.records.count == 5)
        #expect(first.records.allSatisfy { $0.outcome == .created })
        #expect(!first.requestId.isEmpty)
        let ids = first.records.compactMap(\.leadId)
        #expect(ids.count == 5)
        #expect(Set(ids).count == 5)

        var changed = leads
        changed[2]["firstName"] = "Changed"
        let second = try await client.syncLeads(changed.reversed())
        #expect(second.records.allSatisfy { $0.outcome == .updated })
        #expect(second.records.compactMap(\.leadId) == ids.reversed())

        let snapshot = try h.snapshot("LEAD-SYNC")
        #expect(snapshot.leads.count == 5)
        for (index, id) in ids.enumerated() {
            let stored = snapshot.leads.first { $0.id == id }
            #expect(stored?.email == "attendee\(index)@example.com")
            #expect(stored?.fields["leadScore"] == .int(index))
        }
        #expect(snapshot.leads.first { $0.id == ids[2] }?.fields["firstName"] == .string("Changed"))
        // 1 identity call + 2 sync calls of 5 records each.
        #expect(recorder.calls(.syncLeads).map(\.records) == [5, 5])
        #expect(recorder.calls(.identity).count == 1)
        #expect(recorder.calls(.syncLeads).allSatisfy { $0.succeeded && $0.httpStatus == 200 && $0.failedRecords == 0 })
        #expect(recorder.calls(.syncLeads).map(\.requestId) == [first.requestId, second.requestId])
        #expect(recorder.all.allSatisfy { $0.duration > .zero })
        #expect(h.calls("LEAD-SYNC").count { $0.endpoint == "/rest/v1/leads.json" } == 2)
    }

    @Test("Get Leads by email finds the lead; no match is an empty list")
    func lookupByEmail() async throws {
        let h = try await Self.harness.value
        let client = try h.client("LEAD-GET")
        let synced = try await client.syncLeads([["email": "lookup@example.com", "lastName": "Lovelace"]])
        let leadId = try #require(synced.records.first?.leadId)

        let found = try await client.getLeads(
            filterType: "email",
            values: ["lookup@example.com", "nobody@example.com"],
            fields: ["id", "email", "lastName"]
        )
        #expect(found.count == 1)
        #expect(found.first?.id == leadId)
        #expect(found.first?.email == "lookup@example.com")
        #expect(found.first?["lastName"] == .string("Lovelace"))
        let none = try await client.getLeads(filterType: "email", values: ["nobody@example.com"])
        #expect(none.isEmpty)
    }

    @Test("A query longer than 8 KB goes as POST with _method=GET and a form body, and pages with nextPageToken")
    func longQueryAndPaging() async throws {
        let h = try await Self.harness.value
        let client = try h.client("LEAD-LONG")
        let padding = String(repeating: "x", count: 30)
        let emails = (0..<300).map { "long.\(padding).\($0)@example.com" }
        let synced = try await client.syncLeads(emails.map { ["email": .string($0)] })
        #expect(synced.records.allSatisfy { $0.outcome == .created })

        let found = try await client.getLeads(filterType: "email", values: emails, fields: ["id", "email"])
        #expect(found.count == 300)
        #expect(Set(found.compactMap(\.email)) == Set(emails))
        let queries = h.calls("LEAD-LONG").filter { $0.endpoint == "/rest/v1/leads.json" && $0.method == "POST" }
        // One sync and one query, both POST; the query answered as Get Leads (no 414).
        #expect(queries.count == 2)
        #expect(queries.allSatisfy { $0.httpStatus == 200 && $0.errorCode == nil })

        var pages = 0
        var token: String?
        var seen: [MarketoLead] = []
        repeat {
            let page = try await client.getLeadsPage(
                filterType: "email",
                values: Array(emails.prefix(50)),
                fields: ["email"],
                batchSize: 20,
                nextPageToken: token
            )
            pages += 1
            seen += page.leads
            token = page.nextPageToken
        } while token != nil && pages < 10
        #expect(pages == 3)
        #expect(seen.count == 50)
    }

    @Test("An unknown field fails that record with 1006 (permanent) while the others are applied")
    func unknownFieldPerRecord() async throws {
        let h = try await Self.harness.value
        let client = try h.client("LEAD-FIELD")
        let result = try await client.syncLeads([
            ["email": "good@example.com"], ["email": "bad@example.com", "shoeSize": 44],
            ["email": "good2@example.com"],
        ])
        #expect(result.records[0].outcome == .created)
        #expect(result.records[2].outcome == .created)
        let failure = try #require(result.records[1].outcome.failure)
        #expect(failure.code == "1006")
        #expect(failure.failureClass == .permanent)
        #expect(result.records[1].leadId == nil)
        #expect(try h.snapshot("LEAD-FIELD").leads(withEmail: "bad@example.com").isEmpty)

        let fields = try await client.describeLeads()
        #expect(fields.contains { $0.name == "email" && $0.dataType == "email" && !$0.isReadOnly })
        #expect(fields.contains { $0.name == "id" && $0.isReadOnly })
    }
}
