import Foundation
import LeadModel
import Testing

/// Builds the commands the fold emits for Salesforce.
enum Commands {
    private static let start: Int64 = 1_790_000_000_000

    /// A member status command.
    static func status(
        _ tenant: String,
        _ email: String,
        _ status: ChannelStatus,
        campaign: String = WriterSandbox.campaign,
        at offset: Int64 = 0,
        profile: LeadProfile? = nil
    ) throws -> Command {
        let leadKey = try #require(LeadKey(tenant: tenant, email: email))
        let source = "evt-\(UUID().uuidString)"
        return Command(
            commandId: CommandID.memberStatus(
                destination: .salesforce,
                leadKey: leadKey,
                virtualEventId: "ve-1",
                status: status,
                sourceEventId: source
            ),
            target: .salesforce(campaignId: campaign),
            leadKey: leadKey,
            userId: "user-\(email.prefix(while: { $0 != "@" }))",
            profile: profile,
            virtualEventId: "ve-1",
            occurredAt: Timestamp(millisecondsSinceEpoch: start + offset),
            sourceEventId: source,
            payload: .memberStatus(MemberStatusChange(status: status))
        )
    }

    /// An engagement upsert (or, with `activity`, the Marketo-only activity) command.
    static func engagement(
        _ tenant: String,
        _ email: String,
        entry: String = "1_abcd1234",
        liveMinutes: Double = 12.5,
        plays: Int = 3,
        campaign: String = WriterSandbox.campaign,
        at offset: Int64 = 0,
        activity: Bool = false
    ) throws -> Command {
        let leadKey = try #require(LeadKey(tenant: tenant, email: email))
        var metrics = EngagementMetrics()
        metrics.liveMinutesViewed = liveMinutes
        metrics.plays = plays
        let snapshot = EngagementSnapshot(
            entry: EngagementEntry(id: entry, name: "Keynote"),
            channel: EngagementChannel(id: 42, name: "Main stage"),
            metrics: metrics,
            sessionEnded: false
        )
        let source = "eng-\(UUID().uuidString)"
        let kind: CommandKind = activity ? .engagementActivity : .engagementUpsert
        return Command(
            commandId: CommandID.engagement(
                kind: kind,
                destination: .salesforce,
                leadKey: leadKey,
                virtualEventId: "ve-1",
                entryId: entry,
                snapshotOccurredAt: Timestamp(millisecondsSinceEpoch: start + offset),
                sourceEventId: source
            ),
            target: .salesforce(campaignId: campaign),
            leadKey: leadKey,
            userId: "user-1",
            profile: nil,
            virtualEventId: "ve-1",
            occurredAt: Timestamp(millisecondsSinceEpoch: start + offset),
            sourceEventId: source,
            payload: activity ? .engagementActivity(snapshot) : .engagementUpsert(snapshot)
        )
    }
}
