// MARK: - LeadKey

/// The identity of a lead: its tenant and its normalised email.
///
/// The raw value `"{tenant}/{email}"` is the Kafka key of every input record, command and changelog record of the
/// lead, so one fold task owns all of a lead's events. The email is trimmed of whitespace and lowercased (Unicode
/// lowercasing; ASCII is the fast path). The tenant is kept as given and may not contain `/`, which is what makes
/// the raw value unambiguous: everything after the first `/` is the email.
public struct LeadKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The tenant (customer account) the lead belongs to.
    public let tenant: String
    /// The lowercased, trimmed email.
    public let email: String

    /// Creates a key, normalising the email (trimmed, lowercased).
    ///
    /// Returns `nil` when the tenant is empty or holds `/` or whitespace, or when the email is not a valid address
    /// (see ``EmailAddress``).
    public init?(tenant: String, email: String) {
        guard LeadKey.isValidTenant(tenant), let normalized = try? EmailAddress.normalize(email) else { return nil }
        self.tenant = tenant
        self.email = normalized
    }

    /// Parses `"{tenant}/{email}"`; the email part is normalised, so a non-canonical key parses to the canonical one
    /// (compare ``rawValue`` with the input to tell whether a record must be re-keyed).
    public init?(rawValue: String) {
        guard let slash = rawValue.utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let tenant = String(rawValue[..<slash])
        let email = String(rawValue[rawValue.utf8.index(after: slash)...])
        self.init(tenant: tenant, email: email)
    }

    /// Trusted initialiser for values that were already validated and normalised.
    init(validatedTenant tenant: String, normalizedEmail email: String) {
        self.tenant = tenant
        self.email = email
    }

    /// `"{tenant}/{email}"`: the Kafka key.
    public var rawValue: String { tenant + "/" + email }

    /// The raw value.
    public var description: String { rawValue }

    /// Orders keys by raw value (tenant, then email).
    public static func < (lhs: LeadKey, rhs: LeadKey) -> Bool {
        (lhs.tenant, lhs.email) < (rhs.tenant, rhs.email)
    }

    /// Whether `tenant` can be part of a key: non-empty, at most 255 bytes, no `/`, no whitespace or control bytes.
    public static func isValidTenant(_ tenant: String) -> Bool {
        let utf8 = tenant.utf8
        guard !utf8.isEmpty, utf8.count <= 255 else { return false }
        return !utf8.contains { $0 <= 0x20 || $0 == UInt8(ascii: "/") || $0 == 0x7F }
    }
}
