import Foundation

extension MarketoStore {
    // MARK: - Identity

    /// `/identity/oauth/token`: the same token until it expires, `expires_in` counting down.
    func issueToken(grantType: String?, clientId: String?, clientSecret: String?) -> (SandboxReply, String?) {
        guard grantType == "client_credentials" else {
            let body = JSONValue.object([
                ("error", .string(grantType == nil ? "invalid_request" : "unsupported_grant_type")),
                ("error_description", .string(grantType == nil ? "Missing grant type" : "Unsupported grant type")),
            ])
            return (.json(body, status: 400), nil)
        }
        guard let clientId, let sub = subscription(forClientId: clientId) else {
            let body = JSONValue.object([
                ("error", .string("unauthorized")),
                ("error_description", .string("No client with requested id")),
            ])
            return (.json(body, status: 401), nil)
        }
        let acceptedSecret = state.withLock { $0.subscriptions[sub.munchkinId]?.clientSecret } ?? sub.clientSecret
        guard clientSecret == acceptedSecret else {
            let body = JSONValue.object([
                ("error", .string("invalid_client")),
                ("error_description", .string("Bad client credentials")),
            ])
            return (.json(body, status: 401), sub.munchkinId)
        }
        let now = now()
        let lifetime = scaled(sub.limits.tokenLifetimeSeconds)
        let (token, expiresAt) = state.withLock { state -> (String, Date) in
            if let current = state.subscriptions[sub.munchkinId]?.currentToken,
                let issued = state.tokens[current], issued.expiresAt > now
            {
                return (current, issued.expiresAt)
            }
            let token = UUID().uuidString.lowercased() + ":sbx"
            let expiresAt = now.addingTimeInterval(lifetime)
            state.tokens[token] = IssuedToken(munchkinId: sub.munchkinId, expiresAt: expiresAt)
            state.subscriptions[sub.munchkinId]?.currentToken = token
            return (token, expiresAt)
        }
        let remaining = expiresAt.timeIntervalSince(now)
        let body = JSONValue.object([
            ("access_token", .string(token)),
            ("token_type", .string("bearer")),
            ("expires_in", .int(max(0, Int(remaining.rounded(.up)) - 1))),
            ("scope", .string(sub.apiUser)),
        ])
        return (.json(body), sub.munchkinId)
    }

    /// Replaces a subscription's client secret (as a Marketo admin replaces a LaunchPoint service's credentials);
    /// with `revokingTokens`, its tokens become unknown (601) at once.
    /// - Returns: Whether the subscription exists.
    func rotateClientSecret(munchkinId: String, to secret: String, revokingTokens: Bool) -> Bool {
        state.withLock { state in
            guard state.subscriptions[munchkinId] != nil else { return false }
            state.subscriptions[munchkinId]?.clientSecret = secret
            if revokingTokens {
                state.subscriptions[munchkinId]?.currentToken = nil
                state.tokens = state.tokens.filter { $0.value.munchkinId != munchkinId }
            }
            return true
        }
    }

    /// Ends the life of current tokens now (all subscriptions, or one).
    func expireTokens(munchkinId: String?) {
        let now = now()
        state.withLock { state in
            for (token, issued) in state.tokens where munchkinId == nil || issued.munchkinId == munchkinId {
                if issued.expiresAt > now { state.tokens[token]?.expiresAt = now }
            }
        }
    }

    /// The subscription of a valid token, or the 601/602 reply.
    func authenticate(_ token: String?) -> Result<String, AuthFailure> {
        guard let token, !token.isEmpty else { return .failure(AuthFailure(reply: .failure("601"), munchkinId: nil)) }
        let issued = state.withLock { $0.tokens[token] }
        guard let issued else { return .failure(AuthFailure(reply: .failure("601"), munchkinId: nil)) }
        guard issued.expiresAt > now() else {
            return .failure(AuthFailure(reply: .failure("602"), munchkinId: issued.munchkinId))
        }
        return .success(issued.munchkinId)
    }

    /// A failed authentication: the reply and, for an expired token, its subscription.
    struct AuthFailure: Error {
        var reply: SandboxReply
        var munchkinId: String?
    }

    // MARK: - Limits

    /// What ``admit(_:)`` decided.
    enum Admission {
        /// The call may proceed; `tick` orders it against lead creations.
        case admitted(tick: Int)
        /// The call is refused with this reply.
        case rejected(SandboxReply)
    }

    /// Checks the daily quota (607), the rolling window (606) and concurrency (615); on success the call is
    /// counted and in flight until ``release(_:)``. Rejected calls are not counted.
    func admit(_ munchkinId: String) -> Admission {
        let now = now()
        let day = quotaDay(now)
        return state.withLock { state -> Admission in
            guard var sub = state.subscriptions[munchkinId] else { return .rejected(.failure("614")) }
            defer { state.subscriptions[munchkinId] = sub }
            let limits = sub.setup.limits
            if sub.callsPerDay[day, default: 0] >= limits.dailyQuota { return .rejected(.failure("607")) }
            let windowStart = now.addingTimeInterval(-scaled(limits.windowSeconds))
            if let firstInside = sub.windowCalls.firstIndex(where: { $0 > windowStart }) {
                sub.windowCalls.removeFirst(firstInside)
            } else {
                sub.windowCalls.removeAll()
            }
            if sub.windowCalls.count >= limits.callsPerWindow {
                let seconds = JSONValue.format(limits.windowSeconds)
                return .rejected(
                    .failure("606", "Max rate limit '\(limits.callsPerWindow)' exceeded with in '\(seconds)' secs")
                )
            }
            if sub.inFlight >= limits.maxConcurrentCalls {
                return .rejected(.failure("615", "Concurrent access limit '\(limits.maxConcurrentCalls)' reached"))
            }
            sub.windowCalls.append(now)
            sub.callsPerDay[day, default: 0] += 1
            sub.inFlight += 1
            sub.tick += 1
            return .admitted(tick: sub.tick)
        }
    }

    /// Ends an admitted call.
    func release(_ munchkinId: String) {
        state.withLock { $0.subscriptions[munchkinId]?.inFlight -= 1 }
    }

    // MARK: - Faults

    /// What the fault rules decided for one call.
    struct FaultDecision: Sendable {
        enum Outcome: Sendable {
            case drop
            /// Process the call, then drop the connection.
            case dropAfterProcessing
            case httpStatus(Int)
            case errorCode(String, String?)
        }
        var latencyMs = 0
        var outcome: Outcome?
        var ruleIds: [String] = []
    }

    /// Draws every matching rule once.
    func drawFaults(munchkinId: String?, endpoint: String, path: String, method: String) -> FaultDecision {
        state.withLock { state in
            var decision = FaultDecision()
            for index in state.faults.indices {
                let rule = state.faults[index]
                guard !rule.isRecordLevel,
                    rule.matches(munchkinId: munchkinId, endpoint: endpoint, path: path, method: method),
                    let id = rule.id
                else { continue }
                var generator = state.faultGenerators[id] ?? SplitMix64(seed: rule.seed ?? options.faultSeed)
                let fires = generator.unit() < rule.rate
                state.faultGenerators[id] = generator
                guard fires else { continue }
                let hasOutcome =
                    rule.dropConnection == true || rule.dropAfterProcessing == true || rule.httpStatus != nil
                    || rule.errorCode != nil
                if hasOutcome, decision.outcome != nil, rule.latencyMs == nil { continue }
                decision.ruleIds.append(id)
                state.faults[index].fired = (rule.fired ?? 0) + 1
                if let left = rule.remaining { state.faults[index].remaining = left - 1 }
                decision.latencyMs += max(0, rule.latencyMs ?? 0)
                guard decision.outcome == nil else { continue }
                if rule.dropAfterProcessing == true {
                    decision.outcome = .dropAfterProcessing
                } else if rule.dropConnection == true {
                    decision.outcome = .drop
                } else if let status = rule.httpStatus {
                    decision.outcome = .httpStatus(status)
                } else if let code = rule.errorCode {
                    decision.outcome = .errorCode(code, rule.errorMessage)
                }
            }
            return decision
        }
    }

    /// Adds a rule; returns it with its id.
    func addFault(_ rule: MarketoFault) -> MarketoFault {
        state.withLock { state in
            var rule = rule
            rule.id = "f\(state.nextFaultId)"
            rule.fired = 0
            state.nextFaultId += 1
            state.faults.append(rule)
            return rule
        }
    }

    /// Removes one rule (by id), a subscription's rules, or all of them; returns how many were removed.
    @discardableResult
    func removeFaults(id: String?, munchkinId: String? = nil) -> Int {
        state.withLock { state in
            let before = state.faults.count
            state.faults.removeAll { rule in
                (id == nil || rule.id == id) && (munchkinId == nil || rule.munchkinId == munchkinId)
            }
            return before - state.faults.count
        }
    }
}
