public import Foundation

// MARK: - SalesforceSandboxSetup

/// What the Salesforce sandbox holds when it starts: one or more orgs, each with its connected app,
/// campaigns and their member statuses, Leads and Contacts, the `external_id__c` field on CampaignMember,
/// the `UserSessionEngagement__c` custom object and the org's limits.
///
/// Loadable from JSON (every member with a default may be left out);
/// ``standard(orgId:clientId:clientSecret:campaigns:leads:contacts:)`` provisions what docs/crm-setup.md
/// describes, so tests and the demo need no file.
public struct SalesforceSandboxSetup: Codable, Sendable, Equatable {
    /// The orgs served. Tokens, records, limits, faults and logs are all kept per org.
    public var orgs: [Org]

    /// Creates a setup from its orgs.
    public init(orgs: [Org]) {
        self.orgs = orgs
    }

    /// Reads a setup from JSON text.
    /// - Throws: `DecodingError` naming the member that is missing or of the wrong type.
    public static func decode(from json: Data) throws -> SalesforceSandboxSetup {
        try JSONDecoder().decode(SalesforceSandboxSetup.self, from: json)
    }

    /// Reads a setup from a JSON file.
    /// - Throws: The file read error, or `DecodingError`.
    public static func load(contentsOf url: URL) throws -> SalesforceSandboxSetup {
        try decode(from: Data(contentsOf: url))
    }
}
