import Config
import Delivery
import Foundation
import LeadModel
import Logging
import Marketo

// MARK: - MarketoTenantConnection

/// One tenant's way into its Marketo subscription: the client with the tenant's credentials (re-read from their
/// reference when Marketo refuses them), its call limits, its profile field mapping and the API names of its
/// custom activity type and custom object.
final class MarketoTenantConnection: Sendable {
    /// The tenant.
    let tenant: String
    /// The tenant's Marketo section.
    let settings: MarketoTenantSettings
    /// The client (it owns the tenant's access token).
    let client: MarketoClient
    /// The tenant's share of the subscription's limits.
    let limits: CallLimits
    /// Profile field -> Marketo lead field, in a fixed order.
    let fieldMapping: [(field: ProfileField, restName: String)]
    /// The custom activity type engagement activities are added as.
    var activityType: MarketoActivityTypeNames { settings.activityType }
    /// The custom object engagement records are upserted into.
    var customObject: MarketoCustomObjectNames { settings.customObject }

    /// The subscription (munchkin id), which keys the lead cache: tenants that share a subscription share its
    /// leads.
    var munchkinId: String { settings.munchkinId }

    init(
        tenant: String,
        settings: MarketoTenantSettings,
        options: MarketoSinkOptions,
        metrics: MarketoSinkMetrics,
        logger: Logger
    ) throws(MarketoSinkConfigurationError) {
        let setting = "tenants.\(tenant).marketo"
        guard settings.callShare > 0, settings.callShare <= 1 else {
            throw MarketoSinkConfigurationError(
                tenant: tenant,
                setting: "\(setting).callShare",
                message: "\(settings.callShare) is not in (0, 1]"
            )
        }
        if let budget = settings.dailyCallBudget, budget <= 0 {
            throw MarketoSinkConfigurationError(
                tenant: tenant,
                setting: "\(setting).dailyCallBudget",
                message: "\(budget) is not a positive number of calls"
            )
        }
        let secret: String
        do {
            secret = try settings.clientSecret.reveal()
        } catch {
            throw MarketoSinkConfigurationError(
                tenant: tenant,
                setting: "\(setting).clientSecret",
                message: "cannot read the client secret: \(error)"
            )
        }
        var clientLogger = logger
        clientLogger[metadataKey: MarketoWriterLoggingKeys.tenant] = "\(tenant)"
        let observer = options.callObserver
        let reference = settings.clientSecret
        let configuration = MarketoClientConfiguration(
            baseURL: settings.baseURL,
            clientId: settings.clientId,
            clientSecret: secret,
            requestTimeout: options.requestTimeout,
            logger: clientLogger,
            callObserver: { record in
                metrics.recordCall(tenant: tenant, record)
                observer?(tenant, record)
            },
            http: options.http,
            reloadClientSecret: {
                metrics.secretReread(tenant: tenant)
                return try reference.reveal()
            }
        )
        do {
            self.client = try MarketoClient(configuration: configuration)
        } catch {
            throw MarketoSinkConfigurationError(tenant: tenant, setting: setting, message: "\(error)")
        }
        self.tenant = tenant
        self.settings = settings
        self.limits = CallLimits.marketo(callShare: settings.callShare, dailyCalls: settings.dailyCallBudget)
        self.fieldMapping = settings.fieldMapping.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The lead fields of a command: `email` and each mapped profile field that has a value.
    func leadFields(email: String, profile: LeadProfile?) -> [String: MarketoFieldValue] {
        var fields: [String: MarketoFieldValue] = ["email": .string(email)]
        guard let profile else { return fields }
        for (field, restName) in fieldMapping {
            guard let value = Self.value(of: field, in: profile), !value.isEmpty else { continue }
            fields[restName] = .string(value)
        }
        return fields
    }

    private static func value(of field: ProfileField, in profile: LeadProfile) -> String? {
        switch field {
        case .firstName: profile.firstName
        case .lastName: profile.lastName
        case .company: profile.company
        case .title: profile.title
        case .country: profile.country
        case .phone: profile.phone
        case .custom(let name): profile.custom[name]
        }
    }
}
