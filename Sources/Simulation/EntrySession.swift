import Basics
import LeadModel

// MARK: - EntrySession

/// The growing engagement of a lead with one entry (a session video): each ``advance(_:sessionEnded:)`` adds some
/// viewing and interaction, so counts and minutes never decrease from one snapshot to the next.
struct EntrySession {
    let entryId: String
    let entryName: String
    let channel: (id: Int, name: String)?
    /// The `entry` object's JSON, written once for all snapshots.
    let entryJSON: [UInt8]
    /// `,"channel":{...}`, or nothing when the producer omits the channel.
    let channelJSON: [UInt8]
    /// Live viewing (minutes live, engagement rates) or on demand (VOD minutes, completion rate).
    let isLive: Bool
    private let presence: UInt32
    private var values: [Int64]
    private var snapshots = 0

    /// Every metric, built once (`allCases` builds an array on each call).
    static let metrics: [EngagementMetric] = EngagementMetric.allCases
    /// The reaction counts whose sum is `total_reactions_activity`.
    private static let reactions: [EngagementMetric] = [
        .clapClickedCount, .heartClickedCount, .thinkClickedCount, .wowClickedCount, .smileClickedCount,
    ]
    private static let entryIdAlphabet: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)

    init(_ random: inout SplitMix64) {
        var id = "1_"
        let alphabet = EntrySession.entryIdAlphabet
        for _ in 0..<8 { id.unicodeScalars.append(Unicode.Scalar(alphabet[random.below(alphabet.count)])) }
        entryId = id
        entryName = random.pick(SimulationVocabulary.sessionNames)
        channel = random.chance(0.9) ? (random.within(1...40), random.pick(SimulationVocabulary.channelNames)) : nil
        var entry = JSONBodyWriter(capacity: 64)
        entry.raw("{\"id\":")
        entry.string(entryId)
        entry.raw(",\"name\":")
        entry.string(entryName)
        entry.byte(UInt8(ascii: "}"))
        entryJSON = entry.bytes
        if let channel {
            var fragment = JSONBodyWriter(capacity: 48)
            fragment.raw(",\"channel\":{\"id\":")
            fragment.integer(Int64(channel.id))
            fragment.raw(",\"name\":")
            fragment.string(channel.name)
            fragment.byte(UInt8(ascii: "}"))
            channelJSON = fragment.bytes
        } else {
            channelJSON = []
        }
        isLive = random.chance(0.75)
        var presence: UInt32 = (1 << UInt32(EntrySession.metrics.count)) - 1
        if random.chance(0.6) {
            presence &= ~(1 << UInt32(EngagementMetric.micOn.rawValue))
            presence &= ~(1 << UInt32(EngagementMetric.camOn.rawValue))
        }
        self.presence = presence
        values = [Int64](repeating: 0, count: EntrySession.metrics.count)
    }

    /// Moves the session on by one snapshot interval and returns the snapshot.
    mutating func advance(_ random: inout SplitMix64, sessionEnded: Bool) -> EngagementSnapshot {
        func add(_ metric: EngagementMetric, _ amount: Int64) { values[Int(metric.rawValue)] += amount }
        func set(_ metric: EngagementMetric, _ value: Int64) { values[Int(metric.rawValue)] = value }

        if snapshots == 0 {
            set(.plays, 1)
        } else if random.chance(0.15) {
            add(.plays, 1)
        }
        snapshots += 1
        if isLive {
            add(.liveMinutesViewed, random.within(Int64(0)...1500))
            // Five shares of attention that sum to 1.000.
            var cuts = (
                random.within(Int64(0)...1000), random.within(Int64(0)...1000),
                random.within(Int64(0)...1000), random.within(Int64(0)...1000)
            )
            // A sorting network for four values.
            if cuts.0 > cuts.1 { swap(&cuts.0, &cuts.1) }
            if cuts.2 > cuts.3 { swap(&cuts.2, &cuts.3) }
            if cuts.0 > cuts.2 { swap(&cuts.0, &cuts.2) }
            if cuts.1 > cuts.3 { swap(&cuts.1, &cuts.3) }
            if cuts.1 > cuts.2 { swap(&cuts.1, &cuts.2) }
            set(.noLiveEngagementRate, cuts.0)
            set(.lowLiveEngagementRate, cuts.1 - cuts.0)
            set(.fairLiveEngagementRate, cuts.2 - cuts.1)
            set(.goodLiveEngagementRate, cuts.3 - cuts.2)
            set(.highLiveEngagementRate, 1000 - cuts.3)
        } else {
            add(.vodMinutesViewed, random.within(Int64(0)...1200))
            let completion = values[Int(EngagementMetric.totalVodCompletionRate.rawValue)]
            set(.totalVodCompletionRate, min(1000, completion + random.within(Int64(0)...250)))
        }
        var reactionTotal: Int64 = 0
        for reaction in EntrySession.reactions {
            if random.chance(0.3) { add(reaction, random.within(Int64(1)...2)) }
            reactionTotal += values[Int(reaction.rawValue)]
        }
        set(.totalReactionsActivity, reactionTotal)
        if random.chance(0.1) { add(.answeredPolls, 1) }
        if random.chance(0.3) { add(.messagesSentGroup, random.within(Int64(1)...3)) }
        if random.chance(0.05) { add(.qnaThreads, 1) }
        if random.chance(0.05) { add(.downloadAttachment, 1) }
        if random.chance(0.1) { set(.addToCalendar, 1) }
        if random.chance(0.03) { add(.raiseHand, 1) }
        set(.combinedLiveEngagedUsersPlayTimeRatio, random.within(Int64(300)...1000))
        if random.chance(0.2) { add(.micOn, random.within(Int64(1)...200)) }
        if random.chance(0.2) { add(.camOn, random.within(Int64(1)...200)) }

        return EngagementSnapshot(
            entryJSON: entryJSON,
            channelJSON: channelJSON,
            sessionEnded: sessionEnded,
            values: values,
            presence: presence
        )
    }
}
