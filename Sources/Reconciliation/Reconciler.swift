public import Config
import Foundation
public import LeadModel

// MARK: - Reconciler

/// Reconciles one tenant's CRM with the fold's state: reads the CRM's members of the tenant's mapped events and
/// compares them with the members the fold computed.
public struct Reconciler: Sendable {
    /// The tenant.
    public var tenant: TenantSettings
    /// The CRM.
    public var destination: Destination
    /// Only these virtual events, or every mapped event when `nil`.
    public var virtualEventIds: Set<String>?

    /// Creates a reconciler.
    public init(tenant: TenantSettings, destination: Destination, virtualEventIds: Set<String>? = nil) {
        self.tenant = tenant
        self.destination = destination
        self.virtualEventIds = virtualEventIds
    }

    /// Reads the CRM and compares.
    /// - Parameters:
    ///   - states: Every lead's committed state (``Fold/LeadStateLookup/committedStates(changelog:client:logger:)``).
    ///   - reader: The CRM reader of the tenant.
    ///   - progress: Progress lines of the CRM read.
    /// - Returns: The report.
    /// - Throws: ``ReconciliationError``: `configuration` when an event filter names no mapped event, `crm` when
    ///   the CRM cannot be read.
    /// - Parameter engagementReader: When given, the tenant's engagement records and (Marketo) custom activities are
    ///   compared too: missing records, missing and duplicated activities.
    public func reconcile(
        states: [LeadKey: LeadState],
        reader: some CRMMemberReader,
        engagementReader: (any CRMEngagementReader)? = nil,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws(ReconciliationError) -> ReconciliationReport {
        let targets = MemberComparison.targets(
            tenant: tenant,
            destination: destination,
            virtualEventIds: virtualEventIds
        )
        if let virtualEventIds, let unknown = virtualEventIds.subtracting(targets.keys).sorted().first {
            throw ReconciliationError(
                code: .configuration,
                tenant: tenant.tenant,
                message: "event \(unknown) has no \(destination.rawValue) mapping in the tenant's events"
            )
        }
        let expected = MemberComparison.expectedMembers(
            states: states,
            tenant: tenant,
            destination: destination,
            virtualEventIds: virtualEventIds
        )
        var actual: [String: [CRMMember]]
        do {
            actual = try await reader.members(of: Array(Set(targets.values)).sorted(), progress: progress)
        } catch {
            var error = error
            error.tenant = tenant.tenant
            throw error
        }
        let readAt = Date()
        let events = targets.sorted { $0.key < $1.key }.map { eventId, targetId in
            MemberComparison.compare(
                virtualEventId: eventId,
                targetId: targetId,
                expected: expected[eventId] ?? [:],
                actual: actual[targetId] ?? [],
                destination: destination
            )
        }
        var engagement: EngagementReconciliation?
        if let engagementReader {
            let tenantStates = states.filter { $0.key.tenant == tenant.tenant }
            let expectedEngagement = ExpectedEngagement.all(states: tenantStates, targets: targets)
            do {
                let crm = try await engagementReader.engagement(
                    expected: expectedEngagement,
                    members: actual,
                    progress: progress
                )
                engagement = EngagementReconciliation.compare(expectedEngagement, crm)
            } catch {
                var error = error
                error.tenant = tenant.tenant
                throw error
            }
        }
        actual.removeAll()
        return ReconciliationReport(
            tenant: tenant.tenant,
            destination: destination,
            events: events,
            readAt: readAt,
            engagement: engagement
        )
    }
}
