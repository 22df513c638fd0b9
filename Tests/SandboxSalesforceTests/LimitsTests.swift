import Foundation
import SandboxSalesforce
import Testing

@Suite("Daily allocation, limit header and long-running concurrency", .serialized)
struct LimitsTests {
    static let limitedOrg = SalesforceSandboxSetup.Org(
        orgId: SalesforceId.make(prefix: "00D", sequence: 2),
        clientId: "limited-client",
        clientSecret: "limited-secret",
        limits: .init(dailyApiRequests: 5, longRunningConcurrency: 1)
    )
    static let harness = Task {
        var setup = SalesforceSandboxSetup.standard()
        setup.orgs.append(limitedOrg)
        return try await SandboxHarness.start(setup)
    }

    @Test("every API response carries Sforce-Limit-Info; the spent allocation answers 403 until the window moves")
    func dailyAllocation() async throws {
        let harness = try await Self.harness.value
        // Start from an empty window whatever ran before in this suite.
        harness.sandbox.advanceClock(by: 86_401)
        let token = try await harness.token(org: Self.limitedOrg)
        let refusalsBefore =
            harness.sandbox.counters(orgId: Self.limitedOrg.orgId).errorsByCode[
                "REQUEST_LIMIT_EXCEEDED"
            ] ?? 0
        for used in 1...5 {
            let reply = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
            #expect(reply.status == 200)
            #expect(reply.header("Sforce-Limit-Info") == "api-usage=\(used)/5")
        }
        let refused = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
        #expect(refused.status == 403)
        let error = try #require(try refused.array().first as? [String: Any])
        #expect(error["errorCode"] as? String == "REQUEST_LIMIT_EXCEEDED")
        #expect(error["message"] as? String == "TotalRequests Limit exceeded.")
        #expect(refused.header("Sforce-Limit-Info") == "api-usage=5/5")
        let counters = harness.sandbox.counters(orgId: Self.limitedOrg.orgId)
        #expect(counters.apiRequestsInWindow == 5)
        #expect(counters.errorsByCode["REQUEST_LIMIT_EXCEEDED"] == refusalsBefore + 1)

        harness.sandbox.advanceClock(by: 3_600)
        let stillRefused = try await harness.send(
            "GET",
            "/services/data/v66.0/limits",
            token: try await harness.token(
                org: Self.limitedOrg
            )
        )
        #expect(stillRefused.status == 403)
        harness.sandbox.advanceClock(by: 86_400)
        let fresh = try await harness.token(org: Self.limitedOrg)
        let allowed = try await harness.send("GET", "/services/data/v66.0/limits", token: fresh)
        #expect(allowed.status == 200)
        #expect(allowed.header("Sforce-Limit-Info") == "api-usage=1/5")
    }

    @Test("GET /limits reports Max and Remaining per limit")
    func limitsResource() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
        #expect(reply.status == 200)
        let daily = try #require(try reply.object()["DailyApiRequests"] as? [String: Any])
        let max = try #require(daily["Max"] as? Int)
        let remaining = try #require(daily["Remaining"] as? Int)
        #expect(max == 100_000)
        let used = try #require(
            reply.header("Sforce-Limit-Info")?.split(separator: "=").last?.split(separator: "/")
                .first.flatMap { Int($0) }
        )
        #expect(remaining == max - used)
        #expect(try reply.object()["DailyBulkApiBatches"] is [String: Any])
    }

    @Test("a request is refused while the long-running concurrency is in use")
    func longRunningConcurrency() async throws {
        let harness = try await Self.harness.value
        harness.sandbox.advanceClock(by: 86_400)
        let token = try await harness.token(org: Self.limitedOrg)
        harness.sandbox.inject(
            SandboxFault(
                kind: .latency,
                orgId: Self.limitedOrg.orgId,
                endpoint: "limits",
                latencyMilliseconds: 300,
                remaining: 1
            )
        )
        defer { harness.sandbox.clearFaults() }
        let slow = Task { try await harness.send("GET", "/services/data/v66.0/limits", token: token) }
        while harness.sandbox.requestsInFlight == 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        harness.sandbox.advanceClock(by: 25)
        let refused = try await harness.query("SELECT Id FROM Lead", token: token)
        #expect(refused.status == 403)
        let error = try #require(try refused.array().first as? [String: Any])
        #expect(error["errorCode"] as? String == "REQUEST_LIMIT_EXCEEDED")
        #expect(error["message"] as? String == "ConcurrentPerOrgLongTxn Limit exceeded.")
        #expect(try await slow.value.status == 200)
        #expect(try await harness.query("SELECT Id FROM Lead", token: token).status == 200)
    }
}
