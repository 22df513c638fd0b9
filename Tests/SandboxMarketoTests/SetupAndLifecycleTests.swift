import Foundation
import SandboxMarketo
import Testing

@Suite("Setup loading, validation and the server's life cycle")
struct SetupAndLifecycleTests {
    @Test("A JSON setup needs only credentials per subscription; the rest defaults to docs/crm-setup.md")
    func loadMinimalJSON() throws {
        let json = """
            {"subscriptions": [
              {"munchkinId": "999-JSN-999", "clientId": "c", "clientSecret": "s",
               "limits": {"dailyQuota": 10, "windowSeconds": 5},
               "programs": [{"id": 7, "name": "Summit", "channel": "Virtual Event"}]}
            ]}
            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("marketo-setup-\(UUID()).json")
        try Data(json.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let setup = try MarketoSandboxSetup.load(from: url)
        let sub = try #require(setup.subscriptions.first)
        #expect(sub.limits.dailyQuota == 10)
        #expect(sub.limits.windowSeconds == 5)
        #expect(sub.limits.callsPerWindow == 100)
        #expect(sub.programs.map(\.id) == [7])
        #expect(sub.channels.first?.statuses.count == 9)
        #expect(sub.activityTypes.first?.primaryAttribute.name == "entry_id")
        #expect(sub.customObjects.first?.dedupeFields == ["entry_id", "personId"])
        #expect(setup.problems().isEmpty)
        #expect(MarketoSandboxSetup.standard() == MarketoSandboxSetup.standard())
    }

    @Test("An inconsistent setup is refused with the problems named")
    func invalidSetup() {
        var sub = MarketoSandboxSetup.Subscription(munchkinId: "X", clientId: "c", clientSecret: "s")
        sub.programs.append(.init(id: 5, name: "Orphan", channel: "Webinar"))
        #expect(throws: MarketoSandboxError.self) {
            _ = try MarketoSandbox(setup: MarketoSandboxSetup(subscriptions: [sub, sub]))
        }
        let problems = MarketoSandboxSetup(subscriptions: [sub]).problems()
        #expect(problems == ["subscription X: program 5 uses unknown channel 'Webinar'"])
    }

    @Test("Subscriptions on one port are isolated by their tokens")
    func isolation() async throws {
        let f = try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [
                SandboxFixture.subscription("ISO-A"), SandboxFixture.subscription("ISO-B"),
            ])
        )
        let a = try await f.token("ISO-A")
        let b = try await f.token("ISO-B")
        _ = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": [["email": "only.a@example.com"]]],
            token: a
        )
        let fromB = try await f.client.send(
            "GET",
            "/rest/v1/leads.json",
            query: ["filterType": "email", "filterValues": "only.a@example.com"],
            token: b
        )
        #expect(fromB.success == true)
        #expect(fromB.result.isEmpty)
        #expect(f.sandbox.snapshot("ISO-A")?.leads.count == 1)
        #expect(f.sandbox.snapshot("ISO-B")?.leads.isEmpty == true)
        #expect(f.sandbox.snapshot("nope") == nil)
    }

    @Test("The call log keeps its newest calls; counters keep counting")
    func callLogLimit() async throws {
        let f = try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [SandboxFixture.subscription("LOG-CAP")]),
            callLogLimit: 3
        )
        let token = try await f.token("LOG-CAP")
        for _ in 0..<4 { _ = try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token) }
        #expect(f.sandbox.calls().count == 3)
        #expect(f.sandbox.calls().allSatisfy { $0.endpoint == "/rest/v1/leads/describe.json" })
        #expect(f.sandbox.counters(munchkinId: "LOG-CAP").calls == 5)
        #expect(f.sandbox.counters().countedCalls == 4)
        f.sandbox.clearCalls()
        #expect(f.sandbox.counters().calls == 0)
    }

    @Test("run() ends when its task is cancelled; baseURL() then reports notRunning")
    func cancellation() async throws {
        let sandbox = try MarketoSandbox()
        let task = Task { try await sandbox.run() }
        let base = try await sandbox.baseURL()
        #expect(base.absoluteString.hasPrefix("http://127.0.0.1:"))
        #expect(sandbox.port != nil)
        task.cancel()
        _ = try? await task.value
        #expect(sandbox.port == nil)
        await #expect(throws: MarketoSandboxError.self) { _ = try await sandbox.baseURL() }
    }

    @Test("Bulk uploads over 10 MB are 413; exports stop at the daily volume with 1029")
    func bulkVolumes() async throws {
        var limits = MarketoSandboxSetup.Limits()
        limits.bulkExportDailyQuotaMB = 0.000_05  // about 52 bytes
        let f = try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [
                SandboxFixture.subscription("VOL-1", limits: limits)
            ])
        )
        let token = try await f.token("VOL-1")
        let big = "email\n" + String(repeating: "someone@example.com\n", count: 530_000)
        let (body, contentType) = BulkTests.multipart(file: big)
        #expect(body.count > 10_485_760)
        let tooBig = try await f.client.send(
            "POST",
            "/bulk/v1/leads.json",
            body: body,
            contentType: contentType,
            token: token
        )
        #expect(tooBig.status == 413)

        _ = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": (0..<5).map { ["email": "volume\($0)@example.com"] }],
            token: token
        )
        let filter = ["createdAt": ["startAt": "2026-11-01T00:00:00Z", "endAt": "2026-11-30T00:00:00Z"]]
        var exportIds: [String] = []
        for _ in 0..<2 {
            let created = try await f.client.send(
                "POST",
                "/bulk/v1/leads/export/create.json",
                json: ["fields": ["email"], "filter": filter],
                token: token
            )
            exportIds.append(try #require(created.result.first?["exportId"] as? String))
        }
        let first = try await f.client.send("POST", "/bulk/v1/leads/export/\(exportIds[0])/enqueue.json", token: token)
        #expect(first.success == true)
        f.clock.advance(by: 2)
        let status = try await f.client.send("GET", "/bulk/v1/leads/export/\(exportIds[0])/status.json", token: token)
        #expect((status.result.first?["fileSize"] as? Int ?? 0) > 52)
        let second = try await f.client.send(
            "POST",
            "/bulk/v1/leads/export/\(exportIds[1])/enqueue.json",
            token: token
        )
        #expect(second.errorCode == "1029")
        #expect(second.errorMessage?.wholeMatch(of: /Export daily quota \S+MB exceeded/) != nil)
    }
}
