public import LeadModel

// MARK: - PoisonKind

/// A way an input record can be impossible to fold, and the `EventRejection.Code` the worker must give it.
///
/// The raw value is the rejection code's raw value (`not_json`, `missing_field`, ...).
public enum PoisonKind: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// Not JSON at all, JSON cut short, or JSON that is not an object.
    case notJSON = "not_json"
    /// A required field (`type`, `eventId`, `tenant`, `occurredAt`, `virtualEventId`, `email`, `status` or
    /// `entry`) absent or `null`.
    case missingField = "missing_field"
    /// An `email` that is not a valid address.
    case invalidEmail = "invalid_email"
    /// A `status` that is neither a channel nor a granular status (`attendee.status` only).
    case unknownStatus = "unknown_status"
    /// An `occurredAt` that is not RFC 3339 with a zone.
    case invalidDate = "invalid_date"
    /// A `type` other than `attendee.status` and `engagement.session`.
    case unknownType = "unknown_type"
    /// A `version` other than 1.
    case unknownVersion = "unknown_version"
    /// A `virtualEventId` that the tenant does not have (rejected by `TenantDirectory.validate(_:)`).
    case unmappedEvent = "unmapped_event"
    /// A tenant that is not configured (rejected by `TenantDirectory.validate(_:)`).
    case unknownTenant = "unknown_tenant"

    /// The rejection code the worker must report for this kind of record.
    public var rejectionCode: EventRejection.Code {
        switch self {
        case .notJSON: .notJSON
        case .missingField: .missingField
        case .invalidEmail: .invalidEmail
        case .unknownStatus: .unknownStatus
        case .invalidDate: .invalidDate
        case .unknownType: .unknownType
        case .unknownVersion: .unknownVersion
        case .unmappedEvent: .unmappedEvent
        case .unknownTenant: .unknownTenant
        }
    }

    /// Whether `InputEventDecoder` rejects the record itself; `false` for the two kinds only the tenant
    /// configuration can reject (``unmappedEvent``, ``unknownTenant``).
    public var isRejectedByDecoder: Bool {
        self != .unmappedEvent && self != .unknownTenant
    }

    /// The raw value.
    public var description: String { rawValue }
}
