import Marketo

// MARK: - BulkMember

/// A member status command that goes into a program member import (no lead id needed: rows are keyed by email).
struct BulkMember: Sendable {
    /// The item's index in the batch.
    var index: Int
    /// The lead's email.
    var email: String
    /// `email` and the mapped profile fields.
    var fields: [String: MarketoFieldValue]
}
