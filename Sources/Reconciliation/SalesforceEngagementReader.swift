public import Config
public import Salesforce

// MARK: - SalesforceEngagementReader

/// Reads a tenant's engagement records in Salesforce under the tenant's configured names: the engagement object
/// (default `UserSessionEngagement__c`) by the External ID field the writer upserts by (default `engagement_key__c`,
/// holding `{campaignId}_{personId}_{entryId}`, the person from the campaign member read), 100 keys a query.
public struct SalesforceEngagementReader: CRMEngagementReader {
    /// The client of the tenant's org.
    public let client: SalesforceClient
    /// The engagement object and its External ID field (`tenants[].salesforce.engagement`).
    public var names: SalesforceEngagementNames

    /// Creates a reader.
    public init(client: SalesforceClient, names: SalesforceEngagementNames = .standard) {
        self.client = client
        self.names = names
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
        let externalIdField = names.externalIdField
        let engagementObject = names.object
        progress("Salesforce: reading \(keys.count) \(engagementObject) records by \(externalIdField)")
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
