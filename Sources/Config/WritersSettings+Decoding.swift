internal import LeadModel

// MARK: - WritersSettings + Decoding

extension WritersSettings {
    /// Reads the `writers` section.
    init(decoding value: ConfigValue?) {
        self.init()
        guard let value, let section = value.mapping(knownKeys: ["marketo", "salesforce"]) else { return }
        marketo = WriterSettings(decoding: section["marketo"], destination: .marketo)
        salesforce = WriterSettings(decoding: section["salesforce"], destination: .salesforce)
    }
}
