internal import Foundation

// MARK: - MarketoTenantSettings + Decoding

extension MarketoTenantSettings {
    static let keys = [
        "munchkinId", "baseURL", "clientId", "clientSecret", "callShare", "dailyCallBudget", "fieldMapping",
        "activityType", "customObject",
    ]
    static let munchkinExpectation = "a munchkin id such as 123-ABC-456 (3 digits, 3 capital letters, 3 digits)"

    /// Reads a tenant's `marketo` section; `nil` when a required part is missing or invalid (all reported).
    init?(decoding value: ConfigValue, source: SecretSource) {
        guard let section = value.mapping(knownKeys: MarketoTenantSettings.keys) else { return nil }
        var munchkinId: String?
        if let munchkinValue = section.required("munchkinId", expected: MarketoTenantSettings.munchkinExpectation),
            let text = munchkinValue.string(expected: MarketoTenantSettings.munchkinExpectation)
        {
            if MarketoTenantSettings.isMunchkinId(text) {
                munchkinId = text
            } else {
                munchkinValue.report(
                    .invalidValue,
                    "\(quoted(text)) is not a munchkin id",
                    expected: MarketoTenantSettings.munchkinExpectation
                )
            }
        }
        var baseURL: URL?
        if let urlValue = section["baseURL"] {
            baseURL = urlValue.httpURL()
        } else if let munchkinId {
            baseURL = MarketoTenantSettings.defaultBaseURL(munchkinId: munchkinId)
        }
        let clientId = section.required("clientId", expected: "the LaunchPoint service's client id")?
            .name(expected: "the LaunchPoint service's client id")
        let clientSecret = section.required("clientSecret", expected: ConfigValue.secretExpectation)?
            .secret(source: source)
        var callShare = 1.0
        if let share = section["callShare"]?.share() { callShare = share }
        let dailyCallBudget = section["dailyCallBudget"]?.int(
            in: 1...10_000_000,
            expected: "a positive number of API calls per day"
        )
        var fieldMapping = MarketoTenantSettings.defaultFieldMapping
        if let mappingValue = section["fieldMapping"] {
            FieldMappingDecoder.merge(
                mappingValue,
                into: &fieldMapping,
                expected: "a Marketo lead field REST name such as firstName or jobLevel__c",
                isFieldName: { name in !name.isEmpty && !name.contains(where: { $0.isWhitespace }) }
            )
        }
        let activityType = section["activityType"].map(MarketoActivityTypeNames.init(decoding:)) ?? .standard
        let customObject = section["customObject"].map(MarketoCustomObjectNames.init(decoding:)) ?? .standard
        guard let munchkinId, let baseURL, let clientId, let clientSecret else { return nil }
        self.init(
            munchkinId: munchkinId,
            baseURL: baseURL,
            clientId: clientId,
            clientSecret: clientSecret,
            callShare: callShare,
            dailyCallBudget: dailyCallBudget,
            fieldMapping: fieldMapping,
            activityType: activityType,
            customObject: customObject
        )
    }

    /// `NNN-AAA-NNN`.
    static func isMunchkinId(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 11, scalars[3] == "-", scalars[7] == "-" else { return false }
        for (index, scalar) in scalars.enumerated() where index != 3 && index != 7 {
            let isLetterGroup = (4...6).contains(index)
            if isLetterGroup ? !("A"..."Z").contains(scalar) : !("0"..."9").contains(scalar) { return false }
        }
        return true
    }
}
