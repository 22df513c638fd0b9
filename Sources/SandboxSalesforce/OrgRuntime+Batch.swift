import Foundation

// MARK: - OrgRuntime + Batch

extension OrgRuntime {
    /// `POST /composite/batch`: up to 25 independent subrequests, each committed on its own and each counted
    /// against the daily allocation; with `haltOnError` the ones after a failure answer 412.
    mutating func compositeBatch(_ request: APIRequest, now: Date) -> APIResult {
        let body: JSONValue
        do {
            body = try request.json()
        } catch {
            return .failure(400, error)
        }
        guard let subrequests = body["batchRequests"]?.arrayValue, !subrequests.isEmpty,
            subrequests.count <= limits.compositeSubrequests
        else {
            return .failure(
                400,
                APIError(
                    "INVALID_BATCH_REQUEST",
                    "batchRequests must hold 1 to \(limits.compositeSubrequests) subrequests"
                )
            )
        }
        let haltOnError = body["haltOnError"]?.boolValue ?? false
        var results: [JSONValue] = []
        var hasErrors = false
        var halted = false
        var records = 0
        var rowErrors: [String] = []
        for (position, subrequest) in subrequests.enumerated() {
            let result: APIResult
            if halted {
                result = .failure(
                    412,
                    APIError(
                        "BATCH_PROCESSING_HALTED",
                        "Batch processing halted per request"
                    )
                )
            } else if position > 0, apiCallTimes.count >= limits.dailyApiRequests {
                // The batch itself was counted on admission; each further subrequest counts too.
                result = .failure(403, APIError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
            } else {
                if position > 0 { countCall(now: now) }
                result = runBatchItem(subrequest, version: request.version, now: now)
            }
            if result.status >= 400 {
                hasErrors = true
                if haltOnError { halted = true }
                if let code = result.errorCode { rowErrors.append(code) }
            }
            rowErrors += result.rowErrorCodes
            records += result.records
            let resultBody: JSONValue
            switch result.body {
            case .json(let value): resultBody = value
            case .text(let text, _): resultBody = .string(text)
            case .empty: resultBody = .null
            }
            results.append(.object([("statusCode", .number(Double(result.status))), ("result", resultBody)]))
        }
        var answer = APIResult.json(
            200,
            .object([("hasErrors", .bool(hasErrors)), ("results", .array(results))]),
            records: records
        )
        answer.rowErrorCodes = rowErrors
        return answer
    }

    /// One `{"method":…,"url":"v66.0/…","richInput":{…}}` subrequest.
    private mutating func runBatchItem(_ item: JSONValue, version: String, now: Date) -> APIResult {
        guard let method = item["method"]?.stringValue?.uppercased(), let url = item["url"]?.stringValue else {
            return .failure(400, APIError("INVALID_BATCH_REQUEST", "Each subrequest needs method and url"))
        }
        let trimmed = url.hasPrefix("/") ? String(url.dropFirst()) : url
        let full = trimmed.hasPrefix("services/data/") ? "/" + trimmed : "/services/data/" + trimmed
        let pathAndQuery = full.split(separator: "?", maxSplits: 1).map(String.init)
        guard let (subVersion, segments) = APIRequest.versionAndSegments(pathAndQuery[0]) else {
            return .failure(404, APIError.notFound())
        }
        let subRequest = APIRequest(
            method: method,
            segments: segments,
            version: subVersion,
            query: pathAndQuery.count > 1 ? FormEncoding.decode(pathAndQuery[1]) : [:],
            headers: [:],
            body: Array((item["richInput"]?.serialized() ?? "").utf8)
        )
        let endpoint = subRequest.endpoint
        guard !endpoint.hasPrefix("composite"), !endpoint.hasPrefix("bulk") else {
            return .failure(400, APIError("INVALID_BATCH_REQUEST", "This resource is not supported in a batch: \(url)"))
        }
        return handle(subRequest, now: now)
    }

    /// `DELETE /composite/sobjects?ids=a,b[&allOrNone=true]`.
    mutating func collectionDelete(_ request: APIRequest) -> APIResult {
        let ids = (request.query["ids"] ?? "").split(separator: ",").map(String.init)
        guard !ids.isEmpty, ids.count <= limits.collectionRecords else {
            return .failure(
                400,
                APIError(
                    "EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than \(limits.collectionRecords) records into this call"
                )
            )
        }
        let allOrNone = request.query["allOrNone"]?.lowercased() == "true"
        var working = data
        var results: [(String, APIError?)] = []
        for raw in ids {
            if let record = working.record(anyId: raw) {
                working.remove(record.type, id15: record.id15)
                results.append((record.id18, nil))
            } else if let id15 = SalesforceId.canonical15(raw) {
                results.append(
                    working.deletedIds.contains(id15)
                        ? (raw, APIError("ENTITY_IS_DELETED", "entity is deleted"))
                        : (raw, APIError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"))
                )
            } else {
                results.append((raw, APIError("MALFORMED_ID", "malformed id \(raw)", fields: ["Id"])))
            }
        }
        let failed = results.contains { $0.1 != nil }
        if allOrNone && failed {
            results = results.map { ($0.0, $0.1 ?? .rolledBack()) }
        } else {
            data = working
        }
        let rows: [JSONValue] = results.map { id, error in
            .object([
                ("id", .string(id)),
                ("success", .bool(error == nil)),
                ("errors", .array(error.map { [$0.collectionJSON] } ?? [])),
            ])
        }
        var answer = APIResult.json(200, .array(rows), records: ids.count)
        answer.rowErrorCodes = results.compactMap { $0.1?.code }
        return answer
    }
}
