// MARK: - EngagementReconciliation

/// The comparison of a tenant's engagement in a CRM with the fold's: records missing, and Marketo custom activities
/// missing or held more than once.
public struct EngagementReconciliation: Sendable, Hashable {
    /// Engagement records the fold has, and how many the CRM holds of them.
    public var recordsExpected = 0
    public var recordsFound = 0
    /// Custom activities the fold emitted (Marketo), and how many (lead, entry) pairs the CRM holds.
    public var activitiesExpected = 0
    public var activitiesFound = 0
    /// (lead, entry) activities the CRM does not hold.
    public var activitiesMissing = 0
    /// (lead, entry) activities the CRM holds more than once, and the surplus copies.
    public var activitiesDuplicated = 0
    public var duplicateCopies = 0
    /// Whether the CRM has custom activities at all (Marketo).
    public var hasActivities = false
    /// The differences, ordered (at most a few thousand kept).
    public var differences: [String] = []

    /// Creates an empty result.
    public init() {}

    /// Records missing.
    public var recordsMissing: Int { recordsExpected - recordsFound }

    /// Differences that are drift: missing records, missing activities, duplicated activities.
    public var driftCount: Int { recordsMissing + activitiesMissing + activitiesDuplicated }

    /// Compares.
    public static func compare(_ expected: [ExpectedEngagement], _ crm: CRMEngagement) -> EngagementReconciliation {
        var result = EngagementReconciliation()
        result.hasActivities = crm.activities != nil
        for entry in expected {
            result.recordsExpected += 1
            if (crm.records[entry.recordKey] ?? 0) > 0 {
                result.recordsFound += 1
            } else {
                result.note(
                    "record missing: \(entry.leadKey.email) entry \(entry.entryId) (event \(entry.virtualEventId))"
                )
            }
            guard let activities = crm.activities, entry.activityEmitted else { continue }
            result.activitiesExpected += 1
            let copies = activities[entry.activityKey] ?? 0
            if copies == 0 {
                result.activitiesMissing += 1
                result.note("activity missing: \(entry.leadKey.email) entry \(entry.entryId)")
            } else {
                result.activitiesFound += 1
                if copies > 1 {
                    result.activitiesDuplicated += 1
                    result.duplicateCopies += copies - 1
                    result.note(
                        "activity duplicated: \(entry.leadKey.email) entry \(entry.entryId) held \(copies) times"
                    )
                }
            }
        }
        return result
    }

    private mutating func note(_ difference: String) {
        if differences.count < 5_000 { differences.append(difference) }
    }
}
