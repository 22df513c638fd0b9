// MARK: - EngagementMetric

/// One metric of an engagement snapshot, with its exact JSON name (docs/events.md) and its kind.
///
/// The raw value is the metric's bit in snapshots and must never be renumbered.
public enum EngagementMetric: UInt8, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// How a metric's value is typed and bounded.
    public enum Kind: Sendable, Hashable {
        /// An integer >= 0 (`Int`).
        case count
        /// A number >= 0: minutes viewed, and `mic_on` / `cam_on`, whose unit the contract does not state (`Double`).
        case quantity
        /// A number in 0...1 (`Double`).
        case rate
    }

    /// `plays`: a count (integer >= 0).
    case plays = 0
    /// `vod_minutes_viewed`: an amount (number >= 0).
    case vodMinutesViewed = 1
    /// `live_minutes_viewed`: an amount (number >= 0).
    case liveMinutesViewed = 2
    /// `total_vod_completion_rate`: a rate (number in 0...1).
    case totalVodCompletionRate = 3
    /// `no_live_engagement_rate`: a rate (number in 0...1).
    case noLiveEngagementRate = 4
    /// `low_live_engagement_rate`: a rate (number in 0...1).
    case lowLiveEngagementRate = 5
    /// `fair_live_engagement_rate`: a rate (number in 0...1).
    case fairLiveEngagementRate = 6
    /// `good_live_engagement_rate`: a rate (number in 0...1).
    case goodLiveEngagementRate = 7
    /// `high_live_engagement_rate`: a rate (number in 0...1).
    case highLiveEngagementRate = 8
    /// `clap_clicked_count`: a count (integer >= 0).
    case clapClickedCount = 9
    /// `heart_clicked_count`: a count (integer >= 0).
    case heartClickedCount = 10
    /// `think_clicked_count`: a count (integer >= 0).
    case thinkClickedCount = 11
    /// `wow_clicked_count`: a count (integer >= 0).
    case wowClickedCount = 12
    /// `smile_clicked_count`: a count (integer >= 0).
    case smileClickedCount = 13
    /// `answered_polls`: a count (integer >= 0).
    case answeredPolls = 14
    /// `messages_sent_group`: a count (integer >= 0).
    case messagesSentGroup = 15
    /// `qna_threads`: a count (integer >= 0).
    case qnaThreads = 16
    /// `combined_live_engaged_users_play_time_ratio`: a rate (number in 0...1).
    case combinedLiveEngagedUsersPlayTimeRatio = 17
    /// `download_attachment`: a count (integer >= 0).
    case downloadAttachment = 18
    /// `add_to_calendar`: a count (integer >= 0).
    case addToCalendar = 19
    /// `mic_on`: an amount (number >= 0).
    case micOn = 20
    /// `cam_on`: an amount (number >= 0).
    case camOn = 21
    /// `total_reactions_activity`: a count (integer >= 0).
    case totalReactionsActivity = 22
    /// `raise_hand`: a count (integer >= 0).
    case raiseHand = 23

    /// The exact JSON field name inside `metrics`.
    public var key: String { Self.keys[Int(rawValue)] }

    /// ``key`` by raw value, made once from ``staticKey`` (the one table of names).
    private static let keys: [String] = {
        var keys = [String](repeating: "", count: allCases.count)
        for metric in allCases { keys[Int(metric.rawValue)] = metric.staticKey.description }
        return keys
    }()

    /// The key as a static string, for allocation-free matching while decoding.
    var staticKey: StaticString {
        switch self {
        case .plays: "plays"
        case .vodMinutesViewed: "vod_minutes_viewed"
        case .liveMinutesViewed: "live_minutes_viewed"
        case .totalVodCompletionRate: "total_vod_completion_rate"
        case .noLiveEngagementRate: "no_live_engagement_rate"
        case .lowLiveEngagementRate: "low_live_engagement_rate"
        case .fairLiveEngagementRate: "fair_live_engagement_rate"
        case .goodLiveEngagementRate: "good_live_engagement_rate"
        case .highLiveEngagementRate: "high_live_engagement_rate"
        case .clapClickedCount: "clap_clicked_count"
        case .heartClickedCount: "heart_clicked_count"
        case .thinkClickedCount: "think_clicked_count"
        case .wowClickedCount: "wow_clicked_count"
        case .smileClickedCount: "smile_clicked_count"
        case .answeredPolls: "answered_polls"
        case .messagesSentGroup: "messages_sent_group"
        case .qnaThreads: "qna_threads"
        case .combinedLiveEngagedUsersPlayTimeRatio: "combined_live_engaged_users_play_time_ratio"
        case .downloadAttachment: "download_attachment"
        case .addToCalendar: "add_to_calendar"
        case .micOn: "mic_on"
        case .camOn: "cam_on"
        case .totalReactionsActivity: "total_reactions_activity"
        case .raiseHand: "raise_hand"
        }
    }

    /// The kind of value.
    public var kind: Kind {
        switch self {
        case .plays, .clapClickedCount, .heartClickedCount, .thinkClickedCount, .wowClickedCount, .smileClickedCount,
            .answeredPolls, .messagesSentGroup, .qnaThreads, .downloadAttachment, .addToCalendar,
            .totalReactionsActivity, .raiseHand:
            .count
        case .vodMinutesViewed, .liveMinutesViewed, .micOn, .camOn: .quantity
        case .totalVodCompletionRate, .noLiveEngagementRate, .lowLiveEngagementRate, .fairLiveEngagementRate,
            .goodLiveEngagementRate, .highLiveEngagementRate, .combinedLiveEngagedUsersPlayTimeRatio:
            .rate
        }
    }

    /// The key.
    public var description: String { key }

    /// Every metric in raw-value order, built once: the synthesized `allCases` makes a new array on every call,
    /// which the hot paths must not pay for.
    static let ordered: [EngagementMetric] = allCases

    /// The number of metrics (the bit width of presence masks).
    static let count = ordered.count
}
