import Config
import Delivery
import Foundation
import LeadModel
import SalesforceWriter
import SandboxSalesforce
import Testing

/// Restarts, the daily allocation, the limiter and Bulk API 2.0, each on its own sandbox (they count calls).
@Suite("Salesforce sink: caches, limits and bulk")
struct LimitsTests {
    private static func emails(_ prefix: String, _ count: Int) -> [String] {
        (0..<count).map { "\(prefix)\($0)@limits.example" }
    }

    @Test("a restart with the same cache directory makes no lookup call")
    func restartMakesNoLookups() async throws {
        let env = try await WriterSandbox.start()
        let tenant = "restart"
        let directory = SinkDriver.cacheDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let emails = Self.emails("restart", 250) + ["jane.doe@example.com", "converted@example.com"]
        let first = try SinkDriver.sink([env.tenant(tenant)], cacheDirectory: directory)
        let registered = try emails.map { try Commands.status(tenant, $0, .registered) }
        #expect(
            await SinkDriver.deliver(first, tenant, registered, limiter: SinkDriver.limiter(first, tenant))
                .allSatisfy { $0 == .delivered }
        )
        #expect(env.apiCalls().contains { $0.endpoint == "query" })

        let before = env.apiCalls().count
        let second = try SinkDriver.sink([env.tenant(tenant)], cacheDirectory: directory)
        let attended =
            try emails.map { try Commands.status(tenant, $0, .attended, at: 1_000) }
            + emails.map { try Commands.engagement(tenant, $0) }
        #expect(
            await SinkDriver.deliver(second, tenant, attended, limiter: SinkDriver.limiter(second, tenant))
                .allSatisfy { $0 == .delivered }
        )
        let calls = env.apiCalls().dropFirst(before)
        #expect(calls.filter { $0.endpoint.hasPrefix("query") }.isEmpty, "\(calls.map(\.endpoint))")
        #expect(calls.filter { $0.endpoint == "collections.create" }.isEmpty)
        // 252 members and 252 engagement records: two full calls and one of 52 each.
        #expect(calls.map(\.records).sorted() == [52, 52, 200, 200])
        #expect(env.members().values.filter { $0["Status"].string == "Attended" }.count == 252)
    }

    @Test("one org's spent daily allocation parks only its tenant")
    func dailyQuotaIsolation() async throws {
        let env = try await WriterSandbox.start(dailyApiRequests: [1_000_000, 8])
        let sink = try SinkDriver.sink([env.tenant("roomy"), env.tenant("starved", secondOrg: true)])
        #expect(sink.subscription(ofTenant: "roomy") != sink.subscription(ofTenant: "starved"))
        let roomy = SinkDriver.limiter(sink, "roomy")
        let starved = SinkDriver.limiter(sink, "starved")

        var starvedOutcomes: [DeliveryOutcome] = []
        for round in 0..<6 {
            let commands = try Self.emails("starved\(round)-", 3).map {
                try Commands.status("starved", $0, .registered)
            }
            starvedOutcomes += await SinkDriver.deliver(sink, "starved", commands, limiter: starved)
        }
        let exhausted = starvedOutcomes.compactMap(\.failure).filter { $0.errorClass == .quotaExhausted }
        #expect(!exhausted.isEmpty)
        #expect(exhausted.allSatisfy { $0.resumeAt != nil })
        #expect(starvedOutcomes.compactMap(\.failure).allSatisfy { $0.errorClass == .quotaExhausted })
        #expect(starved.parkedUntil != nil)

        let commands = try Self.emails("roomy", 20).map { try Commands.status("roomy", $0, .registered) }
        #expect(await SinkDriver.deliver(sink, "roomy", commands, limiter: roomy).allSatisfy { $0 == .delivered })
        #expect(roomy.parkedUntil == nil)
    }

    @Test("REQUEST_LIMIT_EXCEEDED on the token call with the daily allocation unused parks nothing: all delivered")
    func tokenCallLimitDoesNotPark() async throws {
        let env = try await WriterSandbox.start()
        let sink = try SinkDriver.sink([env.tenant("token")])
        let limiter = SinkDriver.limiter(sink, "token")
        _ = env.sandbox.inject(
            SandboxFault(kind: .error, endpoint: "oauth.token", errorCode: "REQUEST_LIMIT_EXCEEDED", remaining: 1)
        )
        let commands = try Self.emails("token", 30).map { try Commands.status("token", $0, .registered) }
        let outcomes = await SinkDriver.deliver(sink, "token", commands, limiter: limiter)
        #expect(outcomes.allSatisfy { $0 == .delivered }, "\(outcomes.compactMap(\.failure).prefix(2))")
        #expect(limiter.parkedUntil == nil)
        #expect(env.apiCalls().contains { $0.endpoint == "limits" }, "the allocation was read before deciding")
    }

    @Test("an allocation spent by others (every call, GET /limits too, refused) parks for the configured quotaPark")
    func spentAllocationParksForQuotaPark() async throws {
        let env = try await WriterSandbox.start()
        var options = SinkDriver.options
        options.quotaPark = .seconds(42)
        let sink = try SinkDriver.sink([env.tenant("spent")], options: options)
        let limiter = SinkDriver.limiter(sink, "spent")
        // Salesforce refuses every API call once the org's allocation is spent, GET /limits included.
        for endpoint in ["query", "limits"] {
            _ = env.sandbox.inject(SandboxFault(kind: .error, endpoint: endpoint, errorCode: "REQUEST_LIMIT_EXCEEDED"))
        }
        let commands = try Self.emails("spent", 2).map { try Commands.status("spent", $0, .registered) }
        let failures = await SinkDriver.deliver(sink, "spent", commands, limiter: limiter).compactMap(\.failure)
        #expect(failures.count == 2 && failures.allSatisfy { $0.errorClass == .quotaExhausted }, "\(failures)")
        #expect(failures.first?.message.contains("daily allocation") == true)
        let until = try #require(limiter.parkedUntil)
        #expect(until.timeIntervalSinceNow <= 42 && until.timeIntervalSinceNow > 30, "parked until \(until)")
    }

    @Test("a tenant's dailyRequestShare of the org's allocation parks it before Salesforce has to")
    func dailyShareParks() async throws {
        let env = try await WriterSandbox.start(dailyApiRequests: [40, 1_000_000])
        let tenant = "shared"
        let sink = try SinkDriver.sink([env.tenant(tenant, share: 0.25)])
        let limiter = SinkDriver.limiter(sink, tenant)
        var outcomes: [DeliveryOutcome] = []
        for round in 0..<12 {
            let command = try Commands.status(tenant, "share\(round)@limits.example", .registered)
            outcomes += await SinkDriver.deliver(sink, tenant, [command], limiter: limiter)
        }
        let parked = try #require(outcomes.compactMap(\.failure).first)
        #expect(parked.errorClass == .quotaExhausted)
        #expect(parked.code == "daily_share_spent")
        #expect(parked.message.contains("25%"))
        let counted = env.apiCalls().filter(\.countedAsAPICall).count
        #expect(counted <= 10, "\(counted) requests of a share of 10")
        #expect(!env.apiCalls().contains { $0.errorCode == "REQUEST_LIMIT_EXCEEDED" })
        #expect(sink.requestsInWindow(ofTenant: tenant) == counted)
    }

    @Test("calls stay inside the tenant's limits: the sandbox's call log never shows more than the window allows")
    func callsStayInsideTheLimits() async throws {
        let env = try await WriterSandbox.start()
        let tenant = "paced"
        let sink = try SinkDriver.sink([env.tenant(tenant, share: 0.2)])
        let limits = try #require(sink.limits(forTenant: tenant))
        #expect(limits == CallLimits(callsPerWindow: 5, window: .seconds(1), concurrentCalls: 2))
        let limiter = CallLimiter(limits: limits)
        let commands = try Self.emails("paced", 1_400).flatMap {
            [try Commands.status(tenant, $0, .registered), try Commands.engagement(tenant, $0)]
        }
        #expect(await SinkDriver.deliver(sink, tenant, commands, limiter: limiter).allSatisfy { $0 == .delivered })
        let times = env.apiCalls().map(\.timestamp).sorted()
        #expect(times.count >= 20)
        // Answers are logged when they end: a call started late in one window may end in the next, so a window can
        // show the configured rate plus the calls in flight.
        var most = 0
        for (index, start) in times.enumerated() {
            let inWindow = times[index...].prefix { $0.timeIntervalSince(start) < 1 }.count
            most = max(most, inWindow)
        }
        #expect(most <= limits.callsPerWindow + limits.concurrentCalls, "\(most) calls in one second")
        let span = try #require(times.last).timeIntervalSince(try #require(times.first))
        #expect(span >= Double(times.count - 1 - limits.callsPerWindow) / Double(limits.callsPerWindow))
    }

    @Test("Bulk API 2.0 end to end: failed rows come back per command, transient ones are delivered on retry")
    func bulkEndToEnd() async throws {
        let env = try await WriterSandbox.start()
        let tenant = "bulk"
        let sink = try SinkDriver.sink([env.tenant(tenant)], bulkThreshold: 500)
        let limiter = SinkDriver.limiter(sink, tenant)
        env.sandbox.inject(
            SandboxFault(
                kind: .error,
                orgId: SalesforceSandboxSetup.standardOrgId,
                endpoint: "bulk.process",
                errorCode: "UNABLE_TO_LOCK_ROW",
                rate: 0.1,
                seed: 23,
                perRecord: true
            )
        )
        let emails = Self.emails("bulk", 1_300)
        var commands = try emails.map { try Commands.status(tenant, $0, .registered) }
        commands += try emails.map { try Commands.engagement(tenant, $0) }
        commands.append(try Commands.engagement(tenant, emails[0], entry: "1_muchtoolongforeleven"))
        let first = await SinkDriver.deliver(sink, tenant, commands, limiter: limiter)
        let locked = first.compactMap(\.failure).filter { $0.code == "UNABLE_TO_LOCK_ROW" }
        #expect(!locked.isEmpty)
        #expect(locked.allSatisfy { $0.errorClass == .transient })
        let tooLong = try #require(first.last?.failure)
        #expect(tooLong.errorClass == .permanent)
        #expect(tooLong.code == "STRING_TOO_LONG")
        #expect(tooLong.message.contains("1_muchtoolongforeleven"))
        let jobs = env.sandbox.bulkJobs()
        #expect(jobs.count == 2)

        env.sandbox.clearFaults()
        let run = await SinkDriver.deliverUntilDone(sink, tenant, commands, limiter: limiter)
        #expect(run.outcomes.dropLast().allSatisfy { $0 == .delivered })
        #expect(env.members().count == 1_300)
        #expect(env.sandbox.engagementRecords().count == 1_300)
    }
}
