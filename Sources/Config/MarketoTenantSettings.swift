public import Foundation

// MARK: - MarketoTenantSettings

/// A tenant's Marketo subscription: where it is, its API credentials, its share of the API quota and its field
/// mapping.
public struct MarketoTenantSettings: Sendable, Hashable {
    /// The munchkin id (`123-ABC-456`).
    public var munchkinId: String
    /// The REST base URL (`{base}/rest/...`, `{base}/identity/oauth/token`); default
    /// `https://{munchkinId}.mktorest.com`.
    public var baseURL: URL
    /// The LaunchPoint service's client id.
    public var clientId: String
    /// The LaunchPoint service's client secret, by reference.
    public var clientSecret: Secret
    /// The fraction of the subscription's call rate (100 calls / 20 s) and concurrency LeadSync may use, in (0, 1]
    /// (default 1.0); lower it when other integrations share the subscription.
    public var callShare: Double
    /// The most API calls per day LeadSync may make for this tenant; `nil` means the subscription's daily quota.
    public var dailyCallBudget: Int?
    /// Profile field -> Marketo lead field (REST API name). The standard profile fields map to Marketo's fields of the
    /// same name unless overridden.
    public var fieldMapping: [ProfileField: String]
    /// The custom activity type engagement activities are added as, and its attribute names.
    public var activityType: MarketoActivityTypeNames
    /// The custom object engagement records are upserted into, its field names and dedupe fields.
    public var customObject: MarketoCustomObjectNames

    /// The standard fields mapped to Marketo's REST names (which are the same).
    public static let defaultFieldMapping: [ProfileField: String] = Dictionary(
        uniqueKeysWithValues: ProfileField.standard.map { ($0, $0.name) }
    )

    /// The default base URL of a munchkin id.
    public static func defaultBaseURL(munchkinId: String) -> URL? {
        URL(string: "https://\(munchkinId).mktorest.com")
    }

    /// Creates the settings.
    public init(
        munchkinId: String,
        baseURL: URL,
        clientId: String,
        clientSecret: Secret,
        callShare: Double = 1.0,
        dailyCallBudget: Int? = nil,
        fieldMapping: [ProfileField: String] = MarketoTenantSettings.defaultFieldMapping,
        activityType: MarketoActivityTypeNames = .standard,
        customObject: MarketoCustomObjectNames = .standard
    ) {
        self.munchkinId = munchkinId
        self.baseURL = baseURL
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.callShare = callShare
        self.dailyCallBudget = dailyCallBudget
        self.fieldMapping = fieldMapping
        self.activityType = activityType
        self.customObject = customObject
    }
}
