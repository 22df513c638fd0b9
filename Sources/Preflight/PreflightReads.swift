internal import Marketo
internal import Salesforce

// MARK: - Reads that survive a CRM's passing trouble

/// How the checks read the CRM: a read that fails transiently (an HTTP 5xx, a dropped or stalled connection) is made
/// again, up to ``attempts`` times in all with pauses of 0.5, 1 and 2 s, before the check records the failure; one
/// refused by a rate limit (Marketo 606/615: another client, or the writer's previous instance, spent the 20-second
/// window) is made again for up to ``rateLimitPatience``, pauses doubling up to 8 s. A CRM's passing trouble is not a
/// setup mistake: a writer must not refuse to start because one of its start-up reads met a 503 or a busy window.
enum PreflightReads {
    /// Reads made at most after transient failures, the first one included.
    static let attempts = 4
    /// How long rate-limited reads are repeated: longer than Marketo's 20-second rate window.
    static let rateLimitPatience = Duration.seconds(25)
    /// The pause before the first repeat; doubled before each next one, up to ``longestPause``.
    static let firstPause = Duration.milliseconds(500)
    static let longestPause = Duration.seconds(8)
}

extension MarketoPreflight {
    /// `read`, made again after a `retry` or `rateLimited` failure (see ``PreflightReads``).
    func patiently<Value>(_ read: () async throws -> Value) async throws -> Value {
        let clock = ContinuousClock()
        let start = clock.now
        var pause = PreflightReads.firstPause
        var attempt = 1
        while true {
            do {
                return try await read()
            } catch let error as MarketoError
                where (error.failureClass == .retry && attempt < PreflightReads.attempts)
                || (error.failureClass == .rateLimited && clock.now - start < PreflightReads.rateLimitPatience)
            {
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, PreflightReads.longestPause)
                attempt += 1
            }
        }
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
            } catch  where error.classification == .retry {
                try? await Task.sleep(for: pause)
                pause *= 2
            }
        }
        return try await read()
    }
}
