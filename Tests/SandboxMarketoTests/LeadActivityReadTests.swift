import Foundation
import SandboxMarketo
import Testing

/// Reading activities back as the real API pages them (Get Paging Token, Get Lead Activities), and the route
/// index at `GET /`.
@Suite("Get Lead Activities and the route index")
struct LeadActivityReadTests {
    static let fixture = Task {
        try await SandboxFixture.start(MarketoSandboxSetup(subscriptions: [SandboxFixture.subscription("READ-1")]))
    }

    @Test("activities read back by date-based token, type and leads: pages scan every activity, so a page may be short")
    func pagedReadBack() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("READ-1")
        let leads = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": (0..<3).map { ["email": "reader\($0)@example.com"] }],
            token: token
        )
        let leadIds = leads.result.compactMap { $0["id"] as? Int }
        try #require(leadIds.count == 3)
        // Ten activities per lead, a minute apart, from 10:00.
        var input: [[String: Any]] = []
        for (index, leadId) in leadIds.enumerated() {
            for minute in 0..<10 {
                input.append([
                    "leadId": leadId, "activityDate": String(format: "2026-11-22T10:%02d:%02dZ", minute, index),
                    "activityTypeId": 100_001, "primaryAttributeValue": "1_entry\(minute)",
                    "attributes": [["apiName": "plays", "value": minute], ["apiName": "entry_name", "value": ""]],
                ])
            }
        }
        let added = try await f.client.send(
            "POST",
            "/rest/v1/activities/external.json",
            json: ["input": input],
            token: token
        )
        #expect(added.result.allSatisfy { $0["status"] as? String == "added" })

        let paging = try await f.client.send(
            "GET",
            "/rest/v1/activities/pagingtoken.json",
            query: ["sinceDatetime": "2026-11-22T10:05:00Z"],
            token: token
        )
        var next = try #require(paging.object["nextPageToken"] as? String)
        var read: [[String: Any]] = []
        var pages = 0
        var shortPageWithMore = false
        while true {
            pages += 1
            let page = try await f.client.send(
                "GET",
                "/rest/v1/activities.json",
                query: [
                    "nextPageToken": next, "activityTypeIds": "100001", "leadIds": "\(leadIds[1])", "batchSize": "4",
                ],
                token: token
            )
            #expect(page.success == true)
            read += page.result
            let more = page.object["moreResult"] as? Bool ?? false
            if more && page.result.count < 4 { shortPageWithMore = true }
            next = try #require(page.object["nextPageToken"] as? String, "the token always comes back")
            if !more { break }
        }
        // From 10:05 on: minutes 5...9 of the middle lead (10:05:00 of lead 0 and every lead-2 one are skipped).
        #expect(read.count == 5)
        #expect(read.allSatisfy { $0["leadId"] as? Int == leadIds[1] })
        #expect(read.compactMap { $0["primaryAttributeValue"] as? String } == (5..<10).map { "1_entry\($0)" })
        #expect(pages > 2 && shortPageWithMore, "pages go through every lead's activities, so some come back short")
        let attributes = try #require(read.first?["attributes"] as? [[String: Any]])
        #expect(
            attributes.contains { $0["name"] as? String == "Plays" },
            "attributes come back under their display name"
        )
        #expect(!attributes.contains { ($0["name"] as? String) == "entry_name" }, "an empty attribute is left out")
        #expect(read.first?["marketoGUID"] as? String != nil)
        #expect(read.first?["activityDate"] as? String == "2026-11-22T10:05:01Z")

        let tooMany = try await f.client.send(
            "GET",
            "/rest/v1/activities.json",
            query: [
                "nextPageToken": next, "activityTypeIds": "100001",
                "leadIds": (1...31).map(String.init).joined(separator: ","),
            ],
            token: token
        )
        #expect(tooMany.errorCode == "1003")
        let noTypes = try await f.client.send(
            "GET",
            "/rest/v1/activities.json",
            query: ["nextPageToken": next],
            token: token
        )
        #expect(noTypes.errorCode == "701")
    }

    @Test("GET / lists the API's routes and the control routes")
    func routeIndex() async throws {
        let f = try await Self.fixture.value
        let index = try await f.client.send("GET", "/")
        #expect(index.status == 200)
        let api = index.object["api"] as? [String] ?? []
        let control = index.object["control"] as? [String] ?? []
        #expect(api.contains("GET /rest/v1/activities.json"))
        #expect(api.contains("POST /rest/v1/activities/external.json"))
        #expect(control.contains("POST /_sandbox/faults"))
        let sandboxIndex = try await f.client.send("GET", "/_sandbox")
        #expect((sandboxIndex.object["api"] as? [String]) == api)
    }
}
