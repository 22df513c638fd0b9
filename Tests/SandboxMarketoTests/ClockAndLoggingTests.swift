import Foundation
import SandboxMarketo
import Testing

@Suite("The sandbox clock over HTTP, and every call logged at debug")
struct ClockAndLoggingTests {
    @Test("POST /_sandbox/clock/advance expires tokens and turns the quota day; advanceClock(by:) does the same")
    func clockAdvance() async throws {
        let f = try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [SandboxFixture.subscription("CLOCK-1")]),
            timeScale: 0.5
        )
        let token = try await f.token("CLOCK-1")
        #expect(try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token).success == true)

        let before = try await f.client.send("GET", "/_sandbox/clock")
        let dayBefore = try #require(before.object["quotaDay"] as? String)
        #expect(before.object["timeScale"] as? Double == 0.5)

        // A 3600 s token lives 1800 wall-clock seconds at scale 0.5; one sandbox hour later it has expired.
        let advanced = try await f.client.send("POST", "/_sandbox/clock/advance", json: ["seconds": 3_601])
        #expect(advanced.status == 200)
        #expect(try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token).errorCode == "602")

        let wall = f.sandbox.now()
        f.sandbox.advanceClock(by: 86_400)
        #expect(f.sandbox.now().timeIntervalSince(wall) == 43_200)
        let after = try await f.client.send("GET", "/_sandbox/clock")
        #expect(try #require(after.object["quotaDay"] as? String) > dayBefore)

        let refused = try await f.client.send("POST", "/_sandbox/clock/advance", json: ["seconds": -5])
        #expect(refused.status == 400)
        let index = try await f.client.send("GET", "/_sandbox")
        let endpoints = index.object["control"] as? [String] ?? []
        #expect(endpoints.contains { $0.hasPrefix("POST /_sandbox/clock/advance") })
    }

    @Test("Each API call is logged at debug with its endpoint, status, code and record count; control calls are not")
    func debugLog() async throws {
        let recorder = RecordingLogHandler()
        let sandbox = try MarketoSandbox(
            setup: MarketoSandboxSetup(subscriptions: [SandboxFixture.subscription("LOG-1")]),
            options: MarketoSandboxOptions(logger: recorder.logger(level: .debug))
        )
        let running = Task { try await sandbox.run() }
        defer { running.cancel() }
        let client = MarketoHTTPClient(base: try await sandbox.baseURL())
        let token = try #require(
            try await client.send(
                "GET",
                "/identity/oauth/token",
                query: ["grant_type": "client_credentials", "client_id": "LOG-1-id", "client_secret": "LOG-1-secret"]
            ).object["access_token"] as? String
        )
        _ = try await client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": [["email": "a@example.com"], ["email": "b@example.com"], ["email": "c@example.com"]]],
            token: token
        )
        _ = try await client.send("GET", "/rest/v1/leads/describe.json", token: "no-such-token")
        _ = try await client.send("GET", "/_sandbox/calls")

        let calls = recorder.logged.filter { $0.message == "sandbox call" }
        #expect(calls.count == 3)
        #expect(calls.allSatisfy { $0.level == .debug })
        let sync = try #require(calls.first { $0.metadata["endpoint"] == "/rest/v1/leads.json" })
        #expect(sync.metadata["records"] == "3")
        #expect(sync.metadata["httpStatus"] == "200")
        #expect(sync.metadata["munchkinId"] == "LOG-1")
        let unauthorized = try #require(calls.first { $0.metadata["path"] == "/rest/v1/leads/describe.json" })
        #expect(unauthorized.metadata["errorCode"] == "601")
        #expect(!calls.contains { $0.metadata["path"]?.hasPrefix("/_sandbox") == true })
        #expect(!recorder.logged.contains { $0.metadata.values.contains(token) })
    }
}
