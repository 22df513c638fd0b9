public import LeadModel

/// One batch after coalescing: the items to deliver, and the items a newer command of the same key supersedes.
public struct CoalescedBatch<Item> {
    /// The newest item of each key, in the batch's order.
    public var kept: [Item]
    /// The older items of a key that has a newer one in the batch, in the batch's order.
    public var superseded: [Item]
}

/// Keeps, of the commands of one batch that share a coalescing key, only the newest.
///
/// The delivery runtime calls this on every batch before the sink sees it (then drops kept commands that the
/// order ledger knows to be older than one already delivered), and `leadsync bench marketo` and
/// `leadsync bench salesforce` call it so that they measure what the runtime sends.
///
/// The key (``coalescingKey(of:)``) is the command's kind, target and lead, plus the entry for an engagement upsert:
/// a newer member status replaces an older one of the same lead and program or campaign, a newer engagement snapshot
/// an older one of the same entry. An engagement activity is keyed by its command id, so only a repeat of the same
/// command (a record consumed twice) is coalesced.
///
/// - Parameters:
///   - items: the batch.
///   - command: the command of an item.
///   - order: where an item's command was first written on the command topic (a retried command keeps its first
///     offset). Of two items of one key, the one with the higher order is kept; when neither is higher (equal, or on
///     different partitions) the first in the batch is kept.
/// - Returns: the kept and the superseded items; each keeps the batch's order.
public func coalesce<Item>(
    _ items: [Item],
    command: (Item) -> Command,
    order: (Item) -> CommandOrder
) -> CoalescedBatch<Item> {
    let keys = items.map { coalescingKey(of: command($0)) }
    var newest: [String: (index: Int, order: CommandOrder)] = [:]
    newest.reserveCapacity(items.count)
    for (index, item) in items.enumerated() {
        let itemOrder = order(item)
        if let current = newest[keys[index]], !(current.order < itemOrder) { continue }
        newest[keys[index]] = (index, itemOrder)
    }
    var batch = CoalescedBatch<Item>(kept: [], superseded: [])
    batch.kept.reserveCapacity(newest.count)
    for (index, item) in items.enumerated() {
        if newest[keys[index]]?.index == index {
            batch.kept.append(item)
        } else {
            batch.superseded.append(item)
        }
    }
    return batch
}

/// The key under which a newer command supersedes an older one, in a batch (``coalesce(_:command:order:)``) and
/// across retries (the order ledger).
public func coalescingKey(of command: Command) -> String {
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
