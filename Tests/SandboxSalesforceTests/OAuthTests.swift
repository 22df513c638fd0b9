import Foundation
import SandboxSalesforce
import Testing

@Suite("OAuth token flows, expiry and revocation")
struct OAuthTests {
    static let harness = Task { try await SandboxHarness.start() }

    private var org: SalesforceSandboxSetup.Org { SalesforceSandboxSetup.standard().orgs[0] }

    @Test("client credentials issue a bearer token without expires_in")
    func clientCredentials() async throws {
        let harness = try await Self.harness.value
        let form = "grant_type=client_credentials&client_id=\(org.clientId)&client_secret=\(org.clientSecret)"
        let reply = try await harness.send(
            "POST",
            "/services/oauth2/token",
            body: form,
            contentType: "application/x-www-form-urlencoded"
        )
        #expect(reply.status == 200)
        let body = try reply.object()
        let token = try #require(body["access_token"] as? String)
        #expect(token.hasPrefix(String(org.orgId.prefix(15)) + "!"))
        #expect(body["instance_url"] as? String == harness.baseURL.absoluteString)
        #expect(body["token_type"] as? String == "Bearer")
        #expect((body["issued_at"] as? String)?.allSatisfy(\.isNumber) == true)
        #expect((body["id"] as? String)?.contains(org.orgId) == true)
        #expect(body["expires_in"] == nil)
        let limits = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
        #expect(limits.status == 200)
    }

    @Test(
        "token endpoint errors use {error, error_description}",
        arguments: [
            (
                "grant_type=client_credentials&client_id=nobody&client_secret=x", "invalid_client_id",
                "client identifier invalid"
            ),
            (
                "grant_type=client_credentials&client_id=leadsync-sandbox-client&client_secret=wrong", "invalid_client",
                "invalid client credentials"
            ),
            ("grant_type=authorization_code&code=x", "unsupported_grant_type", "grant type not supported"),
            (
                "grant_type=refresh_token&refresh_token=x&client_id=leadsync-sandbox-client", "invalid_grant",
                "expired access/refresh token"
            ),
        ]
    )
    func tokenErrors(form: String, error: String, description: String) async throws {
        let harness = try await Self.harness.value
        let reply = try await harness.send(
            "POST",
            "/services/oauth2/token",
            body: form,
            contentType: "application/x-www-form-urlencoded"
        )
        #expect(reply.status == 400)
        let body = try reply.object()
        #expect(body["error"] as? String == error)
        #expect(body["error_description"] as? String == description)
    }

    @Test("client credentials without a Run As user are refused")
    func noRunAsUser() async throws {
        var setup = SalesforceSandboxSetup.standard()
        setup.orgs[0].clientCredentialsEnabled = false
        let harness = try await SandboxHarness.start(setup)
        let form = "grant_type=client_credentials&client_id=\(org.clientId)&client_secret=\(org.clientSecret)"
        let reply = try await harness.send(
            "POST",
            "/services/oauth2/token",
            body: form,
            contentType: "application/x-www-form-urlencoded"
        )
        #expect(reply.status == 400)
        #expect(try reply.object()["error_description"] as? String == "no client credentials user enabled")
    }

    @Test(
        "JWT bearer checks issuer, audience, subject and expiry",
        arguments: [
            (
                "leadsync-sandbox-client", "integration@leadsync.example", "https://login.salesforce.com", 180.0,
                nil as String?
            ),
            ("leadsync-sandbox-client", "integration@leadsync.example", "https://test.salesforce.com", 180.0, nil),
            (
                "leadsync-sandbox-client", "integration@leadsync.example", "https://evil.example", 180.0,
                "Audience validation failed"
            ),
            (
                "leadsync-sandbox-client", "someone@else.example", "https://login.salesforce.com", 180.0,
                "user hasn't approved this consumer"
            ),
            (
                "leadsync-sandbox-client", "integration@leadsync.example", "https://login.salesforce.com", -60.0,
                "expired authorization code"
            ),
            (
                "unknown-app", "integration@leadsync.example", "https://login.salesforce.com", 180.0,
                "client identifier invalid"
            ),
        ]
    )
    func jwtBearer(iss: String, sub: String, aud: String, expiresIn: Double, failure: String?) async throws {
        let harness = try await Self.harness.value
        let assertion = SandboxHarness.jwt(iss: iss, sub: sub, aud: aud, exp: Date().timeIntervalSince1970 + expiresIn)
        let form = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=\(assertion)"
        let reply = try await harness.send(
            "POST",
            "/services/oauth2/token",
            body: form,
            contentType: "application/x-www-form-urlencoded"
        )
        let body = try reply.object()
        if let failure {
            #expect(reply.status == 400)
            #expect(body["error_description"] as? String == failure)
        } else {
            #expect(reply.status == 200)
            #expect(body["access_token"] is String)
            #expect(body["refresh_token"] == nil)
            #expect(body["expires_in"] == nil)
        }
    }

    @Test("a missing or unknown token is 401 INVALID_SESSION_ID as an array body")
    func unknownToken() async throws {
        let harness = try await Self.harness.value
        for token in [nil, "00Dbogus!ARnothing"] as [String?] {
            let reply = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
            #expect(reply.status == 401)
            let first = try #require(try reply.array().first as? [String: Any])
            #expect(first["errorCode"] as? String == "INVALID_SESSION_ID")
            #expect(first["message"] as? String == "Session expired or invalid")
        }
    }

    @Test("the revoke endpoint ends a session")
    func revokeEndpoint() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        #expect(try await harness.send("GET", "/services/data/v66.0/limits", token: token).status == 200)
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "._-")
        let encoded = try #require(token.addingPercentEncoding(withAllowedCharacters: allowed))
        let revoke = try await harness.send(
            "POST",
            "/services/oauth2/revoke",
            body: "token=\(encoded)",
            contentType: "application/x-www-form-urlencoded"
        )
        #expect(revoke.status == 200)
        let after = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
        #expect(after.status == 401)
        #expect(try after.errorCode() == "INVALID_SESSION_ID")
    }

    @Test("introspection reports a live token")
    func introspect() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "._-")
        let encoded = try #require(token.addingPercentEncoding(withAllowedCharacters: allowed))
        let form = "token=\(encoded)&client_id=\(org.clientId)&client_secret=\(org.clientSecret)"
        let reply = try await harness.send(
            "POST",
            "/services/oauth2/introspect",
            body: form,
            contentType: "application/x-www-form-urlencoded"
        )
        #expect(reply.status == 200)
        #expect(try reply.object()["active"] as? Bool == true)
    }

    @Test("any vNN.N API version is accepted", arguments: ["v41.0", "v59.0", "v66.0", "v68.0", "v99.9"])
    func versions(version: String) async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.send("GET", "/services/data/\(version)/limits", token: token)
        #expect(reply.status == 200)
    }
}

@Suite("Token expiry and revocation on the sandbox clock", .serialized)
struct TokenExpiryTests {
    static let harness = Task { try await SandboxHarness.start() }

    @Test("a token expires after the session timeout")
    func expiry() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        #expect(try await harness.send("GET", "/services/data/v66.0/limits", token: token).status == 200)
        let refusedBefore = harness.sandbox.calls().filter { $0.httpStatus == 401 }.count
        harness.sandbox.advanceClock(by: 7_201)
        let reply = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
        #expect(reply.status == 401)
        #expect(try reply.errorCode() == "INVALID_SESSION_ID")
        let fresh = try await harness.token()
        #expect(try await harness.send("GET", "/services/data/v66.0/limits", token: fresh).status == 200)
        let expired = harness.sandbox.calls().filter { $0.httpStatus == 401 }
        #expect(expired.count == refusedBefore + 1)
    }

    @Test("revoking an org's tokens from inspection ends its sessions")
    func revokeFromInspection() async throws {
        let harness = try await Self.harness.value
        let first = try await harness.token()
        let second = try await harness.token()
        #expect(harness.sandbox.revokeTokens() >= 2)
        for token in [first, second] {
            let reply = try await harness.send("GET", "/services/data/v66.0/limits", token: token)
            #expect(reply.status == 401)
            #expect(try reply.errorCode() == "INVALID_SESSION_ID")
        }
    }

    @Test("the control endpoint revokes tokens too")
    func revokeOverHTTP() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let orgId = SalesforceSandboxSetup.standardOrgId
        let reply = try await harness.send("POST", "/_sandbox/orgs/\(orgId)/revoke-tokens")
        #expect(reply.status == 200)
        #expect(try reply.object()["revoked"] as? Int ?? 0 >= 1)
        #expect(try await harness.send("GET", "/services/data/v66.0/limits", token: token).status == 401)
    }
}

@Suite("JWT bearer with the connected app's certificate")
struct JWTSignatureTests {
    static let harness = Task {
        var setup = SalesforceSandboxSetup.standard()
        setup.orgs[0].jwtBearer?.certificatePEM = JWTFixtures.certificatePEM
        var keyed = SalesforceSandboxSetup.standard(
            orgId: SalesforceId.make(prefix: "00D", sequence: 5),
            clientId: "leadsync-sandbox-client-key"
        ).orgs[0]
        keyed.jwtBearer?.certificatePEM = JWTFixtures.publicKeyPEM
        setup.orgs.append(keyed)
        return try await SandboxHarness.start(setup)
    }

    private func exchange(_ assertion: String) async throws -> SandboxHarness.Reply {
        let harness = try await Self.harness.value
        let form = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=\(assertion)"
        return try await harness.send(
            "POST",
            "/services/oauth2/token",
            body: form,
            contentType: "application/x-www-form-urlencoded"
        )
    }

    @Test("an assertion signed with the certificate's key is accepted")
    func signed() async throws {
        let reply = try await exchange(JWTFixtures.signed)
        #expect(reply.status == 200)
        #expect(try reply.object()["access_token"] is String)
    }

    @Test(
        "a wrong key, a changed claim or a missing signature is an invalid assertion",
        arguments: [
            JWTFixtures.signedByAnotherKey,
            JWTFixtures.tampered,
            SandboxHarness.jwt(
                iss: "leadsync-sandbox-client",
                sub: "integration@leadsync.example",
                aud: "https://login.salesforce.com",
                exp: 4_102_444_800
            ),
        ]
    )
    func rejected(assertion: String) async throws {
        let reply = try await exchange(assertion)
        #expect(reply.status == 400)
        #expect(try reply.object()["error"] as? String == "invalid_grant")
        #expect(try reply.object()["error_description"] as? String == "invalid assertion")
    }

    @Test("a bare public key works like the certificate")
    func publicKey() async throws {
        let reply = try await exchange(JWTFixtures.signedForKeyOrg)
        #expect(reply.status == 200)
        #expect(try reply.object()["access_token"] is String)
    }

    @Test("a certificate that holds no RSA key is refused at setup")
    func badCertificate() {
        var setup = SalesforceSandboxSetup.standard()
        setup.orgs[0].jwtBearer?.certificatePEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"
        #expect(throws: SetupError.self) { _ = try SalesforceSandbox(setup: setup) }
    }
}
