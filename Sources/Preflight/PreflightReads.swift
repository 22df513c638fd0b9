internal import Marketo
internal import Salesforce

// MARK: - Reads that survive a CRM's passing trouble

/// How the checks read the CRM: a read that fails transiently (an HTTP 5xx, a dropped or stalled connection, a rate
/// limit) is made again, up to ``attempts`` times in all with pauses of 0.5, 1 and 2 s, before the check records
/// the failure. A CRM's passing trouble is not a setup mistake: a writer must not refuse to start because one of its
/// start-up reads met a 503.
enum PreflightReads {
    /// Reads made at most, the first one included.
    static let attempts = 4
    /// The pause before the first repeat; doubled before each next one.
    static let firstPause = Duration.milliseconds(500)
}

extension MarketoPreflight {
    /// `read`, made again after a `retry` or `rateLimited` failure (see ``PreflightReads``).
    func patiently<Value>(_ read: () async throws -> Value) async throws -> Value {
        var pause = PreflightReads.firstPause
        for _ in 1..<PreflightReads.attempts {
            do {
                return try await read()
            } catch let error as MarketoError where error.failureClass == .retry || error.failureClass == .rateLimited {
                try? await Task.sleep(for: pause)
                pause *= 2
            }
        }
        return try await read()
    }
}

extension SalesforcePreflight {
    /// `read`, made again after a `retry` failure (see ``PreflightReads``).
    func patiently<Value>(
        _ read: () async throws(SalesforceError) -> Value
    ) async throws(SalesforceError) -> Value {
        var pause = PreflightReads.firstPause
        for _ in 1..<PreflightReads.attempts {
            do {
                return try await read()
            } catch where error.classification == .retry {
                try? await Task.sleep(for: pause)
                pause *= 2
            }
        }
        return try await read()
    }
}
