/// How far a replay has come, for progress lines.
public struct DeadLetterReplayProgress: Sendable, Hashable {
    /// The replay's steps.
    public enum Phase: String, Sendable, Hashable {
        /// Reading the dead-letter topics.
        case reading
        /// Reading the target partitions for records this replay id already re-published.
        case checking
        /// Re-publishing.
        case replaying
    }

    /// The current step.
    public var phase: Phase
    /// Dead letters read.
    public var scanned: Int
    /// Of those, the ones that passed the filter.
    public var matched: Int
    /// Target records read while checking.
    public var checked: Int
    /// Records to re-publish in this run.
    public var planned: Int
    /// Records re-published so far.
    public var replayed: Int
    /// Records that failed so far.
    public var failed: Int
}
