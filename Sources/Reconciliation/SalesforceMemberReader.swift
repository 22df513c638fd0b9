public import Config
import Foundation
public import LeadModel
public import Logging
public import Salesforce

// MARK: - SalesforceMemberReader

/// Reads campaign members with SOQL: `CampaignMember` by `CampaignId` (every page), then the emails of their
/// Leads and Contacts by `Id IN (...)` in chunks of 200. A member's `Status` is read back as the channel status
/// the tenant writes with that label (`campaignMember.statusLabels`).
public struct SalesforceMemberReader: CRMMemberReader {
    /// The client of the tenant's org.
    public let client: SalesforceClient
    /// Lowercased CampaignMemberStatus label -> channel status name (a label two statuses share reads as the one
    /// it names, else the first in channel order).
    let statusNames: [String: String]

    /// Creates a reader.
    /// - Parameter statusLabels: The label each channel status is written as (default: its own name).
    public init(
        client: SalesforceClient,
        statusLabels: [ChannelStatus: String] = SalesforceCampaignMemberNames.defaultStatusLabels
    ) {
        self.client = client
        var names: [String: String] = [:]
        for status in ChannelStatus.allCases {
            let label = (statusLabels[status] ?? status.name).lowercased()
            if names[label] == nil || label == status.name.lowercased() { names[label] = status.name }
        }
        self.statusNames = names
    }

    /// Creates a reader for a tenant's org, reading its secret now.
    /// - Throws: ``ReconciliationError`` (`configuration`) when the tenant has no Salesforce settings or the
    ///   secret cannot be read.
    public init(tenant: TenantSettings, logger: Logger) throws(ReconciliationError) {
        guard let settings = tenant.salesforce else {
            throw ReconciliationError(
                code: .configuration,
                tenant: tenant.tenant,
                message: "the tenant has no Salesforce settings (salesforce:)"
            )
        }
        let credentials: SalesforceCredentials
        do {
            switch settings.authentication {
            case .clientCredentials(let clientSecret):
                credentials = .clientCredentials(clientId: settings.clientId, clientSecret: try clientSecret.reveal())
            case .jwtBearer(let username, let privateKey):
                let host = settings.loginURL.host?.lowercased() ?? ""
                let isSandbox = host == "test.salesforce.com" || host.hasSuffix(".sandbox.my.salesforce.com")
                credentials = .jwtBearer(
                    clientId: settings.clientId,
                    username: username,
                    audience: isSandbox ? "https://test.salesforce.com" : "https://login.salesforce.com",
                    privateKeyPEM: try privateKey.reveal()
                )
            }
        } catch {
            throw ReconciliationError(
                code: .configuration,
                tenant: tenant.tenant,
                message: "cannot read the Salesforce secret: \(error)"
            )
        }
        self.init(
            client: SalesforceClient(
                configuration: SalesforceClientConfiguration(
                    loginURL: settings.loginURL,
                    apiVersion: settings.apiVersion,
                    credentials: credentials,
                    logger: logger
                )
            ),
            statusLabels: settings.campaignMember.statusLabels
        )
    }

    public func members(
        of targetIds: [String],
        progress: @escaping @Sendable (String) -> Void
    ) async throws(ReconciliationError) -> [String: [CRMMember]] {
        var result: [String: [CRMMember]] = [:]
        for id in targetIds { result[id] = [] }
        do {
            var rows: [(campaign: String, person: String, status: String)] = []
            for campaignId in targetIds {
                var page = try await client.queryPage(
                    "SELECT Id, CampaignId, LeadId, ContactId, Status FROM CampaignMember WHERE CampaignId = "
                        + SalesforceClient.soqlLiteral(campaignId)
                )
                while true {
                    for record in page.records {
                        guard let person = record["LeadId"]?.stringValue ?? record["ContactId"]?.stringValue else {
                            continue
                        }
                        rows.append((campaignId, person, record["Status"]?.stringValue ?? ""))
                    }
                    progress("Salesforce campaign \(campaignId): \(rows.count) members read")
                    guard !page.done, let next = page.nextRecordsURL else { break }
                    page = try await client.queryMore(next)
                }
            }
            let emails = try await emails(of: Set(rows.map(\.person)))
            for row in rows {
                guard let email = emails[row.person] else { continue }
                result[row.campaign, default: []].append(
                    CRMMember(
                        email: email,
                        statusName: statusNames[row.status.lowercased()] ?? row.status,
                        personId: row.person
                    )
                )
            }
        } catch {
            throw ReconciliationError(code: .crm, message: "Salesforce campaign member query failed: \(error)")
        }
        return result
    }

    /// The emails of Leads (`00Q`) and Contacts (`003`) by id.
    private func emails(of ids: Set<String>) async throws(SalesforceError) -> [String: String] {
        var result: [String: String] = [:]
        for object in ["Lead", "Contact"] {
            let prefix = object == "Lead" ? "00Q" : "003"
            let wanted = ids.filter { $0.hasPrefix(prefix) }.sorted()
            var start = 0
            while start < wanted.count {
                let chunk = wanted[start..<min(start + 200, wanted.count)]
                start += chunk.count
                let list = chunk.map(SalesforceClient.soqlLiteral).joined(separator: ", ")
                for record in try await client.query("SELECT Id, Email FROM \(object) WHERE Id IN (\(list))") {
                    if let id = record.id, let email = record["Email"]?.stringValue { result[id] = email }
                }
            }
        }
        return result
    }
}
