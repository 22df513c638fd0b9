public import Foundation

// MARK: - SalesforceTenantSettings

/// A tenant's Salesforce org: where to log in, the connected app's credentials, the API version, its share of the
/// daily request allocation, and how profile fields become Lead fields.
public struct SalesforceTenantSettings: Sendable, Hashable {
    /// Where tokens are requested (`{loginURL}/services/oauth2/token`); default `https://login.salesforce.com`
    /// (`https://test.salesforce.com` for sandboxes, or the org's My Domain).
    public var loginURL: URL
    /// The org's instance URL, when it must be pinned; normally the token response's `instance_url` is used.
    public var instanceURL: URL?
    /// The connected app's consumer key.
    public var clientId: String
    /// The OAuth flow and its secret.
    public var authentication: SalesforceAuthentication
    /// The REST API version, `vNN.N` (default `v62.0`).
    public var apiVersion: String
    /// The fraction of the org's rolling 24-hour request allocation LeadSync may use, in (0, 1] (default 1.0).
    public var dailyRequestShare: Double
    /// Profile field -> Lead field API name. Standard profile fields map to the standard Lead fields
    /// (`FirstName`, `LastName`, `Company`, `Title`, `Country`, `Phone`) unless overridden.
    public var fieldMapping: [ProfileField: String]
    /// Lead field -> value used when a new Lead would miss it (Salesforce requires `LastName` and `Company`).
    public var leadDefaults: [String: String]
    /// The CampaignMember External ID field and the status label of each channel status.
    public var campaignMember: SalesforceCampaignMemberNames
    /// The engagement object, its External ID and its field names.
    public var engagement: SalesforceEngagementNames

    /// The default login URL.
    public static let defaultLoginURL = URL(string: "https://login.salesforce.com")!
    /// The default API version.
    public static let defaultAPIVersion = "v62.0"
    /// The standard profile fields mapped to the standard Lead fields.
    public static let defaultFieldMapping: [ProfileField: String] = [
        .firstName: "FirstName", .lastName: "LastName", .company: "Company", .title: "Title", .country: "Country",
        .phone: "Phone",
    ]
    /// Values for the fields Salesforce requires on a new Lead.
    public static let defaultLeadDefaults: [String: String] = [
        "LastName": "[not provided]", "Company": "[not provided]",
    ]

    /// Creates the settings.
    public init(
        loginURL: URL = SalesforceTenantSettings.defaultLoginURL,
        instanceURL: URL? = nil,
        clientId: String,
        authentication: SalesforceAuthentication,
        apiVersion: String = SalesforceTenantSettings.defaultAPIVersion,
        dailyRequestShare: Double = 1.0,
        fieldMapping: [ProfileField: String] = SalesforceTenantSettings.defaultFieldMapping,
        leadDefaults: [String: String] = SalesforceTenantSettings.defaultLeadDefaults,
        campaignMember: SalesforceCampaignMemberNames = .standard,
        engagement: SalesforceEngagementNames = .standard
    ) {
        self.loginURL = loginURL
        self.instanceURL = instanceURL
        self.clientId = clientId
        self.authentication = authentication
        self.apiVersion = apiVersion
        self.dailyRequestShare = dailyRequestShare
        self.fieldMapping = fieldMapping
        self.leadDefaults = leadDefaults
        self.campaignMember = campaignMember
        self.engagement = engagement
    }
}
