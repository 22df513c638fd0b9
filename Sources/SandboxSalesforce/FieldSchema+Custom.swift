// MARK: - FieldSchema + Custom

extension FieldSchema {
    /// The schema of a custom field from the setup.
    init(custom field: SalesforceSandboxSetup.CustomField) {
        let kind: Kind
        switch field.kind {
        case .text: kind = .string(length: field.length ?? 255)
        case .email: kind = .email
        case .number: kind = .number(precision: field.precision ?? 18, scale: field.scale ?? 0)
        case .lookup: kind = .reference(to: field.referenceTo ?? "Lead")
        case .checkbox: kind = .boolean
        }
        self.init(
            field.name,
            kind,
            requiredOnCreate: field.required,
            unique: field.unique,
            caseSensitive: field.caseSensitive,
            externalId: field.externalId
        )
    }
}
