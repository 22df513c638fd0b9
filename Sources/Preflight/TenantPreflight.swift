internal import Config
internal import LeadModel

// MARK: - TenantPreflight

/// The checks of one tenant's CRM, collected in order.
protocol TenantPreflight {
    /// The CRM.
    static var destination: Destination { get }
    /// The tenant.
    var tenant: TenantSettings { get }
    /// The checks so far.
    var checks: [PreflightCheck] { get set }
}

extension TenantPreflight {
    /// Records a check.
    mutating func add(
        _ item: String,
        _ outcome: PreflightCheck.Outcome,
        _ detail: String,
        fix: String? = nil,
        blocking: Bool = false
    ) {
        checks.append(Self.check(tenant, item, outcome, detail, fix: fix, blocking: blocking))
    }

    /// A check of the tenant's CRM.
    static func check(
        _ tenant: TenantSettings,
        _ item: String,
        _ outcome: PreflightCheck.Outcome,
        _ detail: String,
        fix: String? = nil,
        blocking: Bool = false
    ) -> PreflightCheck {
        PreflightCheck(
            tenant: tenant.tenant,
            destination: destination,
            item: item,
            outcome: outcome,
            detail: detail,
            fix: fix,
            blocking: blocking
        )
    }

    /// The one blocking failure that stops the tenant's checks before a client exists (no CRM section, an
    /// unreadable secret, an unusable client configuration).
    static func stopped(_ tenant: TenantSettings, _ item: String, _ detail: String, fix: String) -> [PreflightCheck] {
        [check(tenant, item, .fail, detail, fix: fix, blocking: true)]
    }
}
