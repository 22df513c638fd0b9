import Delivery

// MARK: - SalesforceBatchDelivery + Coalescing

extension SalesforceBatchDelivery {
    /// Keeps one row per key, the newest command's (by `occurredAt`); the others are `superseded`. Salesforce fails
    /// every row of an sObject Collections upsert whose External ID appears twice, and two emails can stand for one
    /// person (Leads converted into one Contact), so rows of one record are made unique before any call.
    /// - Parameters:
    ///   - rows: The rows of one kind, one or more per command.
    ///   - key: The record's key as the External ID field compares it.
    ///   - item: The batch index of the command a row stands for.
    ///   - record: What a row is, for the skip reason (`CampaignMember`, `engagement record`).
    mutating func newestPerKey<Row>(
        _ rows: [Row],
        key: (Row) -> String,
        item: (Row) -> Int,
        record: String
    ) -> [Row] {
        var kept: [String: Int] = [:]
        var unique: [Row] = []
        for row in rows {
            let rowKey = key(row)
            guard let earlier = kept[rowKey] else {
                kept[rowKey] = unique.count
                unique.append(row)
                continue
            }
            let older = unique[earlier]
            let newerWins =
                batch.items[item(row)].command.occurredAt >= batch.items[item(older)].command.occurredAt
            let (winner, loser) = newerWins ? (row, older) : (older, row)
            unique[earlier] = winner
            outcomes[item(loser)] = .skipped(
                reason: "superseded by command \(batch.items[item(winner)].command.commandId) for the same "
                    + "\(record) \(rowKey)"
            )
        }
        return unique
    }
}
