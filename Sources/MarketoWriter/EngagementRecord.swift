import Marketo

// MARK: - EngagementRecord

/// One custom object record to upsert, standing for the commands it coalesces (same lead, same entry).
struct EngagementRecord: Sendable {
    /// The batch indices of the commands it carries.
    var indices: [Int]
    /// The lead's email (to forget a stale id).
    var email: String
    /// The lead id (`personId`).
    var leadId: Int
    /// The entry id (`entry_id`).
    var entryId: String
    /// The record's fields.
    var fields: [String: MarketoFieldValue]
}
