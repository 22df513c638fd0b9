// MARK: - SalesforceRowError

/// One error of one record in a collections answer (`{"statusCode","message","fields"}`) or a Bulk API 2.0
/// failed-results row (`sf__Error`).
public struct SalesforceRowError: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Salesforce's code, e.g. `STRING_TOO_LONG`, `DUPLICATE_VALUE`.
    public var statusCode: String
    /// The message.
    public var message: String
    /// The fields concerned.
    public var fields: [String]

    /// Creates a row error.
    public init(statusCode: String, message: String, fields: [String] = []) {
        self.statusCode = statusCode
        self.message = message
        self.fields = fields
    }

    /// What to do about the row.
    public var classification: SalesforceError.Classification {
        SalesforceError.Classification(httpStatus: nil, errorCode: statusCode, message: message)
    }

    /// `CODE: message [fields]`.
    public var description: String {
        fields.isEmpty ? "\(statusCode): \(message)" : "\(statusCode): \(message) [\(fields.joined(separator: ", "))]"
    }

    private enum CodingKeys: String, CodingKey { case statusCode, message, fields }

    /// Decodes a row error; `fields` and `message` may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            statusCode: try container.decode(String.self, forKey: .statusCode),
            message: try container.decodeIfPresent(String.self, forKey: .message) ?? "",
            fields: try container.decodeIfPresent([String].self, forKey: .fields) ?? []
        )
    }

    /// Parses a Bulk API 2.0 `sf__Error` cell: `CODE:message:fields --`, e.g.
    /// `REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --`, or a bare code.
    public init(bulkErrorCell cell: String) {
        var text = Substring(cell).trimmingWhitespace()
        if text.hasSuffix("--") { text = text.dropLast(2).trimmingWhitespace() }
        guard let firstColon = text.firstIndex(of: ":") else {
            self.init(statusCode: String(text), message: String(text))
            return
        }
        let code = String(text[..<firstColon])
        let rest = text[text.index(after: firstColon)...]
        guard let lastColon = rest.lastIndex(of: ":") else {
            self.init(statusCode: code, message: String(rest))
            return
        }
        let fieldsPart = rest[rest.index(after: lastColon)...]
        // A field list holds API names only; anything else means the last colon belongs to the message.
        let isFieldList = fieldsPart.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "," || $0 == " " }
        if isFieldList {
            let fields = fieldsPart.split(separator: ",").map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty }
            self.init(statusCode: code, message: String(rest[..<lastColon]), fields: fields)
        } else {
            self.init(statusCode: code, message: String(rest))
        }
    }
}
