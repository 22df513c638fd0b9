import Foundation

extension MarketoStore {
    /// The `/_sandbox/...` endpoints: inspection, fault rules, token expiry. No auth, not in the call log.
    func control(method: String, path: String, query: [String: String], body: Data) -> SandboxReply {
        let parts = path.split(separator: "/").map(String.init).dropFirst()  // drop "_sandbox"
        let segments = Array(parts)
        switch (method, segments.first, segments.count) {
        case ("GET", nil, _):
            return encoded(RouteIndex())
        case ("GET", "subscriptions", 1):
            return encoded(setup.subscriptions.map(\.munchkinId))
        case ("GET", "subscriptions", 2), ("GET", "subscriptions", 3):
            guard let snapshot = snapshot(segments[1]) else {
                return .text(404, "unknown subscription '\(segments[1])'")
            }
            guard segments.count == 3 else { return encoded(snapshot) }
            switch segments[2] {
            case "leads": return encoded(snapshot.leads)
            case "memberships": return encoded(snapshot.memberships)
            case "activities": return encoded(snapshot.activities)
            case "customobjects": return encoded(snapshot.customObjects)
            case "imports": return encoded(snapshot.imports)
            case "exports": return encoded(snapshot.exports)
            case "calls": return encoded(snapshot.calls)
            case "counters": return encoded(snapshot.counters)
            default: return .text(404, "unknown collection '\(segments[2])'")
            }
        case ("POST", "subscriptions", 3) where segments[2] == "credentials":
            guard let rotation = try? JSONDecoder().decode(CredentialRotation.self, from: body),
                !rotation.clientSecret.isEmpty
            else {
                return .text(400, "the body must be {\"clientSecret\": \"…\", \"revokeTokens\": true|false}")
            }
            let found = rotateClientSecret(
                munchkinId: segments[1],
                to: rotation.clientSecret,
                revokingTokens: rotation.revokeTokens ?? false
            )
            return found ? encoded(["rotated": true]) : .text(404, "unknown subscription '\(segments[1])'")
        case ("GET", "calls", 1):
            return encoded(calls(munchkinId: query["munchkinId"]))
        case ("DELETE", "calls", 1):
            clearCalls()
            return encoded(["cleared": true])
        case ("GET", "counters", 1):
            return encoded(counters(munchkinId: query["munchkinId"]))
        case ("GET", "faults", 1):
            return encoded(faults())
        case ("POST", "faults", 1):
            do {
                let rule = try JSONDecoder().decode(MarketoFault.self, from: body)
                return encoded(addFault(rule), status: 201)
            } catch {
                return .text(400, "invalid fault rule: \(error)")
            }
        case ("DELETE", "faults", 1):
            return encoded(["removed": removeFaults(id: query["id"], munchkinId: query["munchkinId"])])
        case ("DELETE", "faults", 2):
            let removed = removeFaults(id: segments[1])
            return removed == 0 ? .text(404, "unknown fault '\(segments[1])'") : encoded(["removed": removed])
        case ("GET", "clock", 1):
            return encoded(ClockReading(store: self))
        case ("POST", "clock", 2) where segments[1] == "advance":
            guard let request = try? JSONDecoder().decode(ClockAdvance.self, from: body), request.seconds >= 0 else {
                return .text(400, "the body must be {\"seconds\": n} with n >= 0 (sandbox seconds)")
            }
            advanceClock(bySandboxSeconds: request.seconds)
            return encoded(ClockReading(store: self))
        case ("POST", "reset", 1):
            reset()
            return encoded(["reset": true])
        case ("POST", "tokens", 2) where segments[1] == "expire":
            expireTokens(munchkinId: query["munchkinId"])
            return encoded(["expired": true])
        default:
            return .text(404, "unknown sandbox endpoint \(method) \(path); GET /_sandbox lists them")
        }
    }

    /// Puts every subscription back as the setup describes it: no leads, members, activities, records, jobs,
    /// tokens, counted calls or quota use; the call log, counters and fault rules are emptied too. The clock and
    /// the calls in flight stay (those finish against the fresh state); batch and fault ids keep counting.
    func reset() {
        state.withLock { state in
            var fresh = State()
            for sub in setup.subscriptions {
                var subscription = SubscriptionState(setup: sub)
                subscription.inFlight = state.subscriptions[sub.munchkinId]?.inFlight ?? 0
                fresh.subscriptions[sub.munchkinId] = subscription
                fresh.order.append(sub.munchkinId)
            }
            fresh.nextBatchId = state.nextBatchId
            fresh.nextFaultId = state.nextFaultId
            state = fresh
        }
    }

    private func encoded<T: Encodable>(_ value: T, status: Int = 200) -> SandboxReply {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return .text(500, "encoding failed") }
        return SandboxReply(status: status, body: data)
    }

    /// What `GET /` and `GET /_sandbox` answer: every route, the API's and the control's.
    struct RouteIndex: Encodable {
        let service = "leadsync sandbox marketo"
        let api = MarketoEndpoint.allCases.map { endpoint in
            let (method, template) = endpoint.route
            return "\(method == "*" ? "GET|POST" : method) \(template)"
        }
        let control = [
            "GET /_sandbox/subscriptions",
            "GET /_sandbox/subscriptions/{munchkinId}",
            "GET /_sandbox/subscriptions/{munchkinId}/"
                + "{leads|memberships|activities|customobjects|imports|exports|calls|counters}",
            "GET /_sandbox/calls[?munchkinId=]", "DELETE /_sandbox/calls",
            "GET /_sandbox/counters[?munchkinId=]",
            "GET /_sandbox/faults", "POST /_sandbox/faults", "DELETE /_sandbox/faults[?id=|?munchkinId=]",
            "DELETE /_sandbox/faults/{id}",
            "POST /_sandbox/tokens/expire[?munchkinId=]",
            "POST /_sandbox/subscriptions/{munchkinId}/credentials {\"clientSecret\": \"…\", \"revokeTokens\": bool}",
            "GET /_sandbox/clock", "POST /_sandbox/clock/advance {\"seconds\": n}",
            "POST /_sandbox/reset",
        ]
    }

    private struct CredentialRotation: Decodable {
        let clientSecret: String
        let revokeTokens: Bool?
    }

    private struct ClockAdvance: Decodable {
        let seconds: Double
    }

    /// The clock as `GET /_sandbox/clock` shows it.
    private struct ClockReading: Encodable {
        let now: Date
        let quotaDay: String
        let timeScale: Double

        init(store: MarketoStore) {
            let now = store.now()
            self.now = now
            self.quotaDay = store.quotaDay(now)
            self.timeScale = store.options.timeScale
        }
    }
}
