import Delivery
import LeadModel
import Testing

/// The runtime's coalescing of one batch (the function the benchmarks call too).
@Suite("Coalescing a batch")
struct CoalescingTests {
    /// A command with its command-topic offset.
    private struct Item {
        var command: Command
        var offset: Int64
        var partition: Int32 = 0
    }

    private static func coalesced(_ items: [Item]) -> (kept: [Int64], superseded: [Int64]) {
        let batch = coalesce(
            items,
            command: \.command,
            order: { CommandOrder(partition: $0.partition, offset: $0.offset) }
        )
        return (batch.kept.map(\.offset), batch.superseded.map(\.offset))
    }

    private static func status(
        _ status: ChannelStatus,
        email: String = "ada@example.com",
        campaign: String = "701000000000001AAA"
    ) -> Command {
        let key = LeadKey(tenant: "acme", email: email)!
        return Command(
            commandId: CommandID.memberStatus(
                destination: .salesforce,
                leadKey: key,
                virtualEventId: "summit",
                status: status,
                sourceEventId: "e-\(email)-\(status.name)"
            ),
            target: .salesforce(campaignId: campaign),
            leadKey: key,
            userId: nil,
            profile: nil,
            virtualEventId: "summit",
            occurredAt: Timestamp(millisecondsSinceEpoch: 1_780_000_000_000),
            sourceEventId: "e-\(email)-\(status.name)",
            payload: .memberStatus(MemberStatusChange(status: status))
        )
    }

    private static func engagement(_ kind: CommandKind, entry: String, source: String) -> Command {
        let key = LeadKey(tenant: "acme", email: "ada@example.com")!
        let at = Timestamp(millisecondsSinceEpoch: 1_780_000_000_000)
        var metrics = EngagementMetrics()
        metrics.plays = 1
        let snapshot = EngagementSnapshot(
            entry: EngagementEntry(id: entry, name: entry),
            channel: EngagementChannel(id: 1, name: "Stage"),
            metrics: metrics,
            sessionEnded: kind == .engagementActivity
        )
        return Command(
            commandId: CommandID.engagement(
                kind: kind,
                destination: .marketo,
                leadKey: key,
                virtualEventId: "summit",
                entryId: entry,
                snapshotOccurredAt: at,
                sourceEventId: source
            ),
            target: .marketo(programId: 1001),
            leadKey: key,
            userId: "u1",
            profile: nil,
            virtualEventId: "summit",
            occurredAt: at,
            sourceEventId: source,
            payload: kind == .engagementActivity ? .engagementActivity(snapshot) : .engagementUpsert(snapshot)
        )
    }

    @Test("the newest member status of a lead and campaign is kept; the older ones are superseded")
    func newestStatusWins() {
        let result = Self.coalesced([
            Item(command: Self.status(.registered), offset: 10),
            Item(command: Self.status(.registered, email: "bob@example.com"), offset: 11),
            Item(command: Self.status(.attended), offset: 12),
            Item(command: Self.status(.confirmed, campaign: "701000000000002AAA"), offset: 13),
        ])
        #expect(result.kept == [11, 12, 13])
        #expect(result.superseded == [10])
    }

    @Test("order decides, not the position in the batch: a retry of an older command loses to a newer one")
    func orderNotPosition() {
        // A retried command comes back at the front of a later batch, with its first offset.
        let result = Self.coalesced([
            Item(command: Self.status(.attended), offset: 40),
            Item(command: Self.status(.registered), offset: 5),
        ])
        #expect(result.kept == [40])
        #expect(result.superseded == [5])
    }

    @Test("engagement upserts coalesce per entry; activities only when the same command repeats")
    func engagementKeys() {
        let result = Self.coalesced([
            Item(command: Self.engagement(.engagementUpsert, entry: "e1", source: "s1"), offset: 1),
            Item(command: Self.engagement(.engagementUpsert, entry: "e2", source: "s2"), offset: 2),
            Item(command: Self.engagement(.engagementUpsert, entry: "e1", source: "s3"), offset: 3),
            Item(command: Self.engagement(.engagementActivity, entry: "e1", source: "a1"), offset: 4),
            Item(command: Self.engagement(.engagementActivity, entry: "e1", source: "a2"), offset: 5),
            Item(command: Self.engagement(.engagementActivity, entry: "e1", source: "a1"), offset: 6),
        ])
        #expect(result.kept == [2, 3, 5, 6])
        #expect(result.superseded == [1, 4])
    }

    @Test("orders on different partitions do not compare: the first in the batch is kept")
    func differentPartitions() {
        let result = Self.coalesced([
            Item(command: Self.status(.registered), offset: 9, partition: 1),
            Item(command: Self.status(.attended), offset: 2, partition: 0),
        ])
        #expect(result.kept == [9])
        #expect(result.superseded == [2])
    }

    @Test("the key names kind, target and lead, and the entry of an engagement")
    func keys() {
        #expect(coalescingKey(of: Self.status(.registered)) == coalescingKey(of: Self.status(.attended)))
        #expect(
            coalescingKey(of: Self.status(.registered))
                != coalescingKey(of: Self.status(.registered, campaign: "701000000000002AAA"))
        )
        #expect(
            coalescingKey(of: Self.engagement(.engagementUpsert, entry: "e1", source: "x"))
                == coalescingKey(of: Self.engagement(.engagementUpsert, entry: "e1", source: "y"))
        )
        #expect(
            coalescingKey(of: Self.engagement(.engagementUpsert, entry: "e1", source: "x"))
                != coalescingKey(of: Self.engagement(.engagementUpsert, entry: "e2", source: "x"))
        )
        let empty = coalesce([Item](), command: \.command, order: { _ in CommandOrder(partition: 0, offset: 0) })
        #expect(empty.kept.isEmpty && empty.superseded.isEmpty)
    }
}
