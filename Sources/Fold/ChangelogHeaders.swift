public import Kafka

/// Header names the fold writes on its output records.
public enum FoldHeaders {
    /// On changelog state records: the token of the transaction that wrote them (see ``FoldCheckpoint``).
    static let transactionToken = "leadsync.txn"
    /// On changelog state records: when the lead's next custom activity is due (milliseconds), if one is pending.
    static let activityDue = "leadsync.activity.due"
    /// On commands and dead letters: an id that is the same when a re-fold produces the same output again, so
    /// a restore can recognise outputs of a transaction that did not commit.
    public static let outputId = "leadsync.output.id"
    /// On commands: the command kind (`memberStatus`, `engagementUpsert`, `engagementActivity`).
    public static let commandKind = "leadsync.command.kind"
    /// On commands: the tenant, so writers can route without parsing the value.
    public static let tenant = "leadsync.tenant"

    static func string(_ key: String, in headers: [KafkaHeader]) -> String? {
        for header in headers where header.key == key { return header.stringValue }
        return nil
    }
}
