import Delivery
import Marketo

extension MarketoBatchContext {
    /// Sets program member statuses with Sync Program Member Status: one call per program and status and full
    /// chunk of leads, the calls concurrent. 1037 (already in or past the status) is delivered; 1004 (the cached
    /// lead id is gone) drops the cache entry and fails as transient.
    func syncStatuses(_ groups: [(target: StatusTarget, members: [StatusMember])]) async -> [(Int, DeliveryOutcome)] {
        var calls: [(target: StatusTarget, leads: [(leadId: Int, members: [StatusMember])])] = []
        for (target, members) in groups {
            var byLead: [Int: [StatusMember]] = [:]
            var order: [Int] = []
            for member in members {
                if byLead[member.leadId] == nil { order.append(member.leadId) }
                byLead[member.leadId, default: []].append(member)
            }
            let leads = order.map { ($0, byLead[$0] ?? []) }
            for chunk in leads.chunked(into: recordsPerCall) { calls.append((target, chunk)) }
        }
        return await withTaskGroup(of: [(Int, DeliveryOutcome)].self) { group in
            for (target, leads) in calls {
                group.addTask { await syncStatusCall(target, leads) }
            }
            var outcomes: [(Int, DeliveryOutcome)] = []
            for await results in group { outcomes += results }
            return outcomes
        }
    }

    private func syncStatusCall(
        _ target: StatusTarget,
        _ leads: [(leadId: Int, members: [StatusMember])]
    ) async -> [(Int, DeliveryOutcome)] {
        let leadIds = leads.map(\.leadId)
        let answer = await call { [client] in
            try await client.syncProgramMemberStatus(
                programId: target.programId,
                statusName: target.statusName,
                leadIds: leadIds
            )
        }
        switch answer {
        case .failure(var failure):
            if failure.errorClass == .permanent {
                failure.message = "program \(target.programId), status '\(target.statusName)': " + failure.message
            }
            return leads.flatMap { $0.members.map { ($0.index, .failed(failure)) } }
        case .success(let result):
            var outcomes: [(Int, DeliveryOutcome)] = []
            for (lead, record) in zip(leads, result.records) {
                let outcome = self.outcome(
                    of: record.outcome,
                    email: lead.members.first?.email,
                    leadId: lead.leadId,
                    endpoint: .syncProgramMemberStatus,
                    requestId: result.requestId,
                    subject: "status '\(target.statusName)' in program \(target.programId) for lead \(lead.leadId)"
                )
                outcomes += lead.members.map { ($0.index, outcome) }
            }
            return outcomes
        }
    }
}
