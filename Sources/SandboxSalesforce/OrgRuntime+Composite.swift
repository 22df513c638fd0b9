import Foundation

// MARK: - OrgRuntime + Composite

extension OrgRuntime {
    /// `POST /composite`: up to 25 subrequests in order, `@{ref.path}` references, one API call in all;
    /// with allOrNone a failure rolls everything back and the others answer `PROCESSING_HALTED`.
    mutating func composite(_ request: APIRequest, now: Date) -> APIResult {
        let body: JSONValue
        do {
            body = try request.json()
        } catch {
            return .failure(400, error)
        }
        guard let subrequests = body["compositeRequest"]?.arrayValue, !subrequests.isEmpty else {
            return .failure(400, APIError("INVALID_COMPOSITE_REQUEST", "compositeRequest is required"))
        }
        guard subrequests.count <= limits.compositeSubrequests else {
            return .failure(
                400,
                APIError(
                    "INVALID_COMPOSITE_REQUEST",
                    "Composite request has \(subrequests.count) subrequests; the limit is "
                        + "\(limits.compositeSubrequests)"
                )
            )
        }
        var parsed: [(referenceId: String, method: String, url: String, body: JSONValue?)] = []
        var referenceIds: Set<String> = []
        var heavy = 0
        for subrequest in subrequests {
            guard let method = subrequest["method"]?.stringValue?.uppercased(),
                let url = subrequest["url"]?.stringValue,
                let referenceId = subrequest["referenceId"]?.stringValue, !referenceId.isEmpty,
                referenceId.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else {
                return .failure(
                    400,
                    APIError(
                        "INVALID_COMPOSITE_REQUEST",
                        "Each subrequest needs method, url and an alphanumeric referenceId"
                    )
                )
            }
            guard referenceIds.insert(referenceId).inserted else {
                return .failure(400, APIError("INVALID_COMPOSITE_REQUEST", "Duplicate referenceId: \(referenceId)"))
            }
            if url.contains("/query") || url.contains("/composite/sobjects") {
                heavy += 1
            }
            parsed.append((referenceId, method, url, subrequest["body"]))
        }
        guard heavy <= limits.compositeQueryOrCollectionSubrequests else {
            return .failure(
                400,
                APIError(
                    "INVALID_COMPOSITE_REQUEST",
                    "A composite request may have at most \(limits.compositeQueryOrCollectionSubrequests) query or "
                        + "sObject Collections subrequests"
                )
            )
        }
        let allOrNone = body["allOrNone"]?.boolValue ?? false
        let snapshot = data
        let writesSnapshot = (counters.recordsCreated, counters.recordsUpdated)
        var responses: [(String, APIResult, String?)] = []
        var resultsByReference: [String: APIResult] = [:]
        var failedAt: Int?
        var records = 0
        for (position, subrequest) in parsed.enumerated() {
            let result: APIResult
            var location: String?
            switch resolve(subrequest.url, subrequest.body, results: resultsByReference) {
            case .failure(let error):
                result = .failure(400, error)
            case .success(let (url, subBody)):
                let pathAndQuery = url.split(separator: "?", maxSplits: 1).map(String.init)
                if let (version, segments) = APIRequest.versionAndSegments(pathAndQuery[0]) {
                    let subRequest = APIRequest(
                        method: subrequest.method,
                        segments: segments,
                        version: version,
                        query: pathAndQuery.count > 1 ? FormEncoding.decode(pathAndQuery[1]) : [:],
                        headers: [:],
                        body: Array((subBody?.serialized() ?? "").utf8)
                    )
                    if subRequest.endpoint == "composite" || subRequest.endpoint.hasPrefix("bulk") {
                        result = .failure(
                            400,
                            APIError(
                                "INVALID_COMPOSITE_REQUEST",
                                "This resource is not supported in a composite request: \(url)"
                            )
                        )
                    } else {
                        result = handle(subRequest, now: now)
                        if result.status == 201, let id = result.jsonBody?["id"]?.stringValue, segments.count >= 2 {
                            location = "/services/data/\(version)/sobjects/\(segments[1])/\(id)"
                        }
                    }
                } else {
                    result = .failure(404, APIError.notFound())
                }
            }
            records += result.records
            responses.append((subrequest.referenceId, result, location))
            resultsByReference[subrequest.referenceId] = result
            if result.status >= 400, allOrNone {
                failedAt = position
                break
            }
        }
        var rowErrors: [String] = []
        var items: [JSONValue] = []
        let halted = APIResult.failure(
            400,
            APIError(
                "PROCESSING_HALTED",
                "The transaction was rolled back since another operation in the same transaction failed."
            )
        )
        if let failedAt {
            data = snapshot
            (counters.recordsCreated, counters.recordsUpdated) = writesSnapshot
            for (position, subrequest) in parsed.enumerated() {
                let result = position == failedAt ? responses[position].1 : halted
                items.append(Self.compositeItem(subrequest.referenceId, result, location: nil))
                rowErrors.append(result.errorCode ?? "")
            }
        } else {
            for (referenceId, result, location) in responses {
                items.append(Self.compositeItem(referenceId, result, location: location))
                if let code = result.errorCode { rowErrors.append(code) }
                rowErrors += result.rowErrorCodes
            }
        }
        var answer = APIResult.json(200, .object([("compositeResponse", .array(items))]), records: records)
        answer.rowErrorCodes = rowErrors.filter { !$0.isEmpty }
        return answer
    }

    private static func compositeItem(_ referenceId: String, _ result: APIResult, location: String?) -> JSONValue {
        let body: JSONValue
        switch result.body {
        case .json(let value): body = value
        case .text(let text, _): body = .string(text)
        case .empty: body = .null
        }
        var headers: [(String, JSONValue)] = []
        if let location { headers.append(("Location", .string(location))) }
        return .object([
            ("body", body),
            ("httpHeaders", .object(headers)),
            ("httpStatusCode", .number(Double(result.status))),
            ("referenceId", .string(referenceId)),
        ])
    }

    /// Replaces `@{ref.path}` in the url and in the body's strings with values from earlier results.
    private func resolve(
        _ url: String,
        _ body: JSONValue?,
        results: [String: APIResult]
    ) -> Result<(String, JSONValue?), APIError> {
        func substitute(_ text: String) -> Result<String, APIError> {
            var output = ""
            var rest = Substring(text)
            while let start = rest.range(of: "@{") {
                output += rest[..<start.lowerBound]
                guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                    return .failure(APIError("PROCESSING_HALTED", "Invalid reference specified: unterminated @{"))
                }
                let reference = String(rest[start.upperBound..<end])
                guard let value = lookup(reference, results: results) else {
                    let name = reference.split(separator: ".").first.map(String.init) ?? reference
                    return .failure(
                        APIError(
                            "PROCESSING_HALTED",
                            "Invalid reference specified. No value for \(reference) found in \(name). "
                                + "Provided referenceId ('\(name)') must be a prior subrequest that succeeded."
                        )
                    )
                }
                output += value
                rest = rest[rest.index(after: end)...]
            }
            output += rest
            return .success(output)
        }
        func walk(_ value: JSONValue) -> Result<JSONValue, APIError> {
            switch value {
            case .string(let text):
                return substitute(text).map(JSONValue.string)
            case .array(let items):
                var out: [JSONValue] = []
                for item in items {
                    switch walk(item) {
                    case .success(let resolved): out.append(resolved)
                    case .failure(let error): return .failure(error)
                    }
                }
                return .success(.array(out))
            case .object(let pairs):
                var out: [(String, JSONValue)] = []
                for (key, item) in pairs {
                    switch walk(item) {
                    case .success(let resolved): out.append((key, resolved))
                    case .failure(let error): return .failure(error)
                    }
                }
                return .success(.object(out))
            default:
                return .success(value)
            }
        }
        let resolvedURL: String
        switch substitute(url) {
        case .success(let text): resolvedURL = text
        case .failure(let error): return .failure(error)
        }
        guard let body else { return .success((resolvedURL, nil)) }
        return walk(body).map { (resolvedURL, $0) }
    }

    /// `ref.id`, `ref.records[0].Id`: a path into an earlier successful result's JSON body.
    private func lookup(_ reference: String, results: [String: APIResult]) -> String? {
        var parts = reference.split(separator: ".").map(String.init)
        guard !parts.isEmpty, let result = results[parts.removeFirst()], result.status < 400,
            var current = result.jsonBody
        else { return nil }
        for part in parts {
            var name = part
            var indexes: [Int] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]"),
                let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)])
            {
                indexes.insert(index, at: 0)
                name = String(name[..<open])
            }
            guard let next = current[name] else { return nil }
            current = next
            for index in indexes {
                guard let items = current.arrayValue, items.indices.contains(index) else { return nil }
                current = items[index]
            }
        }
        switch current {
        case .null, .array, .object: return current.isNull ? nil : current.serialized()
        default: return current.displayText
        }
    }
}
