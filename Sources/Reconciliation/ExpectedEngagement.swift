public import LeadModel

// MARK: - ExpectedEngagement

/// One engagement entry of a lead as the fold holds it: the record the CRM should hold for it, and whether the
/// Marketo custom activity was emitted (then exactly one should exist).
public struct ExpectedEngagement: Sendable, Hashable {
    /// The lead.
    public var leadKey: LeadKey
    /// The virtual event.
    public var virtualEventId: String
    /// Its Marketo program id or Salesforce campaign id.
    public var targetId: String
    /// The entry (session) id.
    public var entryId: String
    /// Whether the fold emitted the entry's custom activity.
    public var activityEmitted: Bool

    /// Creates an expectation.
    public init(leadKey: LeadKey, virtualEventId: String, targetId: String, entryId: String, activityEmitted: Bool) {
        self.leadKey = leadKey
        self.virtualEventId = virtualEventId
        self.targetId = targetId
        self.entryId = entryId
        self.activityEmitted = activityEmitted
    }

    /// The key a reader reports copies under: `email|entryId` (activities) or `targetId|email|entryId` (records).
    public var activityKey: String { "\(leadKey.email)|\(entryId)" }
    public var recordKey: String { "\(targetId)|\(leadKey.email)|\(entryId)" }

    /// Every engagement entry of a tenant's leads in the mapped events (or only `virtualEventIds`).
    public static func all(
        states: [LeadKey: LeadState],
        targets: [String: String]
    ) -> [ExpectedEngagement] {
        var result: [ExpectedEngagement] = []
        for (key, state) in states {
            for engagement in state.engagements {
                guard let target = targets[engagement.virtualEventId] else { continue }
                result.append(
                    ExpectedEngagement(
                        leadKey: key,
                        virtualEventId: engagement.virtualEventId,
                        targetId: target,
                        entryId: engagement.entryId,
                        activityEmitted: engagement.isActivityEmitted
                    )
                )
            }
        }
        return result.sorted { ($0.leadKey, $0.entryId) < ($1.leadKey, $1.entryId) }
    }
}

// MARK: - CRMEngagement

/// What a CRM holds of a tenant's engagement: copies of each engagement record and, in Marketo, of each custom
/// activity.
public struct CRMEngagement: Sendable, Hashable {
    /// ``ExpectedEngagement/recordKey`` -> records found (upserted by their keys: 0 or 1).
    public var records: [String: Int]
    /// ``ExpectedEngagement/activityKey`` -> activities found (append-only: more than 1 is a duplicate); nil for a
    /// CRM without custom activities.
    public var activities: [String: Int]?

    /// Creates a reading.
    public init(records: [String: Int], activities: [String: Int]?) {
        self.records = records
        self.activities = activities
    }
}

// MARK: - CRMEngagementReader

/// Reads a tenant's engagement records (and Marketo custom activities) for the leads the fold knows.
public protocol CRMEngagementReader: Sendable {
    /// - Parameters:
    ///   - expected: The fold's engagement entries (the leads and entries to look for).
    ///   - members: The CRM's members by target, as the member read found them (person ids).
    ///   - progress: Progress lines.
    /// - Throws: ``ReconciliationError`` with code `crm`.
    func engagement(
        expected: [ExpectedEngagement],
        members: [String: [CRMMember]],
        progress: @escaping @Sendable (String) -> Void
    ) async throws(ReconciliationError) -> CRMEngagement
}
