import Config
import Delivery
import Foundation
import LeadModel
import SalesforceWriter
import SandboxSalesforce
import Testing

/// Error classes, token revocation and a fault storm, each on its own sandbox (faults are per org).
@Suite("Salesforce sink: failures")
struct FailureTests {
    private static func emails(_ prefix: String, _ count: Int) -> [String] {
        (0..<count).map { "\(prefix)\($0)@storm.example" }
    }

    @Test("every error class is classified as docs/architecture.md says")
    func errorClasses() async throws {
        let env = try await WriterSandbox.start()
        let tenant = "classes"
        let sink = try SinkDriver.sink([env.tenant(tenant)])
        let orgId = SalesforceSandboxSetup.standardOrgId
        func deliverOne(_ email: String, limiter: CallLimiter) async throws -> DeliveryOutcome {
            let outcomes = await SinkDriver.deliver(
                sink,
                tenant,
                [try Commands.status(tenant, email, .registered)],
                limiter: limiter
            )
            return try #require(outcomes.first)
        }

        // 503 SERVER_UNAVAILABLE: transient.
        env.sandbox.inject(SandboxFault(kind: .error, orgId: orgId, endpoint: "query", errorCode: "SERVER_UNAVAILABLE"))
        let unavailable = try await deliverOne("a@classes.example", limiter: SinkDriver.limiter(sink, tenant))
        #expect(unavailable.failure?.errorClass == .transient)
        #expect(unavailable.failure?.code == "SERVER_UNAVAILABLE")
        env.sandbox.clearFaults()

        // A lock on one row: transient for that row only.
        env.sandbox.inject(
            SandboxFault(
                kind: .error,
                orgId: orgId,
                endpoint: "collections.upsert",
                errorCode: "UNABLE_TO_LOCK_ROW",
                perRecord: true
            )
        )
        let locked = try await deliverOne("b@classes.example", limiter: SinkDriver.limiter(sink, tenant))
        #expect(locked.failure?.errorClass == .transient)
        #expect(locked.failure?.code == "UNABLE_TO_LOCK_ROW")
        env.sandbox.clearFaults()

        // Too many long-running requests: rate limited, after the limiter slowed down and three retries.
        env.sandbox.inject(
            SandboxFault(
                kind: .error,
                orgId: orgId,
                endpoint: "query",
                errorCode: "REQUEST_LIMIT_EXCEEDED",
                message: "ConcurrentPerOrgLongTxn Limit exceeded."
            )
        )
        let slowLimiter = SinkDriver.limiter(sink, tenant)
        let concurrent = try await deliverOne("c@classes.example", limiter: slowLimiter)
        #expect(concurrent.failure?.errorClass == .rateLimited)
        #expect(slowLimiter.status.rateLimitedTotal == 4)
        env.sandbox.clearFaults()

        // A session refused again after the one refresh and replay: authentication (retried later by the runtime).
        env.sandbox.inject(
            SandboxFault(kind: .error, orgId: orgId, endpoint: "query", errorCode: "INVALID_SESSION_ID", remaining: 2)
        )
        let issued = env.sandbox.counters().tokensIssued
        let session = try await deliverOne("g@classes.example", limiter: SinkDriver.limiter(sink, tenant))
        #expect(session.failure?.errorClass == .authentication)
        #expect(session.failure?.code == "INVALID_SESSION_ID")
        #expect(env.sandbox.counters().tokensIssued == issued + 1, "one refresh, not a loop")
        env.sandbox.clearFaults()

        // The token endpoint refuses the secret: authentication.
        let wrong = try SinkDriver.sink([env.tenant("wrong", secret: "not-the-secret")])
        let refused = await SinkDriver.deliver(
            wrong,
            "wrong",
            [try Commands.status("wrong", "d@classes.example", .registered)],
            limiter: SinkDriver.limiter(wrong, "wrong")
        )
        #expect(refused.first?.failure?.errorClass == .authentication)
        #expect(refused.first?.failure?.message.contains("credentials") == true)

        // REQUEST_LIMIT_EXCEEDED while the org still has requests left: GET /limits tells it is not the daily
        // allocation, so nothing is parked; the call is a rate limit (the runtime keeps the command in memory).
        let fault = env.sandbox.inject(
            SandboxFault(kind: .error, orgId: orgId, endpoint: "query", errorCode: "REQUEST_LIMIT_EXCEEDED")
        )
        let quotaLimiter = SinkDriver.limiter(sink, tenant)
        let limitReadsBefore = env.sandbox.calls().count { $0.endpoint == "limits" }
        let quota = try await deliverOne("e@classes.example", limiter: quotaLimiter)
        let failure = try #require(quota.failure)
        #expect(failure.errorClass == .rateLimited)
        #expect(failure.code == "REQUEST_LIMIT_EXCEEDED")
        #expect(failure.message.contains("treated as a rate limit"))
        #expect(quotaLimiter.parkedUntil == nil, "an org with requests left is not parked")
        #expect(env.sandbox.calls().count { $0.endpoint == "limits" } > limitReadsBefore, "GET /limits was read")
        env.sandbox.removeFault(id: fault.id ?? "")
        let after = try await deliverOne("e@classes.example", limiter: quotaLimiter)
        #expect(after == .delivered)
    }

    @Test("a revoked token mid-run is refreshed once and the calls replayed: nothing fails")
    func tokenRevocationMidRun() async throws {
        let env = try await WriterSandbox.start()
        let tenant = "revoked"
        let sink = try SinkDriver.sink([env.tenant(tenant)])
        let limiter = SinkDriver.limiter(sink, tenant)
        let first = try Self.emails("first", 300).map { try Commands.status(tenant, $0, .registered) }
        #expect(await SinkDriver.deliver(sink, tenant, first, limiter: limiter).allSatisfy { $0 == .delivered })
        #expect(env.sandbox.counters().tokensIssued == 1)

        env.sandbox.revokeTokens()
        // Revoke again while the next batch is under way (after its first call).
        let callsSoFar = env.apiCalls().count
        let revoker = Task {
            while env.apiCalls().count == callsSoFar { try await Task.sleep(for: .milliseconds(2)) }
            env.sandbox.revokeTokens()
        }
        let second =
            try Self.emails("first", 300).map { try Commands.status(tenant, $0, .attended, at: 1_000) }
            + Self.emails("second", 300).map { try Commands.status(tenant, $0, .registered) }
        // A call whose refreshed token is revoked again fails as `authentication`; the runtime retries it.
        let run = await SinkDriver.deliverUntilDone(sink, tenant, second, limiter: limiter)
        revoker.cancel()
        #expect(run.outcomes.allSatisfy { $0 == .delivered }, "\(run.outcomes.compactMap(\.failure).prefix(3))")
        #expect(env.sandbox.counters().tokensIssued >= 2)
        #expect(env.members().values.filter { $0["Status"].string == "Attended" }.count == 300)

        // The token expires (Salesforce sends no expiry; the sandbox's lifetime is 2 hours of its clock).
        let issued = env.sandbox.counters().tokensIssued
        env.sandbox.advanceClock(by: 7_300)
        let afterExpiry = try Self.emails("second", 300).map { try Commands.status(tenant, $0, .attended, at: 2_000) }
        #expect(await SinkDriver.deliver(sink, tenant, afterExpiry, limiter: limiter).allSatisfy { $0 == .delivered })
        #expect(env.sandbox.counters().tokensIssued == issued + 1)
    }

    @Test("a 20% fault storm loses nothing and fails nothing permanently")
    func faultStorm() async throws {
        let env = try await WriterSandbox.start()
        let tenant = "storm"
        // A dropped connection is noticed by the request timeout (URLSession on Linux gets no error for it).
        var options = SinkDriver.options
        options.requestTimeout = .seconds(2)
        let sink = try SinkDriver.sink([env.tenant(tenant)], options: options)
        let limiter = SinkDriver.limiter(sink, tenant)
        let orgId = SalesforceSandboxSetup.standardOrgId
        for fault in [
            SandboxFault(
                kind: .error,
                orgId: orgId,
                endpoint: "collections",
                errorCode: "UNABLE_TO_LOCK_ROW",
                rate: 0.08,
                seed: 3,
                perRecord: true
            ),
            SandboxFault(kind: .error, orgId: orgId, errorCode: "SERVER_UNAVAILABLE", rate: 0.04, seed: 5),
            SandboxFault(kind: .error, orgId: orgId, httpStatus: 502, rate: 0.02, seed: 7),
            SandboxFault(kind: .drop, orgId: orgId, rate: 0.03, seed: 11),
            SandboxFault(kind: .error, orgId: orgId, errorCode: "INVALID_SESSION_ID", rate: 0.02, seed: 13),
            SandboxFault(kind: .latency, orgId: orgId, rate: 0.05, latencyMilliseconds: 50, seed: 17),
        ] {
            env.sandbox.inject(fault)
        }
        let emails = Self.emails("storm", 400)
        var commands: [Command] = []
        for (n, email) in emails.enumerated() {
            commands.append(
                try Commands.status(tenant, email, .registered, profile: LeadProfile(lastName: "Storm \(n)"))
            )
            commands.append(try Commands.engagement(tenant, email, liveMinutes: Double(n), plays: n))
        }
        let run = await SinkDriver.deliverUntilDone(sink, tenant, commands, limiter: limiter, batchSize: 50)
        #expect(run.rounds > 1, "the storm made no command fail once")
        let failures = run.outcomes.compactMap(\.failure)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        let later = try emails.map { try Commands.status(tenant, $0, .attended, at: 5_000) }
        let second = await SinkDriver.deliverUntilDone(sink, tenant, later, limiter: limiter, batchSize: 50)
        #expect(second.outcomes.allSatisfy { $0 == .delivered })
        env.sandbox.clearFaults()
        let hit = env.sandbox.calls().filter(\.injectedFault).count
        #expect(hit >= 5, "\(hit) calls hit by a fault")

        // Nothing lost, nothing duplicated: one Lead, one member (Attended) and one engagement record per email.
        for email in emails { #expect(env.leads(email: email).count == 1, "\(email)") }
        let members = env.sandbox.campaignMembers()
        #expect(members.count == 400)
        #expect(members.allSatisfy { $0["Status"].string == "Attended" })
        let engagements = env.sandbox.engagementRecords()
        #expect(engagements.count == 400)
        #expect(Set(engagements.compactMap { $0["engagement_key__c"].string }).count == 400)
    }
}
