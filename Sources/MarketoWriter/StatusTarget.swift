// MARK: - StatusTarget

/// A program and a status name: the leads of one Sync Program Member Status call (or one bulk import).
struct StatusTarget: Hashable, Sendable {
    var programId: Int
    var statusName: String
}

/// A member status command whose lead is known.
struct StatusMember: Sendable {
    /// The item's index in the batch.
    var index: Int
    /// The lead's email (to forget a stale id).
    var email: String
    /// The lead id.
    var leadId: Int
}
