// MARK: - FieldMappingDecoder

/// Reads a `fieldMapping` section: profile field name -> CRM field name, merged over the defaults; `null` removes
/// a field from the mapping (it is then not sent).
enum FieldMappingDecoder {
    static func merge(
        _ value: ConfigValue,
        into mapping: inout [ProfileField: String],
        expected: String,
        isFieldName: (String) -> Bool
    ) {
        guard let entries = value.entries(expected: "a mapping of profile field names to CRM field names") else {
            return
        }
        let standardNames = ProfileField.standard.map(\.name)
        for (name, fieldValue) in entries {
            guard let field = ProfileField(name: name) else {
                fieldValue.report(
                    .invalidValue,
                    "\(quoted(name)) is not a profile field" + KeySuggestion.didYouMean(name, among: standardNames),
                    expected: "one of \(standardNames.joined(separator: ", ")) or custom.<name>"
                )
                continue
            }
            if fieldValue.isNull {
                mapping[field] = nil
                continue
            }
            guard let text = fieldValue.string(expected: expected) else { continue }
            guard isFieldName(text) else {
                fieldValue.report(.invalidValue, "\(quoted(text)) is not a field name", expected: expected)
                continue
            }
            mapping[field] = text
        }
    }
}
