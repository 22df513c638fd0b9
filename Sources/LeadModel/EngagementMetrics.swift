// MARK: - EngagementMetrics

/// The cumulative metrics of an engagement snapshot. Every metric is optional: `nil` means unknown (not sent),
/// which is not the same as 0. Counts are `Int`, quantities and rates `Double`; the decoder guarantees counts and
/// quantities are >= 0 and rates within 0...1.
///
/// Storage is a presence mask and one array of 64-bit words (a count's `Int64` bits or a number's IEEE bits) that
/// is allocated only when a metric is set, so events without metrics (every attendee event path) stay small and
/// cheap to move.
public struct EngagementMetrics: Sendable, Hashable {
    /// Bit `metric.rawValue` is set when the metric is known.
    private var presence: UInt32 = 0
    /// One word per metric, indexed by raw value; empty until a metric is set.
    private var words: [UInt64] = []

    /// Metrics with every value unknown; set the known ones afterwards.
    public init() {}

    // MARK: - Typed access

    /// `plays`.
    public var plays: Int? {
        get { count(.plays) }
        set { setCount(.plays, newValue) }
    }

    /// `vod_minutes_viewed`.
    public var vodMinutesViewed: Double? {
        get { number(.vodMinutesViewed) }
        set { setNumber(.vodMinutesViewed, newValue) }
    }

    /// `live_minutes_viewed`.
    public var liveMinutesViewed: Double? {
        get { number(.liveMinutesViewed) }
        set { setNumber(.liveMinutesViewed, newValue) }
    }

    /// `total_vod_completion_rate`.
    public var totalVodCompletionRate: Double? {
        get { number(.totalVodCompletionRate) }
        set { setNumber(.totalVodCompletionRate, newValue) }
    }

    /// `no_live_engagement_rate`.
    public var noLiveEngagementRate: Double? {
        get { number(.noLiveEngagementRate) }
        set { setNumber(.noLiveEngagementRate, newValue) }
    }

    /// `low_live_engagement_rate`.
    public var lowLiveEngagementRate: Double? {
        get { number(.lowLiveEngagementRate) }
        set { setNumber(.lowLiveEngagementRate, newValue) }
    }

    /// `fair_live_engagement_rate`.
    public var fairLiveEngagementRate: Double? {
        get { number(.fairLiveEngagementRate) }
        set { setNumber(.fairLiveEngagementRate, newValue) }
    }

    /// `good_live_engagement_rate`.
    public var goodLiveEngagementRate: Double? {
        get { number(.goodLiveEngagementRate) }
        set { setNumber(.goodLiveEngagementRate, newValue) }
    }

    /// `high_live_engagement_rate`.
    public var highLiveEngagementRate: Double? {
        get { number(.highLiveEngagementRate) }
        set { setNumber(.highLiveEngagementRate, newValue) }
    }

    /// `clap_clicked_count`.
    public var clapClickedCount: Int? {
        get { count(.clapClickedCount) }
        set { setCount(.clapClickedCount, newValue) }
    }

    /// `heart_clicked_count`.
    public var heartClickedCount: Int? {
        get { count(.heartClickedCount) }
        set { setCount(.heartClickedCount, newValue) }
    }

    /// `think_clicked_count`.
    public var thinkClickedCount: Int? {
        get { count(.thinkClickedCount) }
        set { setCount(.thinkClickedCount, newValue) }
    }

    /// `wow_clicked_count`.
    public var wowClickedCount: Int? {
        get { count(.wowClickedCount) }
        set { setCount(.wowClickedCount, newValue) }
    }

    /// `smile_clicked_count`.
    public var smileClickedCount: Int? {
        get { count(.smileClickedCount) }
        set { setCount(.smileClickedCount, newValue) }
    }

    /// `answered_polls`.
    public var answeredPolls: Int? {
        get { count(.answeredPolls) }
        set { setCount(.answeredPolls, newValue) }
    }

    /// `messages_sent_group`.
    public var messagesSentGroup: Int? {
        get { count(.messagesSentGroup) }
        set { setCount(.messagesSentGroup, newValue) }
    }

    /// `qna_threads`.
    public var qnaThreads: Int? {
        get { count(.qnaThreads) }
        set { setCount(.qnaThreads, newValue) }
    }

    /// `combined_live_engaged_users_play_time_ratio`.
    public var combinedLiveEngagedUsersPlayTimeRatio: Double? {
        get { number(.combinedLiveEngagedUsersPlayTimeRatio) }
        set { setNumber(.combinedLiveEngagedUsersPlayTimeRatio, newValue) }
    }

    /// `download_attachment`.
    public var downloadAttachment: Int? {
        get { count(.downloadAttachment) }
        set { setCount(.downloadAttachment, newValue) }
    }

    /// `add_to_calendar`.
    public var addToCalendar: Int? {
        get { count(.addToCalendar) }
        set { setCount(.addToCalendar, newValue) }
    }

    /// `mic_on`.
    public var micOn: Double? {
        get { number(.micOn) }
        set { setNumber(.micOn, newValue) }
    }

    /// `cam_on`.
    public var camOn: Double? {
        get { number(.camOn) }
        set { setNumber(.camOn, newValue) }
    }

    /// `total_reactions_activity`.
    public var totalReactionsActivity: Int? {
        get { count(.totalReactionsActivity) }
        set { setCount(.totalReactionsActivity, newValue) }
    }

    /// `raise_hand`.
    public var raiseHand: Int? {
        get { count(.raiseHand) }
        set { setCount(.raiseHand, newValue) }
    }

    // MARK: - Generic access

    @inline(__always)
    private func isKnown(_ metric: EngagementMetric) -> Bool {
        presence & (1 << UInt32(metric.rawValue)) != 0
    }

    private mutating func store(_ metric: EngagementMetric, _ word: UInt64?) {
        let bit: UInt32 = 1 << UInt32(metric.rawValue)
        guard let word else {
            presence &= ~bit
            return
        }
        if words.isEmpty { words = [UInt64](repeating: 0, count: EngagementMetric.count) }
        words[Int(metric.rawValue)] = word
        presence |= bit
    }

    /// The value of a metric as a `Double` (counts converted), or `nil` when unknown.
    public subscript(metric: EngagementMetric) -> Double? {
        guard isKnown(metric) else { return nil }
        let word = words[Int(metric.rawValue)]
        return metric.kind == .count ? Double(Int64(bitPattern: word)) : Double(bitPattern: word)
    }

    /// The value of a count metric; `nil` when unknown or when the metric is not a count.
    public func count(_ metric: EngagementMetric) -> Int? {
        guard metric.kind == .count, isKnown(metric) else { return nil }
        return Int(truncatingIfNeeded: Int64(bitPattern: words[Int(metric.rawValue)]))
    }

    /// The value of a quantity or rate metric; `nil` when unknown or when the metric is a count.
    public func number(_ metric: EngagementMetric) -> Double? {
        guard metric.kind != .count, isKnown(metric) else { return nil }
        return Double(bitPattern: words[Int(metric.rawValue)])
    }

    /// Sets a count metric (`nil`: unknown); ignored for other kinds.
    public mutating func setCount(_ metric: EngagementMetric, _ value: Int?) {
        guard metric.kind == .count else { return }
        store(metric, value.map { UInt64(bitPattern: Int64($0)) })
    }

    /// Sets a quantity or rate metric (`nil`: unknown); ignored for counts.
    public mutating func setNumber(_ metric: EngagementMetric, _ value: Double?) {
        guard metric.kind != .count else { return }
        store(metric, value.map(\.bitPattern))
    }

    /// How many metrics are known.
    public var knownCount: Int { presence.nonzeroBitCount }

    // MARK: - Equality on known values only

    /// Equal when the same metrics are known with the same values (numbers compare as `Double`, so 0 == -0).
    public static func == (lhs: EngagementMetrics, rhs: EngagementMetrics) -> Bool {
        guard lhs.presence == rhs.presence else { return false }
        for metric in EngagementMetric.ordered where lhs.isKnown(metric) {
            if metric.kind == .count {
                guard lhs.count(metric) == rhs.count(metric) else { return false }
            } else {
                guard lhs.number(metric) == rhs.number(metric) else { return false }
            }
        }
        return true
    }

    /// Hashes the known values consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(presence)
        for metric in EngagementMetric.ordered where isKnown(metric) {
            if metric.kind == .count {
                hasher.combine(count(metric))
            } else {
                hasher.combine(number(metric))
            }
        }
    }
}
