import Config
public import Delivery
import Foundation
import LeadModel
import Marketo

extension MarketoSink {
    /// Delivers one tenant's batch: resolves the leads it needs, then sends member statuses, engagement records and
    /// engagement activities concurrently, each in full calls (or bulk imports above the threshold). One outcome
    /// per item, in order; it never throws.
    public func deliver(_ batch: DeliveryBatch) async -> [DeliveryOutcome] {
        guard !batch.items.isEmpty else { return [] }
        guard let connection = connections[batch.tenant] else {
            let failure = DeliveryFailure(
                errorClass: .permanent,
                code: "unknown_tenant",
                message: "tenant \(batch.tenant) has no Marketo settings in this writer's configuration"
            )
            return batch.items.map { _ in .failed(failure) }
        }
        let context = MarketoBatchContext(
            connection: connection,
            limiter: batch.limiter,
            cache: cache,
            options: options,
            metrics: metrics,
            recordsPerCall: min(settings.maxRecordsPerCall, WriterSettings.maximumRecordsPerCall(for: .marketo)),
            logger: logger
        )
        var outcomes = [DeliveryOutcome?](repeating: nil, count: batch.items.count)
        var plan = MarketoBatchPlan()
        for (index, item) in batch.items.enumerated() {
            if let failure = plan.add(item.command, at: index, tenant: batch.tenant) {
                outcomes[index] = .failed(failure)
            }
        }

        // Activities the effect ledger knows as added are done.
        for (index, reason) in plan.skipAppliedActivities(
            ledger: batch.ledger,
            munchkinId: connection.munchkinId,
            items: batch.items
        ) {
            outcomes[index] = .skipped(reason: reason)
        }

        // Bulk above the threshold, for the groups big enough to be worth it.
        let threshold = settings.bulkThreshold
        let statusesInBulk = plan.statusCount > 0 && plan.statusCount + batch.backlog >= threshold
        let recordsInBulk = plan.upsertCount > 0 && plan.upsertCount + batch.backlog >= threshold
        var bulkStatusTargets = Set<StatusTarget>()
        if statusesInBulk {
            for (target, indices) in plan.statuses where context.isWorthBulk(rows: indices.count) {
                bulkStatusTargets.insert(target)
            }
        }

        // Lead ids for everything but bulk member statuses.
        var leadIndices: [Int] = plan.upserts.flatMap(\.value) + plan.activities.flatMap(\.value)
        for (target, indices) in plan.statuses where !bulkStatusTargets.contains(target) { leadIndices += indices }
        let leadRequests = plan.leadRequests(for: leadIndices, items: batch.items, connection: connection)
        let leads = await context.resolveLeads(leadRequests)
        func leadId(_ index: Int) -> Int? {
            switch leads[batch.items[index].command.email] {
            case .success(let leadId): return leadId
            case .failure(let failure):
                outcomes[index] = .failed(failure)
                return nil
            case nil:
                outcomes[index] = .failed(
                    DeliveryFailure(errorClass: .transient, code: "no_lead", message: "the lead was not resolved")
                )
                return nil
            }
        }

        // Member statuses.
        var restStatuses: [(target: StatusTarget, members: [StatusMember])] = []
        var bulkStatuses: [(target: StatusTarget, members: [BulkMember])] = []
        for (target, indices) in plan.statuses.sorted(by: {
            ($0.key.programId, $0.key.statusName) < ($1.key.programId, $1.key.statusName)
        }) {
            if bulkStatusTargets.contains(target) {
                bulkStatuses.append(
                    (
                        target,
                        indices.map { index in
                            let command = batch.items[index].command
                            return BulkMember(
                                index: index,
                                email: command.email,
                                fields: connection.leadFields(email: command.email, profile: command.profile)
                            )
                        }
                    )
                )
            } else {
                let members = indices.compactMap { index in
                    leadId(index).map {
                        StatusMember(index: index, email: batch.items[index].command.email, leadId: $0)
                    }
                }
                if !members.isEmpty { restStatuses.append((target, members)) }
            }
        }

        // Engagement records: one per lead and entry (the custom object's dedupe fields), the newest snapshot.
        var records: [String: (record: EngagementRecord, occurredAt: Timestamp)] = [:]
        var recordOrder: [String] = []
        for index in plan.upserts.values.flatMap({ $0 }).sorted() {
            let command = batch.items[index].command
            guard case .engagementUpsert(let snapshot) = command.payload, let leadId = leadId(index) else { continue }
            let key = "\(leadId)/\(snapshot.entry.id)"
            if var existing = records[key] {
                existing.record.indices.append(index)
                if command.occurredAt > existing.occurredAt {
                    existing.record.fields = EngagementFields.customObject(
                        snapshot,
                        leadId: leadId,
                        email: command.email,
                        userId: command.userId,
                        virtualEventId: command.virtualEventId,
                        names: connection.customObject
                    )
                    existing.occurredAt = command.occurredAt
                }
                records[key] = existing
            } else {
                recordOrder.append(key)
                let fields = EngagementFields.customObject(
                    snapshot,
                    leadId: leadId,
                    email: command.email,
                    userId: command.userId,
                    virtualEventId: command.virtualEventId,
                    names: connection.customObject
                )
                records[key] = (
                    EngagementRecord(
                        indices: [index],
                        email: command.email,
                        leadId: leadId,
                        entryId: snapshot.entry.id,
                        fields: fields
                    ),
                    command.occurredAt
                )
            }
        }
        let engagementRecords = recordOrder.compactMap { records[$0]?.record }

        // Engagement activities: one per command id.
        var activities: [ActivityRecord] = []
        for (commandId, indices) in plan.activities.sorted(by: { $0.value[0] < $1.value[0] }) {
            let pending = indices.filter { outcomes[$0] == nil }
            guard let first = pending.first else { continue }
            let command = batch.items[first].command
            guard case .engagementActivity(let snapshot) = command.payload, let leadId = leadId(first) else {
                for index in pending.dropFirst() { outcomes[index] = outcomes[first] }
                continue
            }
            activities.append(
                ActivityRecord(
                    indices: pending,
                    email: command.email,
                    leadId: leadId,
                    commandId: commandId,
                    snapshot: snapshot,
                    occurredAt: Date(timeIntervalSince1970: Double(command.occurredAt.millisecondsSinceEpoch) / 1_000),
                    virtualEventId: command.virtualEventId,
                    partition: batch.items[first].partition,
                    munchkinId: connection.munchkinId
                )
            )
        }

        let statusCalls = restStatuses
        let statusImports = bulkStatuses
        let activityRecords = activities
        let results = await withTaskGroup(of: [(Int, DeliveryOutcome)].self) { group in
            group.addTask { await context.syncStatuses(statusCalls) }
            group.addTask { await context.importStatuses(statusImports) }
            group.addTask {
                recordsInBulk
                    ? await context.importEngagementRecords(engagementRecords)
                    : await context.syncEngagementRecords(engagementRecords)
            }
            group.addTask { await context.addActivities(activityRecords, ledger: batch.ledger) }
            var all: [(Int, DeliveryOutcome)] = []
            for await results in group { all += results }
            return all
        }
        for (index, outcome) in results { outcomes[index] = outcome }

        do {
            try cache.flush()
        } catch {
            logger.error(
                "cannot write the Marketo writer cache",
                metadata: [MarketoWriterLoggingKeys.error: "\(error)"]
            )
        }
        let final = outcomes.map {
            $0 ?? .failed(DeliveryFailure(errorClass: .transient, code: "no_outcome", message: "no call carried it"))
        }
        recordOutcomes(final, items: batch.items, tenant: batch.tenant)
        return final
    }

    private func recordOutcomes(_ outcomes: [DeliveryOutcome], items: [DeliveryItem], tenant: String) {
        var counts: [String: [String: Int]] = [:]
        for (outcome, item) in zip(outcomes, items) {
            let name: String
            switch outcome {
            case .delivered: name = "delivered"
            case .skipped: name = "skipped"
            case .failed(let failure): name = failure.errorClass.rawValue
            }
            counts[item.command.kind.rawValue, default: [:]][name, default: 0] += 1
        }
        for (kind, byOutcome) in counts {
            for (outcome, count) in byOutcome {
                metrics.recordOutcome(tenant: tenant, kind: kind, outcome: outcome, count: count)
            }
        }
    }
}
