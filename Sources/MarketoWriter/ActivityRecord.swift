import Foundation
import LeadModel

// MARK: - ActivityRecord

/// One custom activity to add, standing for the commands with its command id.
struct ActivityRecord: Sendable {
    /// The batch indices of the commands it carries (one, unless the batch repeats a command).
    var indices: [Int]
    /// The lead's email (to forget a stale id).
    var email: String
    /// The lead id.
    var leadId: Int
    /// The command id, kept in the activity and in the delivered set.
    var commandId: String
    /// The engagement snapshot.
    var snapshot: EngagementSnapshot
    /// When the snapshot was taken (the activity date).
    var occurredAt: Date
    /// The virtual event.
    var virtualEventId: String
}
