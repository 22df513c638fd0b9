import Foundation
import SandboxSalesforce
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Fault injection and inspection over HTTP", .serialized)
struct FaultTests {
    static let otherOrg = SalesforceSandboxSetup.Org(
        orgId: SalesforceId.make(prefix: "00D", sequence: 4),
        clientId: "other-client",
        clientSecret: "other-secret"
    )
    static let harness = Task {
        var setup = Fixtures.setup(numberedLeads: 10)
        setup.orgs.append(otherOrg)
        return try await SandboxHarness.start(setup)
    }
    static var orgId: String { SalesforceSandboxSetup.standardOrgId }

    private func createContact(
        _ harness: SandboxHarness,
        token: String,
        freshConnection: Bool = false
    ) async throws -> SandboxHarness.Reply {
        try await harness.send(
            "POST",
            "/services/data/v66.0/sobjects/Contact",
            body: #"{"LastName":"Fault"}"#,
            token: token,
            freshConnection: freshConnection
        )
    }

    @Test(
        "error faults answer with Salesforce's status and body, then stop when their count is spent",
        arguments: [
            ("UNABLE_TO_LOCK_ROW", 400),
            ("SERVER_UNAVAILABLE", 503),
            ("REQUEST_LIMIT_EXCEEDED", 403),
            ("INVALID_SESSION_ID", 401),
        ]
    )
    func errorFaults(code: String, status: Int) async throws {
        let harness = try await Self.harness.value
        defer { harness.sandbox.clearFaults() }
        let token = try await harness.token()
        harness.sandbox.inject(
            SandboxFault(
                kind: .error,
                orgId: Self.orgId,
                endpoint: "sobject.create",
                errorCode: code,
                remaining: 1
            )
        )
        let hit = try await createContact(harness, token: token)
        #expect(hit.status == status)
        #expect(try hit.errorCode() == code)
        #expect(try await createContact(harness, token: token).status == 201)
        let logged = try #require(harness.sandbox.calls().last { $0.injectedFault })
        #expect(logged.errorCode == code)
        #expect(logged.httpStatus == status)
    }

    @Test("a bare 5xx fault answers without a JSON body")
    func bareServerError() async throws {
        let harness = try await Self.harness.value
        defer { harness.sandbox.clearFaults() }
        let token = try await harness.token()
        harness.sandbox.inject(SandboxFault(kind: .error, endpoint: "query", httpStatus: 502, remaining: 1))
        let reply = try await harness.query("SELECT Id FROM Lead", token: token)
        #expect(reply.status == 502)
        #expect((try? reply.json()) == nil)
    }

    @Test("faults are scoped per org and endpoint")
    func scoping() async throws {
        let harness = try await Self.harness.value
        defer { harness.sandbox.clearFaults() }
        let token = try await harness.token()
        let otherToken = try await harness.token(org: Self.otherOrg)
        harness.sandbox.inject(
            SandboxFault(
                kind: .error,
                orgId: Self.orgId,
                endpoint: "sobject",
                errorCode: "UNABLE_TO_LOCK_ROW"
            )
        )
        #expect(try await createContact(harness, token: token).status == 400)
        #expect(try await createContact(harness, token: otherToken).status == 201)
        #expect(try await harness.query("SELECT Id FROM Lead", token: token).status == 200)
    }

    @Test("rate-based faults are seeded: the same seed hits the same requests")
    func seeded() async throws {
        let harness = try await Self.harness.value
        defer { harness.sandbox.clearFaults() }
        let token = try await harness.token()
        var runs: [[Int]] = []
        for _ in 0..<2 {
            harness.sandbox.clearFaults()
            harness.sandbox.inject(
                SandboxFault(
                    kind: .error,
                    orgId: Self.orgId,
                    endpoint: "limits",
                    errorCode: "SERVER_UNAVAILABLE",
                    rate: 0.5,
                    seed: 42
                )
            )
            var statuses: [Int] = []
            for _ in 0..<20 {
                statuses.append(try await harness.send("GET", "/services/data/v66.0/limits", token: token).status)
            }
            runs.append(statuses)
        }
        #expect(runs[0] == runs[1])
        #expect(runs[0].contains(503) && runs[0].contains(200))
    }

    @Test("a dropped connection closes without an answer and is counted")
    func droppedConnection() async throws {
        let harness = try await Self.harness.value
        defer { harness.sandbox.clearFaults() }
        let token = try await harness.token()
        let before = harness.sandbox.counters().droppedConnections
        harness.sandbox.inject(SandboxFault(kind: .drop, orgId: Self.orgId, endpoint: "sobject.create", remaining: 1))
        await #expect(throws: (any Error).self) {
            _ = try await createContact(harness, token: token, freshConnection: true)
        }
        #expect(harness.sandbox.counters().droppedConnections == before + 1)
        #expect(harness.sandbox.calls().last?.httpStatus == 0)
        #expect(try await createContact(harness, token: token).status == 201)
    }

    @Test("latency delays the answer")
    func latency() async throws {
        let harness = try await Self.harness.value
        defer { harness.sandbox.clearFaults() }
        let token = try await harness.token()
        harness.sandbox.inject(
            SandboxFault(
                kind: .latency,
                orgId: Self.orgId,
                endpoint: "limits",
                latencyMilliseconds: 250,
                remaining: 1
            )
        )
        let clock = ContinuousClock()
        let started = clock.now
        let reply = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
        #expect(reply.status == 200)
        #expect(clock.now - started >= .milliseconds(250))
    }

    @Test("per-record faults fail single rows of a collection with HTTP 200")
    func perRecord() async throws {
        let harness = try await Self.harness.value
        defer { harness.sandbox.clearFaults() }
        let token = try await harness.token()
        harness.sandbox.inject(
            SandboxFault(
                kind: .error,
                orgId: Self.orgId,
                endpoint: "collections",
                errorCode: "UNABLE_TO_LOCK_ROW",
                remaining: 1,
                perRecord: true
            )
        )
        let row = #"{"attributes":{"type":"Contact"},"LastName":"Row"}"#
        let reply = try await harness.send(
            "POST",
            "/services/data/v66.0/composite/sobjects",
            body: #"{"records":[\#(row),\#(row)]}"#,
            token: token
        )
        #expect(reply.status == 200)
        let results = try #require(try reply.json() as? [[String: Any]])
        #expect(results[0]["success"] as? Bool == false)
        #expect(((results[0]["errors"] as? [[String: Any]])?.first?["statusCode"] as? String) == "UNABLE_TO_LOCK_ROW")
        #expect(results[1]["success"] as? Bool == true)
    }

    @Test("faults can be added, listed and cleared over HTTP")
    func faultsOverHTTP() async throws {
        let harness = try await Self.harness.value
        defer { harness.sandbox.clearFaults() }
        let token = try await harness.token()
        let added = try await harness.send(
            "POST",
            "/_sandbox/faults",
            body: #"""
                {"kind":"error","orgId":"\#(Self.orgId)","endpoint":"query","errorCode":"SERVER_UNAVAILABLE"}
                """#
        )
        #expect(added.status == 200)
        let listed = try await harness.send("GET", "/_sandbox/faults")
        #expect(try listed.array().count == 1)
        #expect(try await harness.query("SELECT Id FROM Lead", token: token).status == 503)
        let cleared = try await harness.send("DELETE", "/_sandbox/faults")
        #expect(cleared.status == 204)
        #expect(try await harness.query("SELECT Id FROM Lead", token: token).status == 200)
        let bad = try await harness.send("POST", "/_sandbox/faults", body: #"{"kind":"explode"}"#)
        #expect(bad.status == 400)
    }

    @Test("a fault gets an id when added and can be removed alone by it, over HTTP or in process")
    func faultsById() async throws {
        let harness = try await Self.harness.value
        defer { harness.sandbox.clearFaults() }
        let token = try await harness.token()
        let query = try await harness.send(
            "POST",
            "/_sandbox/faults",
            body: #"""
                {"kind":"error","orgId":"\#(Self.orgId)","endpoint":"query","errorCode":"SERVER_UNAVAILABLE"}
                """#
        )
        let queryFault = try #require(try query.object()["id"] as? String)
        let limits = harness.sandbox.inject(
            SandboxFault(kind: .error, orgId: Self.orgId, endpoint: "limits", errorCode: "UNABLE_TO_LOCK_ROW")
        )
        let limitsFault = try #require(limits.id)
        #expect(limitsFault != queryFault)
        #expect(Set(harness.sandbox.faults().compactMap(\.id)) == [queryFault, limitsFault])

        #expect(try await harness.send("DELETE", "/_sandbox/faults/\(queryFault)").status == 204)
        #expect(try await harness.send("DELETE", "/_sandbox/faults/\(queryFault)").status == 404)
        #expect(try await harness.query("SELECT Id FROM Lead", token: token).status == 200)
        #expect(try await harness.send("GET", "/services/data/v66.0/limits", token: token).status == 400)
        #expect(harness.sandbox.removeFault(id: limitsFault))
        #expect(try await harness.send("GET", "/services/data/v66.0/limits", token: token).status == 200)
    }

    @Test("records, calls and counters can be read over HTTP")
    func inspectionOverHTTP() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        _ = try await harness.query("SELECT Id FROM Lead", token: token)
        let orgs = try await harness.send("GET", "/_sandbox/orgs")
        #expect(try orgs.array().count == 2)
        let leads = try await harness.send("GET", "/_sandbox/orgs/\(Self.orgId)/records/Lead")
        let rows = try #require(try leads.json() as? [[String: Any]])
        #expect(rows.count >= 14)
        #expect((rows.first?["fields"] as? [String: Any])?["Company"] != nil)
        let calls = try await harness.send("GET", "/_sandbox/orgs/\(Self.orgId)/calls")
        let log = try #require(try calls.json() as? [[String: Any]])
        #expect(log.contains { $0["endpoint"] as? String == "query" && $0["httpStatus"] as? Int == 200 })
        let counters = try await harness.send("GET", "/_sandbox/orgs/\(Self.orgId)/counters")
        #expect((try counters.object()["apiRequestsTotal"] as? Int ?? 0) > 0)
        let unknown = try await harness.send("GET", "/_sandbox/orgs/00Dnope/records/Lead")
        #expect(unknown.status == 404)
    }
}
