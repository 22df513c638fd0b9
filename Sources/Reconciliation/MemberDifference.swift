import LeadModel

// MARK: - MemberDifference

/// One way a CRM member differs from the fold's state.
public enum MemberDifference: Sendable, Hashable {
    /// The fold has the lead in the event; the CRM has no member for it.
    case missing(ExpectedMember)
    /// The CRM holds another status than the fold.
    case wrongStatus(ExpectedMember, actual: String)
    /// The CRM has a member the fold does not know in this event (reported, never deleted).
    case extra(CRMMember)
    /// Marketo holds a higher step because the fold moved back by an allowed backward transition and Marketo
    /// never moves a member to a lower step: expected, not drift.
    case keptHigherStep(ExpectedMember, actual: String)

    /// The email of the member concerned.
    public var email: String {
        switch self {
        case .missing(let expected), .wrongStatus(let expected, _), .keptHigherStep(let expected, _):
            expected.leadKey.email
        case .extra(let member): member.email
        }
    }

    /// Whether this is drift (everything but ``keptHigherStep(_:actual:)``).
    public var isDrift: Bool {
        if case .keptHigherStep = self { return false }
        return true
    }

    /// The kind as a short machine name: `missing`, `wrongStatus`, `extra`, `keptHigherStep`.
    public var kindName: String {
        switch self {
        case .missing: "missing"
        case .wrongStatus: "wrongStatus"
        case .extra: "extra"
        case .keptHigherStep: "keptHigherStep"
        }
    }
}
