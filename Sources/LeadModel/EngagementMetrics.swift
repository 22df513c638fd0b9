// MARK: - EngagementMetrics

/// The cumulative metrics of an engagement snapshot. Every metric is optional: `nil` means unknown (not sent),
/// which is not the same as 0. Counts are `Int`, quantities and rates `Double`; the decoder guarantees counts and
/// quantities are >= 0 and rates within 0...1.
public struct EngagementMetrics: Sendable, Hashable {
    /// `plays`.
    public var plays: Int?
    /// `vod_minutes_viewed`.
    public var vodMinutesViewed: Double?
    /// `live_minutes_viewed`.
    public var liveMinutesViewed: Double?
    /// `total_vod_completion_rate`.
    public var totalVodCompletionRate: Double?
    /// `no_live_engagement_rate`.
    public var noLiveEngagementRate: Double?
    /// `low_live_engagement_rate`.
    public var lowLiveEngagementRate: Double?
    /// `fair_live_engagement_rate`.
    public var fairLiveEngagementRate: Double?
    /// `good_live_engagement_rate`.
    public var goodLiveEngagementRate: Double?
    /// `high_live_engagement_rate`.
    public var highLiveEngagementRate: Double?
    /// `clap_clicked_count`.
    public var clapClickedCount: Int?
    /// `heart_clicked_count`.
    public var heartClickedCount: Int?
    /// `think_clicked_count`.
    public var thinkClickedCount: Int?
    /// `wow_clicked_count`.
    public var wowClickedCount: Int?
    /// `smile_clicked_count`.
    public var smileClickedCount: Int?
    /// `answered_polls`.
    public var answeredPolls: Int?
    /// `messages_sent_group`.
    public var messagesSentGroup: Int?
    /// `qna_threads`.
    public var qnaThreads: Int?
    /// `combined_live_engaged_users_play_time_ratio`.
    public var combinedLiveEngagedUsersPlayTimeRatio: Double?
    /// `download_attachment`.
    public var downloadAttachment: Int?
    /// `add_to_calendar`.
    public var addToCalendar: Int?
    /// `mic_on`.
    public var micOn: Double?
    /// `cam_on`.
    public var camOn: Double?
    /// `total_reactions_activity`.
    public var totalReactionsActivity: Int?
    /// `raise_hand`.
    public var raiseHand: Int?

    /// Metrics with every value unknown; set the known ones afterwards.
    public init() {}


    /// The value of a metric as a `Double` (counts converted), or `nil` when unknown.
    public subscript(metric: EngagementMetric) -> Double? {
        switch metric {
        case .plays: plays.map(Double.init)
        case .vodMinutesViewed: vodMinutesViewed
        case .liveMinutesViewed: liveMinutesViewed
        case .totalVodCompletionRate: totalVodCompletionRate
        case .noLiveEngagementRate: noLiveEngagementRate
        case .lowLiveEngagementRate: lowLiveEngagementRate
        case .fairLiveEngagementRate: fairLiveEngagementRate
        case .goodLiveEngagementRate: goodLiveEngagementRate
        case .highLiveEngagementRate: highLiveEngagementRate
        case .clapClickedCount: clapClickedCount.map(Double.init)
        case .heartClickedCount: heartClickedCount.map(Double.init)
        case .thinkClickedCount: thinkClickedCount.map(Double.init)
        case .wowClickedCount: wowClickedCount.map(Double.init)
        case .smileClickedCount: smileClickedCount.map(Double.init)
        case .answeredPolls: answeredPolls.map(Double.init)
        case .messagesSentGroup: messagesSentGroup.map(Double.init)
        case .qnaThreads: qnaThreads.map(Double.init)
        case .combinedLiveEngagedUsersPlayTimeRatio: combinedLiveEngagedUsersPlayTimeRatio
        case .downloadAttachment: downloadAttachment.map(Double.init)
        case .addToCalendar: addToCalendar.map(Double.init)
        case .micOn: micOn
        case .camOn: camOn
        case .totalReactionsActivity: totalReactionsActivity.map(Double.init)
        case .raiseHand: raiseHand.map(Double.init)
        }
    }

    /// The value of a count metric; `nil` when unknown or when the metric is not a count.
    public func count(_ metric: EngagementMetric) -> Int? {
        switch metric {
        case .plays: plays
        case .clapClickedCount: clapClickedCount
        case .heartClickedCount: heartClickedCount
        case .thinkClickedCount: thinkClickedCount
        case .wowClickedCount: wowClickedCount
        case .smileClickedCount: smileClickedCount
        case .answeredPolls: answeredPolls
        case .messagesSentGroup: messagesSentGroup
        case .qnaThreads: qnaThreads
        case .downloadAttachment: downloadAttachment
        case .addToCalendar: addToCalendar
        case .totalReactionsActivity: totalReactionsActivity
        case .raiseHand: raiseHand
        default: nil
        }
    }

    /// Sets a count metric (ignored for other kinds).
    public mutating func setCount(_ metric: EngagementMetric, _ value: Int?) {
        switch metric {
        case .plays: plays = value
        case .clapClickedCount: clapClickedCount = value
        case .heartClickedCount: heartClickedCount = value
        case .thinkClickedCount: thinkClickedCount = value
        case .wowClickedCount: wowClickedCount = value
        case .smileClickedCount: smileClickedCount = value
        case .answeredPolls: answeredPolls = value
        case .messagesSentGroup: messagesSentGroup = value
        case .qnaThreads: qnaThreads = value
        case .downloadAttachment: downloadAttachment = value
        case .addToCalendar: addToCalendar = value
        case .totalReactionsActivity: totalReactionsActivity = value
        case .raiseHand: raiseHand = value
        default: break
        }
    }

    /// Sets a quantity or rate metric (ignored for counts).
    public mutating func setNumber(_ metric: EngagementMetric, _ value: Double?) {
        switch metric {
        case .vodMinutesViewed: vodMinutesViewed = value
        case .liveMinutesViewed: liveMinutesViewed = value
        case .totalVodCompletionRate: totalVodCompletionRate = value
        case .noLiveEngagementRate: noLiveEngagementRate = value
        case .lowLiveEngagementRate: lowLiveEngagementRate = value
        case .fairLiveEngagementRate: fairLiveEngagementRate = value
        case .goodLiveEngagementRate: goodLiveEngagementRate = value
        case .highLiveEngagementRate: highLiveEngagementRate = value
        case .combinedLiveEngagedUsersPlayTimeRatio: combinedLiveEngagedUsersPlayTimeRatio = value
        case .micOn: micOn = value
        case .camOn: camOn = value
        default: break
        }
    }

    /// How many metrics are known.
    public var knownCount: Int {
        EngagementMetric.allCases.reduce(0) { $0 + (self[$1] == nil ? 0 : 1) }
    }
}
