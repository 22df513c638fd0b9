import Basics
import Foundation

/// The access token shared by every call of one client: cached until shortly before it expires, with at most
/// one identity call in flight (concurrent callers wait for the same one).
actor MarketoAccessTokenCache {
    /// What the identity service answered.
    struct Issued: Sendable {
        var value: String
        var expiresIn: Int
        var receivedAt: Date
    }

    private let refreshMargin: TimeInterval
    private var current: MarketoAccessToken?
    private var lastIssued: String?
    private var refresh: Task<MarketoAccessToken, any Error>?

    init(refreshMargin: Duration) {
        self.refreshMargin = refreshMargin.seconds
    }

    /// The cached token while it is fresh, else a new one from `fetch` (shared with concurrent callers).
    func token(now: Date, fetch: @escaping @Sendable () async throws -> Issued) async throws -> String {
        if let current, now < current.refreshAfter { return current.value }
        return try await refreshed(fetch).value
    }

    /// A token other than `rejected`, which Marketo refused with 601/602: the one another caller already fetched,
    /// or a new one.
    func token(
        replacing rejected: String,
        now: Date,
        fetch: @escaping @Sendable () async throws -> Issued
    ) async throws -> String {
        if let current, current.value != rejected, now < current.expiresAt { return current.value }
        if current?.value == rejected { current = nil }
        return try await refreshed(fetch).value
    }

    private func refreshed(_ fetch: @escaping @Sendable () async throws -> Issued) async throws -> MarketoAccessToken {
        if let refresh { return try await refresh.value }
        let shared = Task { [refreshMargin, lastIssued] () async throws -> MarketoAccessToken in
            let issued = try await fetch()
            let lifetime = TimeInterval(max(0, issued.expiresIn))
            let expiresAt = issued.receivedAt.addingTimeInterval(lifetime)
            let margin = min(refreshMargin, lifetime / 10)
            let refreshAfter = issued.value == lastIssued ? expiresAt : expiresAt.addingTimeInterval(-margin)
            return MarketoAccessToken(value: issued.value, expiresAt: expiresAt, refreshAfter: refreshAfter)
        }
        refresh = shared
        defer { refresh = nil }
        let token = try await shared.value
        current = token
        lastIssued = token.value
        return token
    }
}
