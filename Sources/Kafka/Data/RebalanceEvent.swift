/// A change of a consumer's assignment, reported to the hook given at creation.
///
/// The hook runs synchronously on the thread that polls, inside the poll call:
/// - for ``assigned(_:)`` after the partitions were added (pause them there to restore state before any record
///   is handed out);
/// - for ``revoked(_:)`` and ``lost(_:)`` before the partitions are removed, so work on them can be committed
///   (revoked) or discarded (lost: another member may own them already; committing would be wrong).
public enum RebalanceEvent: Sendable, Hashable {
    case assigned([TopicPartition])
    case revoked([TopicPartition])
    case lost([TopicPartition])
}
