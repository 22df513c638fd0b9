// MARK: - FoldSettings

/// The fold role: its consumer group, transaction cadence and local state.
public struct FoldSettings: Sendable, Hashable {
    /// The consumer group (default `leadsync-fold`).
    public var groupId: String
    /// The longest time between two transaction commits (default 100ms).
    public var commitInterval: Duration
    /// The most input records folded in one transaction (default 5000).
    public var commitMaxRecords: Int
    /// Where the local state snapshots live (default `.leadsync/state`).
    public var stateDirectory: String
    /// How often the settle-window timer looks for quiet engagement entries (default 1s).
    public var settleCheckInterval: Duration
    /// Threads that fold one poll's partitions at once (default 2); partitions are independent, so more threads
    /// than assigned partitions or cores gain nothing.
    public var threads: Int

    /// Creates fold settings; every default is the documented one.
    public init(
        groupId: String = "leadsync-fold",
        commitInterval: Duration = .milliseconds(100),
        commitMaxRecords: Int = 5000,
        stateDirectory: String = ".leadsync/state",
        settleCheckInterval: Duration = .seconds(1),
        threads: Int = 2
    ) {
        self.groupId = groupId
        self.commitInterval = commitInterval
        self.commitMaxRecords = commitMaxRecords
        self.stateDirectory = stateDirectory
        self.settleCheckInterval = settleCheckInterval
        self.threads = threads
    }
}
