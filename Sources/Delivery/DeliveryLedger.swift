public import Foundation
public import LeadModel

// MARK: - DeliveryLedger

/// Keeps per-lead order across retries: remembers, for leads that have a command in the retry topic, the newest
/// command delivered since, so that the retried older command is dropped instead of overwriting it.
///
/// Commands are ordered by their offset on the command topic: a lead's commands all land on one partition, in
/// the order the fold emitted them (a retried command keeps its first offset in `leadsync.original.offset`).
/// Salesforce does not enforce status steps and custom-object upserts overwrite, so this is what stops an older
/// status or engagement snapshot from winning. Only leads with a retry are tracked (entries expire after the
/// retry schedule's maximum age), so the ledger stays small; it is a ``PersistentMap`` so it survives restarts.
struct DeliveryLedger {
    private let map: PersistentMap
    private let expiry: TimeInterval

    init(map: PersistentMap, expiry: TimeInterval) {
        self.map = map
        self.expiry = expiry
    }

    /// The order key of a command: what a newer command of the same key supersedes.
    static func orderKey(of command: Command) -> String {
        let target: String =
            switch command.target {
            case .marketo(let programId): "m\(programId)"
            case .salesforce(let campaignId): "s\(campaignId)"
            }
        switch command.payload {
        case .memberStatus:
            return "status|\(target)|\(command.leadKey.rawValue)"
        case .engagementUpsert(let snapshot):
            return "upsert|\(target)|\(command.leadKey.rawValue)|\(snapshot.entry.id)"
        case .engagementActivity(let snapshot):
            return "activity|\(target)|\(command.leadKey.rawValue)|\(snapshot.entry.id)|\(command.commandId.rawValue)"
        }
    }

    /// Whether a command at `order` is older than one already delivered for its key.
    func isStale(key: String, order: CommandOrder) -> Bool {
        guard let entry = map[key].flatMap(Entry.init) else { return false }
        guard let delivered = entry.delivered else { return false }
        return order < delivered
    }

    /// A command of `key` goes to the retry topic: start tracking the key.
    func retrying(key: String, now: Date) {
        let entry = map[key].flatMap(Entry.init) ?? Entry(delivered: nil, touched: now)
        map.set(key, Entry(delivered: entry.delivered, touched: now).text)
    }

    /// A command of `key` at `order` was delivered: remember it if the key is tracked.
    func delivered(key: String, order: CommandOrder, now: Date) {
        guard let entry = map[key].flatMap(Entry.init) else { return }
        let newest = entry.delivered.map { max($0, order) } ?? order
        map.set(key, Entry(delivered: newest, touched: now).text)
    }

    /// Writes changes to disk.
    func flush() throws(PersistentMapError) { try map.flush() }

    /// Forgets keys untouched for longer than the expiry (a retry of theirs cannot still be pending).
    @discardableResult
    func expire(now: Date) -> Int {
        map.removeAll { _, value in
            guard let entry = Entry(value) else { return true }
            return now.timeIntervalSince(entry.touched) > expiry
        }
    }

    private struct Entry {
        var delivered: CommandOrder?
        var touched: Date

        init(delivered: CommandOrder?, touched: Date) {
            self.delivered = delivered
            self.touched = touched
        }

        init?(_ text: String) {
            let parts = text.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 3, let touched = Double(parts[2]) else { return nil }
            self.touched = Date(timeIntervalSince1970: touched)
            if let partition = Int32(parts[0]), let offset = Int64(parts[1]) {
                delivered = CommandOrder(partition: partition, offset: offset)
            } else {
                delivered = nil
            }
        }

        var text: String {
            "\(delivered.map { String($0.partition) } ?? "")|\(delivered.map { String($0.offset) } ?? "")|"
                + String(Int(touched.timeIntervalSince1970))
        }
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
