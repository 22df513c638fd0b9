// MARK: - UpsertResult

/// What an upsert by External ID did.
enum UpsertResult: Equatable {
    case created(String)
    case updated(String)
    /// Several records matched: their 18-character ids (HTTP 300).
    case multiple([String])
}
