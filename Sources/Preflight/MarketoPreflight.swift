internal import Config
internal import Foundation
internal import LeadModel
internal import Logging
internal import Marketo

// MARK: - MarketoPreflight

/// The read-only checks of one tenant's Marketo subscription: the credentials give a token; each mapped program
/// exists and its channel has every channel status with steps in the channel's order; the custom activity type is
/// approved and has the attributes the writer sends; the custom object is approved with the fields, dedupe fields
/// and lead link the writer relies on; the day's API usage.
struct MarketoPreflight: TenantPreflight {
    static let destination = Destination.marketo
    let tenant: TenantSettings
    let settings: MarketoTenantSettings
    let client: MarketoClient
    var checks: [PreflightCheck] = []

    /// Runs every check of the tenant (the credentials first: without a token nothing else is checked).
    static func run(tenant: TenantSettings, requestTimeout: Duration, logger: Logger) async -> [PreflightCheck] {
        guard let settings = tenant.marketo else {
            return stopped(
                tenant,
                "marketo section",
                "the tenant delivers to Marketo but its configuration has no marketo section",
                fix: "add tenants[].marketo with munchkinId, clientId and clientSecret (docs/configuration.md)"
            )
        }
        let credentials = "credentials (munchkin \(settings.munchkinId), client id \(settings.clientId))"
        let secret: String
        do {
            secret = try settings.clientSecret.reveal()
        } catch {
            let fix = PreflightFix.secret(settings.clientSecret.reference)
            return stopped(tenant, credentials, error.description, fix: fix)
        }
        let client: MarketoClient
        do {
            client = try MarketoClient(
                configuration: MarketoClientConfiguration(
                    baseURL: settings.baseURL,
                    clientId: settings.clientId,
                    clientSecret: secret,
                    requestTimeout: requestTimeout,
                    logger: logger
                )
            )
        } catch {
            return stopped(
                tenant,
                credentials,
                "\(error)",
                fix: "correct tenants[].marketo (baseURL, clientId) in the configuration"
            )
        }
        var preflight = MarketoPreflight(tenant: tenant, settings: settings, client: client)
        guard await preflight.checkCredentials(item: credentials) else { return preflight.checks }
        await preflight.checkPrograms()
        await preflight.checkActivityType()
        await preflight.checkCustomObject()
        await preflight.checkUsage()
        return preflight.checks
    }

    // MARK: - Credentials

    private mutating func checkCredentials(item: String) async -> Bool {
        do {
            try await patiently { try await client.checkCredentials() }
            add(item, .pass, "the identity service issued an access token")
            return true
        } catch let error as MarketoError where error.code == .invalidCredentials {
            add(
                item,
                .fail,
                error.message,
                fix: "copy the Client Id and Client Secret of the LeadSync service from Marketo Admin > Integration > "
                    + "LaunchPoint > LeadSync > View Details into tenants[].marketo.clientId and the secret that "
                    + "clientSecret references (docs/crm-setup.md, Marketo step 6)",
                blocking: true
            )
        } catch {
            add(
                item,
                .fail,
                "no access token: \(error)",
                fix: "check tenants[].marketo.munchkinId / baseURL (Marketo Admin > Integration > Web Services > "
                    + "REST API: Endpoint, without /rest) and that Marketo can be reached from here",
                blocking: true
            )
        }
        return false
    }

    // MARK: - Quota

    private mutating func checkUsage() async {
        let item = "daily API quota"
        do {
            let today = try await patiently { try await client.usage() }.first?.total ?? 0
            if let budget = settings.dailyCallBudget {
                let left = budget - today
                if left <= 0 {
                    add(
                        item,
                        .warn,
                        "\(today) calls made today; the tenant's dailyCallBudget of \(budget) is spent",
                        fix: "wait for midnight America/Chicago, or raise tenants[].marketo.dailyCallBudget"
                    )
                } else {
                    add(item, .pass, "\(today) calls made today; \(left) left of the dailyCallBudget \(budget)")
                }
            } else {
                add(
                    item,
                    .pass,
                    "\(today) calls made today by every user of the subscription; its quota (50,000 unless Adobe "
                        + "set another) is in Admin > Integration > Web Services > API Call Information"
                )
            }
        } catch let error as MarketoError where error.failureClass == .quotaExhausted {
            add(
                item,
                .warn,
                "the subscription's daily quota is spent (\(error.resultCode)): the writer parks until it resets",
                fix: "wait for midnight America/Chicago, or ask Adobe for a larger quota"
            )
        } catch {
            add(item, .warn, "cannot read the usage: \(error)")
        }
    }
}
