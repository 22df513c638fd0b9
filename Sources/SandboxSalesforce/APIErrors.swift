// MARK: - APIErrors

/// The errors of one record write; Salesforce reports all of them together.
struct APIErrors: Error, Sendable {
    var errors: [APIError]

    init(_ errors: [APIError]) {
        self.errors = errors
    }

    init(_ error: APIError) {
        self.errors = [error]
    }
}
