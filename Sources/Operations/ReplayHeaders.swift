/// The headers `leadsync dlq replay` puts on every record it re-publishes.
///
/// They are also the replay's ledger: before replaying, the replayer reads the target partitions for records
/// that carry the same ``id`` and skips the dead letters named in their ``source``, so a replay id never
/// re-publishes a dead letter twice, across crashes and reruns.
public enum ReplayHeaders {
    /// The operator's replay id (`--replay-id`).
    public static let id = "leadsync.replay.id"
    /// The dead letter the record was replayed from: `topic/partition/offset` (see ``DeadLetterReference``).
    public static let source = "leadsync.replay.source"
    /// When it was replayed (RFC 3339).
    public static let replayedAt = "leadsync.replay.at"
}
