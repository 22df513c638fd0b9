// MARK: - EventRejection

/// Why an input record cannot be folded: it goes to `leadsync.events.dlq` with ``code`` in a header.
///
/// The codes are stable machine-readable values used as DLQ header values and metric labels; never rename one:
///
/// | code | meaning |
/// |---|---|
/// | `not_json` | not UTF-8 JSON, not an object at the top level, or nested deeper than the reader allows |
/// | `missing_field` | a required field is absent or `null` (``field`` names it) |
/// | `invalid_field` | a field has the wrong JSON type or a value out of range (``field`` names it) |
/// | `unknown_type` | `type` is neither `attendee.status` nor `engagement.session` |
/// | `unknown_version` | `version` is not a version this worker reads (1) |
/// | `invalid_date` | `occurredAt` is not an RFC 3339 date-time with a zone |
/// | `invalid_email` | `email` is not a valid address |
/// | `unknown_status` | `status` is neither a channel nor a granular status |
/// | `unknown_tenant` | the tenant is not configured |
/// | `unmapped_event` | the tenant maps the `virtualEventId` to no enabled destination |
public struct EventRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable rejection code (see the table above).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as it appears in DLQ headers and metric labels.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// Not JSON, or not a JSON object.
        public static let notJSON = Code("not_json")
        /// A required field is absent or null.
        public static let missingField = Code("missing_field")
        /// A field has the wrong JSON type or an out-of-range value.
        public static let invalidField = Code("invalid_field")
        /// The `type` is unknown.
        public static let unknownType = Code("unknown_type")
        /// The `version` is unknown.
        public static let unknownVersion = Code("unknown_version")
        /// `occurredAt` is not RFC 3339 with a zone.
        public static let invalidDate = Code("invalid_date")
        /// `email` is not a valid address.
        public static let invalidEmail = Code("invalid_email")
        /// `status` is unknown.
        public static let unknownStatus = Code("unknown_status")
        /// The tenant is not configured.
        public static let unknownTenant = Code("unknown_tenant")
        /// The event is not mapped to any enabled destination.
        public static let unmappedEvent = Code("unmapped_event")

        /// Every code, for metric pre-registration and documentation.
        public static let all: [Code] = [
            .notJSON, .missingField, .invalidField, .unknownType, .unknownVersion, .invalidDate, .invalidEmail,
            .unknownStatus, .unknownTenant, .unmappedEvent,
        ]

        /// The raw value.
        public var description: String { rawValue }
    }

    /// The stable code.
    public var code: Code
    /// The field at fault as a dotted path (`profile.custom.industry`), when one is.
    public var field: String?
    /// A sentence for people, naming the field and the offending value (never an email's local part).
    public var message: String

    /// Creates a rejection.
    public init(code: Code, field: String?, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }

    // MARK: - Factories

    static func notJSON(_ message: String) -> EventRejection {
        EventRejection(code: .notJSON, field: nil, message: message)
    }

    static func missingField(_ field: String) -> EventRejection {
        EventRejection(code: .missingField, field: field, message: "required field '\(field)' is missing or null")
    }

    static func invalidField(_ field: String, _ problem: String) -> EventRejection {
        EventRejection(code: .invalidField, field: field, message: "field '\(field)' \(problem)")
    }

    static func unknownStatus(_ name: String) -> EventRejection {
        EventRejection(
            code: .unknownStatus,
            field: "status",
            message: "status '\(name)' is neither a channel status nor a granular status (names are case-sensitive)"
        )
    }
}
