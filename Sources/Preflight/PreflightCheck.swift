public import LeadModel

// MARK: - PreflightCheck

/// One check of a tenant's CRM setup: what was checked, what was found, and for a failure the precise fix.
public struct PreflightCheck: Sendable, Hashable, Encodable {
    /// How the check came out.
    public enum Outcome: String, Sendable, Hashable, Encodable {
        /// As LeadSync needs it.
        case pass
        /// Works, but something deserves attention (low quota, an optional attribute missing).
        case warn
        /// Not as LeadSync needs it: commands or data will be lost or dead-lettered until it is fixed.
        case fail
    }

    /// The tenant.
    public var tenant: String
    /// The CRM.
    public var destination: Destination
    /// What was checked, naming the piece: `program 1001 status "Attended"`, `custom object
    /// kalturaUserSessionEngagement`.
    public var item: String
    /// How it came out.
    public var outcome: Outcome
    /// What was found.
    public var detail: String
    /// What to do, for a warning or a failure: where in the CRM (menu path in words) or which setting.
    public var fix: String?
    /// Whether the failure dead-letters every command of a kind (all of the tenant's commands, every command of
    /// one event, every engagement record or activity): a writer refuses to start on one.
    public var blocking: Bool

    /// Creates a check.
    public init(
        tenant: String,
        destination: Destination,
        item: String,
        outcome: Outcome,
        detail: String,
        fix: String? = nil,
        blocking: Bool = false
    ) {
        self.tenant = tenant
        self.destination = destination
        self.item = item
        self.outcome = outcome
        self.detail = detail
        self.fix = fix
        self.blocking = outcome == .fail && blocking
    }

    private enum CodingKeys: String, CodingKey {
        case tenant, crm, item, outcome, detail, fix, blocking
    }

    /// `{tenant, crm, item, outcome, detail, fix, blocking}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(destination.rawValue, forKey: .crm)
        try container.encode(item, forKey: .item)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(detail, forKey: .detail)
        try container.encodeIfPresent(fix, forKey: .fix)
        try container.encode(blocking, forKey: .blocking)
    }
}
