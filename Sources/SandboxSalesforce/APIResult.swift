// MARK: - APIResult

/// The answer to an API call before it becomes an HTTP response.
struct APIResult: Error, Sendable {
    enum Body: Sendable {
        case json(JSONValue)
        case text(String, contentType: String)
        case empty
    }

    var status: Int
    var body: Body
    /// The first error code, for the call log.
    var errorCode: String?
    /// Records the call carried, for the call log.
    var records: Int = 0
    /// Per-record error codes inside a 200 answer (collections, composite), for the counters.
    var rowErrorCodes: [String] = []

    static func json(_ status: Int, _ value: JSONValue, records: Int = 0) -> APIResult {
        APIResult(status: status, body: .json(value), errorCode: nil, records: records)
    }

    /// The REST error shape: a JSON array of `{message, errorCode, fields}`.
    static func failure(_ status: Int, _ errors: [APIError], records: Int = 0) -> APIResult {
        APIResult(
            status: status,
            body: .json(.array(errors.map(\.restJSON))),
            errorCode: errors.first?.code,
            records: records
        )
    }

    static func failure(_ status: Int, _ error: APIError, records: Int = 0) -> APIResult {
        failure(status, [error], records: records)
    }

    var jsonBody: JSONValue? {
        if case .json(let value) = body { return value }
        return nil
    }
}
