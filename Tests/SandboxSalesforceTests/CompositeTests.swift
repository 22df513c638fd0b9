import Foundation
import SandboxSalesforce
import Testing

@Suite("sObject Collections and composite", .serialized)
struct CompositeTests {
    static let harness = Task { try await SandboxHarness.start(Fixtures.setup(numberedLeads: 40)) }
    static let collections = "/services/data/v66.0/composite/sobjects"

    private func member(_ lead: String, campaign: String = Fixtures.campaign, status: String = "Registered") -> String {
        #"""
        {"attributes":{"type":"CampaignMember"},"CampaignId":"\#(campaign)","LeadId":"\#(lead)",
         "Status":"\#(status)","external_id__c":"\#(campaign)_\#(lead)"}
        """#
    }

    private func rows(_ reply: SandboxHarness.Reply) throws -> [[String: Any]] {
        try #require(try reply.json() as? [[String: Any]], "\(reply.text)")
    }

    private func firstError(_ row: [String: Any]) -> [String: Any]? {
        (row["errors"] as? [[String: Any]])?.first
    }

    @Test("create with allOrNone false: 200, per-row results in order, failures keyed by statusCode")
    func createPartial() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let (a, b) = (Fixtures.leadId(100), Fixtures.leadId(101))
        _ = try await harness.send("POST", Self.collections, body: #"{"records":[\#(member(b))]}"#, token: token)
        let reply = try await harness.send(
            "POST",
            Self.collections,
            body: #"""
                {"allOrNone":false,"records":[\#(member(a)),\#(member(b)),\#(member(a, status: "Attended"))]}
                """#,
            token: token
        )
        #expect(reply.status == 200)
        let results = try rows(reply)
        #expect(results.count == 3)
        #expect(results[0]["success"] as? Bool == true)
        #expect((results[0]["id"] as? String)?.hasPrefix("00v") == true)
        #expect(results[1]["success"] as? Bool == false)
        #expect(firstError(results[1])?["statusCode"] as? String == "DUPLICATE_VALUE")
        #expect(firstError(results[1])?["message"] as? String == "Already a campaign member.")
        #expect(firstError(results[1])?["errorCode"] == nil)
        #expect(firstError(results[2])?["statusCode"] as? String == "DUPLICATE_VALUE")
        #expect((firstError(results[2])?["message"] as? String)?.contains("more than once") == true)
        #expect(harness.sandbox.campaignMembers().filter { $0["LeadId"] == .string(a) }.count == 1)
        let call = try #require(harness.sandbox.calls().last { $0.endpoint == "collections.create" })
        #expect(call.records == 3)
        #expect(call.httpStatus == 200)
    }

    @Test("create with allOrNone true: one bad row rolls back the rest")
    func createAllOrNone() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let (a, b) = (Fixtures.leadId(110), Fixtures.leadId(111))
        let reply = try await harness.send(
            "POST",
            Self.collections,
            body: #"""
                {"allOrNone":true,"records":[\#(member(a)),\#(member(b, status: "Nope"))]}
                """#,
            token: token
        )
        #expect(reply.status == 200)
        let results = try rows(reply)
        #expect(firstError(results[0])?["statusCode"] as? String == "ALL_OR_NONE_OPERATION_ROLLED_BACK")
        #expect(
            firstError(results[0])?["message"] as? String
                == "Record rolled back because not all records were valid and the request was using AllOrNone header"
        )
        #expect(firstError(results[1])?["statusCode"] as? String == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
        #expect(harness.sandbox.campaignMembers().filter { $0["LeadId"] == .string(a) }.isEmpty)
    }

    @Test("more than 200 records is refused as a whole")
    func tooMany() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let records = Array(repeating: #"{"attributes":{"type":"Contact"},"LastName":"X"}"#, count: 201)
        let reply = try await harness.send(
            "POST",
            Self.collections,
            body: #"{"records":[\#(records.joined(separator: ","))]}"#,
            token: token
        )
        #expect(reply.status == 400)
        #expect(try reply.errorCode() == "EXCEEDED_ID_LIMIT")
    }

    @Test("update by id and upsert by external id, with created flags")
    func updateAndUpsert() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let (a, b) = (Fixtures.leadId(120), Fixtures.leadId(121))
        let created = try rows(
            try await harness.send(
                "POST",
                Self.collections,
                body: #"{"records":[\#(member(a))]}"#,
                token: token
            )
        )
        let id = try #require(created.first?["id"] as? String)
        let update = try await harness.send(
            "PATCH",
            Self.collections,
            body: #"""
                {"records":[{"attributes":{"type":"CampaignMember"},"id":"\#(id)","Status":"Attended"},
                            {"attributes":{"type":"CampaignMember"},"id":"00vbogus","Status":"Attended"}]}
                """#,
            token: token
        )
        let updated = try rows(update)
        #expect(updated[0]["success"] as? Bool == true)
        #expect(firstError(updated[1])?["statusCode"] as? String == "MALFORMED_ID")
        #expect(harness.sandbox.campaignMembers().first { $0.id == id }?["Status"] == .string("Attended"))

        let upsert = try await harness.send(
            "PATCH",
            "\(Self.collections)/CampaignMember/external_id__c",
            body: #"""
                {"allOrNone":false,"records":[
                  {"attributes":{"type":"CampaignMember"},"external_id__c":"\#(Fixtures.campaign)_\#(a)",
                   "Status":"Participated"},
                  {"attributes":{"type":"CampaignMember"},"external_id__c":"\#(Fixtures.campaign)_\#(b)",
                   "CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(b)","Status":"Invited"}]}
                """#,
            token: token
        )
        #expect(upsert.status == 200)
        let upserted = try rows(upsert)
        #expect(upserted[0]["created"] as? Bool == false)
        #expect(upserted[0]["id"] as? String == id)
        #expect(upserted[1]["created"] as? Bool == true)
        #expect(harness.sandbox.campaignMembers().first { $0.id == id }?["Status"] == .string("Participated"))
    }

    @Test("concurrent collection calls lose and duplicate nothing")
    func concurrentCreates() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let before = harness.sandbox.records("Contact").count
        try await withThrowingTaskGroup(of: Int.self) { group in
            for batch in 0..<20 {
                group.addTask {
                    let rows = (0..<50).map { #"{"attributes":{"type":"Contact"},"LastName":"C\#(batch)-\#($0)"}"# }
                    let reply = try await harness.send(
                        "POST",
                        Self.collections,
                        body: #"{"records":[\#(rows.joined(separator: ","))]}"#,
                        token: token
                    )
                    return try #require(try reply.json() as? [[String: Any]]).filter { $0["success"] as? Bool == true }
                        .count
                }
            }
            var succeeded = 0
            for try await count in group {
                succeeded += count
            }
            #expect(succeeded == 1_000)
        }
        let contacts = harness.sandbox.records("Contact")
        #expect(contacts.count == before + 1_000)
        #expect(Set(contacts.map(\.id)).count == contacts.count)
        #expect(
            Set(contacts.compactMap { $0["LastName"].string }.filter { $0.hasPrefix("C") && $0.contains("-") })
                .count == 1_000
        )
    }

    @Test("composite/batch runs independent subrequests, each counted, halting on error when asked")
    func batch() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let before = harness.sandbox.counters().apiRequestsTotal
        let reply = try await harness.send(
            "POST",
            "/services/data/v66.0/composite/batch",
            body: #"""
                {"haltOnError":true,"batchRequests":[
                  {"method":"POST","url":"v66.0/sobjects/Contact","richInput":{"LastName":"Batch"}},
                  {"method":"PATCH","url":"v66.0/sobjects/Contact/003000000000000","richInput":{"LastName":"X"}},
                  {"method":"GET","url":"v66.0/query?q=SELECT+Id+FROM+Contact+WHERE+LastName+=+'Batch'"}]}
                """#,
            token: token
        )
        #expect(reply.status == 200)
        let body = try reply.object()
        #expect(body["hasErrors"] as? Bool == true)
        let results = try #require(body["results"] as? [[String: Any]])
        #expect(results.map { $0["statusCode"] as? Int } == [201, 404, 412])
        #expect(harness.sandbox.counters().apiRequestsTotal == before + 2)
        #expect(harness.sandbox.records("Contact").contains { $0["LastName"] == .string("Batch") })
    }

    @Test("collections delete removes records and reports each id")
    func collectionDelete() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let created = try rows(
            try await harness.send(
                "POST",
                Self.collections,
                body: #"""
                    {"records":[{"attributes":{"type":"Contact"},"LastName":"Gone"},
                                {"attributes":{"type":"Contact"},"LastName":"Gone"}]}
                    """#,
                token: token
            )
        )
        let ids = created.compactMap { $0["id"] as? String }
        #expect(ids.count == 2)
        let reply = try await harness.send(
            "DELETE",
            "\(Self.collections)?ids=\(ids.joined(separator: ",")),bogus",
            token: token
        )
        #expect(reply.status == 200)
        let results = try rows(reply)
        #expect(results.map { $0["success"] as? Bool } == [true, true, false])
        #expect(firstError(results[2])?["statusCode"] as? String == "MALFORMED_ID")
        #expect(harness.sandbox.records("Contact").allSatisfy { !ids.contains($0.id) })
        let again = try rows(try await harness.send("DELETE", "\(Self.collections)?ids=\(ids[0])", token: token))
        #expect(firstError(again[0])?["statusCode"] as? String == "ENTITY_IS_DELETED")
    }

    @Test("composite runs subrequests in order with references, as one API call")
    func composite() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let before = harness.sandbox.counters().apiRequestsTotal
        let reply = try await harness.send(
            "POST",
            "/services/data/v66.0/composite",
            body: #"""
                {"allOrNone":false,"compositeRequest":[
                  {"method":"POST","url":"/services/data/v66.0/sobjects/Lead","referenceId":"newLead",
                   "body":{"LastName":"Composite","Company":"Acme","Email":"composite@example.com"}},
                  {"method":"POST","url":"/services/data/v66.0/sobjects/CampaignMember","referenceId":"member",
                   "body":{"CampaignId":"\#(Fixtures.campaign)","LeadId":"@{newLead.id}","Status":"Registered",
                           "external_id__c":"\#(Fixtures.campaign)_@{newLead.id}"}},
                  {"method":"GET","referenceId":"check",
                   "url":"/services/data/v66.0/query?q=SELECT+Id+FROM+CampaignMember+WHERE+LeadId+=+'@{newLead.id}'"}]}
                """#,
            token: token
        )
        #expect(reply.status == 200)
        let items = try #require(try reply.object()["compositeResponse"] as? [[String: Any]])
        #expect(items.map { $0["httpStatusCode"] as? Int } == [201, 201, 200])
        #expect(items.map { $0["referenceId"] as? String } == ["newLead", "member", "check"])
        let check = try #require(items[2]["body"] as? [String: Any])
        #expect(check["totalSize"] as? Int == 1)
        #expect(harness.sandbox.counters().apiRequestsTotal == before + 1)
    }

    @Test("composite allOrNone: a failure rolls back and halts the others")
    func compositeAllOrNone() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.send(
            "POST",
            "/services/data/v66.0/composite",
            body: #"""
                {"allOrNone":true,"compositeRequest":[
                  {"method":"POST","url":"/services/data/v66.0/sobjects/Lead","referenceId":"ok",
                   "body":{"LastName":"Rolled","Company":"Back","Email":"rolled.back@example.com"}},
                  {"method":"POST","url":"/services/data/v66.0/sobjects/Lead","referenceId":"bad",
                   "body":{"LastName":"X"}},
                  {"method":"POST","url":"/services/data/v66.0/sobjects/Lead","referenceId":"never",
                   "body":{"LastName":"Never","Company":"Run"}}]}
                """#,
            token: token
        )
        #expect(reply.status == 200)
        let items = try #require(try reply.object()["compositeResponse"] as? [[String: Any]])
        #expect(items.map { $0["httpStatusCode"] as? Int } == [400, 400, 400])
        let codes = items.map { (($0["body"] as? [[String: Any]])?.first?["errorCode"] as? String) ?? "" }
        #expect(codes == ["PROCESSING_HALTED", "REQUIRED_FIELD_MISSING", "PROCESSING_HALTED"])
        #expect(harness.sandbox.records("Lead").allSatisfy { $0["Email"] != .string("rolled.back@example.com") })
    }

    @Test("composite: bad references halt a subrequest, and more than 25 subrequests are refused")
    func compositeLimits() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.send(
            "POST",
            "/services/data/v66.0/composite",
            body: #"""
                {"compositeRequest":[
                  {"method":"PATCH","url":"/services/data/v66.0/sobjects/Lead/@{missing.id}","referenceId":"r1",
                   "body":{"Title":"x"}}]}
                """#,
            token: token
        )
        let items = try #require(try reply.object()["compositeResponse"] as? [[String: Any]])
        #expect(items.first?["httpStatusCode"] as? Int == 400)
        let error = try #require((items.first?["body"] as? [[String: Any]])?.first)
        #expect(error["errorCode"] as? String == "PROCESSING_HALTED")
        #expect((error["message"] as? String)?.hasPrefix("Invalid reference specified") == true)

        let many = (0..<26).map { #"{"method":"GET","url":"/services/data/v66.0/limits","referenceId":"r\#($0)"}"# }
        let tooMany = try await harness.send(
            "POST",
            "/services/data/v66.0/composite",
            body: #"{"compositeRequest":[\#(many.joined(separator: ","))]}"#,
            token: token
        )
        #expect(tooMany.status == 400)
    }

    @Test("composite: at most 5 of the subrequests may be queries or sObject Collections; 5 run, 6 are refused")
    func compositeHeavySubrequests() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        func body(_ queries: Int) -> String {
            let query = "/services/data/v66.0/query?q=SELECT+Id+FROM+Lead+LIMIT+1"
            let items = (0..<queries).map { #"{"method":"GET","url":"\#(query)","referenceId":"q\#($0)"}"# }
            let plain = #"{"method":"GET","url":"/services/data/v66.0/limits","referenceId":"plain"}"#
            return #"{"compositeRequest":[\#((items + [plain]).joined(separator: ","))]}"#
        }
        let five = try await harness.send("POST", "/services/data/v66.0/composite", body: body(5), token: token)
        #expect(five.status == 200)
        let answers = try #require(try five.object()["compositeResponse"] as? [[String: Any]])
        #expect(answers.count == 6)
        #expect(answers.allSatisfy { $0["httpStatusCode"] as? Int == 200 })

        let six = try await harness.send("POST", "/services/data/v66.0/composite", body: body(6), token: token)
        #expect(six.status == 400)
        #expect(try six.errorCode() == "INVALID_COMPOSITE_REQUEST")
    }
}
