import LeadModel

// MARK: - EventReconciliation

/// The comparison of one virtual event's members: one Marketo program or one Salesforce campaign.
public struct EventReconciliation: Sendable, Hashable {
    /// The virtual event.
    public var virtualEventId: String
    /// The Marketo program id or Salesforce campaign id.
    public var targetId: String
    /// Members the fold has in the event.
    public var expectedCount: Int
    /// Members the CRM has.
    public var actualCount: Int
    /// Members at the fold's status.
    public var matched: Int
    /// Every difference, ordered by kind then email.
    public var differences: [MemberDifference]

    /// Creates a result.
    public init(
        virtualEventId: String,
        targetId: String,
        expectedCount: Int,
        actualCount: Int,
        matched: Int,
        differences: [MemberDifference]
    ) {
        self.virtualEventId = virtualEventId
        self.targetId = targetId
        self.expectedCount = expectedCount
        self.actualCount = actualCount
        self.matched = matched
        self.differences = differences
    }

    /// Leads missing from the CRM.
    public var missing: [ExpectedMember] {
        differences.compactMap { if case .missing(let expected) = $0 { expected } else { nil } }
    }

    /// Members at another status, with the CRM's status.
    public var wrongStatus: [(expected: ExpectedMember, actual: String)] {
        differences.compactMap {
            if case .wrongStatus(let expected, let actual) = $0 { (expected, actual) } else { nil }
        }
    }

    /// Members the fold does not know.
    public var extra: [CRMMember] {
        differences.compactMap { if case .extra(let member) = $0 { member } else { nil } }
    }

    /// Members Marketo kept at a higher step after an allowed backward transition (not drift).
    public var keptHigherStep: Int {
        differences.count { !$0.isDrift }
    }

    /// Differences that are drift.
    public var driftCount: Int { differences.count { $0.isDrift } }
}
