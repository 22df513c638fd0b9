import Delivery
import LeadModel

// MARK: - MarketoBatchPlan

/// A batch's commands sorted by what they become: member statuses by program and status, engagement records,
/// engagement activities by command id.
struct MarketoBatchPlan {
    /// Member status commands by program and status name.
    var statuses: [StatusTarget: [Int]] = [:]
    /// Engagement upserts by lead email (coalesced per lead and entry later, once lead ids are known).
    var upserts: [String: [Int]] = [:]
    /// Engagement activities by command id.
    var activities: [String: [Int]] = [:]

    var statusCount: Int { statuses.values.reduce(0) { $0 + $1.count } }
    var upsertCount: Int { upserts.values.reduce(0) { $0 + $1.count } }

    /// Adds a command; returns why it cannot be delivered, if so.
    mutating func add(_ command: Command, at index: Int, tenant: String) -> DeliveryFailure? {
        guard command.tenant == tenant else {
            return DeliveryFailure(
                errorClass: .permanent,
                code: "wrong_tenant",
                message: "command \(command.commandId) of tenant \(command.tenant) arrived in a batch of \(tenant)"
            )
        }
        guard let programId = command.target.programId else {
            return DeliveryFailure(
                errorClass: .permanent,
                code: "not_marketo",
                message: "command \(command.commandId) targets \(command.destination), not a Marketo program"
            )
        }
        switch command.payload {
        case .memberStatus(let change):
            statuses[StatusTarget(programId: programId, statusName: change.status.name), default: []].append(index)
        case .engagementUpsert:
            upserts[command.email, default: []].append(index)
        case .engagementActivity:
            activities[command.commandId.rawValue, default: []].append(index)
        }
        return nil
    }

    /// Removes the activities the effect ledger knows as added and returns their indices with the reason.
    mutating func skipAppliedActivities(
        ledger: EffectLedger,
        munchkinId: String,
        items: [DeliveryItem]
    ) -> [(Int, String)] {
        guard !activities.isEmpty else { return [] }
        var skipped: [(Int, String)] = []
        for (commandId, indices) in activities {
            guard let first = indices.first else { continue }
            let key = ActivityRecord.effectKey(
                munchkinId: munchkinId,
                commandId: commandId,
                partition: items[first].partition
            )
            guard ledger.entry(key)?.status == .applied else { continue }
            for index in indices { skipped.append((index, "activity \(commandId) was already added to Marketo")) }
            activities[commandId] = nil
        }
        return skipped
    }

    /// One lead request per email among `indices`, with the profile of its newest command that has one.
    func leadRequests(
        for indices: [Int],
        items: [DeliveryItem],
        connection: MarketoTenantConnection
    ) -> [LeadRequest] {
        var newest: [String: (profile: LeadProfile?, occurredAt: Timestamp)] = [:]
        var order: [String] = []
        for index in indices {
            let command = items[index].command
            guard let existing = newest[command.email] else {
                order.append(command.email)
                newest[command.email] = (command.profile, command.occurredAt)
                continue
            }
            if let profile = command.profile, existing.profile == nil || command.occurredAt > existing.occurredAt {
                newest[command.email] = (profile, command.occurredAt)
            }
        }
        return order.map { email in
            let profile = newest[email]?.profile
            return LeadRequest(
                email: email,
                fields: connection.leadFields(email: email, profile: profile),
                hasProfile: profile != nil
            )
        }
    }
}
