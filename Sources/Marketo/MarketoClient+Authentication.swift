import Foundation
import Logging

extension MarketoClient {
    /// The closure the token cache calls to fetch a token (it does not keep the client alive past the call).
    func tokenFetcher() -> @Sendable () async throws -> MarketoAccessTokenCache.Issued {
        { [weak self] in
            guard let self else { throw CancellationError() }
            return try await self.requestToken()
        }
    }

    /// A token from the identity service; when it refuses the client secret, the secret is re-read and, if it
    /// changed (a rotated secret), the request is made once more with the new one.
    func requestToken() async throws -> MarketoAccessTokenCache.Issued {
        do {
            return try await requestToken(secret: clientSecret.withLock { $0 })
        } catch let error as MarketoError where error.code == .invalidCredentials {
            guard reloadClientSecret(after: "the identity service refused the client secret") else { throw error }
            return try await requestToken(secret: clientSecret.withLock { $0 })
        }
    }

    /// Reads the secret again from its reference (``MarketoClientConfiguration/reloadClientSecret``).
    /// - Returns: Whether a different secret was read (and is now in use).
    func reloadClientSecret(after reason: String) -> Bool {
        guard let reload = configuration.reloadClientSecret else { return false }
        let fresh: String
        do {
            fresh = try reload()
        } catch {
            logger.error(
                "Marketo client secret cannot be re-read",
                metadata: [MarketoLoggingKeys.reason: "\(reason)", MarketoLoggingKeys.error: "\(error)"]
            )
            return false
        }
        let changed = clientSecret.withLock { current in
            guard current != fresh, !fresh.isEmpty else { return false }
            current = fresh
            return true
        }
        logger.notice(
            changed
                ? "Marketo client secret re-read: it changed, retrying once with the new one"
                : "Marketo client secret re-read: unchanged, not retrying",
            metadata: [MarketoLoggingKeys.reason: "\(reason)"]
        )
        return changed
    }

    /// `GET {base}/identity/oauth/token?grant_type=client_credentials&client_id=…&client_secret=…`, the documented
    /// form (the swagger declares the parameters as query parameters). The URL holds the secret: it is never
    /// logged.
    private func requestToken(secret: String) async throws -> MarketoAccessTokenCache.Issued {
        let request = MarketoHTTPRequest(
            endpoint: .identity,
            method: "GET",
            path: "/identity/oauth/token",
            query: [
                ("grant_type", "client_credentials"), ("client_id", configuration.clientId),
                ("client_secret", secret),
            ]
        )
        let started = ContinuousClock.now
        do {
            let response = try await exchange(request, token: nil)
            let issued = try readToken(response)
            report(request, failedRecords: 0, error: nil, httpStatus: 200, requestId: nil, duration: .now - started)
            logger.debug(
                "Marketo access token fetched",
                metadata: [MarketoLoggingKeys.expiresIn: "\(issued.expiresIn)"]
            )
            return issued
        } catch let error as MarketoError {
            report(
                request,
                failedRecords: 0,
                error: error,
                httpStatus: error.httpStatus,
                requestId: nil,
                duration: ContinuousClock.now - started
            )
            throw error
        }
    }

    private func readToken(_ response: MarketoHTTPResponse) throws -> MarketoAccessTokenCache.Issued {
        let token = try? JSONDecoder().decode(MarketoWireToken.self, from: response.body)
        if response.status == 401 || response.status == 400 {
            let why = [token?.error, token?.errorDescription].compactMap { $0 }.joined(separator: ": ")
            throw MarketoError(
                code: .invalidCredentials,
                failureClass: .reauth,
                endpoint: .identity,
                httpStatus: response.status,
                message: "the identity service refused client id '\(configuration.clientId)': "
                    + (why.isEmpty ? response.summary : why)
            )
        }
        guard response.status == 200 else { throw httpError(response, endpoint: .identity) }
        guard let token, let value = token.accessToken, !value.isEmpty else {
            throw MarketoError(
                code: .invalidResponse,
                failureClass: .retry,
                endpoint: .identity,
                httpStatus: response.status,
                message: "the identity response has no access_token"
            )
        }
        return MarketoAccessTokenCache.Issued(
            value: value,
            expiresIn: token.expiresIn ?? 0,
            receivedAt: configuration.clock()
        )
    }
}
