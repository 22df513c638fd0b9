/// The `action` of Sync Leads.
public enum MarketoLeadSyncAction: String, Sendable, Hashable, CaseIterable {
    /// Update the lead found by the lookup field, or create it (the default).
    case createOrUpdate
    /// Create only; an existing lead is skipped with 1005.
    case createOnly
    /// Update only; a missing lead is skipped with 1004. The only action that accepts `id` as lookup field.
    case updateOnly
    /// Always create, even when a lead with the same lookup value exists.
    case createDuplicate
}
