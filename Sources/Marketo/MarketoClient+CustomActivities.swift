extension MarketoClient {
    /// Add Custom Activities: `POST /rest/v1/activities/external.json`, up to 300 activities.
    ///
    /// Activities are write-once, with no idempotency key: repeating a call after an ambiguous failure (a
    /// timeout or dropped connection) can add them twice.
    /// - Parameter activities: The activities.
    /// - Returns: One result per activity, in input order.
    /// - Throws: ``MarketoError``.
    public func addCustomActivities(
        _ activities: [MarketoCustomActivity]
    ) async throws -> MarketoCallResult<MarketoCustomActivityResult> {
        let input = activities.map { activity -> MarketoJSON in
            .object([
                "leadId": .int(activity.leadId),
                "activityDate": .string(activity.activityDateText),
                "activityTypeId": .int(activity.activityTypeId),
                "primaryAttributeValue": .string(activity.primaryAttributeValue),
                "attributes": .array(
                    activity.attributes.sorted { $0.key < $1.key }.map { name, value in
                        .object(["apiName": .string(name), "value": .value(value)])
                    }
                ),
            ])
        }
        let request = try jsonRequest(
            .addCustomActivities,
            path: "/rest/v1/activities/external.json",
            body: .object(["input": .array(input)]),
            records: activities.count
        )
        let answer = try await recordCall(request, inputCount: activities.count)
        let records = answer.records.map {
            MarketoCustomActivityResult(activityId: $0.id, marketoGUID: $0.marketoGUID, outcome: $0.outcome)
        }
        return MarketoCallResult(requestId: answer.requestId, records: records, warnings: answer.warnings)
    }

    /// The custom activity types: `GET /rest/v1/activities/external/types.json` (to find the id of
    /// `userSessionEngagement`).
    /// - Throws: ``MarketoError``.
    public func customActivityTypes() async throws -> [MarketoCustomActivityType] {
        let request = MarketoHTTPRequest(
            endpoint: .customActivityTypes,
            method: "GET",
            path: "/rest/v1/activities/external/types.json"
        )
        return try await envelopeCall(request, of: MarketoCustomActivityType.self).result ?? []
    }
}
