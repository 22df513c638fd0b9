import Foundation
import Salesforce
import SandboxSalesforce
import Testing

@Suite("Limit tracking, quota exhaustion and injected faults", .serialized)
struct LimitsAndFaultsTests {
    static let fixture = Task { try await SandboxFixture.start(SeedData.setup(numberedLeads: 10)) }

    @Test("Sforce-Limit-Info is read from every answer")
    func limitInfo() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        #expect(client.apiUsage == nil)
        _ = try await client.query("SELECT Id FROM Campaign")
        let usage = try #require(client.apiUsage)
        let counters = fixture.sandbox.counters()
        #expect(usage.used == counters.apiRequestsInWindow)
        #expect(usage.max == 100_000)

        let limits = try await client.limits()
        let daily = try #require(limits["DailyApiRequests"])
        #expect(daily.max == 100_000)
        #expect(client.apiUsage?.used == usage.used + 1)
        #expect(client.apiUsage?.remaining == 100_000 - usage.used - 1)
    }

    @Test(
        "injected errors are classified retry",
        arguments: [
            ("SERVER_UNAVAILABLE", 503),
            ("UNABLE_TO_LOCK_ROW", 400),
            (nil as String?, 502),
        ]
    )
    func injectedErrors(code: String?, status: Int) async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        _ = try await client.limits()
        fixture.sandbox.inject(
            SandboxFault(kind: .error, endpoint: "collections", errorCode: code, httpStatus: status, remaining: 1)
        )
        defer { fixture.sandbox.clearFaults() }
        let error = try await #require(throws: SalesforceError.self) {
            try await client.upsertRecords(
                [SeedData.newMember(lead: SeedData.leadId(100), status: "Registered")],
                type: "CampaignMember",
                externalIdField: "external_id__c"
            )
        }
        #expect(error.httpStatus == status)
        #expect(error.errorCode == code)
        #expect(error.classification == .retry)
        #expect(error.endpoint == .collectionsUpsert)
        let last = try #require(recorder.calls(.collectionsUpsert).last)
        #expect(last.classification == .retry)
        #expect(last.httpStatus == status)
        #expect(last.recordCount == 1)
    }

    @Test("a lock error on single rows is a retriable row, the call succeeds")
    func perRecordLock() async throws {
        let fixture = try await Self.fixture.value
        let (client, _) = fixture.client()
        fixture.sandbox.inject(
            SandboxFault(
                kind: .error,
                endpoint: "collections",
                errorCode: "UNABLE_TO_LOCK_ROW",
                remaining: 1,
                perRecord: true
            )
        )
        defer { fixture.sandbox.clearFaults() }
        let results = try await client.upsertRecords(
            [
                SeedData.newMember(lead: SeedData.leadId(101), status: "Registered"),
                SeedData.newMember(lead: SeedData.leadId(102), status: "Registered"),
            ],
            type: "CampaignMember",
            externalIdField: "external_id__c"
        )
        #expect(results.filter { !$0.success }.count == 1)
        #expect(results.compactMap(\.classification) == [.retry])
    }

    @Test("a dropped connection is a network error classified retry")
    func droppedConnection() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        _ = try await client.limits()
        // libcurl replays a request once on a reused connection that dies, so drop it twice.
        fixture.sandbox.inject(SandboxFault(kind: .drop, endpoint: "query", remaining: 2))
        defer { fixture.sandbox.clearFaults() }
        let error = try await #require(throws: SalesforceError.self) {
            try await client.query("SELECT Id FROM Campaign")
        }
        #expect(error.httpStatus == nil)
        #expect(error.errorCode == SalesforceError.Code.network)
        #expect(error.classification == .retry)
        #expect(recorder.calls(.query).last?.classification == .retry)
        #expect(fixture.sandbox.counters().droppedConnections >= 1)
    }

    @Test("latency beyond the request timeout is a timeout classified retry; within it, the call succeeds")
    func latency() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client(requestTimeout: .seconds(1))
        _ = try await client.limits()
        fixture.sandbox.inject(SandboxFault(kind: .latency, endpoint: "limits", latencyMilliseconds: 200, remaining: 1))
        _ = try await client.limits()
        let slow = try #require(recorder.calls(.limits).last)
        #expect(slow.succeeded)
        #expect(slow.duration >= .milliseconds(200))

        fixture.sandbox.inject(
            SandboxFault(kind: .latency, endpoint: "limits", latencyMilliseconds: 2_500, remaining: 1)
        )
        defer { fixture.sandbox.clearFaults() }
        let error = try await #require(throws: SalesforceError.self) { try await client.limits() }
        #expect(error.errorCode == SalesforceError.Code.network)
        #expect(error.classification == .retry)
    }

    @Test("the daily allocation running out is classified quotaExhausted")
    func dailyAllocationExhausted() async throws {
        let fixture = try await SandboxFixture.start(SeedData.setup(dailyApiRequests: 5))
        let (client, recorder) = fixture.client()
        for _ in 0..<5 {
            _ = try await client.query("SELECT Id FROM Campaign")
        }
        #expect(client.apiUsage == SalesforceAPIUsage(used: 5, max: 5))
        let error = try await #require(throws: SalesforceError.self) {
            try await client.query("SELECT Id FROM Campaign")
        }
        #expect(error.httpStatus == 403)
        #expect(error.errorCode == "REQUEST_LIMIT_EXCEEDED")
        #expect(error.classification == .quotaExhausted)
        #expect(error.classification.isRetriable)
        #expect(recorder.calls(.query).last?.classification == .quotaExhausted)
    }

    @Test("every HTTP call is reported once, with its endpoint, records, outcome and duration")
    func callObserver() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        _ = try await client.findLeads(byEmail: [SeedData.numberedEmail(1), SeedData.numberedEmail(2)])
        _ = try await client.createRecords([SeedData.newMember(lead: SeedData.leadId(105), status: "Invited")])
        let endpoints = recorder.all.map(\.endpoint)
        #expect(endpoints == [.token, .query, .collectionsCreate])
        #expect(recorder.all.map(\.recordCount) == [0, 2, 1])
        #expect(recorder.all.allSatisfy { $0.succeeded && $0.duration > .zero })
    }
}
