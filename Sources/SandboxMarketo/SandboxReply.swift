import Foundation

/// What an endpoint answers, before it becomes an HTTP response, with what the call log needs to know.
struct SandboxReply: Sendable {
    var status: Int = 200
    var contentType: String = "application/json"
    var body: Data = Data()
    /// The `Content-Range` header of a partial file response.
    var contentRange: String?
    /// The response-level error code.
    var errorCode: String?
    /// Record-level reason codes of skipped records.
    var recordErrorCodes: [String] = []
    /// Records carried (input items or rows returned).
    var records = 0
    /// Whether the call counts against rate and quota (set by the pipeline).
    var counted = false

    // MARK: - Envelope

    /// `{"requestId":…,"success":true,"result":[…]}` plus extra members (`moreResult`, `nextPageToken`, …).
    static func success(
        _ result: [JSONValue],
        records: Int? = nil,
        recordErrorCodes: [String] = [],
        extra: [(String, JSONValue)] = [],
        warnings: [String] = []
    ) -> SandboxReply {
        var members: [(String, JSONValue)] = [("requestId", .string(RequestID.next()))]
        members.append(("success", .bool(true)))
        members.append(("result", .array(result)))
        members.append(contentsOf: extra)
        if !warnings.isEmpty { members.append(("warnings", .array(warnings.map { .string($0) }))) }
        var reply = SandboxReply.json(.object(members))
        reply.records = records ?? result.count
        reply.recordErrorCodes = recordErrorCodes
        return reply
    }

    /// `{"requestId":…,"success":false,"errors":[{"code":"601","message":"Access token invalid"}]}`, HTTP 200.
    static func failure(_ code: String, _ message: String? = nil) -> SandboxReply {
        let members: [(String, JSONValue)] = [
            ("requestId", .string(RequestID.next())),
            ("success", .bool(false)),
            (
                "errors",
                .array([.object([("code", .string(code)), ("message", .string(message ?? Self.message(code)))])])
            ),
        ]
        var reply = SandboxReply.json(.object(members))
        reply.errorCode = code
        return reply
    }

    /// A JSON body with HTTP 200 (or another status).
    static func json(_ value: JSONValue, status: Int = 200) -> SandboxReply {
        SandboxReply(status: status, body: Data(value.serialized().utf8))
    }

    /// A plain-text body.
    static func text(_ status: Int, _ text: String, contentType: String = "text/plain") -> SandboxReply {
        SandboxReply(status: status, contentType: contentType, body: Data(text.utf8))
    }

    /// A record-level reason item: `{"code":"1004","message":"Lead not found"}`.
    static func reason(_ code: String, _ message: String? = nil) -> JSONValue {
        .object([("code", .string(code)), ("message", .string(message ?? Self.message(code)))])
    }

    // MARK: - Messages

    /// The reference's message for a code.
    static func message(_ code: String) -> String {
        switch code {
        case "502": "Bad Gateway"
        case "600": "Empty access token"
        case "601": "Access token invalid"
        case "602": "Access token expired"
        case "603": "Access denied"
        case "604": "Request time-out"
        case "605": "HTTP Method not supported"
        case "606": "Max rate limit '100' exceeded with in '20' secs"
        case "607": "Daily quota reached"
        case "608": "API Temporarily Unavailable"
        case "609": "Invalid JSON"
        case "610": "Requested resource not found"
        case "611": "System error"
        case "612": "Invalid Content Type"
        case "613": "Invalid Multipart Request"
        case "614": "Invalid Subscription"
        case "615": "Concurrent access limit '10' reached"
        case "616": "Invalid subscription type"
        case "701": "Value cannot be blank"
        case "702": "No data found for given search scenario"
        case "703": "The feature is not enabled for the subscription"
        case "704": "Invalid date format"
        case "709": "Business Rule Violation"
        case "713": "Transient Error"
        case "719": "Lock wait timeout exception"
        case "1001": "Invalid value"
        case "1002": "Missing value for required parameter"
        case "1003": "Invalid data"
        case "1004": "Lead not found"
        case "1005": "Lead already exists"
        case "1006": "Field not found"
        case "1007": "Multiple leads match the lookup criteria"
        case "1013": "Object not found"
        case "1016": "Too many imports"
        case "1017": "Object already exists"
        case "1019": "Import in progress"
        case "1025": "Program status not found"
        case "1029": "Too many jobs in queue"
        case "1035": "Unsupported filter type"
        case "1036": "Duplicate object found in input"
        case "1037": "Lead skipped because it is already in or past this status"
        case "1049": "Attributes array too long"
        default: "Error"
        }
    }
}
