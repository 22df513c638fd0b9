public import Foundation
import Kafka
public import LeadModel

// MARK: - DeliveryLedger

/// Keeps per-lead order across retries: remembers, for leads that have a command in the retry topic, the newest
/// command delivered since, so that the retried older command is dropped instead of overwriting it.
///
/// Commands are ordered by their offset on the command topic: a lead's commands all land on one partition, in
/// the order the fold emitted them (a retried command keeps its first offset in `leadsync.original.offset`).
/// Salesforce does not enforce status steps and custom-object upserts overwrite, so this is what stops an older
/// status or engagement snapshot from winning. Only leads with a retry are tracked (entries expire after the
/// retry schedule's maximum age), so the ledger stays small. It lives in ``WriterLedger`` (the ledger topic,
/// partition by command partition), so it survives restarts and moves with its partitions; every change returns
/// the record that makes it durable, which the runtime writes before it commits past the command.
struct DeliveryLedger {
    let store: WriterLedger

    /// Whether a command at `order` is older than one already delivered for its key.
    func isStale(key: String, order: CommandOrder) -> Bool {
        guard let delivered = store.orderMark(partition: order.partition, key: key)?.delivered else { return false }
        return order < delivered
    }

    /// A command of `key` goes to the retry topic: start tracking the key.
    /// - Returns: The ledger record to write before the command's offset is committed (nil in memory).
    func retrying(key: String, order: CommandOrder, now: Date) -> OutgoingRecord? {
        let mark = store.orderMark(partition: order.partition, key: key)
        let tracked = OrderMark(delivered: mark?.delivered, touched: now)
        return store.setOrderMark(partition: order.partition, key: key, tracked)
    }

    /// A command of `key` at `order` was delivered: remember it if the key is tracked.
    /// - Returns: The ledger record to write before the command's offset is committed (nil when the key is not
    ///   tracked, or in memory).
    func delivered(key: String, order: CommandOrder, now: Date) -> OutgoingRecord? {
        guard let mark = store.orderMark(partition: order.partition, key: key) else { return nil }
        let newest = mark.delivered.map { max($0, order) } ?? order
        return store.setOrderMark(partition: order.partition, key: key, OrderMark(delivered: newest, touched: now))
    }
}

// MARK: - CommandOrder

/// Where a command was first written on its command topic: the order of one lead's commands.
public struct CommandOrder: Sendable, Hashable, Comparable {
    /// The command topic partition.
    public var partition: Int32
    /// The offset there.
    public var offset: Int64

    /// Creates an order.
    public init(partition: Int32, offset: Int64) {
        self.partition = partition
        self.offset = offset
    }

    public static func < (lhs: CommandOrder, rhs: CommandOrder) -> Bool {
        // Offsets of different partitions are not comparable; a lead lives on one partition, so this only
        // happens after the command topic was resized, when the newer partition's order wins.
        lhs.partition == rhs.partition ? lhs.offset < rhs.offset : false
    }
}
