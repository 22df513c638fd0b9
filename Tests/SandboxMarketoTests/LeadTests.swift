import Foundation
import SandboxMarketo
import Testing

@Suite("Leads: sync, get by filter, describe")
struct LeadTests {
    static let fixture = Task {
        try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [
                SandboxFixture.subscription("LEAD-1"), SandboxFixture.subscription("LEAD-2"),
                SandboxFixture.subscription("LEAD-3"), SandboxFixture.subscription("LEAD-RACE"),
            ])
        )
    }

    @Test("createOrUpdate creates, then updates by email (case-insensitively); results keep input order")
    func upsert() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("LEAD-1")
        let first = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: [
                "action": "createOrUpdate", "lookupField": "email",
                "input": [
                    ["email": "jane.doe@example.com", "firstName": "Jane", "company": "Example Inc"],
                    ["email": "john@example.com", "lastName": "Roe"],
                ],
            ],
            token: token
        )
        #expect(first.success == true)
        #expect(first.result.map { $0["status"] as? String } == ["created", "created"])
        let janeId = try #require(first.result[0]["id"] as? Int)
        #expect(first.result[0]["seq"] == nil)

        let second = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: [
                "input": [["email": "Jane.Doe@Example.com", "title": "CTO", "leadScore": "42"]]
            ],
            token: token
        )
        #expect(second.result.first?["status"] as? String == "updated")
        #expect(second.result.first?["id"] as? Int == janeId)

        let stored = try #require(f.sandbox.snapshot("LEAD-1")?.leads(withEmail: "jane.doe@example.com").first)
        #expect(stored.fields["title"] == .string("CTO"))
        #expect(stored.fields["firstName"] == .string("Jane"))
        #expect(stored.fields["leadScore"] == .int(42))

        let got = try await f.client.send(
            "GET",
            "/rest/v1/leads.json",
            query: [
                "filterType": "email", "filterValues": "jane.doe@example.com,nobody@example.com,john@example.com",
                "fields": "email,firstName,title",
            ],
            token: token
        )
        #expect(got.result.count == 2)
        #expect(got.result.first?["id"] as? Int == janeId)
        #expect(got.result.first?["title"] as? String == "CTO")
        #expect(got.result.last?["firstName"] == nil)  // unset fields are left out (implied null)

        let byId = try await f.client.send("GET", "/rest/v1/lead/\(janeId).json", token: token)
        #expect(byId.result.first?["email"] as? String == "Jane.Doe@Example.com")
    }

    @Test("createOnly, updateOnly and per-record reasons 1005, 1004, 1006, 1001, 1003, 1007")
    func recordErrors() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("LEAD-2")
        _ = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: [
                "input": [["email": "exists@example.com"]]
            ],
            token: token
        )
        _ = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: [
                "action": "createDuplicate", "input": [["email": "twin@example.com"], ["email": "twin@example.com"]],
            ],
            token: token
        )
        let createOnly = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: [
                "action": "createOnly",
                "input": [["email": "exists@example.com"], ["email": "fresh@example.com"]],
            ],
            token: token
        )
        #expect(createOnly.result.first?["status"] as? String == "skipped")
        #expect(createOnly.reasonCodes(0) == ["1005"])
        #expect(createOnly.result.last?["status"] as? String == "created")

        let updateOnly = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: [
                "action": "updateOnly",
                "input": [
                    ["email": "missing@example.com"], ["email": "exists@example.com", "favouriteColour": "red"],
                    ["email": "exists@example.com", "leadScore": "many"], ["firstName": "NoEmail"],
                    ["email": "twin@example.com", "firstName": "Two"],
                    ["email": "exists@example.com", "title": "Boss"],
                ],
            ],
            token: token
        )
        #expect(updateOnly.success == true)
        #expect((0..<6).map { updateOnly.reasonCodes($0) } == [["1004"], ["1006"], ["1001"], ["1003"], ["1007"], []])
        let messages = (updateOnly.result[1]["reasons"] as? [[String: Any]])?.first?["message"] as? String
        #expect(messages == "Field 'favouriteColour' not found")
        #expect(updateOnly.result[5]["status"] as? String == "updated")
        #expect(
            f.sandbox.calls(munchkinId: "LEAD-2").last?.recordErrorCodes == ["1004", "1006", "1001", "1003", "1007"]
        )
    }

    @Test("Get Leads pages with nextPageToken; errors for bad filters and fields")
    func paging() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("LEAD-3")
        let emails = (0..<5).map { "page\($0)@example.com" }
        _ = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: [
                "input": emails.map { ["email": $0] }
            ],
            token: token
        )
        var seen: [String] = []
        var pageToken: String?
        repeat {
            var query = ["filterType": "email", "filterValues": emails.joined(separator: ","), "batchSize": "2"]
            if let pageToken { query["nextPageToken"] = pageToken }
            let page = try await f.client.send("GET", "/rest/v1/leads.json", query: query, token: token)
            seen += page.result.compactMap { $0["email"] as? String }
            pageToken = page.object["moreResult"] as? Bool == true ? page.object["nextPageToken"] as? String : nil
        } while pageToken != nil
        #expect(seen == emails)

        let badField = try await f.client.send(
            "GET",
            "/rest/v1/leads.json",
            query: [
                "filterType": "email", "filterValues": emails[0], "fields": "email,shoeSize",
            ],
            token: token
        )
        #expect(badField.errorCode == "1006")
        let badFilter = try await f.client.send(
            "GET",
            "/rest/v1/leads.json",
            query: [
                "filterType": "firstName", "filterValues": "x",
            ],
            token: token
        )
        #expect(badFilter.errorCode == "1003")
        let describe = try await f.client.send("GET", "/rest/v1/leads/describe2.json", token: token)
        let fields = (describe.result.first?["fields"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(fields?.contains("email") == true)
        let wrongType = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            body: Data("{}".utf8),
            contentType: "text/plain",
            token: token
        )
        #expect(wrongType.errorCode == "612")
        let notJSON = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            body: Data("{".utf8),
            contentType: "application/json",
            token: token
        )
        #expect(notJSON.errorCode == "609")
    }

    @Test("Overlapping upserts of one new email both create it (the documented race); one call does not")
    func concurrentUpserts() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("LEAD-RACE")
        let sameCall = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: [
                "input": [["email": "once@race.example.com"], ["email": "once@race.example.com", "title": "T"]]
            ],
            token: token
        )
        #expect(sameCall.result.map { $0["status"] as? String } == ["created", "updated"])

        let slow = f.sandbox.addFault(
            MarketoFault(
                munchkinId: "LEAD-RACE",
                endpoint: "/rest/v1/leads.json",
                method: "POST",
                latencyMs: 300
            )
        )
        let statuses = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let reply = try await f.client.send(
                        "POST",
                        "/rest/v1/leads.json",
                        json: [
                            "input": [["email": "twice@race.example.com"]]
                        ],
                        token: token
                    )
                    return reply.result.first?["status"] as? String ?? "?"
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        f.sandbox.removeFaults(id: slow.id)
        #expect(statuses == ["created", "created"])
        #expect(f.sandbox.snapshot("LEAD-RACE")?.leads(withEmail: "twice@race.example.com").count == 2)
        let after = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: [
                "input": [["email": "twice@race.example.com", "title": "CEO"]]
            ],
            token: token
        )
        #expect(after.reasonCodes(0) == ["1007"])
    }

    @Test("As marketo-rest-python sends it: _method=GET and the token in a form body, repeated `fields` keys")
    func pythonClientForm() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("LEAD-3")
        _ = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: [
                "input": [["email": "py@example.com", "firstName": "Py", "title": "Dev"]]
            ],
            token: token
        )
        let form = "_method=GET&filterValues=py%40example.com&filterType=email&fields=email&fields=firstName"
        let reply = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            body: Data(form.utf8),
            contentType: "application/x-www-form-urlencoded; charset=utf-8",
            token: token
        )
        #expect(reply.success == true)
        #expect(reply.result.first?["firstName"] as? String == "Py")
        #expect(reply.result.first?["title"] == nil)
    }
}
