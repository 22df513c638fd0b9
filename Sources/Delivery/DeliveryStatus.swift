public import Foundation

// MARK: - DeliveryStatus

/// What a writer has done since it started (for health endpoints, progress displays and tests).
public struct DeliveryStatus: Sendable, Hashable {
    /// Records consumed from the command and retry topics.
    public var consumed = 0
    /// Commands the CRM took.
    public var delivered = 0
    /// Commands the sink had no need to send (already delivered).
    public var skipped = 0
    /// Commands replaced by a newer one of the same lead and key in the same batch.
    public var superseded = 0
    /// Retried commands dropped because a newer one of the lead was delivered meanwhile.
    public var stale = 0
    /// Commands routed to the retry topic.
    public var retried = 0
    /// Times a command was held in memory because its subscription is parked briefly (it is delivered when the
    /// park ends, without going through the retry topic).
    public var held = 0
    /// Commands routed to the dead-letter topic.
    public var deadLettered = 0
    /// Consumed records skipped because the ledger says they were routed already (by an instance that stopped
    /// before committing them): each command reaches the retry or dead-letter topic once.
    public var alreadyRouted = 0
    /// API batches handed to the sink.
    public var batches = 0
    /// Consumed commands whose offsets cannot be committed yet.
    public var unfinished = 0
    /// Retries held until their not-before time.
    public var delayed = 0
    /// Subscriptions parked by a spent quota, and until when.
    public var parkedSubscriptions: [String: Date] = [:]
    /// Partitions assigned to this member.
    public var assignedPartitions = 0
    /// Offset commits made.
    public var commits = 0
    /// Whether the member has joined its group and polls.
    public var isRunning = false
}
