// MARK: - LeadProfile

/// Registration form fields of a lead, as sent in `attendee.status` events.
///
/// Every field is optional (`null` counts as absent). `custom` holds the tenant's own fields (string values only),
/// which configuration maps to CRM field names; the domain passes them through untouched.
public struct LeadProfile: Sendable, Hashable {
    /// `firstName`.
    public var firstName: String?
    /// `lastName`.
    public var lastName: String?
    /// `company`.
    public var company: String?
    /// `title`.
    public var title: String?
    /// `country`.
    public var country: String?
    /// `phone`.
    public var phone: String?
    /// `custom`: the tenant's own fields.
    public var custom: [String: String]

    /// Creates a profile.
    public init(
        firstName: String? = nil,
        lastName: String? = nil,
        company: String? = nil,
        title: String? = nil,
        country: String? = nil,
        phone: String? = nil,
        custom: [String: String] = [:]
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.company = company
        self.title = title
        self.country = country
        self.phone = phone
        self.custom = custom
    }

    /// The standard fields with their JSON names, in a fixed order (used by the codecs).
    var standardFields: [(name: String, value: String?)] {
        [
            ("firstName", firstName), ("lastName", lastName), ("company", company), ("title", title),
            ("country", country), ("phone", phone),
        ]
    }

    /// The custom fields sorted by name: a deterministic order for encodings.
    var sortedCustom: [(key: String, value: String)] {
        custom.sorted { $0.key < $1.key }
    }
}
