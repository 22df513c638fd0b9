// MARK: - ParticipatedRule

/// When an engagement snapshot makes a lead `Participated`.
///
/// The first snapshot of an event in which any threshold is exceeded (strictly greater) moves a lead whose status
/// in that event is at or below `Attended` (step <= 50, or no status yet) to `Participated`, at the snapshot's
/// `occurredAt`. Unknown metrics never trigger it.
public struct ParticipatedRule: Sendable, Hashable {
    /// Whether the rule is on (it is by default).
    public var isEnabled: Bool
    /// Live minutes viewed must exceed this.
    public var liveMinutesAbove: Double
    /// VOD minutes viewed must exceed this.
    public var vodMinutesAbove: Double
    /// Plays must exceed this.
    public var playsAbove: Int

    /// Creates a rule; the defaults are docs/architecture.md's (any live or VOD minute or play).
    public init(isEnabled: Bool = true, liveMinutesAbove: Double = 0, vodMinutesAbove: Double = 0, playsAbove: Int = 0)
    {
        self.isEnabled = isEnabled
        self.liveMinutesAbove = liveMinutesAbove
        self.vodMinutesAbove = vodMinutesAbove
        self.playsAbove = playsAbove
    }

    /// The rule switched off.
    public static let disabled = ParticipatedRule(isEnabled: false)

    /// Whether the metrics meet the rule.
    public func isMet(by metrics: EngagementMetrics) -> Bool {
        guard isEnabled else { return false }
        if let live = metrics.liveMinutesViewed, live > liveMinutesAbove { return true }
        if let vod = metrics.vodMinutesViewed, vod > vodMinutesAbove { return true }
        if let plays = metrics.plays, plays > playsAbove { return true }
        return false
    }
}
