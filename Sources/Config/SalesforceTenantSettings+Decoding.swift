internal import Foundation

// MARK: - SalesforceTenantSettings + Decoding

extension SalesforceTenantSettings {
    static let keys = [
        "loginURL", "instanceURL", "clientId", "clientSecret", "jwt", "apiVersion", "dailyRequestShare",
        "fieldMapping", "leadDefaults", "campaignMember", "engagement",
    ]
    static let authenticationExpectation =
        "either clientSecret (client credentials) or jwt: { username, privateKey } (JWT bearer)"
    static let fieldExpectation = "a Salesforce field API name such as FirstName or Job_Level__c"

    /// Reads a tenant's `salesforce` section; `nil` when a required part is missing or invalid (all reported).
    init?(decoding value: ConfigValue, source: SecretSource) {
        guard let section = value.mapping(knownKeys: SalesforceTenantSettings.keys) else { return nil }
        var loginURL: URL? = SalesforceTenantSettings.defaultLoginURL
        if let urlValue = section["loginURL"] { loginURL = urlValue.httpURL() }
        let instanceURL = section["instanceURL"]?.httpURL()
        let clientId = section.required("clientId", expected: "the connected app's consumer key")?
            .name(expected: "the connected app's consumer key")

        var authentication: SalesforceAuthentication?
        switch (section["clientSecret"], section["jwt"]) {
        case (let secretValue?, nil):
            if let secret = secretValue.secret(source: source) {
                authentication = .clientCredentials(clientSecret: secret)
            }
        case (nil, let jwtValue?):
            if let jwt = jwtValue.mapping(knownKeys: ["username", "privateKey"]) {
                let username = jwt.required("username", expected: "the integration user's username")?
                    .name(expected: "the integration user's username")
                let privateKey = jwt.required("privateKey", expected: ConfigValue.secretExpectation)?
                    .secret(source: source)
                if let username, let privateKey {
                    authentication = .jwtBearer(username: username, privateKey: privateKey)
                }
            }
        case (nil, nil):
            section.owner.report(
                .missingKey,
                "has no credentials",
                expected: SalesforceTenantSettings.authenticationExpectation
            )
        case (_?, let jwtValue?):
            jwtValue.report(
                .inconsistent,
                "is given together with clientSecret",
                expected: SalesforceTenantSettings.authenticationExpectation
            )
        }

        var apiVersion = SalesforceTenantSettings.defaultAPIVersion
        if let versionValue = section["apiVersion"], let text = versionValue.string() {
            if SalesforceTenantSettings.isAPIVersion(text) {
                apiVersion = text
            } else {
                versionValue.report(
                    .invalidValue,
                    "\(quoted(text)) is not an API version",
                    expected: "vNN.0 such as v62.0"
                )
            }
        }
        var dailyRequestShare = 1.0
        if let share = section["dailyRequestShare"]?.share() { dailyRequestShare = share }
        var fieldMapping = SalesforceTenantSettings.defaultFieldMapping
        if let mappingValue = section["fieldMapping"] {
            FieldMappingDecoder.merge(
                mappingValue,
                into: &fieldMapping,
                expected: SalesforceTenantSettings.fieldExpectation,
                isFieldName: SalesforceTenantSettings.isFieldName
            )
        }
        var leadDefaults = SalesforceTenantSettings.defaultLeadDefaults
        if let defaultsValue = section["leadDefaults"],
            let entries = defaultsValue.entries(expected: "a mapping of Lead field API names to values")
        {
            for (field, fieldValue) in entries {
                guard SalesforceTenantSettings.isFieldName(field) else {
                    fieldValue.report(
                        .invalidValue,
                        "\(quoted(field)) is not a field name",
                        expected: SalesforceTenantSettings.fieldExpectation
                    )
                    continue
                }
                if let text = fieldValue.string(expected: "the value for a new Lead that has none") {
                    leadDefaults[field] = text
                }
            }
        }
        let campaignMember =
            section["campaignMember"].map(SalesforceCampaignMemberNames.init(decoding:)) ?? .standard
        let engagement = section["engagement"].map(SalesforceEngagementNames.init(decoding:)) ?? .standard
        guard let loginURL, let clientId, let authentication else { return nil }
        self.init(
            loginURL: loginURL,
            instanceURL: instanceURL,
            clientId: clientId,
            authentication: authentication,
            apiVersion: apiVersion,
            dailyRequestShare: dailyRequestShare,
            fieldMapping: fieldMapping,
            leadDefaults: leadDefaults,
            campaignMember: campaignMember,
            engagement: engagement
        )
    }

    /// `vNN.N`.
    static func isAPIVersion(_ text: String) -> Bool {
        guard text.hasPrefix("v") else { return false }
        let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// A Salesforce API name: a letter, then letters, digits and underscores.
    static func isFieldName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
        }
    }
}
