import Foundation
import SandboxSalesforce
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Org summary, call-log clearing and the control index over HTTP; every call logged at debug")
struct SummaryAndLoggingTests {
    static var orgId: String { SalesforceSandboxSetup.standardOrgId }

    @Test("GET /_sandbox/orgs/{orgId} counts stored records by type; DELETE …/calls empties the log only")
    func summaryOverHTTP() async throws {
        let harness = try await SandboxHarness.start(Fixtures.setup())
        let token = try await harness.token()
        let members = (1...3).map { n in
            #"{"attributes":{"type":"CampaignMember"},"CampaignId":"\#(Fixtures.campaign)","#
                + #""LeadId":"\#(Fixtures.leadId(n))","Status":"Registered","#
                + #""external_id__c":"\#(Fixtures.campaign)_\#(Fixtures.leadId(n))"}"#
        }
        let created = try await harness.send(
            "POST",
            "/services/data/v66.0/composite/sobjects",
            body: #"{"allOrNone":false,"records":[\#(members.joined(separator: ","))]}"#,
            token: token
        )
        #expect(created.status == 200)

        let summary = try await harness.send("GET", "/_sandbox/orgs/\(Self.orgId)")
        #expect(summary.status == 200)
        let object = try summary.object()
        let counts = try #require(object["recordCounts"] as? [String: Int])
        #expect(counts["CampaignMember"] == 3)
        #expect(counts["Lead"] == 4)
        #expect(counts["Campaign"] == 2)
        #expect(counts["UserSessionEngagement__c"] == 0)
        #expect(object["clientId"] as? String == "leadsync-sandbox-client")
        #expect(!summary.text.contains("leadsync-sandbox-secret"))
        let counters = try #require(object["counters"] as? [String: Any])
        #expect((counters["recordsCreated"] as? [String: Int])?["CampaignMember"] == 3)
        #expect(harness.sandbox.summary()?.recordCounts["CampaignMember"] == 3)

        let calls = try await harness.send("GET", "/_sandbox/orgs/\(Self.orgId)/calls")
        let firstLog = try calls.array().compactMap { $0 as? [String: Any] }
        let collection = try #require(firstLog.first { $0["endpoint"] as? String == "collections.create" })
        #expect(collection["records"] as? Int == 3)
        #expect(collection["rowErrorCodes"] as? [String] == [])

        // A second create of the same members fails row by row: the log keeps each row's code.
        _ = try await harness.send(
            "POST",
            "/services/data/v66.0/composite/sobjects",
            body: #"{"allOrNone":false,"records":[\#(members.joined(separator: ","))]}"#,
            token: token
        )
        let duplicate = try #require(harness.sandbox.calls().last)
        #expect(Set(duplicate.rowErrorCodes) == ["DUPLICATE_VALUE"])
        #expect(duplicate.rowErrorCodes.count >= 3)
        let logged = try (try await harness.send("GET", "/_sandbox/orgs/\(Self.orgId)/calls")).array()
            .compactMap { $0 as? [String: Any] }

        let cleared = try await harness.send("DELETE", "/_sandbox/orgs/\(Self.orgId)/calls")
        #expect(try cleared.object()["cleared"] as? Int == logged.count)
        #expect(harness.sandbox.calls().isEmpty)
        #expect(harness.sandbox.counters().apiRequestsTotal >= 1)
        #expect(try await harness.send("GET", "/_sandbox/orgs/00DDn0000000099").status == 404)

        let index = try await harness.send("GET", "/_sandbox")
        let endpoints = try index.object()["control"] as? [String] ?? []
        #expect(endpoints.contains("GET /_sandbox/orgs/{orgId}"))
        #expect(endpoints.contains("POST /_sandbox/faults"))
        // GET / answers the same index, with the API's routes.
        let root = try await harness.send("GET", "/")
        #expect(root.status == 200)
        let api = try root.object()["api"] as? [String] ?? []
        #expect(api.contains { $0.hasPrefix("PATCH /services/data/vNN.N/composite/sobjects/{type}/{extIdField}") })
        #expect(try root.object()["control"] as? [String] == endpoints)
    }

    @Test("Each call is logged at debug with its org, endpoint, status, code and record count")
    func debugLog() async throws {
        let recorder = RecordingLogHandler()
        let sandbox = try SalesforceSandbox(
            setup: Fixtures.setup(),
            options: .init(logger: recorder.logger(level: .debug))
        )
        let running = Task { try await sandbox.run() }
        defer { running.cancel() }
        let base = try await sandbox.waitUntilRunning()
        let session = URLSession(configuration: .ephemeral)
        func send(
            _ method: String,
            _ path: String,
            body: String,
            type: String,
            token: String? = nil
        )
            async throws -> Data
        {
            var request = URLRequest(url: try #require(URL(string: base.absoluteString + path)))
            request.httpMethod = method
            request.httpBody = Data(body.utf8)
            request.setValue(type, forHTTPHeaderField: "Content-Type")
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            return try await session.data(for: request).0
        }
        let form = "application/x-www-form-urlencoded"
        let credentials = "grant_type=client_credentials&client_id=leadsync-sandbox-client&client_secret="
        _ = try await send("POST", "/services/oauth2/token", body: credentials + "wrong", type: form)
        let issued = try await send(
            "POST",
            "/services/oauth2/token",
            body: credentials + "leadsync-sandbox-secret",
            type: form
        )
        let answer = try JSONSerialization.jsonObject(with: issued) as? [String: Any]
        let token = try #require(answer?["access_token"] as? String)
        let records = (1...2).map { n in
            #"{"attributes":{"type":"Lead"},"LastName":"Logged \#(n)","Company":"Acme"}"#
        }
        _ = try await send(
            "POST",
            "/services/data/v66.0/composite/sobjects",
            body: #"{"records":[\#(records.joined(separator: ","))]}"#,
            type: "application/json",
            token: token
        )
        _ = try await send("GET", "/_sandbox/orgs", body: "", type: "application/json")

        let calls = recorder.logged.filter { $0.message == "sandbox call" }
        #expect(calls.count == 3)
        #expect(calls.allSatisfy { $0.level == .debug })
        let refused = try #require(calls.first)
        #expect(refused.metadata["endpoint"] == "oauth.token")
        #expect(refused.metadata["errorCode"] == "invalid_client")
        let collection = try #require(calls.first { $0.metadata["endpoint"] == "collections.create" })
        #expect(collection.metadata["rowErrors"] == "0")
        #expect(collection.metadata["records"] == "2")
        #expect(collection.metadata["httpStatus"] == "200")
        #expect(collection.metadata["orgId"] == SalesforceSandboxSetup.standardOrgId)
        #expect(!recorder.logged.contains { entry in entry.metadata.values.contains { $0.contains(token) } })
    }
}
