import Delivery
import Foundation
import LeadModel
import MarketoWriter
import SandboxMarketo
import Testing

@Suite("Marketo sink: commands to calls")
struct DeliveryTests {
    static let harness = Task {
        try await SinkHarness.start([
            SinkHarness.subscription("MW-HAPPY"), SinkHarness.subscription("MW-RESTART"),
            SinkHarness.subscription("MW-STALE"), SinkHarness.subscription("MW-FEW"),
        ])
    }

    @Test("every command kind lands in Marketo in the fewest calls, with the profile mapped onto the lead")
    func happyPath() async throws {
        let h = try await Self.harness.value
        let tenant = h.tenant(
            "happy",
            munchkinId: "MW-HAPPY",
            fieldMapping: [.firstName: "firstName", .company: "company"]
        )
        let sink = try SinkDriver.sink([tenant])
        let profile = LeadProfile(firstName: "Ada", company: "Analytical Engines", title: "Countess")
        var commands: [Command] = []
        for lead in 0..<20 {
            commands.append(
                try Commands.status("happy", "ada\(lead)@example.com", program: 1001, .registered, profile: profile)
            )
            commands.append(try Commands.status("happy", "ada\(lead)@example.com", program: 1002, .attended))
            commands.append(
                try Commands.engagement(
                    .engagementUpsert,
                    "happy",
                    "ada\(lead)@example.com",
                    program: 1001,
                    entry: "1_abc"
                )
            )
            commands.append(
                try Commands.engagement(
                    .engagementActivity,
                    "happy",
                    "ada\(lead)@example.com",
                    program: 1001,
                    entry: "1_abc"
                )
            )
        }
        let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: "happy")))
        let outcomes = await sink.deliver(
            DeliveryBatch(
                tenant: "happy",
                items: commands.map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: limiter
            )
        )
        #expect(outcomes.count == commands.count)
        #expect(outcomes.allSatisfy { $0 == .delivered })

        let snapshot = try h.snapshot("MW-HAPPY")
        #expect(snapshot.leads.count == 20)
        let lead = try #require(snapshot.leads(withEmail: "ada0@example.com").first)
        #expect(lead.fields["firstName"]?.stringValue == "Ada")
        #expect(lead.fields["company"]?.stringValue == "Analytical Engines")
        #expect(lead.fields["title"] == nil, "title is not in the tenant's field mapping")
        #expect(snapshot.membership(programId: 1001, leadId: lead.id)?.statusName == "Registered")
        #expect(snapshot.membership(programId: 1002, leadId: lead.id)?.statusName == "Attended")
        let records = snapshot.customObjects(named: "kalturaUserSessionEngagement")
        #expect(records.count == 20)
        let record = try #require(records.first { $0.fields["personId"]?.intValue == lead.id })
        #expect(record.fields["entry_id"]?.stringValue == "1_abc")
        #expect(record.fields["plays"]?.intValue == 3)
        #expect(record.fields["email"]?.stringValue == "ada0@example.com")
        #expect(snapshot.activities.count == 20)
        let activity = try #require(snapshot.activities.first { $0.leadId == lead.id })
        #expect(activity.primaryAttributeValue == "1_abc")
        let activityCommand = try #require(
            commands.first { $0.kind == .engagementActivity && $0.email == "ada0@example.com" }
        )
        #expect(activity.attributes["command_id"]?.stringValue == activityCommand.commandId.rawValue)
        #expect(activity.attributes["channel_name"]?.stringValue == "Main stage")

        // One lead upsert, one status call per program and status, one object call, one activity call, and the
        // one description of the activity type.
        let calls = h.apiCalls("MW-HAPPY")
        #expect(calls.count { $0.endpoint == "/rest/v1/leads.json" } == 1)
        #expect(calls.count { $0.endpoint.hasSuffix("/members/status.json") } == 2)
        #expect(calls.count { $0.endpoint.hasPrefix("/rest/v1/customobjects/") } == 1)
        #expect(calls.count { $0.endpoint == "/rest/v1/activities/external.json" } == 1)
        #expect(calls.count == 6)
    }

    @Test(
        "a lower status later is skipped by Marketo (1037), reported delivered; a repeated activity is not sent"
    )
    func repeatsAreHarmless() async throws {
        let h = try await Self.harness.value
        let sink = try SinkDriver.sink([h.tenant("few", munchkinId: "MW-FEW")])
        let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: "few")))
        let ledger = EffectLedger.inMemory()
        let attended = try Commands.status("few", "grace@example.com", program: 1001, .attended)
        let activity = try Commands.engagement(
            .engagementActivity,
            "few",
            "grace@example.com",
            program: 1001,
            entry: "1_x"
        )
        let first = await sink.deliver(
            DeliveryBatch(
                tenant: "few",
                items: [DeliveryItem(command: attended), DeliveryItem(command: activity)],
                backlog: 0,
                limiter: limiter,
                ledger: ledger
            )
        )
        #expect(first == [.delivered, .delivered])

        let registered = try Commands.status("few", "grace@example.com", program: 1001, .registered, at: 1_000)
        let again = await sink.deliver(
            DeliveryBatch(
                tenant: "few",
                items: [DeliveryItem(command: registered), DeliveryItem(command: activity, attempt: 2)],
                backlog: 0,
                limiter: limiter,
                ledger: ledger
            )
        )
        #expect(again[0] == .delivered)
        guard case .skipped = again[1] else {
            Issue.record("the repeated activity was \(again[1]), expected skipped")
            return
        }
        let snapshot = try h.snapshot("MW-FEW")
        let lead = try #require(snapshot.leads(withEmail: "grace@example.com").first)
        let membership = try #require(snapshot.membership(programId: 1001, leadId: lead.id))
        #expect(membership.statusName == "Attended")
        #expect(membership.history.last?.reasonCode == "1037")
        #expect(snapshot.activities.count == 1)
        #expect(h.apiCalls("MW-FEW").count { $0.endpoint == "/rest/v1/activities/external.json" } == 1)
    }

    @Test("a new sink on the same cache directory and ledger makes no lead look-up and sends no activity again")
    func restartCostsNoLookups() async throws {
        let h = try await Self.harness.value
        // The runtime's effect ledger (the ledger topic) outlives the sink.
        let ledger = EffectLedger.inMemory()
        let tenant = h.tenant("restart", munchkinId: "MW-RESTART")
        let directory = SinkDriver.cacheDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var commands: [Command] = []
        for lead in 0..<50 {
            let profile = LeadProfile(firstName: "Lin \(lead)")
            commands.append(
                try Commands.status("restart", "lin\(lead)@example.com", program: 1003, .invited, profile: profile)
            )
            commands.append(
                try Commands.engagement(
                    .engagementActivity,
                    "restart",
                    "lin\(lead)@example.com",
                    program: 1003,
                    entry: "1_r"
                )
            )
        }
        do {
            let sink = try SinkDriver.sink([tenant], cacheDirectory: directory)
            let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: "restart")))
            let (outcomes, _) = await SinkDriver.deliverUntilDone(
                sink,
                tenant: "restart",
                commands: commands,
                limiter: limiter,
                ledger: ledger
            )
            #expect(outcomes.allSatisfy { $0 == .delivered })
        }
        let lookupsBefore = h.lookupCalls("MW-RESTART")
        #expect(lookupsBefore == 1)
        let callsBefore = h.apiCalls("MW-RESTART").count

        let restarted = try SinkDriver.sink([tenant], cacheDirectory: directory)
        let limiter = CallLimiter(limits: try #require(restarted.limits(forTenant: "restart")))
        let (outcomes, _) = await SinkDriver.deliverUntilDone(
            restarted,
            tenant: "restart",
            commands: commands,
            limiter: limiter,
            ledger: ledger
        )
        #expect(outcomes.filter { $0 == .delivered }.count == 50)
        #expect(outcomes.filter { if case .skipped = $0 { true } else { false } }.count == 50)
        #expect(h.lookupCalls("MW-RESTART") == lookupsBefore, "the restart looked leads up again")
        // Only the status call is repeated (Marketo answers 1037); activities are neither described nor sent again.
        #expect(h.apiCalls("MW-RESTART").count == callsBefore + 1)
        #expect(try h.snapshot("MW-RESTART").activities.count == 50)
    }

    @Test(
        "a cached lead id Marketo no longer knows (1004) is dropped and fails as transient; the retry re-resolves it"
    )
    func staleLeadId() async throws {
        let h = try await Self.harness.value
        let tenant = h.tenant("stale", munchkinId: "MW-STALE")
        let directory = SinkDriver.cacheDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A cache that believes the lead is 987654 (a lead deleted in Marketo, say).
        let map = try PersistentMap(file: directory.appendingPathComponent("marketo-writer.cache"))
        map.set("lead/MW-STALE/hopper@example.com", "987654 ")
        try map.flush()

        let sink = try SinkDriver.sink([tenant], cacheDirectory: directory)
        let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: "stale")))
        let commands = [
            try Commands.status("stale", "hopper@example.com", program: 1001, .registered),
            try Commands.engagement(.engagementActivity, "stale", "hopper@example.com", program: 1001, entry: "1_s"),
        ]
        let first = await sink.deliver(
            DeliveryBatch(
                tenant: "stale",
                items: commands.map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: limiter
            )
        )
        for outcome in first {
            guard case .failed(let failure) = outcome else {
                Issue.record("expected a failure, got \(outcome)")
                continue
            }
            #expect(failure.errorClass == .transient)
            #expect(failure.code == "1004")
            #expect(failure.message.contains("987654"))
        }
        #expect(h.lookupCalls("MW-STALE") == 0)
        let (outcomes, _) = await SinkDriver.deliverUntilDone(
            sink,
            tenant: "stale",
            commands: commands,
            limiter: limiter
        )
        #expect(outcomes == [.delivered, .delivered])
        #expect(h.lookupCalls("MW-STALE") == 1)
        let snapshot = try h.snapshot("MW-STALE")
        let lead = try #require(snapshot.leads(withEmail: "hopper@example.com").first)
        #expect(snapshot.membership(programId: 1001, leadId: lead.id)?.statusName == "Registered")
        #expect(snapshot.activities.map(\.leadId) == [lead.id])
    }
}
