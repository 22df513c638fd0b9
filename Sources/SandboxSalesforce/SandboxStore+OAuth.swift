import Foundation

// MARK: - SandboxStore + OAuth

extension SandboxStore {
    /// `/services/oauth2/token`, `/revoke` and `/introspect`.
    func oauth(_ request: SandboxHTTPRequest) -> Plan {
        let bodyForm = FormEncoding.decode(String(decoding: request.body, as: UTF8.self))
        var form = bodyForm.merging(request.query) { body, _ in body }
        // Clients may send the client id and secret as HTTP Basic credentials instead of form fields.
        if let authorization = request.headers["authorization"], authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6)))
        {
            let pair = String(decoding: decoded, as: UTF8.self).split(separator: ":", maxSplits: 1)
            if pair.count == 2 {
                form["client_id"] = form["client_id"] ?? FormEncoding.unescape(String(pair[0]))
                form["client_secret"] = form["client_secret"] ?? FormEncoding.unescape(String(pair[1]))
            }
        }
        let endpointName: String
        switch request.path {
        case "/services/oauth2/token": endpointName = "oauth.token"
        case "/services/oauth2/revoke": endpointName = "oauth.revoke"
        case "/services/oauth2/introspect": endpointName = "oauth.introspect"
        default: return .answer(.json(404, .array([APIError.notFound().restJSON])))
        }
        return state.withLock { state in
            let now = self.now(offset: state.clockOffset)
            let issuer = form["client_id"] ?? Self.jwtClaims(form["assertion"])?["iss"]?.stringValue
            let orgIndex = state.orgs.firstIndex { $0.setup.clientId == issuer }
            let orgId = orgIndex.map { state.orgs[$0].setup.orgId }
            func log(_ status: Int, _ code: String?, fault: Bool = false) {
                let call = SandboxCall(
                    orgId: orgId,
                    endpoint: endpointName,
                    method: request.method,
                    path: request.path,
                    httpStatus: status,
                    errorCode: code,
                    records: 0,
                    timestamp: now,
                    countedAsAPICall: false,
                    injectedFault: fault
                )
                if let orgIndex {
                    state.orgs[orgIndex].log(call)
                } else {
                    appendUnattributed(to: &state, call)
                }
            }
            let (fault, latency) = state.faults.drawRequest(orgId: orgId, endpoint: endpointName)
            if let fault {
                if let orgIndex { state.orgs[orgIndex].counters.faultsInjected += 1 }
                if fault.kind == .drop {
                    if let orgIndex { state.orgs[orgIndex].counters.droppedConnections += 1 }
                    log(0, nil, fault: true)
                    return .drop
                }
                let answer = fault.errorAnswer
                log(answer.status, answer.code, fault: true)
                return .answer(.oauthError(answer.status, answer.code ?? "server_error", answer.message))
            }
            let response: SandboxHTTPResponse
            switch endpointName {
            case "oauth.token": response = token(form, state: &state, now: now)
            case "oauth.revoke": response = revoke(form, state: &state, orgIndex: orgIndex)
            default: response = introspect(form, state: state, now: now)
            }
            let code = (try? JSONValue.parse(response.body))?["error"]?.stringValue
            log(response.status, code)
            return latency > 0 ? .delayedAnswer(latencyMilliseconds: latency, response) : .answer(response)
        }
    }

    private func token(_ form: [String: String], state: inout State, now: Date) -> SandboxHTTPResponse {
        switch form["grant_type"] {
        case "client_credentials"?:
            guard let index = state.orgs.firstIndex(where: { $0.setup.clientId == form["client_id"] }) else {
                return .oauthError(400, "invalid_client_id", "client identifier invalid")
            }
            guard state.orgs[index].clientSecret == form["client_secret"] else {
                return .oauthError(400, "invalid_client", "invalid client credentials")
            }
            guard state.orgs[index].setup.clientCredentialsEnabled else {
                return .oauthError(400, "invalid_grant", "no client credentials user enabled")
            }
            return issue(orgIndex: index, state: &state, now: now)
        case "urn:ietf:params:oauth:grant-type:jwt-bearer"?:
            let parts = (form["assertion"] ?? "").split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, let header = Self.base64URLJSON(parts[0]), let claims = Self.base64URLJSON(parts[1])
            else {
                return .oauthError(400, "invalid_grant", "invalid assertion")
            }
            guard
                let index = state.orgs.firstIndex(where: {
                    $0.setup.clientId == claims["iss"]?.stringValue && $0.setup.jwtBearer != nil
                }), let jwt = state.orgs[index].setup.jwtBearer
            else {
                return .oauthError(400, "invalid_client_id", "client identifier invalid")
            }
            guard header["alg"]?.stringValue == "RS256", !parts[2].isEmpty else {
                return .oauthError(400, "invalid_grant", "invalid assertion")
            }
            if let pem = jwt.certificatePEM {
                let signingInput = Array("\(parts[0]).\(parts[1])".utf8)
                guard let key = RS256Verifier(pem: pem), let signature = Self.base64URLBytes(parts[2]),
                    key.verifiesRS256(message: signingInput, signature: signature)
                else {
                    return .oauthError(400, "invalid_grant", "invalid assertion")
                }
            }
            let audiences = claims["aud"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue ?? ""] }
            guard let audiences, audiences.contains(where: jwt.audiences.contains) else {
                return .oauthError(400, "invalid_grant", "Audience validation failed")
            }
            guard let subject = claims["sub"]?.stringValue, jwt.approvedUsernames.contains(subject) else {
                return .oauthError(400, "invalid_grant", "user hasn't approved this consumer")
            }
            // `exp` is set from the client's wall clock, so it is checked against real time.
            guard let expiry = claims["exp"]?.numberValue, expiry > Date().timeIntervalSince1970 else {
                return .oauthError(400, "invalid_grant", "expired authorization code")
            }
            return issue(orgIndex: index, state: &state, now: now)
        case "refresh_token"?:
            return .oauthError(400, "invalid_grant", "expired access/refresh token")
        case "password"?:
            return .oauthError(400, "invalid_grant", "authentication failure")
        default:
            return .oauthError(400, "unsupported_grant_type", "grant type not supported")
        }
    }

    private func issue(orgIndex: Int, state: inout State, now: Date) -> SandboxHTTPResponse {
        let org = state.orgs[orgIndex]
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._")
        var secret = ""
        for _ in 0..<96 {
            secret.append(alphabet[Int(state.tokenRandom.next() % UInt64(alphabet.count))])
        }
        let orgId15 = SalesforceId.canonical15(org.setup.orgId) ?? org.setup.orgId
        let accessToken = "\(orgId15)!AR\(secret)"
        state.tokens[accessToken] = TokenRecord(
            orgIndex: orgIndex,
            issuedAt: now,
            expiresAt: now.addingTimeInterval(org.limits.tokenLifetimeSeconds),
            revoked: false
        )
        state.orgs[orgIndex].counters.tokensIssued += 1
        var signature = ""
        for _ in 0..<43 {
            signature.append(alphabet[Int(state.tokenRandom.next() % 62)])
        }
        return .json(
            200,
            .object([
                ("access_token", .string(accessToken)),
                ("instance_url", .string(state.baseURL)),
                ("id", .string("\(state.baseURL)/id/\(org.setup.orgId)/\(org.userId)")),
                ("token_type", .string("Bearer")),
                ("issued_at", .string(String(Int64(now.timeIntervalSince1970 * 1000)))),
                ("signature", .string(signature + "=")),
            ])
        )
    }

    private func revoke(_ form: [String: String], state: inout State, orgIndex: Int?) -> SandboxHTTPResponse {
        guard let token = form["token"], var record = state.tokens[token] else {
            return .oauthError(400, "unsupported_token_type", "this token type is not supported")
        }
        if !record.revoked {
            record.revoked = true
            state.tokens[token] = record
            state.orgs[record.orgIndex].counters.tokensRevoked += 1
        }
        return SandboxHTTPResponse(status: 200, headers: [], body: [])
    }

    private func introspect(_ form: [String: String], state: State, now: Date) -> SandboxHTTPResponse {
        guard let client = state.orgs.first(where: { $0.setup.clientId == form["client_id"] }),
            client.setup.clientSecret == form["client_secret"]
        else {
            return .oauthError(401, "invalid_client", "invalid client credentials")
        }
        guard let token = form["token"], let record = state.tokens[token], !record.revoked, record.expiresAt > now
        else {
            return .json(200, .object([("active", .bool(false))]))
        }
        let org = state.orgs[record.orgIndex]
        return .json(
            200,
            .object([
                ("active", .bool(true)),
                ("scope", .string("api")),
                ("client_id", .string(org.setup.clientId)),
                ("username", .string(org.setup.username)),
                ("sub", .string("\(state.baseURL)/id/\(org.setup.orgId)/\(org.userId)")),
                ("token_type", .string("access_token")),
                ("exp", .number(record.expiresAt.timeIntervalSince1970.rounded(.down))),
                ("iat", .number(record.issuedAt.timeIntervalSince1970.rounded(.down))),
                ("nbf", .number(record.issuedAt.timeIntervalSince1970.rounded(.down))),
            ])
        )
    }

    // MARK: - JWT

    static func jwtClaims(_ assertion: String?) -> JSONValue? {
        guard let assertion else { return nil }
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return base64URLJSON(parts[1])
    }

    static func base64URLJSON(_ part: Substring) -> JSONValue? {
        guard let bytes = base64URLBytes(part) else { return nil }
        return try? JSONValue.parse(bytes)
    }

    static func base64URLBytes(_ part: Substring) -> [UInt8]? {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text).map { [UInt8]($0) }
    }
}
