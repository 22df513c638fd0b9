/// The `action` of Sync Custom Objects.
public enum MarketoCustomObjectSyncAction: String, Sendable, Hashable, CaseIterable {
    /// Update the record found by its key, or create it (the default).
    case createOrUpdate
    /// Create only; an existing record fails with 1017.
    case createOnly
    /// Update only; a missing record fails with 1013.
    case updateOnly
}
