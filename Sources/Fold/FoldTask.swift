import Kafka
import LeadModel
import Topics

/// One partition's fold: its lead states, where its inputs stand, and what it must not write twice.
///
/// Pure apart from the records it hands to `emit`: the runtime owns Kafka and transactions.
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
    /// Whether this task folded or wrote anything in the open transaction.
    var isDirty = false
    /// Snapshot entries and changelog records its restore read.
    var restoredRecords = 0
    /// The open transaction's changelog records, each lead's last (Kafka Streams' record cache): sent at commit,
    /// right before the checkpoint vouching for them.
    var pendingStates: [[UInt8]: OutgoingRecord] = [:]

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
        emit: (OutgoingRecord) throws(FoldError) -> Void
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
            try deadLetter(record, rejection: error, now: now, context: context, metrics: &metrics, emit: emit)
            return
        }

        let canonicalKey = Array(event.leadKey.rawValue.utf8)
        let owner = Murmur2Partitioner.partition(for: canonicalKey, partitionCount: context.partitionCount)
        if record.topic != context.topics.repartition && (record.key != canonicalKey || owner != partition) {
            // Never fold on the wrong task: the canonical key's owner folds it from the repartition topic.
            metrics.input(topic: record.topic, result: "repartitioned")
            var headers = record.headers
            headers.append(KafkaHeader(key: DeadLetterHeaders.originalTopic, string: record.topic))
            try emit(
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
        var state = try decodeState(key)
        let outcome = LeadFold.apply(event, to: &state, rules: rules, now: now)
        for rejection in outcome.rejections { metrics.transitionRejected(reason: rejection.reason.code) }
        for transition in outcome.applied { metrics.transitionApplied(status: transition.to.name) }
        if outcome.stateChanged {
            writeState(state, key: key, rules: rules, context: context)
        }
        try emitCommands(outcome.commands, key: canonicalKey, context: context, metrics: &metrics, emit: emit)
    }

    // MARK: - Settle timer

    /// Emits the custom activities that are due at `now`, for every lead of this task.
    mutating func emitDueActivities(
        now: Timestamp,
        context: Context,
        metrics: inout FoldMetrics,
        emit: (OutgoingRecord) throws(FoldError) -> Void
    ) throws(FoldError) {
        for key in store.keysDue(atOrBefore: now.millisecondsSinceEpoch) {
            guard let leadKey = LeadKey(rawValue: key), let rules = context.tenants.rules(for: leadKey.tenant) else {
                store.clearActivityDue(of: key)
                continue
            }
            isDirty = true
            var state = try decodeState(key)
            let commands = LeadFold.dueActivities(for: leadKey, in: &state, rules: rules, now: now)
            writeState(state, key: key, rules: rules, context: context)
            try emitCommands(commands, key: Array(key.utf8), context: context, metrics: &metrics, emit: emit)
        }
    }

    // MARK: - Outputs

    private func decodeState(_ key: String) throws(FoldError) -> LeadState {
        do throws(LeadStateCodec.DecodingError) {
            return try store.state(of: key) ?? LeadState()
        } catch {
            // Only this process wrote these bytes: a failure is a bug, not bad input. Stop rather than lose state.
            throw FoldError(kind: .corruptState, message: "state of \(key) in partition \(partition) does not decode: \(error)")
        }
    }

    private mutating func writeState(
        _ state: LeadState,
        key: String,
        rules: TenantRules,
        context: Context
    ) {
        let due = LeadFold.nextActivityDue(in: state, rules: rules)?.millisecondsSinceEpoch
        let encoded = store.put(key, state: state, due: due)
        var headers = [KafkaHeader(key: FoldHeaders.transactionToken, string: context.transactionToken)]
        if let due { headers.append(KafkaHeader(key: FoldHeaders.activityDue, string: String(due))) }
        let recordKey = Array(key.utf8)
        pendingStates[recordKey] = OutgoingRecord(
            topic: context.topics.changelog,
            partition: partition,
            key: recordKey,
            value: encoded,
            headers: headers
        )
    }

    private mutating func emitCommands(
        _ commands: [Command],
        key: [UInt8],
        context: Context,
        metrics: inout FoldMetrics,
        emit: (OutgoingRecord) throws(FoldError) -> Void
    ) throws(FoldError) {
        for command in commands {
            guard let topic = context.topics.commands[command.destination] else { continue }
            let id = command.commandId.rawValue
            if suppressedOutputIds.removeValue(forKey: id) != nil {
                metrics.suppressedOutput()
                continue
            }
            metrics.command(destination: command.destination.rawValue, kind: command.kind.rawValue)
            try emit(
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
    }

    private mutating func deadLetter(
        _ record: ConsumedRecord,
        rejection: EventRejection,
        now: Timestamp,
        context: Context,
        metrics: inout FoldMetrics,
        emit: (OutgoingRecord) throws(FoldError) -> Void
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
        try emit(
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
