internal import Config
internal import Foundation
internal import LeadModel
internal import Logging
internal import Salesforce
internal import SalesforceWriter

// MARK: - SalesforcePreflight

/// The read-only checks of one tenant's Salesforce org: the credentials give a token; each mapped campaign exists
/// and has a CampaignMemberStatus for each status label; the CampaignMember External ID field exists, is unique
/// and an External ID; the engagement object and its External ID and fields exist with compatible types; the
/// org's remaining daily API requests.
struct SalesforcePreflight: TenantPreflight {
    static let destination = Destination.salesforce
    let tenant: TenantSettings
    let settings: SalesforceTenantSettings
    let client: SalesforceClient
    var checks: [PreflightCheck] = []

    /// Runs every check of the tenant (the credentials first: without a token nothing else is checked).
    static func run(tenant: TenantSettings, requestTimeout: Duration, logger: Logger) async -> [PreflightCheck] {
        guard let settings = tenant.salesforce else {
            return stopped(
                tenant,
                "salesforce section",
                "the tenant delivers to Salesforce but its configuration has no salesforce section",
                fix: "add tenants[].salesforce with loginURL, clientId and clientSecret or jwt (docs/configuration.md)"
            )
        }
        let item = "credentials (connected app \(settings.clientId))"
        let credentials: SalesforceCredentials
        do {
            credentials = try settings.credentials()
        } catch {
            return stopped(tenant, item, error.description, fix: PreflightFix.secret(error.reference))
        }
        let client = SalesforceClient(
            configuration: SalesforceClientConfiguration(
                loginURL: settings.loginURL,
                apiVersion: settings.apiVersion,
                credentials: credentials,
                requestTimeout: requestTimeout,
                logger: logger
            )
        )
        var preflight = SalesforcePreflight(tenant: tenant, settings: settings, client: client)
        guard await preflight.checkCredentials(item: item) else { return preflight.checks }
        await preflight.checkCampaigns()
        await preflight.checkMemberExternalId()
        await preflight.checkEngagementObject()
        await preflight.checkRequests()
        return preflight.checks
    }

    // MARK: - Credentials

    private mutating func checkCredentials(item: String) async -> Bool {
        do {
            try await patiently { () async throws(SalesforceError) in try await client.checkCredentials() }
            add(item, .pass, "the token endpoint issued an access token")
            return true
        } catch {
            add(item, .fail, error.description, fix: Self.credentialsFix(error), blocking: true)
            return false
        }
    }

    /// What to do about a refused token request, by the OAuth error.
    static func credentialsFix(_ error: SalesforceError) -> String {
        let description = error.message.lowercased()
        switch error.errorCode {
        case "invalid_client_id":
            return "copy the connected app's Consumer Key (Setup > App Manager > LeadSync > View > Manage Consumer "
                + "Details) into tenants[].salesforce.clientId"
        case "invalid_client":
            return "copy the connected app's Consumer Secret (Setup > App Manager > LeadSync > View > Manage Consumer "
                + "Details) into the secret that tenants[].salesforce.clientSecret references"
        case "invalid_grant" where description.contains("client credentials user"):
            return "set a Run As user: Setup > App Manager > LeadSync > Manage > Edit Policies > Client Credentials "
                + "Flow > Run As (docs/crm-setup.md, Salesforce step 5)"
        case "invalid_grant" where description.contains("approved"):
            return "pre-authorize the integration user: Setup > App Manager > LeadSync > Manage > Edit Policies > "
                + "Permitted Users: Admin approved users are pre-authorized, then Manage Profiles or Manage Permission "
                + "Sets to add the integration user's"
        case "invalid_grant" where description.contains("audience"):
            return "use https://test.salesforce.com as tenants[].salesforce.loginURL for a sandbox org, "
                + "https://login.salesforce.com or the My Domain URL for production"
        case "invalid_grant" where description.contains("assertion"):
            return "upload the certificate of the private key that jwt.privateKey references to the connected app "
                + "(Setup > App Manager > LeadSync > Edit > Use digital signatures)"
        case "invalid_grant" where description.contains("domain"):
            return "the client credentials flow needs the org's My Domain URL as tenants[].salesforce.loginURL "
                + "(Setup > My Domain)"
        default:
            return "check tenants[].salesforce.loginURL and the connected app (docs/crm-setup.md, Salesforce step 5)"
        }
    }

    // MARK: - Requests

    private mutating func checkRequests() async {
        let item = "daily API requests"
        do {
            let limits = try await patiently { () async throws(SalesforceError) in try await client.limits() }
            guard let daily = limits["DailyApiRequests"] else {
                add(item, .warn, "the org reports no DailyApiRequests limit")
                return
            }
            let share = Int((settings.dailyRequestShare * Double(daily.max)).rounded())
            let detail =
                "\(daily.remaining) of \(daily.max) left in the rolling 24 hours (the tenant's share: "
                + "\(share))"
            if daily.remaining <= 0 {
                add(
                    item,
                    .warn,
                    detail,
                    fix: "wait for the rolling window to free requests, or buy more in Salesforce"
                )
            } else {
                add(item, .pass, detail)
            }
        } catch {
            add(
                item,
                .warn,
                "cannot read the limits: \(error.description)",
                fix: "give the integration user the permission View Setup and Configuration"
            )
        }
    }
}
