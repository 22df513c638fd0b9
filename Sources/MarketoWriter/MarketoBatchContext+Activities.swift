import Delivery
import Foundation
import Marketo

extension MarketoBatchContext {
    /// Adds engagement activities with Add Custom Activities, full calls run concurrently.
    ///
    /// Activities are write-once: each carries its command id (in the type's command id attribute, when the type
    /// has one), and every added one is recorded in the delivered set and flushed at once, so a repeat of the
    /// command is skipped instead of sent. 1004 (the lead is gone) drops the cached lead id and fails as transient.
    func addActivities(_ records: [ActivityRecord]) async -> [(Int, DeliveryOutcome)] {
        guard !records.isEmpty else { return [] }
        let type: MarketoWriterCache.ActivityType
        switch await activityType() {
        case .success(let found):
            type = found
        case .failure(let failure):
            return records.flatMap { record in record.indices.map { ($0, .failed(failure)) } }
        }
        let outcomes = await withTaskGroup(of: [(Int, DeliveryOutcome)].self) { group in
            for chunk in records.chunked(into: recordsPerCall) {
                group.addTask { await addActivityCall(chunk, type: type) }
            }
            var outcomes: [(Int, DeliveryOutcome)] = []
            for await results in group { outcomes += results }
            return outcomes
        }
        do {
            try cache.flush()
        } catch {
            logger.error(
                "cannot write the Marketo writer cache",
                metadata: [MarketoWriterLoggingKeys.error: "\(error)"]
            )
        }
        return outcomes
    }

    private func addActivityCall(
        _ chunk: [ActivityRecord],
        type: MarketoWriterCache.ActivityType
    ) async -> [(Int, DeliveryOutcome)] {
        let activities = chunk.map { record in
            MarketoCustomActivity(
                leadId: record.leadId,
                activityDate: record.occurredAt,
                activityTypeId: type.id,
                primaryAttributeValue: record.snapshot.entry.id,
                attributes: EngagementFields.activityAttributes(
                    record.snapshot,
                    virtualEventId: record.virtualEventId,
                    commandId: record.commandId,
                    commandIdAttribute: options.commandIdAttribute,
                    allowed: type.attributes
                )
            )
        }
        let answer = await call { [client] in try await client.addCustomActivities(activities) }
        switch answer {
        case .failure(var failure):
            if failure.errorClass == .permanent {
                failure.message = "custom activity \(options.activityTypeName): " + failure.message
            }
            return chunk.flatMap { record in record.indices.map { ($0, .failed(failure)) } }
        case .success(let result):
            var added: [(commandId: String, marketoGUID: String)] = []
            var outcomes: [(Int, DeliveryOutcome)] = []
            for (record, answer) in zip(chunk, result.records) {
                let outcome: DeliveryOutcome
                if let failure = answer.outcome.failure {
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
                                apiName: options.activityTypeName,
                                nil
                            )
                        }
                        outcome = .failed(
                            recordFailure(
                                failure,
                                endpoint: .addCustomActivities,
                                requestId: result.requestId,
                                subject: "\(options.activityTypeName) activity entry_id=\(record.snapshot.entry.id) "
                                    + "for lead \(record.leadId) (commandId \(record.commandId))"
                            )
                        )
                    }
                } else {
                    added.append(
                        (record.commandId, answer.marketoGUID ?? answer.activityId.map(String.init) ?? "added")
                    )
                    outcome = .delivered
                }
                outcomes += record.indices.map { ($0, outcome) }
            }
            cache.storeDeliveredActivities(munchkinId: connection.munchkinId, added)
            return outcomes
        }
    }

    /// The activity type's id and attributes: cached, else described once (one call) and cached.
    private func activityType() async -> Result<MarketoWriterCache.ActivityType, DeliveryFailure> {
        let apiName = options.activityTypeName
        if let cached = cache.activityType(munchkinId: connection.munchkinId, apiName: apiName) {
            return .success(cached)
        }
        let answer = await call { [client] in try await client.describeCustomActivityType(apiName: apiName) }
        switch answer {
        case .failure(var failure):
            if failure.errorClass == .permanent {
                failure.message =
                    "custom activity type '\(apiName)' is not usable in subscription \(connection.munchkinId) "
                    + "(create and approve it as docs/events.md, \"The CRM setup\", says): " + failure.message
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
            let type = MarketoWriterCache.ActivityType(
                id: description.id,
                attributes: Set(description.attributes.map(\.apiName))
            )
            if !type.attributes.contains(options.commandIdAttribute) {
                logger.notice(
                    "the custom activity type has no command id attribute; activities are deduplicated locally only",
                    metadata: [
                        MarketoWriterLoggingKeys.tenant: "\(connection.tenant)",
                        MarketoWriterLoggingKeys.activityType: "\(apiName)",
                        MarketoWriterLoggingKeys.attribute: "\(options.commandIdAttribute)",
                    ]
                )
            }
            cache.storeActivityType(munchkinId: connection.munchkinId, apiName: apiName, type)
            return .success(type)
        }
    }
}
