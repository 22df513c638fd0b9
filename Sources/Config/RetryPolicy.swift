// MARK: - RetryPolicy

/// How a writer retries transient failures through its retry topic before dead-lettering them.
public struct RetryPolicy: Sendable, Hashable {
    /// Deliveries tried in all, the first included (default 10).
    public var maxAttempts: Int
    /// The wait before the first retry; doubled each time, with jitter (default 1s).
    public var initialBackoff: Duration
    /// The longest wait between two attempts (default 5m).
    public var maxBackoff: Duration
    /// How long after its first failure a command may still be retried (default 24h).
    public var maxAge: Duration

    /// Creates a policy; every default is the documented one.
    public init(
        maxAttempts: Int = 10,
        initialBackoff: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(300),
        maxAge: Duration = .seconds(86_400)
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxAge = maxAge
    }
}
