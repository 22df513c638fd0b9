// MARK: - CRMMemberReader

/// Reads the current members of a tenant's programs or campaigns from a CRM.
public protocol CRMMemberReader: Sendable {
    /// The members of each target.
    /// - Parameters:
    ///   - targetIds: Marketo program ids or Salesforce campaign ids (as text).
    ///   - progress: Called with a short line as the read advances (big exports take minutes).
    /// - Returns: The members by target id (every requested id is present, empty when it has no members).
    /// - Throws: ``ReconciliationError`` with code `crm`.
    func members(
        of targetIds: [String],
        progress: @escaping @Sendable (String) -> Void
    ) async throws(ReconciliationError) -> [String: [CRMMember]]
}
