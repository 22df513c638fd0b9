public import Foundation

// MARK: - SalesforceSandbox + Inspection

extension SalesforceSandbox {
    /// Every stored record of a type, in creation order. `orgId` nil means the first org.
    /// Returns an empty list for an unknown org or type.
    public func records(_ type: String, orgId: String? = nil) -> [SandboxRecord] {
        store.records(type, orgId: orgId) ?? []
    }

    /// The CampaignMember records.
    public func campaignMembers(orgId: String? = nil) -> [SandboxRecord] {
        records("CampaignMember", orgId: orgId)
    }

    /// The `UserSessionEngagement__c` records.
    public func engagementRecords(orgId: String? = nil) -> [SandboxRecord] {
        records("UserSessionEngagement__c", orgId: orgId)
    }

    /// The Bulk API 2.0 ingest jobs, in creation order.
    public func bulkJobs(orgId: String? = nil) -> [SandboxBulkJob] {
        store.withOrg(orgId) { org, _ in org.jobOrder.compactMap { org.jobs[$0] }.map(SandboxBulkJob.init) } ?? []
    }

    /// The call log of an org, oldest first.
    public func calls(orgId: String? = nil) -> [SandboxCall] {
        store.withOrg(orgId) { org, _ in org.calls } ?? []
    }

    /// One org at a glance: record counts by type, bulk jobs, counters (`GET /_sandbox/orgs/{orgId}`).
    /// `orgId` nil means the first org; nil for an unknown org.
    public func summary(orgId: String? = nil) -> SalesforceOrgSummary? {
        store.summary(orgId: orgId)
    }

    /// Empties an org's call log (`DELETE /_sandbox/orgs/{orgId}/calls`); the counters keep counting.
    /// - Returns: How many entries the log held.
    @discardableResult
    public func clearCalls(orgId: String? = nil) -> Int {
        store.withOrg(orgId) { org, _ in org.clearCallLog() } ?? 0
    }

    /// Calls that could not be tied to an org (missing or unknown token, unknown client id).
    public func unattributedCalls() -> [SandboxCall] {
        store.state.withLock { $0.unattributedCalls }
    }

    /// The counters of an org.
    public func counters(orgId: String? = nil) -> SandboxCounters {
        store.withOrg(orgId) { org, _ in org.counters } ?? SandboxCounters()
    }

    /// Replaces an org's consumer secret, as an admin rotating the connected app's secret does
    /// (`POST /_sandbox/orgs/{orgId}/credentials` over HTTP): the old one is refused from now on. With
    /// `revokingTokens` the org's live tokens are revoked too (their calls get 401 `INVALID_SESSION_ID`).
    /// - Returns: Whether the org exists.
    @discardableResult
    public func rotateClientSecret(orgId: String, to secret: String, revokingTokens: Bool = false) -> Bool {
        store.rotateClientSecret(orgId: orgId, to: secret, revokingTokens: revokingTokens)
    }

    /// Revokes every live token of an org, as an admin revoking the session would; returns how many.
    @discardableResult
    public func revokeTokens(orgId: String? = nil) -> Int {
        store.revokeTokens(orgId: orgId) ?? 0
    }

    /// Puts the sandbox back as its setup describes it, without restarting (`POST /_sandbox/reset`): every org
    /// holds only its seeded records again, with a fresh allocation window, no bulk jobs, an empty call log and
    /// zero counters; every token, fault and unattributed call is dropped. The clock keeps its reading.
    public func reset() {
        store.reset()
    }

    /// Moves the sandbox clock forward (token expiry, the 24-hour window, long-running requests, bulk jobs).
    /// Returns the new sandbox time.
    @discardableResult
    public func advanceClock(by seconds: Double) -> Date {
        store.advanceClock(by: seconds)
    }

    /// The sandbox time now.
    public func now() -> Date {
        store.now()
    }

    /// Adds a fault; returns it with the id it got (for ``removeFault(id:)``).
    @discardableResult
    public func inject(_ fault: SandboxFault) -> SandboxFault {
        store.state.withLock { $0.faults.add(fault) }
    }

    /// Removes one fault by the id ``inject(_:)`` gave it; returns whether there was one.
    @discardableResult
    public func removeFault(id: String) -> Bool {
        store.state.withLock { $0.faults.remove(id: id) }
    }

    /// Removes the faults of one org, or all of them.
    public func clearFaults(orgId: String? = nil) {
        store.state.withLock { $0.faults.clear(orgId: orgId) }
    }

    /// The faults in force, with their remaining counts.
    public func faults() -> [SandboxFault] {
        store.state.withLock { $0.faults.faults }
    }

    /// API requests admitted and not yet answered (for waiting until a slow request is in flight).
    public var requestsInFlight: Int {
        store.state.withLock { $0.inFlight.count }
    }
}
