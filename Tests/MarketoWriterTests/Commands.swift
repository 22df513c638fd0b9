import Foundation
import LeadModel
import Testing

/// Commands as the fold emits them.
enum Commands {
    static let occurredAt = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000)

    static func key(_ tenant: String, _ email: String) throws -> LeadKey {
        try #require(LeadKey(tenant: tenant, email: email))
    }

    /// A member status command.
    static func status(
        _ tenant: String,
        _ email: String,
        program: Int,
        _ status: ChannelStatus,
        profile: LeadProfile? = nil,
        at offset: Int64 = 0
    ) throws -> Command {
        let leadKey = try key(tenant, email)
        let source = "evt-\(email)-\(program)-\(status.name)"
        return Command(
            commandId: CommandID.memberStatus(
                destination: .marketo,
                leadKey: leadKey,
                virtualEventId: "ve-\(program)",
                status: status,
                sourceEventId: source
            ),
            target: .marketo(programId: program),
            leadKey: leadKey,
            userId: "user-\(email)",
            profile: profile,
            virtualEventId: "ve-\(program)",
            occurredAt: occurredAt.adding(milliseconds: offset),
            sourceEventId: source,
            payload: .memberStatus(MemberStatusChange(status: status))
        )
    }

    /// An engagement snapshot with a few metrics.
    static func snapshot(entry: String, plays: Int, liveMinutes: Double) -> EngagementSnapshot {
        var metrics = EngagementMetrics()
        metrics.plays = plays
        metrics.liveMinutesViewed = liveMinutes
        return EngagementSnapshot(
            entry: EngagementEntry(id: entry, name: "Keynote \(entry)"),
            channel: EngagementChannel(id: 7, name: "Main stage"),
            metrics: metrics,
            sessionEnded: false
        )
    }

    /// An engagement command (custom object upsert or custom activity).
    static func engagement(
        _ kind: CommandKind,
        _ tenant: String,
        _ email: String,
        program: Int,
        entry: String,
        plays: Int = 3,
        liveMinutes: Double = 12.5,
        at offset: Int64 = 0
    ) throws -> Command {
        let leadKey = try key(tenant, email)
        let at = occurredAt.adding(milliseconds: offset)
        let source = "eng-\(email)-\(entry)-\(offset)"
        let snapshot = snapshot(entry: entry, plays: plays, liveMinutes: liveMinutes)
        return Command(
            commandId: CommandID.engagement(
                kind: kind,
                destination: .marketo,
                leadKey: leadKey,
                virtualEventId: "ve-\(program)",
                entryId: entry,
                snapshotOccurredAt: at,
                sourceEventId: source
            ),
            target: .marketo(programId: program),
            leadKey: leadKey,
            userId: "user-\(email)",
            profile: nil,
            virtualEventId: "ve-\(program)",
            occurredAt: at,
            sourceEventId: source,
            payload: kind == .engagementActivity ? .engagementActivity(snapshot) : .engagementUpsert(snapshot)
        )
    }
}
