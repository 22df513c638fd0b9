/// How a replay runs: under which id, for real or not, how fast and how many.
public struct DeadLetterReplayOptions: Sendable, Hashable {
    /// The replay id: a dead letter is re-published at most once per replay id, across crashes and reruns.
    public var replayId: String
    /// Plan only: read, filter and check what was already replayed, publish nothing.
    public var isDryRun: Bool
    /// The most records re-published per second; `nil` for no limit.
    public var recordsPerSecond: Double?
    /// The most records re-published by this run; `nil` for all that match.
    public var limit: Int?

    /// The longest replay id.
    public static let maxReplayIdLength = 200

    /// Creates options.
    /// - Throws: ``DeadLetterError/Code/invalidArgument`` for an empty or over-long replay id, one with
    ///   whitespace or control characters, a rate that is not a positive number, or a limit below 1.
    public init(
        replayId: String,
        isDryRun: Bool = false,
        recordsPerSecond: Double? = nil,
        limit: Int? = nil
    ) throws(DeadLetterError) {
        guard !replayId.isEmpty else {
            throw .invalidArgument(
                "the replay id is empty; choose one that names the fix, e.g. acme-mapping-2026-11-24"
            )
        }
        guard replayId.count <= Self.maxReplayIdLength else {
            throw .invalidArgument("the replay id has \(replayId.count) characters; at most \(Self.maxReplayIdLength)")
        }
        guard
            !replayId.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F
            })
        else {
            throw .invalidArgument("the replay id '\(replayId)' contains whitespace or control characters")
        }
        if let recordsPerSecond, !(recordsPerSecond.isFinite && recordsPerSecond > 0) {
            throw .invalidArgument("the rate must be a positive number of records per second, not \(recordsPerSecond)")
        }
        if let limit, limit < 1 {
            throw .invalidArgument("the limit must be at least 1, not \(limit)")
        }
        self.replayId = replayId
        self.isDryRun = isDryRun
        self.recordsPerSecond = recordsPerSecond
        self.limit = limit
    }
}
