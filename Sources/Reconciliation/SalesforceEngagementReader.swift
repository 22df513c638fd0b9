public import Salesforce

// MARK: - SalesforceEngagementReader

/// Reads a tenant's engagement records in Salesforce: `UserSessionEngagement__c` by the writer's external id
/// (`{campaignId}_{personId}_{entryId}`, the person from the campaign member read), 100 keys a query.
public struct SalesforceEngagementReader: CRMEngagementReader {
    /// The client of the tenant's org.
    public let client: SalesforceClient
    /// The engagement object and its External ID field.
    public var engagementObject: String
    public var externalIdField: String

    /// Creates a reader.
    public init(
        client: SalesforceClient, engagementObject: String = "UserSessionEngagement__c",
        externalIdField: String = "engagement_key__c"
    ) {
        self.client = client
        self.engagementObject = engagementObject
        self.externalIdField = externalIdField
    }

    public func engagement(
        expected: [ExpectedEngagement],
        members: [String: [CRMMember]],
        progress: @escaping @Sendable (String) -> Void
    ) async throws(ReconciliationError) -> CRMEngagement {
        // The external id of each expectation whose lead is a member of the campaign (else it cannot have one).
        var personOf: [String: String] = [:]
        for (target, list) in members {
            for member in list { personOf["\(target)|\(member.email)"] = member.personId }
        }
        var keyOf: [String: String] = [:]
        for entry in expected {
            guard let person = personOf["\(entry.targetId)|\(entry.leadKey.email)"] else { continue }
            keyOf["\(entry.targetId)_\(person)_\(entry.entryId)".lowercased()] = entry.recordKey
        }
        let keys = keyOf.keys.sorted()
        progress("Salesforce: reading \(keys.count) engagement records by \(externalIdField)")
        var records: [String: Int] = [:]
        for start in stride(from: 0, to: keys.count, by: 100) {
            let chunk = keys[start..<min(start + 100, keys.count)]
            let list = chunk.map { "'\($0.replacingOccurrences(of: "'", with: "\\'"))'" }.joined(separator: ",")
            let soql = "SELECT Id, \(externalIdField) FROM \(engagementObject) WHERE \(externalIdField) IN (\(list))"
            do {
                for record in try await client.query(soql) {
                    guard let key = record[externalIdField]?.stringValue?.lowercased(), let expectedKey = keyOf[key]
                    else { continue }
                    records[expectedKey, default: 0] += 1
                }
            } catch {
                throw ReconciliationError(code: .crm, message: "reading Salesforce engagement records failed: \(error)")
            }
        }
        return CRMEngagement(records: records, activities: nil)
    }
}
