// MARK: - ProfileField

/// A registration profile field of a lead (`LeadProfile`), as named in field mappings: `firstName`, `lastName`,
/// `company`, `title`, `country`, `phone`, or `custom.<name>` for a tenant's own field.
public enum ProfileField: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `firstName`.
    case firstName
    /// `lastName`.
    case lastName
    /// `company`.
    case company
    /// `title`.
    case title
    /// `country`.
    case country
    /// `phone`.
    case phone
    /// `custom.<name>`: a key of `LeadProfile.custom`.
    case custom(String)

    /// The standard fields, in profile order.
    public static let standard: [ProfileField] = [.firstName, .lastName, .company, .title, .country, .phone]

    /// Parses a field name; `nil` when it is neither a standard field nor `custom.<name>` with a name.
    public init?(name: String) {
        if let field = ProfileField.standard.first(where: { $0.name == name }) {
            self = field
        } else if name.hasPrefix("custom."), name.count > "custom.".count {
            self = .custom(String(name.dropFirst("custom.".count)))
        } else {
            return nil
        }
    }

    /// The field's name in configuration and events.
    public var name: String {
        switch self {
        case .firstName: "firstName"
        case .lastName: "lastName"
        case .company: "company"
        case .title: "title"
        case .country: "country"
        case .phone: "phone"
        case .custom(let name): "custom.\(name)"
        }
    }

    /// The name.
    public var description: String { name }

    /// Standard fields in profile order, then custom fields by name.
    public static func < (lhs: ProfileField, rhs: ProfileField) -> Bool {
        switch (lhs, rhs) {
        case (.custom(let left), .custom(let right)): left < right
        case (.custom, _): false
        case (_, .custom): true
        default: (standard.firstIndex(of: lhs) ?? 0) < (standard.firstIndex(of: rhs) ?? 0)
        }
    }
}
