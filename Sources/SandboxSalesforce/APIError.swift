// MARK: - APIError

/// One Salesforce error: the `errorCode` (`statusCode` in collection results), its message, and the fields
/// it concerns.
struct APIError: Error, Sendable, Equatable {
    var code: String
    var message: String
    var fields: [String]

    init(_ code: String, _ message: String, fields: [String] = []) {
        self.code = code
        self.message = message
        self.fields = fields
    }

    /// The REST single-record shape: `{"message":…,"errorCode":…,"fields":[…]}`.
    var restJSON: JSONValue {
        .object([
            ("message", .string(message)),
            ("errorCode", .string(code)),
            ("fields", .array(fields.map(JSONValue.string))),
        ])
    }

    /// The sObject Collections shape: `{"statusCode":…,"message":…,"fields":[…]}`.
    var collectionJSON: JSONValue {
        .object([
            ("statusCode", .string(code)),
            ("message", .string(message)),
            ("fields", .array(fields.map(JSONValue.string))),
        ])
    }

    /// The Bulk API 2.0 `sf__Error` column: `CODE:message:fields --`.
    var bulkText: String {
        "\(code):\(message):\(fields.joined(separator: ",")) --"
    }

    static func notFound() -> APIError {
        APIError("NOT_FOUND", "The requested resource does not exist")
    }

    static func rolledBack() -> APIError {
        APIError(
            "ALL_OR_NONE_OPERATION_ROLLED_BACK",
            "Record rolled back because not all records were valid and the request was using AllOrNone header"
        )
    }
}
