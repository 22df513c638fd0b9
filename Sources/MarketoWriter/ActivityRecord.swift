import Delivery
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
    /// The command id, kept in the activity (when its type has the attribute) and in the effect ledger's key.
    var commandId: String
    /// The engagement snapshot.
    var snapshot: EngagementSnapshot
    /// When the snapshot was taken (the activity date).
    var occurredAt: Date
    /// The virtual event.
    var virtualEventId: String
    /// The command partition (where the activity's ledger entries live).
    var partition: Int32

    /// The activity's key in the effect ledger.
    var effectKey: EffectKey {
        Self.effectKey(munchkinId: munchkinId, commandId: commandId, partition: partition)
    }

    /// The subscription (set with the record: one batch is one tenant).
    var munchkinId: String

    /// The effect ledger key of a Marketo activity: the subscription and the command id.
    static func effectKey(munchkinId: String, commandId: String, partition: Int32) -> EffectKey {
        EffectKey(partition: partition, id: "marketo-activity/\(munchkinId)/\(commandId)")
    }
}
