public import Config
public import Foundation
public import Marketo

// MARK: - MarketoEngagementReader

/// Reads a tenant's engagement in Marketo under the tenant's configured API names: the leads' ids by email (Get
/// Leads, 300 a call), their engagement custom object records (default `kalturaUserSessionEngagement`) by the
/// object's lead link field (Query Custom Objects, 300 leads a call), and their custom activities of the tenant's
/// activity type (default `userSessionEngagement`) since a date (Get Lead Activities, 30 leads a call, every page),
/// counted per (lead, entry): a custom activity log is append-only, so a second copy is a duplicate.
public struct MarketoEngagementReader: CRMEngagementReader {
    /// The client of the tenant's subscription.
    public let client: MarketoClient
    /// The engagement custom object: its API name, lead link field and entry id field.
    public var customObject: MarketoCustomObjectNames
    /// The custom activity type (the entry id is its primary attribute).
    public var activityType: MarketoActivityTypeNames
    /// Activities from this date on are read (activity dates are the engagement snapshots' times).
    public var since: Date

    /// Creates a reader.
    /// - Parameters:
    ///   - customObject: The tenant's custom object names (`tenants[].marketo.customObject`).
    ///   - activityType: The tenant's activity type names (`tenants[].marketo.activityType`).
    public init(
        client: MarketoClient,
        since: Date,
        customObject: MarketoCustomObjectNames = .standard,
        activityType: MarketoActivityTypeNames = .standard
    ) {
        self.client = client
        self.since = since
        self.customObject = customObject
        self.activityType = activityType
    }

    public func engagement(
        expected: [ExpectedEngagement],
        members: [String: [CRMMember]],
        progress: @escaping @Sendable (String) -> Void
    ) async throws(ReconciliationError) -> CRMEngagement {
        guard !expected.isEmpty else { return CRMEngagement(records: [:], activities: [:]) }
        do {
            // Lead ids by email.
            let emails = Array(Set(expected.map(\.leadKey.email))).sorted()
            var leadIds: [String: Int] = [:]
            for chunk in stride(from: 0, to: emails.count, by: 300).map({
                Array(emails[$0..<min($0 + 300, emails.count)])
            }) {
                let leads = try await MarketoPacing.paced {
                    try await client.getLeads(filterType: "email", values: chunk, fields: ["id", "email"])
                }
                for lead in leads {
                    if let id = lead.id, let email = lead.email?.lowercased() { leadIds[email] = leadIds[email] ?? id }
                }
            }
            let emailOf = Dictionary(leadIds.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
            let ids = leadIds.values.sorted()
            progress("Marketo: \(ids.count) of \(emails.count) leads found; reading engagement records")

            // Engagement records: the program comes from the expectation (one record per lead and entry).
            var recordKeys: [String: Int] = [:]
            let targetsByLeadEntry = Dictionary(
                expected.map { ("\($0.leadKey.email)|\($0.entryId)", $0.targetId) },
                uniquingKeysWith: { first, _ in first }
            )
            let leadLink = customObject.leadLinkField
            let entryField = customObject.entryIdField
            for chunk in stride(from: 0, to: ids.count, by: 300).map({ Array(ids[$0..<min($0 + 300, ids.count)]) }) {
                let records = try await MarketoPacing.paced {
                    try await client.queryCustomObjects(
                        name: customObject.apiName,
                        filterType: leadLink,
                        values: chunk.map(String.init),
                        fields: [leadLink, entryField]
                    )
                }
                for record in records {
                    guard let leadId = record[leadLink]?.intValue, let email = emailOf[leadId],
                        let entry = record[entryField]?.description
                    else { continue }
                    let target = targetsByLeadEntry["\(email)|\(entry)"] ?? ""
                    recordKeys["\(target)|\(email)|\(entry)", default: 0] += 1
                }
            }

            // Custom activities.
            let typeName = activityType.apiName
            progress("Marketo: reading \(typeName) activities since \(since) for \(ids.count) leads")
            let type = try await MarketoPacing.paced { try await client.describeCustomActivityType(apiName: typeName) }
            var activities: [String: Int] = [:]
            for chunk in stride(from: 0, to: ids.count, by: 30).map({ Array(ids[$0..<min($0 + 30, ids.count)]) }) {
                let read = try await MarketoPacing.paced {
                    try await client.allLeadActivities(since: since, activityTypeIds: [type.id], leadIds: chunk)
                }
                for activity in read {
                    guard let email = emailOf[activity.leadId], let entry = activity.primaryAttributeValue else {
                        continue
                    }
                    activities["\(email)|\(entry)", default: 0] += 1
                }
            }
            return CRMEngagement(records: recordKeys, activities: activities)
        } catch {
            throw ReconciliationError(code: .crm, message: "reading Marketo engagement failed: \(error)")
        }
    }

}
