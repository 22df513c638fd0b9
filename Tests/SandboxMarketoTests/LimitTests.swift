import Foundation
import SandboxMarketo
import Testing

@Suite("Limits: rate window, concurrency, daily quota, batch, body and URI sizes", .serialized)
struct LimitTests {
    static let fixture = Task {
        var quota = MarketoSandboxSetup.Limits()
        quota.dailyQuota = 5
        return try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [
                SandboxFixture.subscription("LIM-RATE"), SandboxFixture.subscription("LIM-CONC"),
                SandboxFixture.subscription("LIM-QUOTA", limits: quota), SandboxFixture.subscription("LIM-SIZE"),
            ])
        )
    }

    func fixture() async throws -> SandboxFixture { try await Self.fixture.value }

    private func describe(_ f: SandboxFixture, _ token: String) async throws -> HTTPReply {
        try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token)
    }

    @Test("606 after 100 calls in a rolling 20 s window; calls leave the window one by one")
    func rateWindow() async throws {
        let f = try await fixture()
        let token = try await f.token("LIM-RATE")
        for _ in 0..<50 { #expect(try await describe(f, token).success == true) }
        f.clock.advance(by: 10)
        for _ in 0..<50 { #expect(try await describe(f, token).success == true) }
        let limited = try await describe(f, token)
        #expect(limited.status == 200)
        #expect(limited.errorCode == "606")
        #expect(limited.errorMessage == "Max rate limit '100' exceeded with in '20' secs")
        // 10.5 s later the first 50 have left the window (rolling, not fixed): 50 more fit, the 51st does not.
        f.clock.advance(by: 10.5)
        for _ in 0..<50 { #expect(try await describe(f, token).success == true) }
        #expect(try await describe(f, token).errorCode == "606")
        let counters = f.sandbox.counters(munchkinId: "LIM-RATE")
        #expect(counters.countedCalls == 150)
        #expect(counters.errorCodes["606"] == 2)
    }

    @Test("615 when more than 10 calls are in flight (slow calls through injected latency)")
    func concurrency() async throws {
        let f = try await fixture()
        let token = try await f.token("LIM-CONC")
        let rule = f.sandbox.addFault(
            MarketoFault(
                munchkinId: "LIM-CONC",
                endpoint: "/rest/v1/leads/describe.json",
                latencyMs: 1_500
            )
        )
        defer { f.sandbox.removeFaults(id: rule.id) }
        let codes = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<12 {
                group.addTask { try await describe(f, token).errorCode ?? "ok" }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(codes.filter { $0 == "ok" }.count == 10)
        #expect(codes.filter { $0 == "615" }.count == 2)
        let limited = f.sandbox.calls(munchkinId: "LIM-CONC").first { $0.errorCode == "615" }
        #expect(limited?.counted == false)
        #expect(f.sandbox.snapshot("LIM-CONC")?.inFlight == 0)
    }

    @Test("607 once the daily quota is spent, until the next day in America/Chicago")
    func dailyQuota() async throws {
        let f = try await fixture()
        let token = try await f.token("LIM-QUOTA")
        for _ in 0..<5 { #expect(try await describe(f, token).success == true) }
        let spent = try await describe(f, token)
        #expect(spent.errorCode == "607")
        #expect(spent.errorMessage == "Daily quota reached")
        let usage = try await f.client.send("GET", "/rest/v1/stats/usage.json", token: token)
        #expect(usage.errorCode == "607")
        f.clock.advance(by: 86_400)
        let freshToken = try await f.token("LIM-QUOTA")
        let nextDay = try await f.client.send("GET", "/rest/v1/stats/usage.json", token: freshToken)
        #expect(nextDay.success == true)
        #expect(nextDay.result.first?["total"] as? Int == 1)
        let week = try await f.client.send("GET", "/rest/v1/stats/usage/last7days.json", token: freshToken)
        #expect(week.result.count == 7)
        #expect(week.result.map { $0["total"] as? Int ?? -1 }.prefix(2) == [2, 5])
    }

    @Test("300 records per call; 301 is refused before anything is written")
    func batchSize() async throws {
        let f = try await fixture()
        let token = try await f.token("LIM-SIZE")
        let leads = (0..<301).map { ["email": "batch\($0)@example.com"] }
        let tooMany = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": leads],
            token: token
        )
        #expect(tooMany.errorCode == "1003")
        #expect(f.sandbox.snapshot("LIM-SIZE")?.leads.isEmpty == true)
        let full = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": Array(leads.prefix(300))],
            token: token
        )
        #expect(full.success == true)
        #expect(full.result.count == 300)
        #expect(f.sandbox.calls(munchkinId: "LIM-SIZE").last?.records == 300)
    }

    @Test("413 above 1 MB of body, 414 above 8 KB of URI, and the _method=GET workaround")
    func bodyAndURI() async throws {
        let f = try await fixture()
        let token = try await f.token("LIM-SIZE")
        let big = ["input": [["email": "big@example.com", "title": String(repeating: "x", count: 1_048_600)]]]
        let tooLarge = try await f.client.send("POST", "/rest/v1/leads.json", json: big, token: token)
        #expect(tooLarge.status == 413)

        let emails = (0..<300).map { "someone.with.a.long.name\($0)@example.com" }.joined(separator: ",")
        let query = ["filterType": "email", "filterValues": emails]
        let tooLong = try await f.client.send("GET", "/rest/v1/leads.json", query: query, token: token)
        #expect(tooLong.status == 414)

        var form = URLComponents()
        form.queryItems = query.map { URLQueryItem(name: $0.key, value: $0.value) }
        let override = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            query: ["_method": "GET"],
            body: Data((form.percentEncodedQuery ?? "").utf8),
            contentType: "application/x-www-form-urlencoded",
            token: token
        )
        #expect(override.status == 200)
        #expect(override.success == true)
        #expect(override.result.isEmpty)
        let calls = f.sandbox.calls(munchkinId: "LIM-SIZE")
        #expect(calls.contains { $0.httpStatus == 413 })
        #expect(calls.contains { $0.httpStatus == 414 })
        #expect(calls.last?.endpoint == "/rest/v1/leads.json" && calls.last?.method == "POST")
    }

    @Test("A time scale shortens the token lifetime, and expires_in reports wall-clock seconds")
    func timeScale() async throws {
        let scaled = try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [SandboxFixture.subscription("LIM-SCALE")]),
            timeScale: 0.01
        )
        let first = try await scaled.client.send(
            "GET",
            "/identity/oauth/token",
            query: [
                "grant_type": "client_credentials", "client_id": "LIM-SCALE-id", "client_secret": "LIM-SCALE-secret",
            ]
        )
        #expect(first.object["expires_in"] as? Int == 35)
        let token = try #require(first.object["access_token"] as? String)
        scaled.clock.advance(by: 36)
        #expect(try await describe(scaled, token).errorCode == "602")
    }
}
