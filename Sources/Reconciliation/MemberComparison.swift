public import Config
public import LeadModel

// MARK: - MemberComparison

/// The pure part of a reconciliation: which members the fold expects, and how a CRM's members differ.
public enum MemberComparison {
    /// The members the fold expects in each mapped event of one tenant and destination.
    /// - Parameters:
    ///   - states: Every lead's committed state (other tenants' leads are ignored).
    ///   - tenant: The tenant (event mappings).
    ///   - destination: Marketo (events with a program) or Salesforce (events with a campaign).
    ///   - virtualEventIds: Only these events, or every mapped event when `nil`.
    /// - Returns: Per virtual event id, the expected members by email.
    public static func expectedMembers(
        states: [LeadKey: LeadState],
        tenant: TenantSettings,
        destination: Destination,
        virtualEventIds: Set<String>? = nil
    ) -> [String: [String: ExpectedMember]] {
        var result: [String: [String: ExpectedMember]] = [:]
        for eventId in targets(tenant: tenant, destination: destination, virtualEventIds: virtualEventIds).keys {
            result[eventId] = [:]
        }
        for (key, state) in states where key.tenant == tenant.tenant {
            for membership in state.memberships where result[membership.virtualEventId] != nil {
                let earlier = state.timeline(for: membership.virtualEventId)?.highestStep
                let highestEarlier = earlier.flatMap { $0 > membership.status.step ? $0 : nil }
                result[membership.virtualEventId]?[key.email] = ExpectedMember(
                    leadKey: key,
                    status: membership.status,
                    occurredAt: membership.occurredAt,
                    highestEarlierStep: highestEarlier,
                    userId: state.userId,
                    profile: state.profile
                )
            }
        }
        return result
    }

    /// The tenant's mapped events for a destination: virtual event id -> program id or campaign id.
    /// - Parameter virtualEventIds: Only these events, or every mapped event when `nil`.
    public static func targets(
        tenant: TenantSettings,
        destination: Destination,
        virtualEventIds: Set<String>? = nil
    ) -> [String: String] {
        var result: [String: String] = [:]
        for (eventId, mapping) in tenant.events where virtualEventIds?.contains(eventId) ?? true {
            switch destination {
            case .marketo: if let program = mapping.marketoProgramId { result[eventId] = String(program) }
            case .salesforce: if let campaign = mapping.salesforceCampaignId { result[eventId] = campaign }
            }
        }
        return result
    }

    /// Compares one event's expected members with the CRM's.
    /// - Parameters:
    ///   - virtualEventId: The event.
    ///   - targetId: Its program or campaign id.
    ///   - expected: The fold's members by email.
    ///   - actual: The CRM's members (an email seen twice keeps the first).
    ///   - destination: Marketo never moves a member to a lower step, so a higher Marketo step after an allowed
    ///     backward transition of the fold is ``MemberDifference/keptHigherStep(_:actual:)``, not drift.
    /// - Returns: The counts and every difference, ordered by kind (missing, wrong status, extra, kept) then email.
    public static func compare(
        virtualEventId: String,
        targetId: String,
        expected: [String: ExpectedMember],
        actual: [CRMMember],
        destination: Destination
    ) -> EventReconciliation {
        var actualByEmail: [String: CRMMember] = [:]
        for member in actual where actualByEmail[member.email] == nil { actualByEmail[member.email] = member }
        var missing: [MemberDifference] = []
        var wrong: [MemberDifference] = []
        var kept: [MemberDifference] = []
        var matched = 0
        for (email, member) in expected.sorted(by: { $0.key < $1.key }) {
            guard let found = actualByEmail[email] else {
                missing.append(.missing(member))
                continue
            }
            if found.statusName == member.status.name {
                matched += 1
            } else if destination == .marketo, let earlier = member.highestEarlierStep,
                let crmStatus = ChannelStatus(name: found.statusName), crmStatus.step > member.status.step,
                crmStatus.step <= earlier
            {
                kept.append(.keptHigherStep(member, actual: found.statusName))
            } else {
                wrong.append(.wrongStatus(member, actual: found.statusName))
            }
        }
        let extra = actualByEmail.values.filter { expected[$0.email] == nil }.sorted { $0.email < $1.email }
            .map(MemberDifference.extra)
        return EventReconciliation(
            virtualEventId: virtualEventId,
            targetId: targetId,
            expectedCount: expected.count,
            actualCount: actualByEmail.count,
            matched: matched,
            differences: missing + wrong + extra + kept
        )
    }
}
