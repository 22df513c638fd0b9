extension MarketoClient {
    /// Sync Program Member Status: `POST /rest/v1/programs/{programId}/members/status.json`, up to 300 leads.
    ///
    /// An upsert: a lead that is not a member joins the program. Marketo never moves a member to a lower step:
    /// such a lead comes back as ``MarketoRecordOutcome/skipped(_:)`` with 1037, which callers treat as success.
    /// - Parameters:
    ///   - programId: The program.
    ///   - statusName: A status of the program's channel, such as `Registered`.
    ///   - leadIds: The leads (up to 300).
    /// - Returns: One result per lead, in input order.
    /// - Throws: ``MarketoError`` when the call failed as a whole: an unknown program (1013) or, on subscriptions
    ///   that report it for the whole call, an unknown status (1025), both permanent.
    public func syncProgramMemberStatus(
        programId: Int,
        statusName: String,
        leadIds: [Int]
    ) async throws -> MarketoCallResult<MarketoProgramMemberStatusResult> {
        let body = MarketoJSON.object([
            "statusName": .string(statusName),
            "input": .array(leadIds.map { .object(["leadId": .int($0)]) }),
        ])
        let request = try jsonRequest(
            .syncProgramMemberStatus,
            path: "/rest/v1/programs/\(programId)/members/status.json",
            body: body,
            records: leadIds.count
        )
        let answer = try await recordCall(request, inputCount: leadIds.count)
        let records = zip(leadIds, answer.records).map { leadId, record in
            MarketoProgramMemberStatusResult(leadId: leadId, outcome: record.outcome)
        }
        return MarketoCallResult(requestId: answer.requestId, records: records, warnings: answer.warnings)
    }
}
