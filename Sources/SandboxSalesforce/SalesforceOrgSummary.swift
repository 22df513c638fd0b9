public import Foundation

// MARK: - SalesforceOrgSummary

/// One org at a glance, as `GET /_sandbox/orgs/{orgId}` shows it: how many records of each type it stores, its
/// bulk jobs, its counters and the size of its call log.
public struct SalesforceOrgSummary: Sendable, Hashable, Codable {
    /// The org id as the setup names it.
    public var orgId: String
    /// The connected app's client id (never the secret).
    public var clientId: String
    /// Stored records by sObject type name (every type of the org's schema, zeros included).
    public var recordCounts: [String: Int]
    /// The Bulk API 2.0 ingest jobs, in creation order.
    public var bulkJobs: [SandboxBulkJob]
    /// The org's counters.
    public var counters: SandboxCounters
    /// Entries in the call log now.
    public var loggedCalls: Int
    /// The sandbox clock's reading.
    public var now: Date

    /// Creates a summary.
    public init(
        orgId: String,
        clientId: String,
        recordCounts: [String: Int],
        bulkJobs: [SandboxBulkJob],
        counters: SandboxCounters,
        loggedCalls: Int,
        now: Date
    ) {
        self.orgId = orgId
        self.clientId = clientId
        self.recordCounts = recordCounts
        self.bulkJobs = bulkJobs
        self.counters = counters
        self.loggedCalls = loggedCalls
        self.now = now
    }
}
