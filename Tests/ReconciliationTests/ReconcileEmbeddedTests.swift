import Config
import Embedded
import Fold
import Foundation
import LeadModel
import Logging
import Marketo
import Salesforce
import SandboxMarketo
import SandboxSalesforce
import Testing

@testable import Reconciliation

/// The embedded pipeline (mock Kafka, both sandboxes, fold, writers) runs 150 leads; then another integration
/// changes the sandboxes through their APIs (a member removed, one at a wrong status, one the fold does not
/// know); reconcile names exactly that drift, `--apply`'s corrective commands go through the normal writers, and
/// a second reconcile finds only the extra member (never deleted).
@Suite("reconcile against the embedded pipeline", .serialized)
struct ReconcileEmbeddedTests {
    private static let extraEmail = "reconcile-extra@example.com"

    @Test("reconcile detects injected drift in both sandboxes and repairs it with --apply")
    func detectsAndRepairsDrift() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = Logger(label: "reconcile-test", factory: { _ in SwiftLogNoOpLogHandler() })
        let pipeline = try await EmbeddedPipeline.start(
            config: try LeadSyncConfig.load(environment: [:]),
            options: EmbeddedPipeline.Options(
                leads: 150,
                eventsPerLead: 6,
                partitions: 3,
                stateDirectory: directory,
                timeout: .seconds(300)
            ),
            logger: logger
        )
        defer { pipeline.shutdown() }
        let summary = try await pipeline.run { _ in }
        #expect(summary.consistency.isConsistent, "\(summary.consistency)")
        let states = try await LeadStateLookup.committedStates(
            changelog: FoldConfiguration.Topics.standard.changelog,
            client: pipeline.client,
            logger: logger
        )
        let tenant = try #require(pipeline.config.tenants.first { $0.destinations == [.marketo, .salesforce] })

        // MARK: Marketo
        let marketoReader = try MarketoMemberReader(tenant: tenant, logger: logger, pollInterval: .milliseconds(250))
        let marketoReconciler = Reconciler(tenant: tenant, destination: .marketo)
        let before = try await marketoReconciler.reconcile(states: states, reader: marketoReader)
        #expect(before.isInSync, "\(before.text())")
        #expect(before.events.reduce(0) { $0 + $1.matched } > 50)

        let marketoDrift = try await injectMarketoDrift(
            pipeline: pipeline,
            tenant: tenant,
            states: states,
            client: marketoReader.client
        )
        let drifted = try await marketoReconciler.reconcile(states: states, reader: marketoReader)
        try expectExactly(marketoDrift, in: drifted)
        #expect(drifted.exitStatus == 1)

        let marketoCommands = CorrectiveCommands.commands(for: drifted, tenant: tenant, runId: "test-marketo")
        #expect(marketoCommands.count == 2)
        try await CorrectiveCommandPublisher(client: pipeline.client, logger: logger).publish(marketoCommands)
        _ = try await pipeline.deliver(commands: [.marketo: marketoCommands.count])
        let repaired = try await marketoReconciler.reconcile(states: states, reader: marketoReader)
        #expect(
            repaired.events.flatMap(\.differences).filter(\.isDrift).map(\.kindName) == ["extra"],
            "\(repaired.text())"
        )
        #expect(repaired.events.flatMap(\.extra).map(\.email) == [Self.extraEmail])

        // MARK: Marketo engagement: records and custom activities in sync, then one activity added twice.
        let marketoNames = try #require(tenant.marketo)
        let marketoEngagement = MarketoEngagementReader(
            client: marketoReader.client,
            since: Date(timeIntervalSince1970: 0),
            customObject: marketoNames.customObject,
            activityType: marketoNames.activityType
        )
        let engagementBefore = try await marketoReconciler.reconcile(
            states: states,
            reader: marketoReader,
            engagementReader: marketoEngagement
        )
        let inSync = try #require(engagementBefore.engagement)
        #expect(
            inSync.driftCount == 0 && inSync.activitiesFound > 20 && inSync.recordsFound > 20,
            "\(engagementBefore.text())"
        )
        let munchkin = try #require(tenant.marketo?.munchkinId)
        // The subscription is shared with another tenant (config/dev.yaml's globex): copy one of this tenant's.
        let subscription = try #require(pipeline.marketo.snapshot(munchkin))
        let tenantEmails = Set(states.keys.filter { $0.tenant == tenant.tenant }.map(\.email))
        let tenantLeadIds = Set(
            subscription.leads.filter { $0.email.map { tenantEmails.contains($0.lowercased()) } ?? false }.map(\.id)
        )
        let stored = try #require(subscription.activities.first { tenantLeadIds.contains($0.leadId) })
        let type = try await MarketoPacing.paced {
            try await marketoReader.client.describeCustomActivityType(apiName: "userSessionEngagement")
        }
        let again = MarketoCustomActivity(
            leadId: stored.leadId,
            activityDate: try #require(MarketoLeadActivity.parseDate(stored.activityDate)),
            activityTypeId: type.id,
            primaryAttributeValue: stored.primaryAttributeValue,
            attributes: stored.attributes.compactMapValues {
                $0.stringValue.map(MarketoFieldValue.string) ?? $0.doubleValue.map(MarketoFieldValue.double)
            }
        )
        let added = try await MarketoPacing.paced { try await marketoReader.client.addCustomActivities([again]) }
        #expect(added.records.allSatisfy { $0.outcome.failure == nil }, "the copy was not added: \(added.records)")
        let duplicated = try await marketoReconciler.reconcile(
            states: states,
            reader: marketoReader,
            engagementReader: marketoEngagement
        )
        let engagementDrift = try #require(duplicated.engagement)
        #expect(
            engagementDrift.activitiesDuplicated == 1 && engagementDrift.duplicateCopies == 1,
            "\(duplicated.text())"
        )
        #expect(engagementDrift.activitiesMissing == 0 && engagementDrift.recordsMissing == 0)
        #expect(duplicated.text().contains("duplicated 1"))

        // MARK: Salesforce
        let salesforceReader = try SalesforceMemberReader(tenant: tenant, logger: logger)
        let salesforceReconciler = Reconciler(tenant: tenant, destination: .salesforce)
        let salesforceBefore = try await salesforceReconciler.reconcile(states: states, reader: salesforceReader)
        #expect(salesforceBefore.isInSync, "\(salesforceBefore.text())")

        let salesforceDrift = try await injectSalesforceDrift(
            pipeline: pipeline,
            tenant: tenant,
            states: states,
            client: salesforceReader.client
        )
        let salesforceDrifted = try await salesforceReconciler.reconcile(states: states, reader: salesforceReader)
        try expectExactly(salesforceDrift, in: salesforceDrifted)

        let salesforceCommands = CorrectiveCommands.commands(
            for: salesforceDrifted,
            tenant: tenant,
            runId: "test-salesforce"
        )
        #expect(salesforceCommands.count == 2)
        let publisher = CorrectiveCommandPublisher(client: pipeline.client, logger: logger)
        try await publisher.publish(salesforceCommands)
        // The same run again: the same ids, which the writers treat as repeats of a delivered status.
        #expect(
            CorrectiveCommands.commands(for: salesforceDrifted, tenant: tenant, runId: "test-salesforce").map(
                \.commandId
            )
                == salesforceCommands.map(\.commandId)
        )
        try await publisher.publish(salesforceCommands)
        _ = try await pipeline.deliver(commands: [.salesforce: 2 * salesforceCommands.count])
        let salesforceRepaired = try await salesforceReconciler.reconcile(states: states, reader: salesforceReader)
        #expect(
            salesforceRepaired.events.flatMap(\.differences).filter(\.isDrift).map(\.kindName) == ["extra"],
            "\(salesforceRepaired.text())"
        )
        #expect(salesforceRepaired.events.flatMap(\.extra).map(\.email) == [Self.extraEmail])
        let members = pipeline.salesforce.campaignMembers()
        #expect(Set(members.map(\.id)).count == members.count)

        // MARK: Salesforce engagement records: in sync, then one deleted.
        let salesforceEngagement = SalesforceEngagementReader(
            client: salesforceReader.client,
            names: try #require(tenant.salesforce).engagement
        )
        let recordsBefore = try await salesforceReconciler.reconcile(
            states: states,
            reader: salesforceReader,
            engagementReader: salesforceEngagement
        )
        let recordsInSync = try #require(recordsBefore.engagement)
        #expect(recordsInSync.recordsMissing == 0 && recordsInSync.recordsFound > 20, "\(recordsBefore.text())")
        let record = try #require(pipeline.salesforce.engagementRecords().first)
        let job = try await salesforceReader.client.createIngestJob(
            object: "UserSessionEngagement__c",
            operation: .delete
        )
        try await salesforceReader.client.uploadIngestData(job, csv: Data("Id\n\(record.id)\n".utf8), recordCount: 1)
        _ = try await salesforceReader.client.closeIngestJob(id: job.id)
        _ = try await salesforceReader.client.waitForIngestJob(id: job.id, pollInterval: .milliseconds(200))
        let recordsAfter = try await salesforceReconciler.reconcile(
            states: states,
            reader: salesforceReader,
            engagementReader: salesforceEngagement
        )
        #expect(recordsAfter.engagement?.recordsMissing == 1, "\(recordsAfter.text())")
        #expect(recordsAfter.exitStatus == 1)
    }

    // MARK: - Drift

    /// What the test changed: (virtual event, email) -> kind and CRM status.
    private struct InjectedDrift {
        var missing: Set<String> = []
        var wrongStatus: [String: String] = [:]
        var extra: Set<String> = []
        var virtualEventId = ""
    }

    private func expectExactly(_ drift: InjectedDrift, in report: ReconciliationReport) throws {
        let event = try #require(report.events.first { $0.virtualEventId == drift.virtualEventId })
        #expect(Set(event.missing.map(\.leadKey.email)) == drift.missing, "\(report.text())")
        #expect(
            Dictionary(uniqueKeysWithValues: event.wrongStatus.map { ($0.expected.leadKey.email, $0.actual) })
                == drift.wrongStatus,
            "\(report.text())"
        )
        #expect(Set(event.extra.map(\.email)) == drift.extra)
        #expect(
            report.driftCount == drift.missing.count + drift.wrongStatus.count + drift.extra.count,
            "\(report.text())"
        )
    }

    /// A member removed (`Not in Program`), one removed and added back at `Invited` (Marketo moves no member down:
    /// a lower status needs a new membership), and a new lead added at `Registered`, all through the REST API.
    private func injectMarketoDrift(
        pipeline: EmbeddedPipeline,
        tenant: TenantSettings,
        states: [LeadKey: LeadState],
        client: MarketoClient
    ) async throws -> InjectedDrift {
        let (event, mapping) = try #require(
            tenant.events.sorted { $0.key < $1.key }.first { $0.value.marketoProgramId != nil }
        )
        let program = try #require(mapping.marketoProgramId)
        let munchkin = try #require(tenant.marketo?.munchkinId)
        let snapshot = try #require(pipeline.marketo.snapshot(munchkin))
        let emails = Dictionary(snapshot.leads.compactMap { lead in lead.email.map { (lead.id, $0.lowercased()) } }) {
            a,
            _ in a
        }
        let expected =
            MemberComparison.expectedMembers(states: states, tenant: tenant, destination: .marketo)[event] ?? [:]
        let matched = snapshot.memberships
            .filter { $0.programId == program && $0.step > 0 }
            .sorted { $0.leadId < $1.leadId }
            .compactMap { member -> (leadId: Int, email: String, status: ChannelStatus)? in
                guard let email = emails[member.leadId], let fold = expected[email],
                    fold.status.name == member.statusName
                else { return nil }
                return (member.leadId, email, fold.status)
            }
        let removed = try #require(matched.first)
        let lowered = try #require(matched.dropFirst().first { $0.status.step > ChannelStatus.invited.step })

        var drift = InjectedDrift(virtualEventId: event)
        // Paced like reconcile's own calls: the writers share the subscription's 100 calls per 20 s.
        let removal = try await MarketoPacing.paced {
            try await client.syncProgramMemberStatus(
                programId: program,
                statusName: "Not in Program",
                leadIds: [removed.leadId, lowered.leadId]
            )
        }
        #expect(removal.records.count == 2)
        drift.missing.insert(removed.email)
        _ = try await MarketoPacing.paced {
            try await client.syncProgramMemberStatus(
                programId: program,
                statusName: "Invited",
                leadIds: [lowered.leadId]
            )
        }
        drift.wrongStatus[lowered.email] = "Invited"

        let created = try await MarketoPacing.paced {
            try await client.syncLeads([
                ["email": .string(Self.extraEmail), "firstName": .string("Extra"), "lastName": .string("Member")]
            ])
        }
        let extraId = try #require(created.records.first?.leadId)
        _ = try await MarketoPacing.paced {
            try await client.syncProgramMemberStatus(programId: program, statusName: "Registered", leadIds: [extraId])
        }
        drift.extra.insert(Self.extraEmail)
        return drift
    }

    /// A campaign member deleted (Bulk 2.0 delete), one set to another status (sObject Collections update), and
    /// a new Lead added as a member, the way another integration would.
    private func injectSalesforceDrift(
        pipeline: EmbeddedPipeline,
        tenant: TenantSettings,
        states: [LeadKey: LeadState],
        client: SalesforceClient
    ) async throws -> InjectedDrift {
        let (event, mapping) = try #require(
            tenant.events.sorted { $0.key < $1.key }.first { $0.value.salesforceCampaignId != nil }
        )
        let campaign = try #require(mapping.salesforceCampaignId)
        let emails = Dictionary(
            pipeline.salesforce.records("Lead").compactMap { lead in
                lead["Email"].string.map { (lead.id, $0.lowercased()) }
            }
        ) { a, _ in a }
        let expected =
            MemberComparison.expectedMembers(states: states, tenant: tenant, destination: .salesforce)[event] ?? [:]
        let matched = pipeline.salesforce.campaignMembers()
            .filter { $0["CampaignId"].string == campaign }
            .sorted { $0.id < $1.id }
            .compactMap { member -> (id: String, email: String, status: String)? in
                guard let leadId = member["LeadId"].string, let email = emails[leadId],
                    let status = member["Status"].string, expected[email]?.status.name == status
                else { return nil }
                return (member.id, email, status)
            }
        let removed = try #require(matched.first)
        let changed = try #require(matched.dropFirst().first)
        var drift = InjectedDrift(virtualEventId: event)

        let job = try await client.createIngestJob(object: "CampaignMember", operation: .delete)
        try await client.uploadIngestData(job, csv: Data("Id\n\(removed.id)\n".utf8), recordCount: 1)
        _ = try await client.closeIngestJob(id: job.id)
        let finished = try await client.waitForIngestJob(id: job.id, pollInterval: .milliseconds(200))
        #expect(finished.numberRecordsFailed ?? 0 == 0)
        drift.missing.insert(removed.email)

        let wrong = changed.status == "Invited" ? "Registered" : "Invited"
        let updated = try await client.updateRecords([
            SalesforceRecord(type: "CampaignMember", fields: ["Id": .string(changed.id), "Status": .string(wrong)])
        ])
        #expect(updated.allSatisfy { $0.success })
        drift.wrongStatus[changed.email] = wrong

        let lead = try await client.createRecords([
            SalesforceRecord(
                type: "Lead",
                fields: [
                    "Email": .string(Self.extraEmail), "LastName": .string("Member"), "Company": .string("Extra Inc"),
                ]
            )
        ])
        let leadId = try #require(lead.first?.id)
        let member = try await client.createRecords([
            SalesforceRecord(
                type: "CampaignMember",
                fields: [
                    "CampaignId": .string(campaign), "LeadId": .string(leadId), "Status": .string("Registered"),
                    "external_id__c": .string("\(campaign)_\(leadId)"),
                ]
            )
        ])
        #expect(member.allSatisfy { $0.success }, "\(member)")
        drift.extra.insert(Self.extraEmail)
        return drift
    }
}
