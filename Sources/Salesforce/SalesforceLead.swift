// MARK: - SalesforceLead

/// A Lead found by email: `Id, Email, IsConverted, ConvertedContactId`.
public struct SalesforceLead: Sendable, Hashable {
    /// The lead id (`00Q…`).
    public var id: String
    /// The lead's email as stored (its case may differ from the one looked up).
    public var email: String?
    /// Whether the lead was converted; a converted lead cannot be updated or added to a campaign.
    public var isConverted: Bool
    /// The Contact the lead was converted to.
    public var convertedContactId: String?

    /// Creates a lead.
    public init(id: String, email: String?, isConverted: Bool, convertedContactId: String?) {
        self.id = id
        self.email = email
        self.isConverted = isConverted
        self.convertedContactId = convertedContactId
    }
}
