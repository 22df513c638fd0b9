public import Foundation
public import LeadModel

// MARK: - ReconciliationReport

/// What a reconciliation of one tenant's CRM found, event by event.
public struct ReconciliationReport: Sendable, Hashable {
    /// The tenant.
    public var tenant: String
    /// The CRM.
    public var destination: Destination
    /// One result per event (program or campaign), ordered by virtual event id.
    public var events: [EventReconciliation]
    /// When the CRM's members were read.
    public var readAt: Date
    /// The engagement comparison (records, Marketo custom activities), when it was made.
    public var engagement: EngagementReconciliation?

    /// Creates a report.
    public init(
        tenant: String,
        destination: Destination,
        events: [EventReconciliation],
        readAt: Date,
        engagement: EngagementReconciliation? = nil
    ) {
        self.tenant = tenant
        self.destination = destination
        self.events = events.sorted { $0.virtualEventId < $1.virtualEventId }
        self.readAt = readAt
        self.engagement = engagement
    }

    /// Differences that are drift, over every event and the engagement.
    public var driftCount: Int { events.reduce(0) { $0 + $1.driftCount } + (engagement?.driftCount ?? 0) }

    /// Whether the CRM holds exactly the fold's state (kept higher steps aside).
    public var isInSync: Bool { driftCount == 0 }

    /// The process exit status `leadsync reconcile` uses (docs/cli.md): 0 in sync, 1 drift found.
    public var exitStatus: Int32 { isInSync ? 0 : 1 }
}
