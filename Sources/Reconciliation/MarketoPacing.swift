internal import Marketo

/// Marketo reads made again while the subscription answers with its rate or concurrency limit (606/615):
/// reconciliation shares the subscription's limits with the writers (100 calls in 20 s, 10 at once) and must not
/// fail because the writers spent a window. Waits 1 s, doubling to 20 s, for up to 12 attempts (about 3 minutes),
/// then makes the read a last time and lets its error through.
enum MarketoPacing {
    static func paced<Value>(_ read: () async throws -> Value) async throws -> Value {
        var wait = Duration.seconds(1)
        for _ in 0..<12 {
            do {
                return try await read()
            } catch let error as MarketoError where error.failureClass == .rateLimited {
                try await Task.sleep(for: wait)
                wait = min(wait * 2, .seconds(20))
            }
        }
        return try await read()
    }
}
