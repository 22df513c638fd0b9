import Basics
import Delivery
import Foundation
import Marketo

extension MarketoBatchContext {
    /// Adds engagement activities with Add Custom Activities, exactly once across crashes and lost answers.
    ///
    /// Activities are write-once: sent twice, an activity exists twice. So, per activity, through the batch's
    /// effect ledger:
    /// - an activity recorded as added is not sent (the caller skipped it already);
    /// - one whose earlier call's outcome is unknown (an intent without an outcome: a crash, a lost answer) is
    ///   settled first: once Marketo must be done with that call (``MarketoSinkOptions/activitySettleDelay``
    ///   after the intent), the lead's activities of the tenant's type are read back and matched on what the call
    ///   sent (exactly on the command id when the type has the tenant's command id attribute,
    ///   `activityType.attributes.commandId`, default `command_id`); found, it is delivered without a call; not
    ///   found, it is sent again;
    /// - every call records its activities' intent (durably) right before it is sent and their outcome right
    ///   after the answer; a call whose answer is lost leaves its intents to be settled.
    ///
    /// 1004 (the lead is gone) drops the cached lead id and fails as transient.
    func addActivities(_ records: [ActivityRecord], ledger: EffectLedger) async -> [(Int, DeliveryOutcome)] {
        guard !records.isEmpty else { return [] }
        let type: MarketoWriterCache.ActivityType
        switch await activityType() {
        case .success(let found):
            type = found
        case .failure(let failure):
            return records.flatMap { record in record.indices.map { ($0, .failed(failure)) } }
        }
        var outcomes: [(Int, DeliveryOutcome)] = []
        var sending: [ActivityRecord] = []
        var unsettled: [(record: ActivityRecord, intent: EffectEntry)] = []
        let now = options.clock()
        for record in records {
            switch ledger.entry(record.effectKey) {
            case let entry? where entry.status == .applied:
                outcomes += record.indices.map {
                    ($0, .skipped(reason: "activity \(record.commandId) was already added"))
                }
            case let entry? where entry.status == .intended:
                let settlesAt = entry.at.addingTimeInterval(options.activitySettleDelay.seconds)
                if settlesAt > now {
                    metrics.recordSettlement(tenant: connection.tenant, result: "waiting")
                    let failure = DeliveryFailure(
                        errorClass: .transient,
                        code: "activity_unsettled",
                        message: "activity \(record.commandId) for lead \(record.leadId): an earlier call's outcome is "
                            + "unknown; it is read back from Marketo at \(settlesAt), before anything is sent again",
                        resumeAt: settlesAt,
                        countsAsAttempt: false
                    )
                    outcomes += record.indices.map { ($0, .failed(failure)) }
                } else {
                    unsettled.append((record, entry))
                }
            default:
                sending.append(record)
            }
        }
        if !unsettled.isEmpty {
            let (settled, toSend) = await settle(unsettled, type: type, ledger: ledger)
            outcomes += settled
            sending += toSend
        }
        let sendable = sending
        outcomes += await withTaskGroup(of: [(Int, DeliveryOutcome)].self) { group in
            for chunk in sendable.chunked(into: recordsPerCall) {
                group.addTask { await addActivityCall(chunk, type: type, ledger: ledger) }
            }
            var results: [(Int, DeliveryOutcome)] = []
            for await chunkResults in group { results += chunkResults }
            return results
        }
        return outcomes
    }

    // MARK: - One call

    private func addActivityCall(
        _ chunk: [ActivityRecord],
        type: MarketoWriterCache.ActivityType,
        ledger: EffectLedger
    ) async -> [(Int, DeliveryOutcome)] {
        let activities = chunk.map { activity(for: $0, type: type) }
        let intents = zip(chunk, activities).map { record, activity in
            (key: record.effectKey, detail: ActivityMatch.intentDetail(activity, commandId: record.commandId))
        }
        // The intent is recorded inside the limited call, right before the request (after waiting for the
        // limiter), so its time bounds when Marketo can have finished with the call.
        let clock = options.clock
        let (answer, mayHaveBeenProcessed) = await attempt { [client] in
            try await ledger.recordIntents(intents, at: clock())
            return try await client.addCustomActivities(activities)
        }
        switch answer {
        case .failure(var failure):
            if mayHaveBeenProcessed {
                // The request may have been carried out: its intents stay, and the retry settles them first.
                failure.resumeAt = options.clock().addingTimeInterval(options.activitySettleDelay.seconds)
                failure.message +=
                    " (the call's outcome is unknown: the activities are read back from Marketo before "
                    + "they are sent again)"
            } else {
                await recordOutcomes(applied: [], absent: chunk.map(\.effectKey), ledger: ledger)
            }
            if failure.errorClass == .permanent {
                failure.message = "custom activity \(connection.activityType.apiName): " + failure.message
            }
            return chunk.flatMap { record in record.indices.map { ($0, .failed(failure)) } }
        case .success(let result):
            var applied: [(key: EffectKey, detail: [String: String])] = []
            var absent: [EffectKey] = []
            var outcomes: [(Int, DeliveryOutcome)] = []
            for (index, record) in chunk.enumerated() {
                let outcome: DeliveryOutcome
                guard index < result.records.count else {
                    // No result for the record: Marketo's answer is short; treat it as not carried out knowingly
                    // only if it said so, otherwise leave it to settlement.
                    outcomes += record.indices.map {
                        (
                            $0,
                            .failed(
                                DeliveryFailure(
                                    errorClass: .transient,
                                    code: "no_result",
                                    message:
                                        "Add Custom Activities answered no result for activity \(record.commandId)",
                                    resumeAt: options.clock().addingTimeInterval(
                                        options.activitySettleDelay.seconds
                                    )
                                )
                            )
                        )
                    }
                    continue
                }
                let answer = result.records[index]
                if let failure = answer.outcome.failure {
                    absent.append(record.effectKey)
                    if failure.code == "1004" {
                        outcome = .failed(
                            leadNotFound(
                                email: record.email,
                                leadId: record.leadId,
                                endpoint: .addCustomActivities,
                                requestId: result.requestId
                            )
                        )
                    } else {
                        if failure.code == "1006" || failure.code == "1013" {
                            // The type changed under us: describe it again next time.
                            cache.storeActivityType(
                                munchkinId: connection.munchkinId,
                                apiName: connection.activityType.apiName,
                                nil
                            )
                        }
                        outcome = .failed(
                            recordFailure(
                                failure,
                                endpoint: .addCustomActivities,
                                requestId: result.requestId,
                                subject: "\(connection.activityType.apiName) activity "
                                    + "entry_id=\(record.snapshot.entry.id) "
                                    + "for lead \(record.leadId) (commandId \(record.commandId))"
                            )
                        )
                    }
                } else {
                    let crmId = answer.marketoGUID ?? answer.activityId.map(String.init) ?? ""
                    applied.append((record.effectKey, ["crmId": crmId]))
                    outcome = .delivered
                }
                outcomes += record.indices.map { ($0, outcome) }
            }
            await recordOutcomes(applied: applied, absent: absent, ledger: ledger)
            return outcomes
        }
    }

    /// The activity a record becomes.
    private func activity(for record: ActivityRecord, type: MarketoWriterCache.ActivityType) -> MarketoCustomActivity {
        MarketoCustomActivity(
            leadId: record.leadId,
            activityDate: record.occurredAt,
            activityTypeId: type.id,
            primaryAttributeValue: record.snapshot.entry.id,
            attributes: EngagementFields.activityAttributes(
                record.snapshot,
                virtualEventId: record.virtualEventId,
                commandId: record.commandId,
                names: connection.activityType,
                allowed: type.attributes
            )
        )
    }

    /// Writes a call's outcomes to the ledger; a failure is logged (the intents then stay, and are settled by
    /// reading Marketo back, so nothing is sent twice).
    private func recordOutcomes(
        applied: [(key: EffectKey, detail: [String: String])],
        absent: [EffectKey],
        ledger: EffectLedger
    ) async {
        do {
            try await ledger.recordApplied(applied, at: options.clock())
            try await ledger.recordAbsent(absent)
        } catch {
            logger.warning(
                "the outcome of an activity call was not recorded; the activities will be read back before a resend",
                metadata: [
                    MarketoWriterLoggingKeys.tenant: "\(connection.tenant)", MarketoWriterLoggingKeys.error: "\(error)",
                ]
            )
        }
    }

    // MARK: - Settling unknown outcomes

    /// Reads back the activities of unsettled intents, 30 leads per read (Get Lead Activities' limit): found ones
    /// are delivered (and recorded as added), the others are returned to be sent. A read that fails fails its
    /// activities (nothing is sent for them).
    private func settle(
        _ unsettled: [(record: ActivityRecord, intent: EffectEntry)],
        type: MarketoWriterCache.ActivityType,
        ledger: EffectLedger
    ) async -> (outcomes: [(Int, DeliveryOutcome)], toSend: [ActivityRecord]) {
        var outcomes: [(Int, DeliveryOutcome)] = []
        var toSend: [ActivityRecord] = []
        var applied: [(key: EffectKey, detail: [String: String])] = []
        let byLead = Dictionary(grouping: unsettled) { $0.record.leadId }
        let leadIds = byLead.keys.sorted()
        for chunk in leadIds.chunked(into: 30) {
            let intents = chunk.flatMap { byLead[$0] ?? [] }
            // From a little before the earliest of what was sent and when: Marketo pages by activity date.
            let earliest =
                intents.map { min($0.intent.at, ActivityMatch.sentDate($0.intent) ?? $0.intent.at) }.min()
                ?? options.clock()
            let since = earliest.addingTimeInterval(-3_600)
            let read = await readActivities(since: since, typeId: type.id, leadIds: chunk)
            switch read {
            case .failure(var failure):
                metrics.recordSettlement(tenant: connection.tenant, result: "failed", count: intents.count)
                failure.message = "reading back activities of unknown outcome: " + failure.message
                for item in intents { outcomes += item.record.indices.map { ($0, .failed(failure)) } }
            case .success(let found):
                var used = Set<String>()
                for item in intents {
                    let match = found.first { activity in
                        let id = activity.marketoGUID ?? activity.id.map(String.init) ?? ""
                        return !used.contains(id)
                            && ActivityMatch.matches(
                                activity,
                                intent: item.intent,
                                type: type,
                                commandIdAttribute: connection.activityType.attributes[.commandId]
                            )
                    }
                    if let match {
                        let id = match.marketoGUID ?? match.id.map(String.init) ?? ""
                        used.insert(id)
                        applied.append((item.record.effectKey, ["crmId": id]))
                        metrics.recordSettlement(tenant: connection.tenant, result: "found")
                        outcomes += item.record.indices.map { ($0, .delivered) }
                    } else {
                        metrics.recordSettlement(tenant: connection.tenant, result: "absent")
                        toSend.append(item.record)
                    }
                }
            }
        }
        if !applied.isEmpty {
            logger.notice(
                "activities of an earlier call with an unknown outcome were found in Marketo; not sent again",
                metadata: [MarketoWriterLoggingKeys.tenant: "\(connection.tenant)", "activities": "\(applied.count)"]
            )
            await recordOutcomes(applied: applied, absent: [], ledger: ledger)
        }
        return (outcomes, toSend)
    }

    /// Every activity of the type for these leads since a date: the paging token, then page after page until
    /// Marketo says there are no more; each request is one limited call (the rate window counts them all).
    private func readActivities(
        since: Date,
        typeId: Int,
        leadIds: [Int]
    ) async -> Result<[MarketoLeadActivity], DeliveryFailure> {
        var token: String
        switch await call({ [client] in try await client.activityPagingToken(since: since) }) {
        case .failure(let failure): return .failure(failure)
        case .success(let first): token = first
        }
        var activities: [MarketoLeadActivity] = []
        for _ in 0..<10_000 {
            let answer = await call { [client, token] in
                try await client.leadActivities(pageToken: token, activityTypeIds: [typeId], leadIds: leadIds)
            }
            switch answer {
            case .failure(let failure):
                return .failure(failure)
            case .success(let page):
                activities += page.activities
                guard page.moreResult, let next = page.nextPageToken, next != token || !page.activities.isEmpty
                else { return .success(activities) }
                token = next
            }
        }
        return .failure(
            DeliveryFailure(
                errorClass: .transient,
                code: "read_back_too_long",
                message: "more than 10,000 pages of activities since \(since) for \(leadIds.count) leads"
            )
        )
    }

    // MARK: - The activity type

    /// The activity type's id and attributes: cached, else described once (one call) and cached.
    private func activityType() async -> Result<MarketoWriterCache.ActivityType, DeliveryFailure> {
        let apiName = connection.activityType.apiName
        if let cached = cache.activityType(munchkinId: connection.munchkinId, apiName: apiName) {
            return .success(cached)
        }
        let answer = await call { [client] in try await client.describeCustomActivityType(apiName: apiName) }
        switch answer {
        case .failure(var failure):
            if failure.errorClass == .permanent {
                failure.message =
                    "custom activity type '\(apiName)' is not usable in subscription \(connection.munchkinId) "
                    + "(create and approve it as docs/crm-setup.md says): " + failure.message
            }
            return .failure(failure)
        case .success(let description):
            guard description.isApproved else {
                return .failure(
                    DeliveryFailure(
                        errorClass: .permanent,
                        code: "activity_type_not_approved",
                        message: "custom activity type '\(apiName)' in subscription \(connection.munchkinId) is "
                            + "'\(description.status ?? "unknown")': approve it in Marketo Admin, then replay"
                    )
                )
            }
            var displayNames: [String: String] = [:]
            for attribute in description.attributes {
                displayNames[attribute.apiName] = attribute.name ?? attribute.apiName
            }
            let type = MarketoWriterCache.ActivityType(
                id: description.id,
                attributes: Set(description.attributes.map(\.apiName)),
                displayNames: displayNames
            )
            let commandIdAttribute = connection.activityType.attributes[.commandId]
            if commandIdAttribute.map({ !type.attributes.contains($0) }) ?? true {
                logger.notice(
                    """
                    the custom activity type has no command id attribute; activities of unknown outcome are matched \
                    on lead, entry, date and attributes
                    """,
                    metadata: [
                        MarketoWriterLoggingKeys.tenant: "\(connection.tenant)",
                        MarketoWriterLoggingKeys.activityType: "\(apiName)",
                        MarketoWriterLoggingKeys.attribute: "\(commandIdAttribute ?? "none configured")",
                    ]
                )
            }
            cache.storeActivityType(munchkinId: connection.munchkinId, apiName: apiName, type)
            return .success(type)
        }
    }
}
