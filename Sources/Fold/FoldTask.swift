import Kafka
import LeadModel
import RecordHeaders

/// One partition's fold: its lead states, where its inputs stand, and what it must not write twice.
///
/// Pure apart from the records it writes to its ``FoldOutputs``: the runtime owns Kafka and transactions.
struct FoldTask: Sendable {
    /// The partition number: input, changelog, command and dead-letter partition of this task.
    let partition: Int32
    var store: LeadStateStore
    /// Output ids already in the log from a transaction that did not commit (mock cluster): not written again.
    /// Each with where it sits: until the re-fold meets it, checkpoints must not move the output bound past it.
    var suppressedOutputIds: [String: SuppressedOutput]
    /// Tokens of uncommitted transactions found at restore, listed in this task's next checkpoint.
    var abandonedTokens: [String]
    /// Input topic -> offset of the next record to fold.
    var nextInputOffsets: [String: Int64]
    /// Output topic -> a lower bound of the offset where this task's next output lands.
    var outputLowerBounds: [String: Int64]
    /// Per member-status slot that the last restore's output scan found records of: what the last record of that
    /// slot on the topic says. A re-fold after a crash meets a lead's events in another order than the transaction
    /// that did not commit, and its commands whose ids are already in the log are suppressed; so the last command
    /// of a slot on the topic is checked against the lead's status before each commit
    /// (``restateStatusSlots(context:metrics:outputs:)``).
    var statusSlots: [StatusSlot: SlotRecord] = [:]
    /// Whether every slot is still to be checked (the first commit after the restore); later commits check only
    /// the slots of leads folded since (``leadsFoldedSinceCheck``), since only folding a lead changes its status.
    var checkAllStatusSlots = true
    /// Leads folded since the last check of the status slots (kept only while there are slots).
    var leadsFoldedSinceCheck: Set<String> = []
    /// Whether this task folded or wrote anything in the open transaction.
    var isDirty = false
    /// Snapshot entries and changelog records its restore read.
    var restoredRecords = 0
    /// The open transaction's leads, decoded (Kafka Streams' record cache): a lead is decoded from the store once
    /// per transaction, folded in place, and written to the store and the changelog once, by
    /// ``flushStates(context:outputs:)`` when the commit is prepared (or when the cache is full).
    private(set) var stateCache: [String: CachedState] = [:]

    /// Leads a task's cache holds before it is flushed: bounds the decoded states in memory when a transaction
    /// touches many leads (a transaction of the default 5,000 records touches at most 5,000).
    static let stateCacheLimit = 4_096

    /// A lead's state in the record cache.
    struct CachedState: Sendable {
        var state: LeadState
        /// When its next custom activity is due (wall-clock milliseconds), as of the last change.
        var due: Int64?
        /// Whether the open transaction changed it: only changed states are written.
        var isChanged: Bool
    }

    /// Where a suppressed output sits in the log.
    struct SuppressedOutput: Hashable {
        var topic: String
        var offset: Int64
    }

    /// The output bounds for this task's next checkpoint: every output a later re-fold could write again lies at
    /// or after them. That includes the suppressed outputs the re-fold has not met yet: a restore from the next
    /// checkpoint must scan them again, or it would write them a second time.
    func checkpointOutputBounds() -> [String: Int64] {
        Self.outputBounds(outputLowerBounds, notPast: suppressedOutputBounds())
    }

    /// `lowerBounds`, each moved back to the earliest suppressed output of its topic where that is earlier.
    static func outputBounds(_ lowerBounds: [String: Int64], notPast suppressed: [String: Int64]) -> [String: Int64] {
        lowerBounds.merging(suppressed) { min($0, $1) }
    }

    /// Per output topic, the earliest offset of the suppressed outputs the re-fold has not met yet.
    func suppressedOutputBounds() -> [String: Int64] {
        var bounds: [String: Int64] = [:]
        for output in suppressedOutputIds.values {
            bounds[output.topic] = min(bounds[output.topic] ?? output.offset, output.offset)
        }
        return bounds
    }

    /// Shared, read-only inputs of every task's fold.
    struct Context: Sendable {
        let tenants: TenantDirectory
        let topics: FoldConfiguration.Topics
        let partitionCount: Int
        let decoder = InputEventDecoder()
        /// The open transaction's token (on every changelog state record).
        var transactionToken: String
    }

    // MARK: - Input records

    /// Folds one input record: dead-letters it, re-keys it, or applies it to its lead.
    mutating func fold(
        _ record: ConsumedRecord,
        now: Timestamp,
        context: Context,
        metrics: inout FoldMetrics,
        outputs: inout FoldOutputs
    ) throws(FoldError) {
        isDirty = true
        nextInputOffsets[record.topic] = record.offset + 1
        let event: InputEvent
        do throws(EventRejection) {
            event = try context.decoder.decode(record.value)
            if let rejection = context.tenants.validate(event) { throw rejection }
        } catch {
            metrics.input(topic: record.topic, result: "dead_lettered")
            metrics.deadLetter(code: error.code.rawValue)
            try deadLetter(record, rejection: error, now: now, context: context, metrics: &metrics, outputs: &outputs)
            return
        }

        let canonicalKey = Array(event.leadKey.rawValue.utf8)
        let owner = Murmur2Partitioner.partition(for: canonicalKey, partitionCount: context.partitionCount)
        if record.topic != context.topics.repartition && (record.key != canonicalKey || owner != partition) {
            // Never fold on the wrong task: the canonical key's owner folds it from the repartition topic.
            metrics.input(topic: record.topic, result: "repartitioned")
            var headers = record.headers
            headers.append(KafkaHeader(key: DeadLetterHeaders.originalTopic, string: record.topic))
            try outputs.write(
                OutgoingRecord(
                    topic: context.topics.repartition,
                    partition: owner,
                    key: canonicalKey,
                    value: record.value,
                    headers: headers
                )
            )
            return
        }

        metrics.input(topic: record.topic, result: "folded")
        guard let rules = context.tenants.rules(for: event.tenant) else { return }  // validated above
        let key = event.leadKey.rawValue
        var lead = try takeState(key)
        let outcome = LeadFold.apply(event, to: &lead.state, rules: rules, now: now)
        for rejection in outcome.rejections { metrics.transitionRejected(reason: rejection.reason.code) }
        for transition in outcome.applied {
            metrics.transitionApplied(status: transition.to.name)
            if transition.isCorrection { metrics.correction(status: transition.to.name) }
        }
        if outcome.isLate { metrics.lateEvent() }
        if !statusSlots.isEmpty { leadsFoldedSinceCheck.insert(key) }
        if outcome.stateChanged {
            lead.isChanged = true
            lead.due = LeadFold.nextActivityDue(in: lead.state, rules: rules)?.millisecondsSinceEpoch
        }
        try keepState(lead, key: key, context: context, outputs: &outputs)
        try writeCommands(outcome.commands, key: canonicalKey, context: context, metrics: &metrics, outputs: &outputs)
    }

    // MARK: - Settle timer

    /// Emits the custom activities that are due at `now`, for every lead of this task.
    mutating func emitDueActivities(
        now: Timestamp,
        context: Context,
        metrics: inout FoldMetrics,
        outputs: inout FoldOutputs
    ) throws(FoldError) {
        for key in store.keysDue(atOrBefore: now.millisecondsSinceEpoch) {
            guard let leadKey = LeadKey(rawValue: key), let rules = context.tenants.rules(for: leadKey.tenant) else {
                store.clearActivityDue(of: key)
                continue
            }
            isDirty = true
            var lead = try takeState(key)
            let commands = LeadFold.dueActivities(for: leadKey, in: &lead.state, rules: rules, now: now)
            lead.isChanged = true
            lead.due = LeadFold.nextActivityDue(in: lead.state, rules: rules)?.millisecondsSinceEpoch
            // The store's due index learns the new time now, not at the flush: the next check must not find the
            // lead due again.
            store.setActivityDue(lead.due, of: key)
            try keepState(lead, key: key, context: context, outputs: &outputs)
            try writeCommands(commands, key: Array(key.utf8), context: context, metrics: &metrics, outputs: &outputs)
        }
    }

    // MARK: - Outputs

    /// A lead's state out of the record cache (moved, so that folding into it copies nothing), or decoded from the
    /// store (unchanged as yet).
    private mutating func takeState(_ key: String) throws(FoldError) -> CachedState {
        if let cached = stateCache.removeValue(forKey: key) { return cached }
        do throws(LeadStateCodec.DecodingError) {
            guard let stored = try store.stateAndDue(of: key) else {
                return CachedState(state: LeadState(), due: nil, isChanged: false)
            }
            return CachedState(state: stored.state, due: stored.due, isChanged: false)
        } catch {
            // Only this process wrote these bytes: a failure is a bug, not bad input. Stop rather than lose state.
            throw FoldError(
                kind: .corruptState,
                message: "state of \(key) in partition \(partition) does not decode: \(error)"
            )
        }
    }

    /// Puts a lead's state back into the record cache, flushing the cache first when it is full.
    private mutating func keepState(
        _ lead: CachedState,
        key: String,
        context: Context,
        outputs: inout FoldOutputs
    ) throws(FoldError) {
        if stateCache.count >= Self.stateCacheLimit { try flushStates(context: context, outputs: &outputs) }
        stateCache[key] = lead
    }

    /// Writes every state the open transaction changed to the store and, as changelog records carrying the
    /// transaction's token, to `outputs`; empties the record cache.
    mutating func flushStates(context: Context, outputs: inout FoldOutputs) throws(FoldError) {
        let cache = stateCache
        stateCache.removeAll(keepingCapacity: true)
        for (key, lead) in cache where lead.isChanged {
            let encoded = store.put(key, state: lead.state, due: lead.due)
            var headers = [KafkaHeader(key: FoldHeaders.transactionToken, string: context.transactionToken)]
            if let due = lead.due { headers.append(KafkaHeader(key: FoldHeaders.activityDue, string: String(due))) }
            try outputs.write(
                OutgoingRecord(
                    topic: context.topics.changelog,
                    partition: partition,
                    key: Array(key.utf8),
                    value: encoded,
                    headers: headers
                )
            )
        }
    }

    /// Drops the record cache: the open transaction's changes are gone (it aborted).
    mutating func dropCachedStates() {
        stateCache.removeAll()
    }

    private mutating func writeCommands(
        _ commands: [Command],
        key: [UInt8],
        context: Context,
        metrics: inout FoldMetrics,
        outputs: inout FoldOutputs
    ) throws(FoldError) {
        for command in commands {
            guard let topic = context.topics.commands[command.destination] else { continue }
            if suppressedOutputIds.removeValue(forKey: command.commandId.rawValue) != nil {
                metrics.suppressedOutput()
                continue
            }
            try write(command, to: topic, key: key, context: context, metrics: &metrics, outputs: &outputs)
        }
    }

    mutating func write(
        _ command: Command,
        to topic: String,
        key: [UInt8],
        context: Context,
        metrics: inout FoldMetrics,
        outputs: inout FoldOutputs
    ) throws(FoldError) {
        let id = command.commandId.rawValue
        metrics.command(destination: command.destination.rawValue, kind: command.kind.rawValue)
        if !statusSlots.isEmpty, case .memberStatus(let change) = command.payload {
            let slot = StatusSlot(
                topic: topic,
                leadKey: command.leadKey.rawValue,
                virtualEventId: command.virtualEventId
            )
            if statusSlots[slot] != nil { statusSlots[slot] = SlotRecord(status: change.status, commandId: id) }
        }
        try outputs.write(
            OutgoingRecord(
                topic: topic,
                partition: partition,
                key: key,
                value: CommandCodec.encode(command),
                headers: [
                    KafkaHeader(key: FoldHeaders.outputId, string: id),
                    KafkaHeader(key: FoldHeaders.commandKind, string: command.kind.rawValue),
                    KafkaHeader(key: FoldHeaders.tenant, string: command.tenant),
                ]
            )
        )
    }

    private mutating func deadLetter(
        _ record: ConsumedRecord,
        rejection: EventRejection,
        now: Timestamp,
        context: Context,
        metrics: inout FoldMetrics,
        outputs: inout FoldOutputs
    ) throws(FoldError) {
        let id = "dlq:\(record.topic)/\(record.partition)/\(record.offset)"
        if suppressedOutputIds.removeValue(forKey: id) != nil {
            metrics.suppressedOutput()
            return
        }
        var headers = DeadLetterHeaders.make(
            for: record,
            errorClass: "invalid_input",
            code: rejection.code.rawValue,
            message: rejection.message,
            field: rejection.field,
            attempts: 1,
            firstFailedAt: now.rfc3339
        )
        headers.append(KafkaHeader(key: FoldHeaders.outputId, string: id))
        try outputs.write(
            OutgoingRecord(
                topic: context.topics.deadLetter,
                partition: partition,
                key: record.key,
                value: record.value,
                headers: headers
            )
        )
    }
}
