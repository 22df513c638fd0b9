// MARK: - SandboxCounters

/// Counters of one org since the sandbox started.
public struct SandboxCounters: Sendable, Hashable, Codable {
    /// API requests counted in the current rolling 24-hour window (what `Sforce-Limit-Info` reports).
    public var apiRequestsInWindow: Int = 0
    /// The daily allocation.
    public var apiRequestAllocation: Int = 0
    /// API requests counted since start.
    public var apiRequestsTotal: Int = 0
    /// HTTP requests answered, by endpoint name (including OAuth and rejected ones).
    public var callsByEndpoint: [String: Int] = [:]
    /// Error answers by code, including per-record errors in collections, composite and bulk results.
    public var errorsByCode: [String: Int] = [:]
    /// Records created, by sObject type.
    public var recordsCreated: [String: Int] = [:]
    /// Records updated, by sObject type.
    public var recordsUpdated: [String: Int] = [:]
    /// Access tokens issued.
    public var tokensIssued: Int = 0
    /// Access tokens revoked.
    public var tokensRevoked: Int = 0
    /// Requests answered by an injected fault (errors, latency excluded).
    public var faultsInjected: Int = 0
    /// Connections closed without an answer.
    public var droppedConnections: Int = 0
    /// Bulk API 2.0 ingest jobs created.
    public var bulkJobsCreated: Int = 0

    /// Creates zeroed counters.
    public init() {}
}
