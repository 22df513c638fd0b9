// MARK: - ConfigMapping

/// A section's known keys and their values.
struct ConfigMapping {
    /// The section itself.
    let owner: ConfigValue
    /// Key -> value, for the keys present.
    let values: [String: ConfigValue]

    /// The value of an optional key; `nil` when absent or `null`.
    subscript(key: String) -> ConfigValue? {
        guard let value = values[key], !value.isNull else { return nil }
        return value
    }

    /// The value of a required key; reports it missing when absent or `null`.
    func required(_ key: String, expected: String) -> ConfigValue? {
        if let value = self[key] { return value }
        owner.log.add(
            .missingKey,
            at: owner.path.key(key),
            "is missing",
            expected: expected,
            line: owner.node.mark?.line,
            column: owner.node.mark?.column
        )
        return nil
    }
}
