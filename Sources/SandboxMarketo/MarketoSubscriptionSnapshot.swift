/// Everything one subscription holds at one instant, for tests and the inspection endpoints.
public struct MarketoSubscriptionSnapshot: Sendable, Codable, Equatable {
    /// The munchkin id.
    public var munchkinId: String
    /// Leads by ascending id.
    public var leads: [SandboxLead]
    /// Memberships (removed ones included, at step 0) by program, then lead.
    public var memberships: [SandboxMembership]
    /// Custom activities in the order added.
    public var activities: [SandboxActivity]
    /// Custom object records by object name, then creation order.
    public var customObjects: [SandboxCustomObjectRecord]
    /// Bulk import jobs in the order created.
    public var imports: [SandboxBulkImport]
    /// Bulk export jobs in the order created.
    public var exports: [SandboxBulkExport]
    /// Calls answered for this subscription, in arrival order.
    public var calls: [SandboxCall]
    /// Totals over `calls`.
    public var counters: SandboxCounters
    /// Calls in flight at the instant of the snapshot.
    public var inFlight: Int

    /// The leads whose email matches, case-insensitively.
    public func leads(withEmail email: String) -> [SandboxLead] {
        leads.filter { $0.email?.lowercased() == email.lowercased() }
    }

    /// A lead's membership of a program, if it ever had one.
    public func membership(programId: Int, leadId: Int) -> SandboxMembership? {
        memberships.first { $0.programId == programId && $0.leadId == leadId }
    }

    /// The records of one custom object type.
    public func customObjects(named name: String) -> [SandboxCustomObjectRecord] {
        customObjects.filter { $0.objectName == name }
    }
}
