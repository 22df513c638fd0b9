import Foundation
import SandboxSalesforce
import Testing

@Suite("sObject create, update and upsert; field rules; CampaignMember rules")
struct SObjectTests {
    static let silentOrgId = SalesforceId.make(prefix: "00D", sequence: 3)
    static let harness = Task {
        var setup = Fixtures.setup()
        setup.orgs[0].customObjects = [
            .userSessionEngagement(
                externalId: .init(name: "session_key__c", kind: .text, length: 100, externalId: true)
            )
        ]
        var silent = setup.orgs[0]
        silent.orgId = silentOrgId
        silent.clientId = "silent-client"
        silent.campaignMemberStatusMode = .defaultSilently
        setup.orgs.append(silent)
        return try await SandboxHarness.start(setup)
    }

    static let base = "/services/data/v66.0/sobjects"

    /// Creates a lead and returns its id.
    private func newLead(_ harness: SandboxHarness, token: String, email: String) async throws -> String {
        let reply = try await harness.send(
            "POST",
            "\(Self.base)/Lead",
            body: #"""
                {"LastName":"Tester","Company":"Acme","Email":"\#(email)"}
                """#,
            token: token
        )
        try #require(reply.status == 201, "\(reply.text)")
        return try #require(try reply.object()["id"] as? String)
    }

    @Test("create answers 201 with the SaveResult and an 18-character id with the type's key prefix")
    func create() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.send(
            "POST",
            "\(Self.base)/Lead",
            body: #"""
                {"FirstName":"Ada","LastName":"Lovelace","Company":"Engines","Email":"ada@example.com"}
                """#,
            token: token
        )
        #expect(reply.status == 201)
        let body = try reply.object()
        let id = try #require(body["id"] as? String)
        #expect(id.count == 18 && id.hasPrefix("00Q"))
        #expect(SalesforceId.canonical18(id) == id)
        #expect(body["success"] as? Bool == true)
        #expect((body["errors"] as? [Any])?.isEmpty == true)
        let stored = try #require(harness.sandbox.records("Lead").first { $0.id == id })
        #expect(stored["Email"] == .string("ada@example.com"))
        #expect(stored["IsConverted"] == .bool(false))
        let contact = try await harness.send("POST", "\(Self.base)/Contact", body: #"{"LastName":"C"}"#, token: token)
        #expect((try contact.object()["id"] as? String)?.hasPrefix("003") == true)
        let engagement = try await harness.send(
            "POST",
            "\(Self.base)/UserSessionEngagement__c",
            body: #"{"entry_id__c":"1_abcd1234","plays__c":1,"live_minutes_viewed__c":32.5}"#,
            token: token
        )
        #expect(engagement.status == 201)
        #expect((try engagement.object()["id"] as? String)?.hasPrefix("a0S") == true)
    }

    @Test("a missing required field is REQUIRED_FIELD_MISSING naming it")
    func requiredField() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.send("POST", "\(Self.base)/Lead", body: #"{"LastName":"X"}"#, token: token)
        #expect(reply.status == 400)
        let error = try #require(try reply.array().first as? [String: Any])
        #expect(error["errorCode"] as? String == "REQUIRED_FIELD_MISSING")
        #expect(error["message"] as? String == "Required fields are missing: [Company]")
        #expect(error["fields"] as? [String] == ["Company"])
    }

    @Test(
        "field types and lengths are enforced",
        arguments: [
            (
                "Lead", #"{"LastName":"\#(String(repeating: "x", count: 81))","Company":"A"}"#, "STRING_TOO_LONG",
                "LastName"
            ),
            ("Lead", #"{"LastName":"X","Company":"A","Email":"not an email"}"#, "INVALID_EMAIL_ADDRESS", "Email"),
            ("Lead", #"{"LastName":"X","Company":"A","Email":"a@b"}"#, "INVALID_EMAIL_ADDRESS", "Email"),
            ("Lead", #"{"LastName":"X","Company":"A","Nope__c":"1"}"#, "INVALID_FIELD", "Nope__c"),
            (
                "Lead", #"{"LastName":"X","Company":"A","IsConverted":true}"#, "INVALID_FIELD_FOR_INSERT_UPDATE",
                "IsConverted"
            ),
            ("UserSessionEngagement__c", #"{"entry_id__c":"1_abcd123456"}"#, "STRING_TOO_LONG", "entry_id__c"),
            (
                "UserSessionEngagement__c", #"{"campaign_member__c":"\#(String(repeating: "c", count: 101))"}"#,
                "STRING_TOO_LONG", "campaign_member__c"
            ),
            (
                "UserSessionEngagement__c", #"{"channel_id__c":12345678901234567890}"#, "NUMBER_OUTSIDE_VALID_RANGE",
                "channel_id__c"
            ),
            (
                "UserSessionEngagement__c", #"{"live_minutes_viewed__c":1000000000000000}"#,
                "NUMBER_OUTSIDE_VALID_RANGE", "live_minutes_viewed__c"
            ),
            ("UserSessionEngagement__c", #"{"email__c":"nope"}"#, "INVALID_EMAIL_ADDRESS", "email__c"),
            ("UserSessionEngagement__c", #"{"Lead__c":"0010000000000001AAA"}"#, "MALFORMED_ID", "Lead__c"),
            ("UserSessionEngagement__c", #"{"Lead__c":"abc"}"#, "MALFORMED_ID", "Lead__c"),
            (
                "UserSessionEngagement__c", #"{"Lead__c":"\#(SalesforceId.make(prefix: "00Q", sequence: 999_999))"}"#,
                "INVALID_CROSS_REFERENCE_KEY", "Lead__c"
            ),
        ]
    )
    func fieldErrors(type: String, body: String, code: String, field: String) async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.send("POST", "\(Self.base)/\(type)", body: body, token: token)
        #expect(reply.status == 400)
        let error = try #require(try reply.array().first as? [String: Any])
        #expect(error["errorCode"] as? String == code)
        #expect(error["fields"] as? [String] == [field])
        #expect(error["message"] is String)
    }

    @Test("a non-numeric value for a number field is a JSON_PARSER_ERROR; 16,2 rounds extra decimals")
    func numbers() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let bad = try await harness.send(
            "POST",
            "\(Self.base)/UserSessionEngagement__c",
            body: #"{"plays__c":"many"}"#,
            token: token
        )
        #expect(bad.status == 400)
        #expect(try bad.errorCode() == "JSON_PARSER_ERROR")
        let good = try await harness.send(
            "POST",
            "\(Self.base)/UserSessionEngagement__c",
            body: #"{"total_vod_completion_rate__c":0.456,"session_key__c":"rounding"}"#,
            token: token
        )
        #expect(good.status == 201)
        let id = try #require(try good.object()["id"] as? String)
        let stored = try #require(harness.sandbox.engagementRecords().first { $0.id == id })
        #expect(stored["total_vod_completion_rate__c"] == .number(0.46))
    }

    @Test("PATCH by id answers 204, the _HttpMethod override works, unknown ids are 404 and malformed ones 400")
    func updateById() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let id = try await newLead(harness, token: token, email: "update@example.com")
        let patch = try await harness.send("PATCH", "\(Self.base)/Lead/\(id)", body: #"{"Title":"CTO"}"#, token: token)
        #expect(patch.status == 204)
        #expect(patch.body.isEmpty)
        let override = try await harness.send(
            "POST",
            "\(Self.base)/Lead/\(id)?_HttpMethod=PATCH",
            body: #"{"Phone":"555"}"#,
            token: token
        )
        #expect(override.status == 204)
        let stored = try #require(harness.sandbox.records("Lead").first { $0.id == id })
        #expect(stored["Title"] == .string("CTO"))
        #expect(stored["Phone"] == .string("555"))
        let lowered = try await harness.send(
            "PATCH",
            "\(Self.base)/Lead/\(String(id.prefix(15)))",
            body: #"{"Title":"CEO"}"#,
            token: token
        )
        #expect(lowered.status == 204)
        let missing = try await harness.send(
            "PATCH",
            "\(Self.base)/Lead/\(Fixtures.leadId(999_998))",
            body: #"{"Title":"x"}"#,
            token: token
        )
        #expect(missing.status == 404)
        #expect(try missing.errorCode() == "NOT_FOUND")
        let malformed = try await harness.send("PATCH", "\(Self.base)/Lead/xyz", body: #"{"Title":"x"}"#, token: token)
        #expect(malformed.status == 400)
        #expect(try malformed.errorCode() == "MALFORMED_ID")
        let get = try await harness.send("GET", "\(Self.base)/Lead/\(id)?fields=Id,Title", token: token)
        #expect(try get.object()["Title"] as? String == "CEO")
    }

    @Test("a converted lead cannot be updated nor added to a campaign")
    func convertedLead() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let update = try await harness.send(
            "PATCH",
            "\(Self.base)/Lead/\(Fixtures.leadId(4))",
            body: #"{"Title":"x"}"#,
            token: token
        )
        #expect(update.status == 400)
        #expect(try update.errorCode() == "CANNOT_UPDATE_CONVERTED_LEAD")
        let member = try await harness.send(
            "POST",
            "\(Self.base)/CampaignMember",
            body: #"""
                {"CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(Fixtures.leadId(4))","Status":"Registered",
                 "external_id__c":"\#(Fixtures.campaign)_\#(Fixtures.leadId(4))"}
                """#,
            token: token
        )
        #expect(member.status == 400)
        #expect(try member.errorCode() == "CANNOT_UPDATE_CONVERTED_LEAD")
        let contactMember = try await harness.send(
            "POST",
            "\(Self.base)/CampaignMember",
            body: #"""
                {"CampaignId":"\#(Fixtures.campaign)","ContactId":"\#(Fixtures.contactId(1))","Status":"Registered",
                 "external_id__c":"\#(Fixtures.campaign)_\#(Fixtures.contactId(1))"}
                """#,
            token: token
        )
        #expect(contactMember.status == 201)
    }

    @Test("CampaignMember: one member per campaign and lead, a unique case-insensitive external id, a required one")
    func campaignMemberRules() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let lead = try await newLead(harness, token: token, email: "member@example.com")
        let other = try await newLead(harness, token: token, email: "member2@example.com")
        let key = "\(Fixtures.campaign)_\(lead)"
        func create(_ body: String) async throws -> SandboxHarness.Reply {
            try await harness.send("POST", "\(Self.base)/CampaignMember", body: body, token: token)
        }
        let created = try await create(
            #"""
            {"CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(lead)","Status":"registered","external_id__c":"\#(key)"}
            """#
        )
        #expect(created.status == 201)
        let memberId = try #require(try created.object()["id"] as? String)
        #expect(memberId.hasPrefix("00v"))
        let stored = try #require(harness.sandbox.campaignMembers().first { $0.id == memberId })
        #expect(stored["Status"] == .string("Registered"))
        #expect(stored["HasResponded"] == .bool(true))

        let again = try await create(
            #"""
            {"CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(lead)","external_id__c":"another"}
            """#
        )
        #expect(again.status == 400)
        let duplicate = try #require(try again.array().first as? [String: Any])
        #expect(duplicate["errorCode"] as? String == "DUPLICATE_VALUE")
        #expect(duplicate["message"] as? String == "Already a campaign member.")

        let sameKey = try await create(
            #"""
            {"CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(other)","external_id__c":"\#(key.uppercased())"}
            """#
        )
        #expect(sameKey.status == 400)
        let unique = try #require(try sameKey.array().first as? [String: Any])
        #expect(unique["errorCode"] as? String == "DUPLICATE_VALUE")
        #expect((unique["message"] as? String)?.hasSuffix(memberId) == true)

        let noKey = try await create(#"{"CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(other)"}"#)
        #expect(try noKey.errorCode() == "REQUIRED_FIELD_MISSING")
        let noCampaign = try await create(#"{"LeadId":"\#(other)","external_id__c":"x_\#(other)"}"#)
        #expect(try noCampaign.errorCode() == "REQUIRED_FIELD_MISSING")
        let longKey = try await create(
            #"""
            {"CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(other)",
             "external_id__c":"\#(String(repeating: "k", count: 51))"}
            """#
        )
        #expect(try longKey.errorCode() == "STRING_TOO_LONG")
        let update = try await harness.send(
            "PATCH",
            "\(Self.base)/CampaignMember/\(memberId)",
            body: #"{"CampaignId":"\#(Fixtures.otherCampaign)"}"#,
            token: token
        )
        #expect(update.status == 400)
        #expect(try update.errorCode() == "INVALID_FIELD_FOR_INSERT_UPDATE")
        #expect(harness.sandbox.campaignMembers().filter { $0["LeadId"] == .string(lead) }.count == 1)
    }

    @Test("an unknown member status is rejected in reject mode and defaulted in silent mode")
    func statusModes() async throws {
        let harness = try await Self.harness.value
        let lead = Fixtures.leadId(2)
        let body = #"""
            {"CampaignId":"\#(Fixtures.otherCampaign)","LeadId":"\#(lead)","Status":"Teleported",
             "external_id__c":"\#(Fixtures.otherCampaign)_\#(lead)"}
            """#
        let token = try await harness.token()
        let rejected = try await harness.send("POST", "\(Self.base)/CampaignMember", body: body, token: token)
        #expect(rejected.status == 400)
        let error = try #require(try rejected.array().first as? [String: Any])
        #expect(error["errorCode"] as? String == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
        #expect(error["message"] as? String == "Status: bad value for restricted picklist field: Teleported")

        let silentOrg = try #require(harness.sandbox.setup.orgs.last)
        let silentToken = try await harness.token(org: silentOrg)
        let accepted = try await harness.send("POST", "\(Self.base)/CampaignMember", body: body, token: silentToken)
        #expect(accepted.status == 201)
        let member = try #require(harness.sandbox.campaignMembers(orgId: Self.silentOrgId).first)
        #expect(member["Status"] == .string("Created"))
        #expect(member["HasResponded"] == .bool(false))
    }

    @Test("upsert by external id: 201 created, 200 updated (case-insensitive), create-only fields refused")
    func upsert() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let lead = try await newLead(harness, token: token, email: "upsert@example.com")
        let key = "\(Fixtures.campaign)_\(lead)"
        let path = "\(Self.base)/CampaignMember/external_id__c/\(key)"
        let first = try await harness.send(
            "PATCH",
            path,
            body: #"""
                {"CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(lead)","Status":"Registered"}
                """#,
            token: token
        )
        #expect(first.status == 201)
        #expect(try first.object()["created"] as? Bool == true)
        let id = try #require(try first.object()["id"] as? String)

        let second = try await harness.send(
            "PATCH",
            "\(Self.base)/CampaignMember/external_id__c/\(key.lowercased())",
            body: #"{"Status":"Attended"}"#,
            token: token
        )
        #expect(second.status == 200)
        #expect(try second.object()["created"] as? Bool == false)
        #expect(try second.object()["id"] as? String == id)
        let stored = try #require(harness.sandbox.campaignMembers().first { $0.id == id })
        #expect(stored["Status"] == .string("Attended"))
        #expect(stored["external_id__c"] == .string(key))

        let reparent = try await harness.send(
            "PATCH",
            path,
            body: #"""
                {"CampaignId":"\#(Fixtures.campaign)","LeadId":"\#(lead)","Status":"Attended"}
                """#,
            token: token
        )
        #expect(reparent.status == 400)
        let error = try #require(try reparent.array().first as? [String: Any])
        #expect(error["errorCode"] as? String == "INVALID_FIELD_FOR_INSERT_UPDATE")
        #expect(Set(error["fields"] as? [String] ?? []) == ["CampaignId", "LeadId"])

        let old = try await harness.send(
            "PATCH",
            "/services/data/v45.0/sobjects/CampaignMember/external_id__c/\(key)",
            body: #"{"Status":"Participated"}"#,
            token: token
        )
        #expect(old.status == 204)

        let updateOnly = try await harness.send(
            "PATCH",
            "\(Self.base)/CampaignMember/external_id__c/none?updateOnly=true",
            body: #"{"Status":"Attended"}"#,
            token: token
        )
        #expect(updateOnly.status == 404)
        let unknownField = try await harness.send(
            "PATCH",
            "\(Self.base)/CampaignMember/Status/Attended",
            body: #"{"Status":"Attended"}"#,
            token: token
        )
        #expect(unknownField.status == 404)
        #expect(try unknownField.errorCode() == "NOT_FOUND")
    }

    @Test("POST …/sobjects/{type}/Id creates; a lookup to a deleted record is ENTITY_IS_DELETED")
    func createByIdPathAndDeletedTarget() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let created = try await harness.send(
            "POST",
            "\(Self.base)/Lead/Id",
            body: #"{"LastName":"Doomed","Company":"Acme"}"#,
            token: token
        )
        #expect(created.status == 201)
        let id = try #require(try created.object()["id"] as? String)
        let deleted = try await harness.send("DELETE", "\(Self.base)/Lead/\(id)", token: token)
        #expect(deleted.status == 204)
        #expect(harness.sandbox.records("Lead").allSatisfy { $0.id != id })
        let engagement = try await harness.send(
            "POST",
            "\(Self.base)/UserSessionEngagement__c",
            body: #"{"Lead__c":"\#(id)"}"#,
            token: token
        )
        #expect(engagement.status == 400)
        #expect(try engagement.errorCode() == "ENTITY_IS_DELETED")
    }

    @Test("basic object info, and 405 for a method the resource does not take")
    func objectInfoAndMethods() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let info = try await harness.send("GET", "\(Self.base)/CampaignMember", token: token)
        #expect(info.status == 200)
        #expect((try info.object()["objectDescribe"] as? [String: Any])?["keyPrefix"] as? String == "00v")
        let put = try await harness.send("PUT", "\(Self.base)/Lead/\(Fixtures.leadId(1))", body: "{}", token: token)
        #expect(put.status == 405)
        #expect(try put.errorCode() == "METHOD_NOT_ALLOWED")
        let unknown = try await harness.send("POST", "\(Self.base)/Widget__c", body: "{}", token: token)
        #expect(unknown.status == 404)
    }

    @Test("upsert on a non-unique external id with several matches answers 300 with the records")
    func multipleMatches() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        for _ in 0..<2 {
            let reply = try await harness.send(
                "POST",
                "\(Self.base)/UserSessionEngagement__c",
                body: #"{"session_key__c":"shared-key","entry_id__c":"1_x"}"#,
                token: token
            )
            #expect(reply.status == 201)
        }
        let reply = try await harness.send(
            "PATCH",
            "\(Self.base)/UserSessionEngagement__c/session_key__c/shared-key",
            body: #"{"plays__c":3}"#,
            token: token
        )
        #expect(reply.status == 300)
        let urls = try #require(try reply.array() as? [String])
        #expect(urls.count == 2)
        #expect(urls.allSatisfy { $0.hasPrefix("/services/data/v66.0/sobjects/UserSessionEngagement__c/a0S") })
    }
}
