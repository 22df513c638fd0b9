extension MarketoClient {
    /// Sends a write call whose `result` holds one item per input record, and returns the items in input order
    /// (by `seq` where Marketo sends it, else by position). An empty input makes no call (and has no `requestId`).
    /// - Throws: ``MarketoError``; ``MarketoError/Code/invalidResponse`` (class retry) when the result does not
    ///   hold exactly one item per input record.
    func recordCall(
        _ request: MarketoHTTPRequest,
        inputCount: Int
    ) async throws -> (requestId: String, records: [MarketoWireRecord], warnings: [String]) {
        // Marketo refuses an empty `input`; nothing to send is nothing to do.
        guard inputCount > 0 else { return ("", [], []) }
        return try await authorizedCall(request) { response in
            let envelope = try decodeEnvelope(
                response,
                as: MarketoEnvelope<MarketoWireRecord>.self,
                endpoint: request.endpoint
            )
            try checkSuccess(success: envelope.success, errors: envelope.errors, requestId: envelope.requestId, request)
            let ordered = try inputOrder(envelope.result ?? [], inputCount: inputCount, request, envelope.requestId)
            let failed = ordered.count { !$0.outcome.isSuccess }
            let warnings = (envelope.warnings ?? []).map(\.text)
            return ((envelope.requestId ?? "", ordered, warnings), failed, envelope.requestId)
        }
    }

    private func inputOrder(
        _ items: [MarketoWireRecord],
        inputCount: Int,
        _ request: MarketoHTTPRequest,
        _ requestId: String?
    ) throws -> [MarketoWireRecord] {
        func mismatch(_ why: String) -> MarketoError {
            MarketoError(
                code: .invalidResponse,
                failureClass: .retry,
                endpoint: request.endpoint,
                httpStatus: 200,
                message: "\(why) (\(items.count) results for \(inputCount) records)",
                requestId: requestId
            )
        }
        guard items.count == inputCount else { throw mismatch("the result does not match the input") }
        guard items.allSatisfy({ $0.seq != nil }) else { return items }
        var ordered = [MarketoWireRecord?](repeating: nil, count: inputCount)
        for item in items {
            guard let seq = item.seq, ordered.indices.contains(seq), ordered[seq] == nil else {
                throw mismatch("the result's seq values are not 0..<\(inputCount)")
            }
            ordered[seq] = item
        }
        return ordered.compactMap { $0 }
    }
}
