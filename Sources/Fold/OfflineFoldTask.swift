public import Kafka
public import LeadModel

/// One fold task with no Kafka around it: the records a fold task would send are counted, not sent. What
/// `leadsync bench fold-cpu` times, so that the fold's own CPU per event is measured apart from the cluster's.
public struct OfflineFoldTask {
    private var task: FoldTask
    private let context: FoldTask.Context
    private var metrics = FoldMetrics()
    /// Held, counted and handed to the caller after each call: nothing is sent.
    private var outputs = FoldOutputs.hold
    private var offset: Int64 = 0
    /// Records the task handed to the producer (commands, dead letters, re-keyed inputs).
    public private(set) var recordsSent = 0
    /// Changelog state records written at the commits (one per lead and transaction).
    public private(set) var statesSent = 0
    /// Bytes of the values of every record counted above.
    public private(set) var bytesSent = 0

    /// A task for partition 0 of a one-partition layout (no input is re-keyed).
    public init(tenants: TenantDirectory) {
        task = FoldTask(
            partition: 0,
            store: LeadStateStore(),
            suppressedOutputIds: [:],
            abandonedTokens: [],
            nextInputOffsets: [:],
            outputLowerBounds: [:]
        )
        context = FoldTask.Context(
            tenants: tenants,
            topics: .standard,
            partitionCount: 1,
            transactionToken: "offline"
        )
    }

    /// Folds one input record exactly as the runtime does, from its Kafka key and value.
    /// - Parameters:
    ///   - topic: the input topic the record was read from; a record of the repartition topic is never re-keyed.
    ///   - key: the record's key; one that is not the lead's canonical key sends the record to the repartition
    ///     topic instead of folding it.
    ///   - value: the encoded input event; one that does not decode or validate is dead-lettered.
    ///   - now: the wall-clock time the fold runs at: it decides which settle windows have passed.
    ///   - collect: receives each record the task would send, when the caller wants them.
    public mutating func fold(
        topic: String,
        key: [UInt8]?,
        value: [UInt8],
        now: Timestamp,
        collect: ((OutgoingRecord) -> Void)? = nil
    ) throws(FoldError) {
        let record = ConsumedRecord(topic: topic, partition: 0, offset: offset, key: key, value: value)
        offset += 1
        try task.fold(record, now: now, context: context, metrics: &metrics, outputs: &outputs)
        recordsSent += outputs.held.count
        try count(collect)
    }

    /// What a commit does with the record cache: takes each lead's last state record of the transaction.
    /// - Parameter collect: receives each state record, when the caller wants them.
    public mutating func commit(collect: ((OutgoingRecord) -> Void)? = nil) throws(FoldError) {
        try task.flushStates(context: context, outputs: &outputs)
        statesSent += outputs.held.count
        try count(collect)
    }

    /// Counts the bytes of the held outputs, hands them to `collect` and forgets them.
    private mutating func count(_ collect: ((OutgoingRecord) -> Void)?) throws(FoldError) {
        var bytes = 0
        try outputs.drainHeld { record in
            bytes += record.value?.count ?? 0
            collect?(record)
        }
        bytesSent += bytes
    }

    /// Leads in the task's store.
    public var leadCount: Int { task.store.count }
}
