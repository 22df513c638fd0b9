/// How Sync Custom Objects finds an existing record (`dedupeBy`).
public enum MarketoCustomObjectDedupeMode: String, Sendable, Hashable, CaseIterable {
    /// By the object's dedupe fields, which every record must hold (the default).
    case dedupeFields
    /// By `marketoGUID`; only with ``MarketoCustomObjectSyncAction/updateOnly``.
    case idField
}
