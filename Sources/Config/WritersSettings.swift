public import LeadModel

// MARK: - WritersSettings

/// The two writer roles.
public struct WritersSettings: Sendable, Hashable {
    /// The Marketo writer.
    public var marketo: WriterSettings
    /// The Salesforce writer.
    public var salesforce: WriterSettings

    /// Creates the writers' settings (defaults when not given).
    public init(
        marketo: WriterSettings = .defaults(for: .marketo),
        salesforce: WriterSettings = .defaults(for: .salesforce)
    ) {
        self.marketo = marketo
        self.salesforce = salesforce
    }
}
