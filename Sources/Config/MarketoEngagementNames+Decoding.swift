// MARK: - MarketoActivityTypeNames + Decoding

extension MarketoActivityTypeNames {
    static let keys = ["apiName", "attributes"]
    static let nameExpectation = "a Marketo API name: a letter, then letters, digits and underscores"

    /// Reads a tenant's `marketo.activityType` section over the defaults (problems are reported).
    init(decoding value: ConfigValue) {
        self = .standard
        guard let section = value.mapping(knownKeys: Self.keys) else { return }
        if let nameValue = section["apiName"], let name = nameValue.string(expected: Self.nameExpectation) {
            if EngagementFieldMappingDecoder.isMarketoName(name) {
                apiName = name
            } else {
                nameValue.report(.invalidValue, "\(quoted(name)) is not an API name", expected: Self.nameExpectation)
            }
        }
        if let attributesValue = section["attributes"] {
            EngagementFieldMappingDecoder.merge(
                attributesValue,
                into: &attributes,
                allowed: Self.allowedFields,
                expected: "the activity type's attribute API name, such as entry_name",
                isName: EngagementFieldMappingDecoder.isMarketoName
            )
        }
    }
}

// MARK: - MarketoCustomObjectNames + Decoding

extension MarketoCustomObjectNames {
    static let keys = ["apiName", "fields", "dedupeFields"]

    /// Reads a tenant's `marketo.customObject` section over the defaults (problems are reported).
    init(decoding value: ConfigValue) {
        self = .standard
        guard let section = value.mapping(knownKeys: Self.keys) else { return }
        let nameExpectation = MarketoActivityTypeNames.nameExpectation
        if let nameValue = section["apiName"], let name = nameValue.string(expected: nameExpectation) {
            if EngagementFieldMappingDecoder.isMarketoName(name) {
                apiName = name
            } else {
                nameValue.report(.invalidValue, "\(quoted(name)) is not an API name", expected: nameExpectation)
            }
        }
        if let fieldsValue = section["fields"] {
            var all = fields
            all[.entryId] = entryIdField
            all[.lead] = leadLinkField
            EngagementFieldMappingDecoder.merge(
                fieldsValue,
                into: &all,
                allowed: [.entryId, .lead] + Self.allowedFields,
                required: [.entryId, .lead],
                expected: "the custom object's field API name, such as entry_id",
                isName: EngagementFieldMappingDecoder.isMarketoName
            )
            entryIdField = all.removeValue(forKey: .entryId) ?? entryIdField
            leadLinkField = all.removeValue(forKey: .lead) ?? leadLinkField
            fields = all
        }
        dedupeFields = [entryIdField, leadLinkField]
        if let dedupeValue = section["dedupeFields"] {
            decodeDedupeFields(dedupeValue)
        }
    }

    private mutating func decodeDedupeFields(_ value: ConfigValue) {
        let candidates = alwaysSentFields
        let expected = "1 to 3 of the fields every record carries: " + candidates.joined(separator: ", ")
        guard let items = value.list(expected: expected) else { return }
        guard (1...3).contains(items.count) else {
            value.report(.invalidValue, "names \(items.count) fields", expected: expected)
            return
        }
        var names: [String] = []
        for item in items {
            guard let name = item.string(expected: expected) else { continue }
            guard candidates.contains(name) else {
                item.report(
                    .invalidValue,
                    "\(quoted(name)) is not a field every record carries"
                        + KeySuggestion.didYouMean(name, among: candidates),
                    expected: expected
                )
                continue
            }
            if names.contains(name) {
                item.report(.duplicate, "\(quoted(name)) is listed twice", expected: "each dedupe field once")
                continue
            }
            names.append(name)
        }
        if names.count == items.count { dedupeFields = names }
    }
}
