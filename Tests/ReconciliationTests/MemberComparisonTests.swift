import Config
import Foundation
import LeadModel
import Reconciliation
import Testing

@Suite("Member comparison and corrective commands")
struct MemberComparisonTests {
    private static let tenant = "acme"

    private static func key(_ email: String) throws -> LeadKey {
        try #require(LeadKey(tenant: tenant, email: email))
    }

    private static func tenantSettings() throws -> TenantSettings {
        let config = try LeadSyncConfig.load(environment: [:])
        return try #require(config.tenants.first { $0.tenant == tenant })
    }

    /// A lead's state after folding these statuses of one event (seconds since the epoch), in this order.
    private static func state(_ event: String, _ statuses: [(ChannelStatus, Int64)]) throws -> LeadState {
        var state = LeadState()
        let rules = TenantRules(tenant: tenant, eventMappings: [event: EventMapping(marketoProgramId: 1)])
        for (status, seconds) in statuses {
            let input = AttendeeStatusEvent(
                eventId: "e-\(seconds)",
                leadKey: try key("x@example.com"),
                occurredAt: Timestamp(millisecondsSinceEpoch: seconds * 1_000),
                virtualEventId: event,
                userId: nil,
                status: .channel(status),
                profile: nil
            )
            _ = LeadFold.apply(input, to: &state, rules: rules, now: Timestamp(millisecondsSinceEpoch: 0))
        }
        return state
    }

    @Test("missing, wrong status and extra members are told apart; matches are counted")
    func differences() throws {
        let expected: [String: ExpectedMember] = [
            "a@example.com": ExpectedMember(
                leadKey: try Self.key("a@example.com"),
                status: .registered,
                occurredAt: .init(millisecondsSinceEpoch: 1)
            ),
            "b@example.com": ExpectedMember(
                leadKey: try Self.key("b@example.com"),
                status: .attended,
                occurredAt: .init(millisecondsSinceEpoch: 1)
            ),
            "c@example.com": ExpectedMember(
                leadKey: try Self.key("c@example.com"),
                status: .confirmed,
                occurredAt: .init(millisecondsSinceEpoch: 1)
            ),
        ]
        let actual = [
            CRMMember(email: "A@Example.com ", statusName: "Registered", personId: "1"),
            CRMMember(email: "c@example.com", statusName: "autoConfirmed", personId: "3"),
            CRMMember(email: "x@example.com", statusName: "Invited", personId: "9"),
        ]
        let result = MemberComparison.compare(
            virtualEventId: "ve",
            targetId: "1001",
            expected: expected,
            actual: actual,
            destination: .marketo
        )
        #expect(result.matched == 1)
        #expect(result.expectedCount == 3)
        #expect(result.actualCount == 3)
        #expect(result.missing.map(\.leadKey.email) == ["b@example.com"])
        #expect(
            result.wrongStatus.map { "\($0.expected.leadKey.email)=\($0.actual)" } == ["c@example.com=autoConfirmed"]
        )
        #expect(result.extra.map(\.email) == ["x@example.com"])
        #expect(result.driftCount == 3)
    }

    @Test(
        "a higher Marketo step after an allowed re-registration is apart from drift; not so in Salesforce"
    )
    func keptHigherStep() throws {
        let settings = try Self.tenantSettings()
        let event = try #require(settings.events.keys.sorted().first)
        let state = try Self.state(event, [(.registered, 10), (.unregistered, 20), (.registered, 30)])
        let lead = try Self.key("r@example.com")
        let other = try Self.key("s@example.com")
        let plain = try Self.state(event, [(.registered, 10)])
        let expected = MemberComparison.expectedMembers(
            states: [lead: state, other: plain],
            tenant: settings,
            destination: .marketo
        )
        let members = try #require(expected[event])
        #expect(members[lead.email]?.highestEarlierStep == 80)
        #expect(members[other.email]?.highestEarlierStep == nil)

        let crm = [
            CRMMember(email: lead.email, statusName: "Un-registered", personId: "1"),
            CRMMember(email: other.email, statusName: "Un-registered", personId: "2"),
        ]
        let marketo = MemberComparison.compare(
            virtualEventId: event,
            targetId: "1",
            expected: members,
            actual: crm,
            destination: .marketo
        )
        #expect(marketo.keptHigherStep == 1)
        #expect(marketo.wrongStatus.map(\.expected.leadKey) == [other])
        #expect(marketo.driftCount == 1)
        let salesforce = MemberComparison.compare(
            virtualEventId: event,
            targetId: "1",
            expected: members,
            actual: crm,
            destination: .salesforce
        )
        #expect(salesforce.keptHigherStep == 0)
        #expect(salesforce.driftCount == 2)
    }

    @Test(
        "corrective commands: one per missing or wrong member, the fold's status, stable ids, none for extras"
    )
    func correctiveCommands() throws {
        let settings = try Self.tenantSettings()
        let (event, mapping) = try #require(
            settings.events.sorted { $0.key < $1.key }.first { $0.value.marketoProgramId != nil }
        )
        let program = try #require(mapping.marketoProgramId)
        let missing = ExpectedMember(
            leadKey: try Self.key("m@example.com"),
            status: .attended,
            occurredAt: .init(millisecondsSinceEpoch: 5)
        )
        let lower = ExpectedMember(
            leadKey: try Self.key("l@example.com"),
            status: .confirmed,
            occurredAt: .init(millisecondsSinceEpoch: 6)
        )
        let higher = ExpectedMember(
            leadKey: try Self.key("h@example.com"),
            status: .registered,
            occurredAt: .init(millisecondsSinceEpoch: 7)
        )
        let report = ReconciliationReport(
            tenant: settings.tenant,
            destination: .marketo,
            events: [
                EventReconciliation(
                    virtualEventId: event,
                    targetId: String(program),
                    expectedCount: 3,
                    actualCount: 3,
                    matched: 0,
                    differences: [
                        .missing(missing), .wrongStatus(lower, actual: "Invited"),
                        .wrongStatus(higher, actual: "Attended"),
                        .extra(CRMMember(email: "x@example.com", statusName: "Registered", personId: "9")),
                    ]
                )
            ],
            readAt: Date()
        )
        let commands = CorrectiveCommands.commands(for: report, tenant: settings, runId: "run-1")
        #expect(commands.map(\.leadKey) == [missing.leadKey, lower.leadKey])
        #expect(
            commands.allSatisfy { $0.target == .marketo(programId: program) && $0.sourceEventId == "reconcile-run-1" }
        )
        #expect(
            commands.map { command -> ChannelStatus? in
                if case .memberStatus(let change) = command.payload { change.status } else { nil }
            } == [.attended, .confirmed]
        )
        #expect(CorrectiveCommands.unrepairable(in: report) == 1)
        let again = CorrectiveCommands.commands(for: report, tenant: settings, runId: "run-1")
        #expect(again.map(\.commandId) == commands.map(\.commandId))
        let otherRun = CorrectiveCommands.commands(for: report, tenant: settings, runId: "run-2")
        #expect(Set(otherRun.map(\.commandId)).isDisjoint(with: commands.map(\.commandId)))
        for command in commands {
            #expect(try CommandCodec.decode(CommandCodec.encode(command)) == command)
        }
        #expect(report.exitStatus == 1)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        )
        #expect(json["drift"] as? Int == 4)
        #expect(report.text().contains("missing: m@example.com should be Attended"))
    }

    @Test(
        "engagement: missing records, missing and duplicated activities per (lead, entry); Salesforce has no activities"
    )
    func engagementComparison() throws {
        let a = try Self.key("a@example.com")
        let b = try Self.key("b@example.com")
        func entry(_ key: LeadKey, _ entry: String, activity: Bool) -> ExpectedEngagement {
            ExpectedEngagement(
                leadKey: key,
                virtualEventId: "summit",
                targetId: "1001",
                entryId: entry,
                activityEmitted: activity
            )
        }
        let expected = [
            entry(a, "1_x", activity: true), entry(a, "1_y", activity: true), entry(b, "1_x", activity: false),
        ]
        let marketo = CRMEngagement(
            records: ["1001|a@example.com|1_x": 1, "1001|a@example.com|1_y": 1],
            activities: ["a@example.com|1_x": 3]
        )
        let result = EngagementReconciliation.compare(expected, marketo)
        #expect(result.recordsExpected == 3 && result.recordsFound == 2 && result.recordsMissing == 1)
        #expect(result.activitiesExpected == 2 && result.activitiesFound == 1)
        #expect(result.activitiesMissing == 1)
        #expect(result.activitiesDuplicated == 1 && result.duplicateCopies == 2)
        #expect(result.driftCount == 3)
        #expect(result.differences.contains("activity duplicated: a@example.com entry 1_x held 3 times"))

        let records = ["1001|a@example.com|1_x": 1, "1001|a@example.com|1_y": 1, "1001|b@example.com|1_x": 1]
        let salesforce = EngagementReconciliation.compare(expected, CRMEngagement(records: records, activities: nil))
        #expect(!salesforce.hasActivities && salesforce.activitiesExpected == 0 && salesforce.driftCount == 0)
    }
}
