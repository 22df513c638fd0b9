// MARK: - EngagementFieldMappingDecoder

/// Reads a mapping of engagement fields to CRM API names (a Marketo activity type's `attributes`, a custom
/// object's `fields`, the Salesforce engagement object's `fields`), merged over the defaults: `null` stops sending
/// a field, unless it is one the records cannot do without.
enum EngagementFieldMappingDecoder {
    static func merge(
        _ value: ConfigValue,
        into mapping: inout [EngagementField: String],
        allowed: [EngagementField],
        required: Set<EngagementField> = [],
        expected: String,
        isName: (String) -> Bool
    ) {
        let expectation = "a mapping of engagement fields to API names"
        guard let entries = value.entries(expected: expectation) else { return }
        let allowedNames = allowed.map(\.name)
        for (key, fieldValue) in entries {
            guard let field = EngagementField(name: key), allowed.contains(field) else {
                fieldValue.report(
                    .invalidValue,
                    "\(quoted(key)) is not a field here" + KeySuggestion.didYouMean(key, among: allowedNames),
                    expected: "one of " + allowedNames.joined(separator: ", ")
                )
                continue
            }
            if fieldValue.isNull {
                if required.contains(field) {
                    fieldValue.report(
                        .invalidValue,
                        "\(key) cannot be left out: every record needs it",
                        expected: expected
                    )
                } else {
                    mapping[field] = nil
                }
                continue
            }
            guard let text = fieldValue.string(expected: expected) else { continue }
            guard isName(text) else {
                fieldValue.report(.invalidValue, "\(quoted(text)) is not an API name", expected: expected)
                continue
            }
            mapping[field] = text
        }
        reportDuplicates(mapping, at: value)
    }

    /// Two fields sent under one API name would overwrite each other.
    static func reportDuplicates(_ mapping: [EngagementField: String], at value: ConfigValue) {
        var fieldsByName: [String: [EngagementField]] = [:]
        for (field, name) in mapping { fieldsByName[name.lowercased(), default: []].append(field) }
        for (_, fields) in fieldsByName.sorted(by: { $0.key < $1.key }) where fields.count > 1 {
            let sorted = fields.sorted()
            value.report(
                .duplicate,
                sorted.map(\.name).joined(separator: " and ") + " are both sent as "
                    + quoted(mapping[sorted[0]] ?? ""),
                expected: "a different API name for each field"
            )
        }
    }

    /// A Marketo API name: a letter, then letters, digits and underscores.
    static func isMarketoName(_ text: String) -> Bool {
        SalesforceTenantSettings.isFieldName(text)
    }
}
