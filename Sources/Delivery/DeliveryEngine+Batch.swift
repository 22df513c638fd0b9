import Basics
import Foundation
import Kafka
import LeadModel
import Logging

// MARK: - Batches

extension DeliveryEngine {
    /// A command's fate after its batch, before it is recorded.
    private enum Fate {
        case done(outcome: String)
        case route(OutgoingRecord, outcome: String)
        /// Back to the front of the tenant's queue, in memory (offset uncommitted); the reason names the outcome.
        case requeue(outcome: String)
    }

    /// Runs one unit of work and records what became of its commands.
    func perform(_ work: Work) async {
        let started = ContinuousClock.now
        let now = Date()
        var fates: [(PendingCommand, Fate)] = []
        // Order-ledger records of this work: written with its routed records, before its offsets finish.
        var ledgerRecords: [OutgoingRecord] = []
        let tenant: String
        switch work {
        case .park(let parkedTenant, let items, let until):
            tenant = parkedTenant
            let failure = DeliveryFailure(
                errorClass: .quotaExhausted,
                code: "parked",
                message: "the subscription \(sink.subscription(ofTenant: tenant)) is parked until \(until)",
                resumeAt: until
            )
            fates = items.map {
                (
                    $0,
                    routeToRetry($0, failure: failure, countsAsAttempt: false, now: now, ledgerRecords: &ledgerRecords)
                )
            }
        case .unknownTenant(let unknownTenant, let items):
            tenant = unknownTenant
            let failure = DeliveryFailure(
                errorClass: .permanent,
                code: "unknown_tenant",
                message: "tenant \(tenant) has no \(sink.destination.rawValue) settings in this writer's configuration"
            )
            fates = items.map { ($0, deadLetter($0, failure: failure, now: now)) }
        case .deliver(let deliveryTenant, let items, let backlog, let limiter):
            tenant = deliveryTenant
            fates = await deliver(
                items,
                tenant: tenant,
                backlog: backlog,
                limiter: limiter,
                now: now,
                ledgerRecords: &ledgerRecords
            )
            metrics.batchSize.record(items.count)
        }
        await settle(fates, ledgerRecords: ledgerRecords, tenant: tenant)
        metrics.batchDuration.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
    }

    /// Coalesces, drops stale commands, calls the sink and decides each command's fate.
    private func deliver(
        _ items: [PendingCommand],
        tenant: String,
        backlog: Int,
        limiter: CallLimiter,
        now: Date,
        ledgerRecords: inout [OutgoingRecord]
    ) async -> [(PendingCommand, Fate)] {
        // The newest command of each key wins; older ones in the same batch are superseded by it.
        let coalesced = coalesce(items, command: \.command, order: \.order)
        var fates: [(PendingCommand, Fate)] = coalesced.superseded.map { ($0, .done(outcome: "superseded")) }
        var sending: [PendingCommand] = []
        for pending in coalesced.kept {
            if ledger.isStale(key: pending.orderKey, order: pending.order) {
                fates.append((pending, .done(outcome: "stale")))
            } else {
                sending.append(pending)
            }
        }
        guard !sending.isEmpty else { return fates }

        let batch = DeliveryBatch(
            tenant: tenant,
            items: sending.map {
                DeliveryItem(command: $0.command, attempt: $0.attempts + 1, partition: $0.order.partition)
            },
            backlog: backlog,
            limiter: limiter,
            ledger: effects
        )
        var outcomes = await sink.deliver(batch)
        if outcomes.count != sending.count {
            logger.error(
                "the sink returned \(outcomes.count) outcomes for \(sending.count) commands; retrying them all"
            )
            outcomes = Array(
                repeating: .failed(
                    DeliveryFailure(
                        errorClass: .transient,
                        code: "sink_outcome_count",
                        message: "the sink returned \(outcomes.count) outcomes for \(sending.count) commands"
                    )
                ),
                count: sending.count
            )
        }
        for (pending, outcome) in zip(sending, outcomes) {
            switch outcome {
            case .delivered:
                if let record = ledger.delivered(key: pending.orderKey, order: pending.order, now: now) {
                    ledgerRecords.append(record)
                }
                fates.append((pending, .done(outcome: "delivered")))
            case .skipped:
                if let record = ledger.delivered(key: pending.orderKey, order: pending.order, now: now) {
                    ledgerRecords.append(record)
                }
                fates.append((pending, .done(outcome: "skipped")))
            case .failed(let failure):
                let next = fate(
                    of: pending,
                    failure: failure,
                    limiter: limiter,
                    now: now,
                    ledgerRecords: &ledgerRecords
                )
                fates.append((pending, next))
            }
        }
        return fates
    }

    private func fate(
        of pending: PendingCommand,
        failure: DeliveryFailure,
        limiter: CallLimiter,
        now: Date,
        ledgerRecords: inout [OutgoingRecord]
    ) -> Fate {
        switch failure.errorClass {
        case .permanent:
            return deadLetter(pending, failure: failure, now: now)
        case .rateLimited:
            // The limiter has slowed down; the command waits in memory, ahead of newer ones.
            return .requeue(outcome: "rate_limited")
        case .quotaExhausted:
            let until = failure.resumeAt ?? now.addingTimeInterval(3600)
            park(subscription: sink.subscription(ofTenant: pending.tenant), until: until, reason: failure)
            limiter.park(until: until)
            // A short park holds the command where it is; a long one sends it to the retry topic until then.
            if until.timeIntervalSince(now) <= configuration.parkHoldLimit.seconds { return .requeue(outcome: "held") }
            var parkedFailure = failure
            parkedFailure.resumeAt = until
            return routeToRetry(
                pending,
                failure: parkedFailure,
                countsAsAttempt: false,
                now: now,
                ledgerRecords: &ledgerRecords
            )
        case .transient, .authentication:
            return routeToRetry(
                pending,
                failure: failure,
                countsAsAttempt: failure.countsAsAttempt,
                now: now,
                ledgerRecords: &ledgerRecords
            )
        }
    }

    private func park(subscription: String, until: Date, reason: DeliveryFailure) {
        let isNew = state.withLock { state -> Bool in
            if let current = state.parked[subscription], current >= until { return false }
            state.parked[subscription] = until
            return true
        }
        if isNew {
            logger.warning(
                "subscription parked: its daily quota is spent",
                metadata: ["subscription": "\(subscription)", "until": "\(until)", "reason": "\(reason)"]
            )
        }
    }

    /// The retry record of a failed command, or its dead letter when the retry budget is spent.
    private func routeToRetry(
        _ pending: PendingCommand,
        failure: DeliveryFailure,
        countsAsAttempt: Bool,
        now: Date,
        ledgerRecords: inout [OutgoingRecord]
    ) -> Fate {
        let attempts = pending.attempts + (countsAsAttempt ? 1 : 0)
        let firstFailedAt = pending.firstFailedAt ?? now
        let schedule = configuration.retry
        if countsAsAttempt && !schedule.allowsRetry(attempts: attempts, firstFailedAt: firstFailedAt, now: now) {
            var final = failure
            final.message =
                "gave up after \(attempts) attempts over "
                + "\(Int(now.timeIntervalSince(firstFailedAt)))s (retry budget \(schedule.maxAttempts) attempts, "
                + "\(Int(schedule.maxAge.seconds))s): \(failure.message)"
            return deadLetter(pending, failure: final, attempts: attempts, firstFailedAt: firstFailedAt)
        }
        var notBefore =
            countsAsAttempt
            ? now.addingTimeInterval(schedule.backoff(afterAttempt: max(attempts, 1), random: jitter()).seconds)
            : (failure.resumeAt ?? now)
        if let resumeAt = failure.resumeAt, resumeAt > notBefore { notBefore = resumeAt }
        if let record = ledger.retrying(key: pending.orderKey, order: pending.order, now: now) {
            ledgerRecords.append(record)
        }
        let record = RoutedRecord.make(
            topic: configuration.topics.retry,
            for: pending,
            failure: failure,
            attempts: attempts,
            firstFailedAt: firstFailedAt,
            notBefore: notBefore
        )
        return .route(record, outcome: "retried")
    }

    private func deadLetter(
        _ pending: PendingCommand,
        failure: DeliveryFailure,
        attempts: Int? = nil,
        firstFailedAt: Date? = nil,
        now: Date = Date()
    ) -> Fate {
        let record = RoutedRecord.make(
            topic: configuration.topics.deadLetter,
            for: pending,
            failure: failure,
            attempts: attempts ?? pending.attempts + 1,
            firstFailedAt: firstFailedAt ?? pending.firstFailedAt ?? now,
            notBefore: nil
        )
        logger.warning(
            "command dead-lettered",
            metadata: [
                "tenant": "\(pending.tenant)", "commandId": "\(pending.command.commandId.rawValue)",
                "class": "\(failure.errorClass)", "code": "\(failure.code)", "message": "\(failure.message)",
            ]
        )
        return .route(record, outcome: "dead_lettered")
    }

    /// Produces the work's records, then finishes offsets and frees the tenant:
    /// 1. order marks and the routed records (retry, dead-letter) together, until Kafka acknowledged them all;
    /// 2. then routed marks (a repeat of the consumed record after a crash is skipped: nothing is routed twice, and
    ///    a mark never exists without its routed record).
    private func settle(_ fates: [(PendingCommand, Fate)], ledgerRecords: [OutgoingRecord], tenant: String) async {
        var routed: [OutgoingRecord] = []
        var marks: [OutgoingRecord] = []
        let now = Date()
        for (pending, fate) in fates {
            guard case .route(let record, _) = fate else { continue }
            routed.append(record)
            if let mark = ledgerStore.setRoutedRecord(pending, to: record.topic, at: now) { marks.append(mark) }
        }
        var routedSafely = await produceUntilAcknowledged(ledgerRecords + routed)
        if routedSafely { routedSafely = await produceUntilAcknowledged(marks) }
        var counts: [String: Int] = [:]
        state.withLock { state in
            var requeued: [PendingCommand] = []
            for (pending, fate) in fates {
                state.inFlight[pending.source, default: 1] -= 1
                switch fate {
                case .done(let outcome):
                    counts[outcome, default: 0] += 1
                    // A delivered command whose order mark was not acknowledged stays uncommitted too.
                    guard routedSafely else { continue }
                    state.offsets.finished(pending.source, offset: pending.record.offset)
                case .route(_, let outcome):
                    // Unacknowledged routing (shutdown while Kafka failed): the offset stays uncommitted and the
                    // command is consumed again after the restart.
                    guard routedSafely else { continue }
                    counts[outcome, default: 0] += 1
                    state.offsets.finished(pending.source, offset: pending.record.offset)
                case .requeue(let outcome):
                    counts[outcome, default: 0] += 1
                    if state.assigned.contains(pending.source) { requeued.append(pending) }
                }
            }
            if !requeued.isEmpty { state.queues[tenant] = requeued + (state.queues[tenant] ?? []) }
            state.busyTenants.remove(tenant)
            state.status.delivered += counts["delivered"] ?? 0
            state.status.skipped += counts["skipped"] ?? 0
            state.status.superseded += counts["superseded"] ?? 0
            state.status.stale += counts["stale"] ?? 0
            state.status.retried += counts["retried"] ?? 0
            state.status.deadLettered += counts["dead_lettered"] ?? 0
            state.status.held += counts["held"] ?? 0
        }
        for (outcome, count) in counts { metrics.commands(tenant: tenant, outcome: outcome, count: count) }
    }

    /// Dead-letters records that are not commands.
    func deadLetterUndecodable(_ records: [ConsumedRecord]) async {
        let now = Date()
        var routed: [OutgoingRecord] = []
        for record in records {
            let message: String
            do {
                _ = try CommandCodec.decode(record.value)
                message = "not a command"
            } catch {
                message = "not a valid command record: \(error.message)"
            }
            routed.append(
                RoutedRecord.undecodable(
                    topic: configuration.topics.deadLetter,
                    record: record,
                    message: message,
                    now: now
                )
            )
        }
        guard await produceUntilAcknowledged(routed) else { return }
        state.withLock { state in
            for record in records { state.offsets.finished(record.topicPartition, offset: record.offset) }
            state.status.deadLettered += records.count
        }
        metrics.commands(tenant: "", outcome: "dead_lettered", count: records.count)
    }

    /// Sends records and waits for Kafka's acknowledgement, retrying what failed: a routed command's offset may
    /// only be committed once its new record is safe. Returns false when the writer is shutting down before every
    /// record was acknowledged (the caller then leaves those offsets uncommitted).
    private func produceUntilAcknowledged(_ records: [OutgoingRecord]) async -> Bool {
        var remaining = records
        var delay: Duration = .milliseconds(100)
        while !remaining.isEmpty {
            do {
                let reports = try await producer.send(remaining)
                remaining = zip(remaining, reports).filter { !$0.1.isDelivered }.map(\.0)
                if !remaining.isEmpty {
                    metrics.produceFailures.increment(by: remaining.count)
                    logger.warning("\(remaining.count) routed records not acknowledged; sending them again")
                }
            } catch {
                metrics.produceFailures.increment(by: remaining.count)
                logger.warning("routing \(remaining.count) records failed (\(error)); trying again")
            }
            if remaining.isEmpty { break }
            if Task.isCancelled { return false }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
        return true
    }
}
