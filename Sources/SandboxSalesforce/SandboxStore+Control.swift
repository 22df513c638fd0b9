import Foundation

// MARK: - SandboxStore + Control

extension SandboxStore {
    /// `/_sandbox/…`: inspection, faults, token revocation and the clock
    /// (see SandboxSalesforce.docc/SandboxSalesforce.md).
    func control(_ request: SandboxHTTPRequest) -> SandboxHTTPResponse {
        let parts = request.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        func encode(_ value: some Encodable) -> SandboxHTTPResponse {
            guard let data = try? encoder.encode(value) else {
                return .json(500, .object([("error", .string("could not encode"))]))
            }
            return .encoded(200, [UInt8](data))
        }
        func problem(_ status: Int, _ message: String) -> SandboxHTTPResponse {
            .json(status, .object([("error", .string(message))]))
        }
        let p = Array(parts.dropFirst())
        let method = request.method
        if method == "GET", p == ["orgs"] {
            let orgs = state.withLock { state in
                state.orgs.map { ["orgId": $0.setup.orgId, "clientId": $0.setup.clientId, "userId": $0.userId] }
            }
            return encode(orgs)
        }
        if method == "GET", p.isEmpty {
            return encode(Self.routeIndex)
        }
        if method == "GET", p.count == 2, p[0] == "orgs" {
            guard let summary = summary(orgId: p[1]) else { return problem(404, "unknown org") }
            return encode(summary)
        }
        if p.count >= 3, p[0] == "orgs" {
            let org = p[1]
            switch (method, p.count, p[2]) {
            case ("GET", 4, "records"):
                guard let records = records(p[3], orgId: org) else { return problem(404, "unknown org or type") }
                return encode(records)
            case ("GET", 3, "calls"):
                guard let calls = withOrg(org, { org, _ in org.calls }) else { return problem(404, "unknown org") }
                return encode(calls)
            case ("GET", 3, "counters"):
                guard let counters = withOrg(org, { org, _ in org.counters }) else {
                    return problem(404, "unknown org")
                }
                return encode(counters)
            case ("GET", 3, "jobs"):
                let jobs = withOrg(org) { org, _ in
                    org.jobOrder.compactMap { org.jobs[$0] }.map(SandboxBulkJob.init)
                }
                guard let jobs else { return problem(404, "unknown org") }
                return encode(jobs)
            case ("DELETE", 3, "calls"):
                guard let cleared = withOrg(org, { org, _ in org.clearCallLog() }) else {
                    return problem(404, "unknown org")
                }
                return .json(200, .object([("cleared", .number(Double(cleared)))]))
            case ("POST", 3, "credentials"):
                guard let rotation = try? JSONDecoder().decode(CredentialRotation.self, from: Data(request.body)),
                    !rotation.clientSecret.isEmpty
                else {
                    return problem(400, "the body must be {\"clientSecret\": \"…\", \"revokeTokens\": true|false}")
                }
                guard
                    rotateClientSecret(
                        orgId: org,
                        to: rotation.clientSecret,
                        revokingTokens: rotation.revokeTokens ?? false
                    )
                else { return problem(404, "unknown org") }
                return .json(200, .object([("rotated", .bool(true))]))
            case ("POST", 3, "revoke-tokens"):
                guard let count = revokeTokens(orgId: org) else { return problem(404, "unknown org") }
                return .json(200, .object([("revoked", .number(Double(count)))]))
            default:
                break
            }
        }
        switch (method, p.joined(separator: "/")) {
        case ("GET", "calls/unattributed"):
            return encode(state.withLock { $0.unattributedCalls })
        case ("GET", "faults"):
            return encode(state.withLock { $0.faults.faults })
        case ("POST", "faults"):
            guard let fault = try? JSONDecoder().decode(SandboxFault.self, from: Data(request.body)) else {
                return problem(400, "body must be a fault: {\"kind\":\"error|latency|drop\", …}")
            }
            return encode(state.withLock { $0.faults.add(fault) })
        case ("DELETE", _) where p.count == 2 && p[0] == "faults":
            let removed = state.withLock { $0.faults.remove(id: p[1]) }
            return removed
                ? SandboxHTTPResponse(status: 204, headers: [], body: []) : problem(404, "unknown fault \(p[1])")
        case ("DELETE", "faults"):
            state.withLock { $0.faults.clear(orgId: request.query["orgId"]) }
            return SandboxHTTPResponse(status: 204, headers: [], body: [])
        case ("POST", "reset"):
            reset()
            return .json(200, .object([("reset", .bool(true))]))
        case ("POST", "clock/advance"):
            guard let seconds = (try? JSONValue.parse(request.body))?["seconds"]?.numberValue else {
                return problem(400, "body must be {\"seconds\": n}")
            }
            let now = advanceClock(by: seconds)
            return .json(200, .object([("now", .string(SalesforceDate.format(now)))]))
        case ("GET", "clock"):
            return .json(200, .object([("now", .string(SalesforceDate.format(self.now())))]))
        default:
            return problem(404, "unknown sandbox control endpoint \(request.method) \(request.path)")
        }
    }

    /// What `GET /` and `GET /_sandbox` answer: the API's routes and the control routes.
    static let routeIndex: [String: [String]] = [
        "service": ["leadsync sandbox salesforce"],
        "api": apiIndex,
        "control": controlIndex,
    ]

    /// The API routes (`vNN.N` is any version; endpoint names, which faults are scoped by, in brackets).
    static let apiIndex = [
        "POST /services/oauth2/token [oauth.token]", "POST /services/oauth2/revoke", "POST /services/oauth2/introspect",
        "GET /services/data/", "GET /services/data/vNN.N/limits [limits]",
        "GET /services/data/vNN.N/query?q= [query]", "GET /services/data/vNN.N/queryAll?q= [query]",
        "POST /services/data/vNN.N/sobjects/{type} [sobject.create]",
        "GET|PATCH|DELETE /services/data/vNN.N/sobjects/{type}/{id} [sobject.*]",
        "PATCH /services/data/vNN.N/sobjects/{type}/{extIdField}/{value} [sobject.upsert]",
        "POST|PATCH|DELETE /services/data/vNN.N/composite/sobjects [collections.*]",
        "PATCH /services/data/vNN.N/composite/sobjects/{type}/{extIdField} [collections.upsert]",
        "POST /services/data/vNN.N/composite [composite]",
        "POST /services/data/vNN.N/composite/batch [composite.batch]",
        "POST|GET /services/data/vNN.N/jobs/ingest [bulk.*]",
        "GET|PATCH|DELETE /services/data/vNN.N/jobs/ingest/{jobId} [bulk.*]",
        "PUT /services/data/vNN.N/jobs/ingest/{jobId}/batches [bulk.upload]",
        "GET /services/data/vNN.N/jobs/ingest/{jobId}/{successfulResults|failedResults|unprocessedrecords} [bulk.*]",
    ]

    /// The control routes.
    static let controlIndex = [
        "GET /_sandbox/orgs",
        "GET /_sandbox/orgs/{orgId}",
        "GET /_sandbox/orgs/{orgId}/records/{type}",
        "GET /_sandbox/orgs/{orgId}/calls",
        "DELETE /_sandbox/orgs/{orgId}/calls",
        "GET /_sandbox/orgs/{orgId}/counters",
        "GET /_sandbox/orgs/{orgId}/jobs",
        "POST /_sandbox/orgs/{orgId}/revoke-tokens",
        "POST /_sandbox/orgs/{orgId}/credentials {\"clientSecret\": \"…\", \"revokeTokens\": bool}",
        "GET /_sandbox/calls/unattributed",
        "GET /_sandbox/faults",
        "POST /_sandbox/faults",
        "DELETE /_sandbox/faults[?orgId=]",
        "DELETE /_sandbox/faults/{id}",
        "GET /_sandbox/clock",
        "POST /_sandbox/clock/advance {\"seconds\": n}",
        "POST /_sandbox/reset",
    ]

    // MARK: - Shared with the Swift inspection API

    func summary(orgId: String?) -> SalesforceOrgSummary? {
        withOrg(orgId) { org, now in
            var counts: [String: Int] = [:]
            for schema in org.data.schemas.values {
                counts[schema.name] = org.data.all(schema.name).count
            }
            return SalesforceOrgSummary(
                orgId: org.setup.orgId,
                clientId: org.setup.clientId,
                recordCounts: counts,
                bulkJobs: org.jobOrder.compactMap { org.jobs[$0] }.map(SandboxBulkJob.init),
                counters: org.counters,
                loggedCalls: org.calls.count,
                now: now
            )
        }
    }

    func records(_ type: String, orgId: String?) -> [SandboxRecord]? {
        withOrg(orgId) { org, _ in
            guard org.data.schema(type) != nil else { return nil }
            return org.data.all(type).map(SandboxRecord.init)
        } ?? nil
    }

    private struct CredentialRotation: Decodable {
        let clientSecret: String
        let revokeTokens: Bool?
    }

    /// Replaces an org's consumer secret; with `revokingTokens` its live tokens are revoked too.
    func rotateClientSecret(orgId: String, to secret: String, revokingTokens: Bool) -> Bool {
        let found = state.withLock { state -> Bool in
            guard let index = Self.orgIndex(orgId, in: state) else { return false }
            state.orgs[index].clientSecret = secret
            return true
        }
        if found && revokingTokens { _ = revokeTokens(orgId: orgId) }
        return found
    }

    func revokeTokens(orgId: String?) -> Int? {
        state.withLock { state in
            guard let index = Self.orgIndex(orgId, in: state) else { return nil }
            var count = 0
            for (token, record) in state.tokens where record.orgIndex == index && !record.revoked {
                state.tokens[token]?.revoked = true
                count += 1
            }
            state.orgs[index].counters.tokensRevoked += count
            return count
        }
    }

    /// Rebuilds every org from the setup (seeded records only, fresh allocation window, no jobs, empty call log
    /// and counters) and drops every token, fault and unattributed call. The clock keeps its reading; requests in
    /// flight finish against the fresh org.
    func reset() {
        state.withLock { state in
            let now = self.now(offset: state.clockOffset)
            var orgs: [OrgRuntime] = []
            for (index, org) in state.orgs.enumerated() {
                // The setup was accepted when the sandbox was created, so rebuilding it cannot fail; keep the
                // current org if it somehow does.
                guard var runtime = try? OrgRuntime(setup: org.setup, index: index, now: now) else {
                    orgs.append(org)
                    continue
                }
                runtime.logger = logger
                orgs.append(runtime)
            }
            state.orgs = orgs
            state.tokens = [:]
            state.faults = FaultBook()
            state.unattributedCalls = []
        }
    }

    @discardableResult
    func advanceClock(by seconds: Double) -> Date {
        state.withLock { state in
            state.clockOffset += seconds
            return self.now(offset: state.clockOffset)
        }
    }
}
