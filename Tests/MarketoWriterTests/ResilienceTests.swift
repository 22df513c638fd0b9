import Config
import Delivery
import Foundation
import LeadModel
import MarketoWriter
import SandboxMarketo
import Testing

@Suite("Marketo sink: token expiry, fault storms, quotas and limits")
struct ResilienceTests {
    static let harness = Task {
        var unthrottled = MarketoSandboxSetup.Limits()
        unthrottled.callsPerWindow = 100_000
        unthrottled.maxConcurrentCalls = 100
        var tinyQuota = MarketoSandboxSetup.Limits()
        tinyQuota.dailyQuota = 2
        return try await SinkHarness.start([
            SinkHarness.subscription("RS-TOKEN"), SinkHarness.subscription("RS-STORM", limits: unthrottled),
            SinkHarness.subscription("RS-QUOTA", limits: tinyQuota), SinkHarness.subscription("RS-OTHER"),
            SinkHarness.subscription("RS-LIMIT", limits: unthrottled),
        ])
    }

    /// Four commands per lead: statuses in two programs, an engagement record and an activity.
    static func workload(_ tenant: String, leads: Int, prefix: String) throws -> [Command] {
        var commands: [Command] = []
        for lead in 0..<leads {
            let email = "\(prefix)\(lead)@example.com"
            commands.append(
                try Commands.status(
                    tenant,
                    email,
                    program: 1001,
                    .registered,
                    profile: LeadProfile(lastName: "L\(lead)")
                )
            )
            commands.append(try Commands.status(tenant, email, program: 1003, .attended))
            commands.append(
                try Commands.engagement(.engagementUpsert, tenant, email, program: 1001, entry: "1_\(lead % 3)")
            )
            commands.append(
                try Commands.engagement(.engagementActivity, tenant, email, program: 1001, entry: "1_\(lead % 3)")
            )
        }
        return commands
    }

    @Test("tokens expiring between batches: the client refreshes and nothing fails")
    func tokenExpiry() async throws {
        let h = try await Self.harness.value
        let sink = try SinkDriver.sink([h.tenant("token", munchkinId: "RS-TOKEN")])
        let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: "token")))
        let commands = try Self.workload("token", leads: 10, prefix: "tok")
        let first = await sink.deliver(
            DeliveryBatch(
                tenant: "token",
                items: commands[..<20].map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: limiter
            )
        )
        h.sandbox.expireTokens(munchkinId: "RS-TOKEN")
        let second = await sink.deliver(
            DeliveryBatch(
                tenant: "token",
                items: commands[20...].map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: limiter
            )
        )
        #expect((first + second).allSatisfy { $0 == .delivered })
        let calls = h.sandbox.calls(munchkinId: "RS-TOKEN")
        #expect(calls.count { $0.errorCode == "602" } >= 1)
        #expect(calls.count { $0.endpoint == "/identity/oauth/token" } >= 2)
        #expect(try h.snapshot("RS-TOKEN").memberships.count == 20)
    }

    @Test("a 20% storm of mixed faults on every endpoint loses nothing, duplicates nothing, fails nothing permanently")
    func faultStorm() async throws {
        let h = try await Self.harness.value
        // A dropped connection is only noticed at the request timeout: keep it short on loopback.
        var options = SinkDriver.options
        options.requestTimeout = .seconds(2)
        let sink = try SinkDriver.sink(
            [h.tenant("storm", munchkinId: "RS-STORM")],
            maxRecordsPerCall: 10,
            options: options
        )
        let faults: [MarketoFault] = [
            MarketoFault(munchkinId: "RS-STORM", rate: 0.05, errorCode: "611", seed: 1),
            MarketoFault(munchkinId: "RS-STORM", rate: 0.05, errorCode: "606", seed: 2),
            MarketoFault(munchkinId: "RS-STORM", rate: 0.04, errorCode: "604", seed: 3),
            MarketoFault(munchkinId: "RS-STORM", rate: 0.04, httpStatus: 502, seed: 4),
            MarketoFault(munchkinId: "RS-STORM", rate: 0.04, dropConnection: true, seed: 5),
            MarketoFault(munchkinId: "RS-STORM", rate: 0.2, latencyMs: 20, seed: 6),
        ]
        for fault in faults { h.sandbox.addFault(fault) }
        defer { h.sandbox.removeFaults(munchkinId: "RS-STORM") }
        let commands = try Self.workload("storm", leads: 150, prefix: "storm")
        let limiter = CallLimiter(
            limits: CallLimits(callsPerWindow: 100, window: .milliseconds(200), concurrentCalls: 10)
        )
        let (outcomes, rounds) = await SinkDriver.deliverUntilDone(
            sink,
            tenant: "storm",
            commands: commands,
            limiter: limiter,
            rounds: 60
        )
        let failed = outcomes.filter { !$0.isDone }
        #expect(failed.isEmpty, "not done: \(failed.prefix(5))")
        #expect(rounds > 1, "the storm made no delivery fail at all")
        let errorsFired = h.sandbox.faults().filter { $0.latencyMs == nil }.compactMap(\.fired).reduce(0, +)
        #expect(errorsFired >= 8, "only \(errorsFired) faults fired")

        let snapshot = try h.snapshot("RS-STORM")
        #expect(snapshot.leads.count == 150)
        #expect(Set(snapshot.leads.compactMap(\.email)).count == 150)
        #expect(snapshot.memberships.count == 300)
        #expect(snapshot.memberships.allSatisfy { ["Registered", "Attended"].contains($0.statusName) })
        #expect(snapshot.customObjects(named: "kalturaUserSessionEngagement").count == 150)
        // Every activity exactly once, each with its command id.
        let activityIds = commands.filter { $0.kind == .engagementActivity }.map(\.commandId.rawValue)
        let stored = snapshot.activities.compactMap { $0.attributes["command_id"]?.stringValue }
        #expect(stored.count == 150)
        #expect(Set(stored) == Set(activityIds))
    }

    @Test("one subscription's spent daily quota (607) parks its tenant only; another subscription's tenant delivers")
    func quotaIsolation() async throws {
        let h = try await Self.harness.value
        let sink = try SinkDriver.sink([
            h.tenant("spent", munchkinId: "RS-QUOTA"), h.tenant("sibling", munchkinId: "RS-QUOTA"),
            h.tenant("fresh", munchkinId: "RS-OTHER"),
        ])
        #expect(sink.subscription(ofTenant: "spent") == "RS-QUOTA")
        #expect(sink.subscription(ofTenant: "sibling") == sink.subscription(ofTenant: "spent"))
        #expect(sink.subscription(ofTenant: "fresh") == "RS-OTHER")
        let spentLimiter = CallLimiter(limits: try #require(sink.limits(forTenant: "spent")))
        let freshLimiter = CallLimiter(limits: try #require(sink.limits(forTenant: "fresh")))
        async let spentOutcomes = sink.deliver(
            DeliveryBatch(
                tenant: "spent",
                items: try Self.workload("spent", leads: 5, prefix: "q").map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: spentLimiter
            )
        )
        async let freshOutcomes = sink.deliver(
            DeliveryBatch(
                tenant: "fresh",
                items: try Self.workload("fresh", leads: 5, prefix: "f").map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: freshLimiter
            )
        )
        let (spent, fresh) = try await (spentOutcomes, freshOutcomes)
        #expect(fresh.allSatisfy { $0 == .delivered })
        let quotaFailures = spent.compactMap { outcome -> DeliveryFailure? in
            if case .failed(let failure) = outcome { return failure }
            return nil
        }
        #expect(!quotaFailures.isEmpty)
        #expect(quotaFailures.allSatisfy { $0.errorClass == .quotaExhausted && $0.resumeAt != nil })
        #expect(spentLimiter.parkedUntil != nil)
        #expect(freshLimiter.parkedUntil == nil)
        #expect(h.apiCalls("RS-QUOTA").contains { $0.errorCode == "607" })

        // While parked, the tenant's next batch makes no call at all.
        let callsBefore = h.sandbox.calls(munchkinId: "RS-QUOTA").count
        let parked = await sink.deliver(
            DeliveryBatch(
                tenant: "spent",
                items: [
                    DeliveryItem(command: try Commands.status("spent", "late@example.com", program: 1001, .invited))
                ],
                backlog: 0,
                limiter: spentLimiter
            )
        )
        guard case .failed(let failure) = parked.first else {
            Issue.record("expected quota_exhausted, got \(parked)")
            return
        }
        #expect(failure.errorClass == .quotaExhausted)
        #expect(h.sandbox.calls(munchkinId: "RS-QUOTA").count == callsBefore)
    }

    @Test("calls never exceed the limiter's rate: any window of the sandbox's call log holds at most the allowed calls")
    func callsStayWithinLimits() async throws {
        let h = try await Self.harness.value
        let sink = try SinkDriver.sink(
            [h.tenant("limit", munchkinId: "RS-LIMIT", callShare: 0.5)],
            maxRecordsPerCall: 10
        )
        let limits = try #require(sink.limits(forTenant: "limit"))
        #expect(limits == CallLimits.marketo(callShare: 0.5))
        #expect(limits.callsPerWindow == 50 && limits.concurrentCalls == 5)
        let window = Duration.seconds(1)
        let tight = CallLimits(callsPerWindow: 4, window: window, concurrentCalls: 2)
        let limiter = CallLimiter(limits: tight)
        var commands: [Command] = []
        let statuses: [ChannelStatus] = [.invited, .registered, .attended]
        for lead in 0..<60 {
            commands.append(try Commands.status("limit", "lim\(lead)@example.com", program: 1002, statuses[lead % 3]))
        }
        let start = Date()
        let (outcomes, _) = await SinkDriver.deliverUntilDone(
            sink,
            tenant: "limit",
            commands: commands,
            limiter: limiter
        )
        #expect(outcomes.allSatisfy { $0 == .delivered })
        let calls = h.apiCalls("RS-LIMIT").filter(\.counted).map(\.at).sorted()
        #expect(calls.count == 12, "6 lead upserts and 6 status calls of 10 records")
        // Any 5 consecutive calls span at least the window (minus 10% for the jitter between a call's start in the
        // limiter and its arrival at the sandbox).
        for index in calls.indices.dropFirst(tight.callsPerWindow) {
            let span = calls[index].timeIntervalSince(calls[index - tight.callsPerWindow])
            #expect(span >= 0.9, "calls \(index - tight.callsPerWindow)...\(index) arrived within \(span) s")
        }
        #expect(Date().timeIntervalSince(start) >= 2.0)
    }
}
