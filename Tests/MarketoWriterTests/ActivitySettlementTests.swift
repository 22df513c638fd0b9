import Config
import Delivery
import Foundation
import LeadModel
import MarketoWriter
import SandboxMarketo
import Synchronization
import Testing

/// Custom activities are append-only: an activity call whose outcome is unknown (its answer lost after Marketo
/// carried it out, a writer killed between the call and its outcome record) is read back from Marketo before
/// anything is sent again, so every activity exists once.
@Suite("Marketo sink: activities of unknown outcome are settled by reading back, never sent twice")
struct ActivitySettlementTests {
    static let harness = Task {
        var unthrottled = MarketoSandboxSetup.Limits()
        unthrottled.callsPerWindow = 100_000
        unthrottled.maxConcurrentCalls = 100
        var standardType = SinkHarness.subscription("AS-PLAIN", limits: unthrottled)
        // docs/crm-setup.md's type without its command id attribute (doctor only warns): the read-back matches on
        // what was sent.
        var withoutCommandId = MarketoSandboxSetup.ActivityType.userSessionEngagement
        withoutCommandId.attributes.removeAll { $0.name == "command_id" }
        standardType.activityTypes = [withoutCommandId]
        // An activity type of another name whose command id attribute has another API and display name.
        var renamed = SinkHarness.subscription("AS-RENAMED", limits: unthrottled)
        renamed.activityTypes[0].apiName = "sessionActivity"
        for (index, field) in renamed.activityTypes[0].attributes.enumerated() where field.name == "command_id" {
            renamed.activityTypes[0].attributes[index] = MarketoSandboxSetup.Field(
                name: "lsCommandId",
                displayName: "LeadSync Command",
                dataType: "string"
            )
        }
        return try await SinkHarness.start([
            SinkHarness.subscription("AS-EXACT", limits: unthrottled), standardType,
            SinkHarness.subscription("AS-WAIT", limits: unthrottled),
            SinkHarness.subscription("AS-DROP", limits: unthrottled), renamed,
        ])
    }

    static func activities(_ tenant: String, leads: Int) throws -> [Command] {
        try (0..<leads).map { lead in
            try Commands.engagement(
                .engagementActivity,
                tenant,
                "\(tenant)\(lead)@example.com",
                program: 1001,
                entry: "1_\(lead % 4)"
            )
        }
    }

    /// Every activity of the commands exactly once in Marketo.
    static func expectEachOnce(_ h: SinkHarness, _ munchkinId: String, _ commands: [Command]) throws {
        let snapshot = try h.snapshot(munchkinId)
        var perLeadAndEntry: [String: Int] = [:]
        for activity in snapshot.activities {
            perLeadAndEntry["\(activity.leadId)/\(activity.primaryAttributeValue)", default: 0] += 1
        }
        #expect(snapshot.activities.count == commands.count, "activities stored: \(snapshot.activities.count)")
        #expect(perLeadAndEntry.values.allSatisfy { $0 == 1 }, "an activity stored twice")
    }

    @Test(
        "an answer lost after Marketo added the activities: the retry reads them back by command id and sends nothing",
        arguments: ["AS-EXACT", "AS-PLAIN"]
    )
    func lostAnswerIsReadBack(munchkinId: String) async throws {
        let h = try await Self.harness.value
        let tenant = munchkinId.lowercased().replacingOccurrences(of: "-", with: "")
        let sink = try SinkDriver.sink([h.tenant(tenant, munchkinId: munchkinId)])
        let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: tenant)))
        let commands = try Self.activities(tenant, leads: 40)
        let rule = h.sandbox.addFault(
            MarketoFault(
                munchkinId: munchkinId,
                endpoint: "/rest/v1/activities/external.json",
                remaining: 1,
                dropAfterProcessing: true
            )
        )
        defer { h.sandbox.removeFaults(id: rule.id) }
        let (outcomes, rounds) = await SinkDriver.deliverUntilDone(
            sink,
            tenant: tenant,
            commands: commands,
            limiter: limiter
        )
        #expect(outcomes.allSatisfy { $0 == .delivered }, "\(outcomes.filter { $0 != .delivered }.prefix(3))")
        #expect(rounds >= 2, "the lost answer failed the first delivery")
        try Self.expectEachOnce(h, munchkinId, commands)
        let calls = h.apiCalls(munchkinId)
        #expect(
            calls.count { $0.endpoint == "/rest/v1/activities/external.json" } == 1,
            "the activities were sent once"
        )
        #expect(calls.contains { $0.endpoint == "/rest/v1/activities.json" }, "they were read back")
    }

    @Test("a call refused before Marketo took it (dropped before processing): read back, not found, sent once more")
    func droppedBeforeProcessingIsResent() async throws {
        let h = try await Self.harness.value
        let sink = try SinkDriver.sink([h.tenant("asexactdrop", munchkinId: "AS-DROP")])
        let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: "asexactdrop")))
        let commands = try Self.activities("asexactdrop", leads: 25)
        let rule = h.sandbox.addFault(
            MarketoFault(
                munchkinId: "AS-DROP",
                endpoint: "/rest/v1/activities/external.json",
                remaining: 1,
                dropConnection: true
            )
        )
        defer { h.sandbox.removeFaults(id: rule.id) }
        let (outcomes, _) = await SinkDriver.deliverUntilDone(
            sink,
            tenant: "asexactdrop",
            commands: commands,
            limiter: limiter
        )
        #expect(outcomes.allSatisfy { $0 == .delivered })
        try Self.expectEachOnce(h, "AS-DROP", commands)
        #expect(h.apiCalls("AS-DROP").count { $0.endpoint == "/rest/v1/activities/external.json" } == 2)
    }

    @Test(
        """
        the read-back uses the tenant's activity type and command id attribute names: an activity like an earlier one \
        but for another command, dropped before processing, is found absent by its command id and sent once more
        """
    )
    func readBackUsesConfiguredNames() async throws {
        let h = try await Self.harness.value
        var tenant = h.tenant("asrenamed", munchkinId: "AS-RENAMED")
        var attributes = MarketoActivityTypeNames.defaultAttributes
        attributes[.commandId] = "lsCommandId"
        tenant.marketo?.activityType = MarketoActivityTypeNames(apiName: "sessionActivity", attributes: attributes)
        let sink = try SinkDriver.sink([tenant])
        let limiter = CallLimiter(limits: try #require(sink.limits(forTenant: "asrenamed")))
        let ledger = EffectLedger.inMemory()
        let first = try Commands.engagement(
            .engagementActivity,
            "asrenamed",
            "renamed@example.com",
            program: 1001,
            entry: "1_r"
        )
        let (firstOutcomes, _) = await SinkDriver.deliverUntilDone(
            sink,
            tenant: "asrenamed",
            commands: [first],
            limiter: limiter,
            ledger: ledger
        )
        #expect(firstOutcomes == [.delivered])

        // The same lead, entry, date and attributes under another command id: only the command id tells them apart,
        // so a read-back that matched on what was sent would take the first activity for this one.
        var second = first
        second.commandId = CommandID.engagement(
            kind: .engagementActivity,
            destination: .marketo,
            leadKey: first.leadKey,
            virtualEventId: "ve-1001",
            entryId: "1_r",
            snapshotOccurredAt: first.occurredAt,
            sourceEventId: "another-source"
        )
        #expect(second.commandId != first.commandId)
        let rule = h.sandbox.addFault(
            MarketoFault(
                munchkinId: "AS-RENAMED",
                endpoint: "/rest/v1/activities/external.json",
                remaining: 1,
                dropConnection: true
            )
        )
        defer { h.sandbox.removeFaults(id: rule.id) }
        let (outcomes, _) = await SinkDriver.deliverUntilDone(
            sink,
            tenant: "asrenamed",
            commands: [second],
            limiter: limiter,
            ledger: ledger
        )
        #expect(outcomes == [.delivered])

        let snapshot = try h.snapshot("AS-RENAMED")
        #expect(snapshot.activities.allSatisfy { $0.activityTypeApiName == "sessionActivity" })
        let commandIds = snapshot.activities.compactMap { $0.attributes["lsCommandId"]?.stringValue }
        #expect(commandIds.sorted() == [first.commandId.rawValue, second.commandId.rawValue].sorted())
        let calls = h.apiCalls("AS-RENAMED")
        #expect(calls.count { $0.endpoint == "/rest/v1/activities/external.json" } == 3, "first, dropped, resent")
        #expect(calls.contains { $0.endpoint == "/rest/v1/activities.json" }, "the dropped call was read back")
    }

    @Test(
        "a writer that restarts with an intent younger than the settle delay waits (no attempt counted), then settles"
    )
    func youngIntentWaits() async throws {
        let h = try await Self.harness.value
        // The writers' clock is moved by hand: "at once" and "after the settle delay" whatever the machine's speed.
        let clock = TestClock()
        var options = SinkDriver.options
        options.activitySettleDelay = .seconds(120)
        options.clock = { clock.now }
        let tenant = h.tenant("aswait", munchkinId: "AS-WAIT")
        let ledger = EffectLedger.inMemory()
        let commands = try Self.activities("aswait", leads: 10)
        let rule = h.sandbox.addFault(
            MarketoFault(
                munchkinId: "AS-WAIT",
                endpoint: "/rest/v1/activities/external.json",
                remaining: 1,
                dropAfterProcessing: true
            )
        )
        defer { h.sandbox.removeFaults(id: rule.id) }
        // The first writer's call is carried out but its answer is lost: it "crashes" with the intents recorded.
        let first = try SinkDriver.sink([tenant], options: options)
        let limiter = CallLimiter(limits: try #require(first.limits(forTenant: "aswait")))
        let items = commands.map { DeliveryItem(command: $0) }
        let lost = await first.deliver(
            DeliveryBatch(tenant: "aswait", items: items, backlog: 0, limiter: limiter, ledger: ledger)
        )
        #expect(
            lost.allSatisfy { if case .failed(let failure) = $0 { failure.errorClass == .transient } else { false } }
        )

        // A new writer on the same ledger at once: Marketo may still be working on the call, so nothing is sent.
        let second = try SinkDriver.sink([tenant], options: options)
        let early = await second.deliver(
            DeliveryBatch(tenant: "aswait", items: items, backlog: 0, limiter: limiter, ledger: ledger)
        )
        for outcome in early {
            guard case .failed(let failure) = outcome else {
                Issue.record("an activity of unknown outcome was delivered before the settle delay: \(outcome)")
                continue
            }
            #expect(failure.code == "activity_unsettled")
            #expect(!failure.countsAsAttempt)
            #expect(failure.resumeAt == clock.now.addingTimeInterval(120))
        }
        #expect(try h.snapshot("AS-WAIT").activities.count == commands.count, "the lost call's activities are stored")

        clock.advance(by: 121)
        let settled = await second.deliver(
            DeliveryBatch(tenant: "aswait", items: items, backlog: 0, limiter: limiter, ledger: ledger)
        )
        #expect(settled.allSatisfy { $0 == .delivered }, "\(settled)")
        try Self.expectEachOnce(h, "AS-WAIT", commands)
        // Settled once: a further repeat is skipped from the ledger without any call.
        let calls = h.apiCalls("AS-WAIT").count
        let repeated = await second.deliver(
            DeliveryBatch(tenant: "aswait", items: items, backlog: 0, limiter: limiter, ledger: ledger)
        )
        #expect(repeated.allSatisfy { if case .skipped = $0 { true } else { false } })
        #expect(h.apiCalls("AS-WAIT").count == calls)
    }
}

/// A clock moved by hand.
final class TestClock: Sendable {
    private let current = Mutex(Date())

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
