internal import LeadModel

// MARK: - SalesforceCampaignMemberNames + Decoding

extension SalesforceCampaignMemberNames {
    static let keys = ["externalIdField", "statusLabels"]

    /// Reads a tenant's `salesforce.campaignMember` section over the defaults (problems are reported).
    init(decoding value: ConfigValue) {
        self = .standard
        guard let section = value.mapping(knownKeys: Self.keys) else { return }
        let fieldExpectation = "the CampaignMember External ID field, such as external_id__c"
        if let name = section["externalIdField"]?.salesforceName(expected: fieldExpectation) {
            externalIdField = name
        }
        guard let labelsValue = section["statusLabels"],
            let entries = labelsValue.entries(expected: "a mapping of channel statuses to CampaignMemberStatus labels")
        else { return }
        let statusNames = ChannelStatus.allCases.map(\.name)
        for (statusName, labelValue) in entries {
            guard let status = ChannelStatus(name: statusName) else {
                labelValue.report(
                    .invalidValue,
                    "\(quoted(statusName)) is not a channel status"
                        + KeySuggestion.didYouMean(statusName, among: statusNames),
                    expected: "one of " + statusNames.joined(separator: ", ")
                )
                continue
            }
            let expected = "the campaign's CampaignMemberStatus label for \(status.name) (at most 765 characters)"
            guard let label = labelValue.name(expected: expected) else { continue }
            guard label.count <= 765 else {
                labelValue.report(.invalidValue, "has \(label.count) characters", expected: expected)
                continue
            }
            statusLabels[status] = label
        }
    }
}

// MARK: - SalesforceEngagementNames + Decoding

extension SalesforceEngagementNames {
    static let keys = ["object", "externalIdField", "fields"]

    /// Reads a tenant's `salesforce.engagement` section over the defaults (problems are reported).
    init(decoding value: ConfigValue) {
        self = .standard
        guard let section = value.mapping(knownKeys: Self.keys) else { return }
        let objectExpectation = "the engagement object's API name, such as UserSessionEngagement__c"
        if let name = section["object"]?.salesforceName(expected: objectExpectation) { object = name }
        let keyExpectation = "the engagement object's External ID field, such as engagement_key__c"
        if let name = section["externalIdField"]?.salesforceName(expected: keyExpectation) { externalIdField = name }
        if let fieldsValue = section["fields"] {
            EngagementFieldMappingDecoder.merge(
                fieldsValue,
                into: &fields,
                allowed: Self.allowedFields,
                expected: SalesforceTenantSettings.fieldExpectation,
                isName: SalesforceTenantSettings.isFieldName
            )
            if let clash = fields.first(where: { $0.value.lowercased() == externalIdField.lowercased() }) {
                fieldsValue.report(
                    .inconsistent,
                    "\(clash.key.name) is sent as \(quoted(clash.value)), the External ID field",
                    expected: "a field other than externalIdField"
                )
            }
        }
    }
}

extension ConfigValue {
    /// The value as a Salesforce API name (a letter, then letters, digits and underscores).
    func salesforceName(expected: String) -> String? {
        guard let name = string(expected: expected) else { return nil }
        guard SalesforceTenantSettings.isFieldName(name) else {
            report(.invalidValue, "\(quoted(name)) is not an API name", expected: expected)
            return nil
        }
        return name
    }
}
