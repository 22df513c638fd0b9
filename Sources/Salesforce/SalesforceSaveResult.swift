// MARK: - SalesforceSaveResult

/// The result of one record of an sObject Collections call (create, update, upsert), in request order:
/// `{"id","success","created","errors":[…]}`. A collections call answers HTTP 200 even when every row failed.
public struct SalesforceSaveResult: Sendable, Hashable, Codable {
    /// The record id; absent for a failed create.
    public var id: String?
    /// Whether the record was saved.
    public var success: Bool
    /// For upserts: whether the record was created (false: an existing one was updated).
    public var created: Bool?
    /// The errors of a failed row.
    public var errors: [SalesforceRowError]

    /// Creates a result.
    public init(id: String?, success: Bool, created: Bool? = nil, errors: [SalesforceRowError] = []) {
        self.id = id
        self.success = success
        self.created = created
        self.errors = errors
    }

    /// What to do about a failed row (from its first error); nil when it succeeded.
    public var classification: SalesforceError.Classification? {
        guard !success else { return nil }
        return errors.first?.classification ?? .permanent
    }

    /// The first error's code, if the row failed.
    public var errorCode: String? { errors.first?.statusCode }

    private enum CodingKeys: String, CodingKey { case id, success, created, errors }

    /// Decodes a result; `created`, `id` and `errors` may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decodeIfPresent(String.self, forKey: .id),
            success: try container.decode(Bool.self, forKey: .success),
            created: try container.decodeIfPresent(Bool.self, forKey: .created),
            errors: try container.decodeIfPresent([SalesforceRowError].self, forKey: .errors) ?? []
        )
    }
}
