import Config
import Delivery
import Foundation
import LeadModel
import MarketoWriter
import SandboxMarketo
import Testing

@Suite("Marketo sink: failures classified as docs/architecture.md says")
struct ErrorClassTests {
    static let statusEndpoint = "/rest/v1/programs/{programId}/members/status.json"

    static let harness = Task {
        var noBlocked = MarketoSandboxSetup.Channel.event
        noBlocked.statuses.removeAll { $0.name == "Blocked" }
        return try await SinkHarness.start([
            SinkHarness.subscription("EC-611"), SinkHarness.subscription("EC-503"), SinkHarness.subscription("EC-DROP"),
            SinkHarness.subscription("EC-601"), SinkHarness.subscription("EC-606"), SinkHarness.subscription("EC-607"),
            SinkHarness.subscription("EC-1025", channels: [noBlocked]),
            SinkHarness.subscription("EC-NOOBJ", activityTypes: [], customObjects: []),
            SinkHarness.subscription("EC-FIELD"), SinkHarness.subscription("EC-PROG"),
        ])
    }

    /// A limiter with the tenant's call count but a short window, so rate-limit pauses stay short in tests.
    static func fastLimiter() -> CallLimiter {
        CallLimiter(limits: CallLimits(callsPerWindow: 100, window: .milliseconds(200), concurrentCalls: 10))
    }

    /// Delivers one status command and one activity for the same lead, with a fault on the status endpoint, and
    /// returns the status's failure and the activity's outcome.
    private func deliverWithStatusFault(
        _ munchkinId: String,
        fault: MarketoFault,
        limiter: CallLimiter
    ) async throws -> (status: DeliveryFailure, activity: DeliveryOutcome) {
        let h = try await Self.harness.value
        let tenant = munchkinId.lowercased()
        let sink = try SinkDriver.sink([h.tenant(tenant, munchkinId: munchkinId)])
        var rule = fault
        rule.munchkinId = munchkinId
        rule.endpoint = Self.statusEndpoint
        h.sandbox.addFault(rule)
        defer { h.sandbox.removeFaults(munchkinId: munchkinId) }
        let commands = [
            try Commands.status(tenant, "ann@example.com", program: 1001, .registered),
            try Commands.engagement(.engagementActivity, tenant, "ann@example.com", program: 1001, entry: "1_e"),
        ]
        let outcomes = await sink.deliver(
            DeliveryBatch(
                tenant: tenant,
                items: commands.map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: limiter
            )
        )
        guard case .failed(let failure) = outcomes[0] else {
            Issue.record("the status was \(outcomes[0]), expected a failure")
            return (DeliveryFailure(errorClass: .permanent, code: "none", message: ""), outcomes[1])
        }
        return (failure, outcomes[1])
    }

    /// The status's failure for a fault that concerns that call only: the activity must be delivered regardless.
    private func statusFailure(
        _ munchkinId: String,
        fault: MarketoFault,
        limiter: CallLimiter = ErrorClassTests.fastLimiter()
    ) async throws -> DeliveryFailure {
        let (failure, activity) = try await deliverWithStatusFault(munchkinId, fault: fault, limiter: limiter)
        #expect(activity == .delivered, "the activity was not held back by the status call's failure")
        return failure
    }

    @Test("611 system error: transient")
    func systemError() async throws {
        let failure = try await statusFailure("EC-611", fault: MarketoFault(errorCode: "611"))
        #expect(failure.errorClass == .transient)
        #expect(failure.code == "611")
    }

    @Test("HTTP 503: transient")
    func serviceUnavailable() async throws {
        let failure = try await statusFailure("EC-503", fault: MarketoFault(httpStatus: 503))
        #expect(failure.errorClass == .transient)
        #expect(failure.code == "http_503")
    }

    @Test("a dropped connection: transient (the result is unknown; a status upsert is safe to repeat)")
    func droppedConnection() async throws {
        let failure = try await statusFailure("EC-DROP", fault: MarketoFault(dropConnection: true))
        #expect(failure.errorClass == .transient)
    }

    @Test("601 again after the client's one refresh: authentication")
    func tokenRefused() async throws {
        let failure = try await statusFailure("EC-601", fault: MarketoFault(errorCode: "601"))
        #expect(failure.errorClass == .authentication)
        #expect(failure.code == "601")
    }

    @Test("606 on every try: the limiter is told each time, the call is repeated 3 times, then rate_limited")
    func rateLimited() async throws {
        let limiter = Self.fastLimiter()
        let failure = try await statusFailure("EC-606", fault: MarketoFault(errorCode: "606"), limiter: limiter)
        #expect(failure.errorClass == .rateLimited)
        #expect(failure.code == "606")
        #expect(limiter.status.rateLimitedTotal == 4)
        let h = try await Self.harness.value
        #expect(h.apiCalls("EC-606").count { $0.errorCode == "606" } == 4)
    }

    @Test("607: quota_exhausted until midnight in Chicago, and the tenant's limiter is parked")
    func quotaExhausted() async throws {
        let limiter = Self.fastLimiter()
        let (failure, activity) = try await deliverWithStatusFault(
            "EC-607",
            fault: MarketoFault(errorCode: "607"),
            limiter: limiter
        )
        #expect(failure.errorClass == .quotaExhausted)
        let resumeAt = try #require(failure.resumeAt)
        // A 607 spends the whole subscription's day, so the park holds back every call not yet made: the batch's
        // concurrent activity call either went out before the park (delivered) or is refused by it, with the same
        // resume time, and is retried then (never dead-lettered, never a second call into the spent quota).
        switch activity {
        case .delivered:
            break
        case .failed(let refused):
            #expect(refused.errorClass == .quotaExhausted)
            #expect(refused.code == "parked")
            #expect(refused.resumeAt == resumeAt)
        default:
            Issue.record("the activity was \(activity), expected delivered or refused by the park")
        }
        #expect(resumeAt > Date())
        #expect(resumeAt < Date().addingTimeInterval(25 * 3_600))
        var chicago = Calendar(identifier: .gregorian)
        chicago.timeZone = try #require(TimeZone(identifier: "America/Chicago"))
        let parts = chicago.dateComponents([.hour, .minute, .second], from: resumeAt)
        #expect(parts.hour == 0 && parts.minute == 0 && parts.second == 0)
        #expect(limiter.parkedUntil == resumeAt)
    }

    @Test("an unknown status (1025) is permanent with a message a person can act on; the batch's other items land")
    func unknownStatusIsPermanent() async throws {
        let h = try await Self.harness.value
        let sink = try SinkDriver.sink([h.tenant("ec1025", munchkinId: "EC-1025")])
        let commands = [
            try Commands.status("ec1025", "bo@example.com", program: 1002, .blocked),
            try Commands.status("ec1025", "cy@example.com", program: 1002, .registered),
            try Commands.engagement(.engagementUpsert, "ec1025", "bo@example.com", program: 1002, entry: "1_b"),
        ]
        let outcomes = await sink.deliver(
            DeliveryBatch(
                tenant: "ec1025",
                items: commands.map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: Self.fastLimiter()
            )
        )
        #expect(outcomes[1] == .delivered)
        #expect(outcomes[2] == .delivered)
        guard case .failed(let failure) = outcomes[0] else {
            Issue.record("expected a permanent failure, got \(outcomes[0])")
            return
        }
        #expect(failure.errorClass == .permanent)
        #expect(failure.code == "1025")
        #expect(failure.message.contains("Blocked"))
        #expect(failure.message.contains("program 1002"))
        #expect(failure.message.contains("requestId"))
        #expect(failure.message.contains("EC-1025"))
    }

    @Test("an unknown program fails the whole status call as permanent, naming the program and the status")
    func unknownProgram() async throws {
        let h = try await Self.harness.value
        let sink = try SinkDriver.sink([h.tenant("noprog", munchkinId: "EC-PROG")])
        let commands = [
            try Commands.status("noprog", "gus@example.com", program: 9_999, .attended),
            try Commands.status("noprog", "gus@example.com", program: 1_003, .attended),
        ]
        let outcomes = await sink.deliver(
            DeliveryBatch(
                tenant: "noprog",
                items: commands.map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: Self.fastLimiter()
            )
        )
        #expect(outcomes[1] == .delivered)
        guard case .failed(let failure) = outcomes[0] else {
            Issue.record("expected a permanent failure, got \(outcomes[0])")
            return
        }
        #expect(failure.errorClass == .permanent)
        #expect(failure.message.contains("program 9999"))
        #expect(failure.message.contains("Attended"))
        #expect(failure.message.contains("requestId"))
    }

    @Test("a subscription without the custom object or activity type: permanent, naming what to set up")
    func missingSetupIsPermanent() async throws {
        let h = try await Self.harness.value
        let sink = try SinkDriver.sink([h.tenant("noobj", munchkinId: "EC-NOOBJ")])
        let commands = [
            try Commands.engagement(.engagementUpsert, "noobj", "di@example.com", program: 1001, entry: "1_n"),
            try Commands.engagement(.engagementActivity, "noobj", "di@example.com", program: 1001, entry: "1_n"),
            try Commands.status("noobj", "di@example.com", program: 1001, .invited),
        ]
        let outcomes = await sink.deliver(
            DeliveryBatch(
                tenant: "noobj",
                items: commands.map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: Self.fastLimiter()
            )
        )
        #expect(outcomes[2] == .delivered)
        for (outcome, name) in zip(outcomes[0..<2], ["kalturaUserSessionEngagement", "userSessionEngagement"]) {
            guard case .failed(let failure) = outcome else {
                Issue.record("expected a permanent failure, got \(outcome)")
                continue
            }
            #expect(failure.errorClass == .permanent)
            #expect(failure.message.contains(name))
        }
    }

    @Test("a profile field Marketo does not have never blocks the lead: it is upserted by email alone")
    func badProfileField() async throws {
        let h = try await Self.harness.value
        let tenant = h.tenant(
            "field",
            munchkinId: "EC-FIELD",
            fieldMapping: [.firstName: "firstName", .title: "jobTitleX"]
        )
        let sink = try SinkDriver.sink([tenant])
        let command = try Commands.status(
            "field",
            "ed@example.com",
            program: 1001,
            .registered,
            profile: LeadProfile(firstName: "Ed", title: "CTO")
        )
        let outcomes = await sink.deliver(
            DeliveryBatch(
                tenant: "field",
                items: [DeliveryItem(command: command)],
                backlog: 0,
                limiter: Self.fastLimiter()
            )
        )
        #expect(outcomes == [.delivered])
        let snapshot = try h.snapshot("EC-FIELD")
        let lead = try #require(snapshot.leads(withEmail: "ed@example.com").first)
        #expect(snapshot.membership(programId: 1001, leadId: lead.id)?.statusName == "Registered")
        #expect(
            h.apiCalls("EC-FIELD").filter { $0.endpoint == "/rest/v1/leads.json" }.compactMap(\.recordErrorCodes.first)
                == ["1006"]
        )
    }

    @Test("commands of a tenant the sink does not know are permanent (unknown_tenant)")
    func unknownTenant() async throws {
        let h = try await Self.harness.value
        let sink = try SinkDriver.sink([h.tenant("known", munchkinId: "EC-FIELD")])
        #expect(sink.limits(forTenant: "stranger") == nil)
        let command = try Commands.status("stranger", "fay@example.com", program: 1001, .registered)
        let outcomes = await sink.deliver(
            DeliveryBatch(
                tenant: "stranger",
                items: [DeliveryItem(command: command)],
                backlog: 0,
                limiter: Self.fastLimiter()
            )
        )
        guard case .failed(let failure) = outcomes.first else {
            Issue.record("expected a failure, got \(outcomes)")
            return
        }
        #expect(failure.errorClass == .permanent)
        #expect(failure.code == "unknown_tenant")
    }

    @Test("a Marketo tenant without its marketo section: the init error names the tenant and the setting")
    func missingSection() async throws {
        let h = try await Self.harness.value
        var tenant = h.tenant("broken", munchkinId: "EC-FIELD")
        tenant.marketo = nil
        #expect {
            _ = try SinkDriver.sink([tenant])
        } throws: { error in
            guard let error = error as? MarketoSinkConfigurationError else { return false }
            return error.tenant == "broken" && error.setting == "tenants.broken.marketo"
        }
        var badShare = h.tenant("greedy", munchkinId: "EC-FIELD", callShare: 1.5)
        badShare.marketo?.callShare = 1.5
        #expect(throws: MarketoSinkConfigurationError.self) { _ = try SinkDriver.sink([badShare]) }
    }
}
