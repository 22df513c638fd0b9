import Config
import Delivery
import Foundation
import LeadModel
import Logging

// MARK: - SalesforceBatchDelivery

/// One batch of one tenant on its way to Salesforce: sorts the commands, resolves the people, sends the member
/// statuses and the engagement records in the fewest calls, and collects one outcome per command.
struct SalesforceBatchDelivery: Sendable {
    let tenant: SalesforceTenant
    let batch: DeliveryBatch
    let settings: WriterSettings
    /// One outcome per item, filled in as the phases go.
    var outcomes: [DeliveryOutcome?]

    var options: SalesforceSinkOptions { tenant.options }
    var limiter: CallLimiter { batch.limiter }
    /// Records per collections call: the writer setting, at most the API's 200.
    var recordsPerCall: Int { max(1, min(settings.maxRecordsPerCall, 200)) }

    init(tenant: SalesforceTenant, batch: DeliveryBatch, settings: WriterSettings) {
        self.tenant = tenant
        self.batch = batch
        self.settings = settings
        self.outcomes = Array(repeating: nil, count: batch.items.count)
    }

    /// Delivers the batch.
    mutating func run() async -> [DeliveryOutcome] {
        var memberItems: [Int] = []
        var engagementItems: [Int] = []
        var memberIndex: [String: Int] = [:]
        var engagementIndex: [String: Int] = [:]
        for (index, item) in batch.items.enumerated() {
            let command = item.command
            guard command.target.campaignId != nil else {
                outcomes[index] = .failed(
                    DeliveryFailure(
                        errorClass: .permanent,
                        code: "wrong_destination",
                        message: "command \(command.commandId) targets \(command.destination), not Salesforce"
                    )
                )
                continue
            }
            guard command.tenant == batch.tenant else {
                outcomes[index] = .failed(
                    DeliveryFailure(
                        errorClass: .permanent,
                        code: "tenant_mismatch",
                        message: "command \(command.commandId) of tenant \(command.tenant) arrived in a batch of "
                            + "tenant \(batch.tenant)"
                    )
                )
                continue
            }
            switch command.payload {
            case .engagementActivity:
                outcomes[index] = .skipped(reason: "engagementActivity commands are Marketo-only")
            case .memberStatus:
                let key = command.email + "\n" + (command.target.campaignId ?? "")
                if let earlier = memberIndex[key] {
                    memberIndex[key] = supersede(earlier, index, what: "member status")
                } else {
                    memberIndex[key] = index
                    memberItems.append(index)
                }
            case .engagementUpsert(let snapshot):
                let key = command.email + "\n" + (command.target.campaignId ?? "") + "\n" + snapshot.entry.id
                if let earlier = engagementIndex[key] {
                    engagementIndex[key] = supersede(earlier, index, what: "engagement record")
                } else {
                    engagementIndex[key] = index
                    engagementItems.append(index)
                }
            }
        }
        memberItems = memberItems.compactMap { outcomes[$0] == nil ? $0 : nil }
        engagementItems = engagementItems.compactMap { outcomes[$0] == nil ? $0 : nil }
        // Superseded items were replaced in the index by the newer one, which may not be in the lists yet.
        for index in memberIndex.values where outcomes[index] == nil && !memberItems.contains(index) {
            memberItems.append(index)
        }
        for index in engagementIndex.values where outcomes[index] == nil && !engagementItems.contains(index) {
            engagementItems.append(index)
        }

        let people = await resolvePeople(for: memberItems + engagementItems)
        // Member statuses and engagement records are independent: both kinds go out side by side (each call
        // still through the limiter), and each fills in only its own items' outcomes.
        let base = self
        let members = memberItems.sorted()
        let engagements = engagementItems.sorted()
        await withTaskGroup(of: [DeliveryOutcome?].self) { group in
            group.addTask {
                var delivery = base
                await delivery.deliverMemberStatuses(members, people: people)
                return delivery.outcomes
            }
            group.addTask {
                var delivery = base
                await delivery.deliverEngagements(engagements, people: people)
                return delivery.outcomes
            }
            for await partial in group {
                for (index, outcome) in partial.enumerated() where outcomes[index] == nil {
                    outcomes[index] = outcome
                }
            }
        }

        do {
            try tenant.cache.flush()
        } catch {
            tenant.logger.warning(
                "Salesforce identity cache could not be written",
                metadata: [SalesforceWriterLogKey.tenant: "\(tenant.tenant)", SalesforceWriterLogKey.error: "\(error)"]
            )
        }
        return outcomes.enumerated().map { index, outcome in
            let result =
                outcome
                ?? .failed(
                    DeliveryFailure(
                        errorClass: .transient,
                        code: "not_attempted",
                        message: "command \(batch.items[index].command.commandId) was not attempted"
                    )
                )
            record(result, for: batch.items[index].command)
            return result
        }
    }

    /// Two commands for one record in one batch: the runtime promises this never happens (it coalesces). If it
    /// does, only the newer (later `occurredAt`, then later in the batch) is sent, so two statuses never race
    /// in one call and an older one never overwrites a newer one; the older is skipped and counted.
    /// - Returns: The index that stays.
    private mutating func supersede(_ earlier: Int, _ later: Int, what: String) -> Int {
        tenant.metrics.coalescingViolation(tenant: tenant.tenant)
        tenant.logger.error(
            "Two commands for one Salesforce record in one batch; the older is skipped",
            metadata: [SalesforceWriterLogKey.tenant: "\(tenant.tenant)", SalesforceWriterLogKey.record: "\(what)"]
        )
        let first = batch.items[earlier].command
        let second = batch.items[later].command
        let (kept, dropped) = second.occurredAt >= first.occurredAt ? (later, earlier) : (earlier, later)
        outcomes[dropped] = .skipped(
            reason: "superseded by command \(batch.items[kept].command.commandId) for the same \(what) in this batch"
        )
        return kept
    }

    private func record(_ outcome: DeliveryOutcome, for command: Command) {
        let label: String
        switch outcome {
        case .delivered: label = "delivered"
        case .skipped: label = "skipped"
        case .failed(let failure): label = failure.errorClass.rawValue
        }
        tenant.metrics.command(tenant: tenant.tenant, kind: command.kind.rawValue, outcome: label)
    }

    /// Fails every listed item that has no outcome yet.
    mutating func fail(_ items: [Int], _ failure: DeliveryFailure) {
        for index in items where outcomes[index] == nil { outcomes[index] = .failed(failure) }
    }
}
