// MARK: - SubscriptionShare

/// One tenant's claim on a Marketo subscription's call rate, read from the document as written.
///
/// Read apart from ``TenantSettings`` on purpose: a tenant with an unrelated problem (a bad client id, an unknown
/// key) decodes to nothing, and the check that the call shares of one subscription add up to at most 1 would then
/// skip it and surface only after that problem was fixed. Read this way, it runs in the same pass as every other
/// check, whatever else is wrong.
struct SubscriptionShare {
    let tenant: String
    let munchkinId: String
    let callShare: Double
    /// Where the share is written (the `callShare` key, else the `marketo` section), for the message's position.
    let value: ConfigValue

    /// The claim of one `tenants[]` entry, or nil when it names no Marketo subscription or no valid share (problems
    /// of its own are reported by the tenant's decoding, not here).
    init?(tenantEntry: ConfigValue) {
        // A log of its own: these reads report nothing, the tenant's decoding does.
        let silent = IssueLog(fileName: tenantEntry.log.fileName)
        let entry = ConfigValue(node: tenantEntry.node, path: tenantEntry.path, log: silent)
        guard let tenant = entry.mapping(knownKeys: TenantSettings.keys),
            let marketoValue = tenant["marketo"],
            let marketo = marketoValue.mapping(knownKeys: MarketoTenantSettings.keys),
            let munchkinId = marketo["munchkinId"]?.string(),
            MarketoTenantSettings.isMunchkinId(munchkinId)
        else { return nil }
        let shareValue = marketo["callShare"]
        // An invalid share is reported by the tenant's decoding; it takes no part in the sum.
        guard let share = shareValue.map({ $0.share() }) ?? 1.0 else { return nil }
        self.tenant = tenant["tenant"]?.string() ?? "?"
        self.munchkinId = munchkinId
        self.callShare = share
        self.value = ConfigValue(
            node: (shareValue ?? marketoValue).node,
            path: marketoValue.path.key("callShare"),
            log: tenantEntry.log
        )
    }
}
