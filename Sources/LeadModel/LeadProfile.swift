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

    /// Calls `body` with each standard field's JSON name and value, in a fixed order (used by the codecs; no
    /// intermediate array).
    @inline(__always)
    func forEachStandardField(_ body: (_ name: StaticString, _ value: String?) -> Void) {
        body("firstName", firstName)
        body("lastName", lastName)
        body("company", company)
        body("title", title)
        body("country", country)
        body("phone", phone)
    }

    /// The custom fields sorted by name: a deterministic order for encodings.
    var sortedCustom: [(key: String, value: String)] {
        if custom.count <= 1 { return custom.map { ($0.key, $0.value) } }
        return custom.sorted { $0.key < $1.key }
    }

    /// A total order of profiles by content (standard fields in a fixed order, then the custom fields by name):
    /// the fold's tie-break between two profiles from the same millisecond, so that the one kept does not depend
    /// on which arrived first.
    static func precedes(_ lhs: LeadProfile, _ rhs: LeadProfile) -> Bool {
        let left = [lhs.firstName, lhs.lastName, lhs.company, lhs.title, lhs.country, lhs.phone]
        let right = [rhs.firstName, rhs.lastName, rhs.company, rhs.title, rhs.country, rhs.phone]
        for (a, b) in zip(left, right) where a != b {
            guard let a else { return true }
            guard let b else { return false }
            return a < b
        }
        let leftCustom = lhs.sortedCustom
        let rightCustom = rhs.sortedCustom
        for (a, b) in zip(leftCustom, rightCustom) where a != b {
            return (a.key, a.value) < (b.key, b.value)
        }
        return leftCustom.count < rightCustom.count
    }
}
