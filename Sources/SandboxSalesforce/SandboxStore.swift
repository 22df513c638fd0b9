import Basics
import Foundation
import Logging
import Synchronization

// MARK: - SandboxStore

/// All sandbox state behind one lock: orgs, tokens, faults, the clock offset and requests in flight.
/// HTTP handling is split in two phases so latency can be waited out without holding the lock: `begin`
/// authenticates, draws faults, checks limits and counts the call; `finish` does the work.
final class SandboxStore: Sendable {
    struct TokenRecord: Sendable {
        var orgIndex: Int
        var issuedAt: Date
        var expiresAt: Date
        var revoked: Bool
    }

    struct State: Sendable {
        var orgs: [OrgRuntime]
        var tokens: [String: TokenRecord] = [:]
        var faults = FaultBook()
        var clockOffset: Double = 0
        /// Request number to (org index, sandbox start time), for long-running concurrency.
        var inFlight: [Int: (Int, Date)] = [:]
        var nextRequest = 1
        var baseURL = "http://127.0.0.1"
        /// Calls that could not be tied to an org (no or unknown token, unknown client).
        var unattributedCalls: [SandboxCall] = []
        var tokenRandom = SplitMix64(seed: UInt64(UInt32.random(in: 1...UInt32.max)))
    }

    /// What `begin` decided.
    enum Plan: Sendable {
        case answer(SandboxHTTPResponse)
        /// An answer to send after a latency fault's wait (OAuth endpoints, which hold no ticket).
        case delayedAnswer(latencyMilliseconds: Int, SandboxHTTPResponse)
        case drop
        case proceed(latencyMilliseconds: Int, ticket: Ticket)
    }

    /// A call that passed `begin` and waits for `finish`.
    struct Ticket: Sendable {
        var requestNumber: Int
        var orgIndex: Int
        var request: APIRequest
        var path: String
        /// An injected fault drops the connection once the call is done.
        var dropsAnswer = false
    }

    let state: Mutex<State>
    let timeScale: Double
    /// Where every call is logged at debug level; nil logs nothing.
    let logger: Logger?
    private let startDate: Date
    private let startInstant: ContinuousClock.Instant

    init(setup: SalesforceSandboxSetup, timeScale: Double, logger: Logger? = nil) throws(SetupError) {
        self.timeScale = timeScale
        self.logger = logger
        self.startDate = Date()
        self.startInstant = ContinuousClock.now
        var orgs: [OrgRuntime] = []
        var clientIds: Set<String> = []
        for (index, org) in setup.orgs.enumerated() {
            guard SalesforceId.canonical15(org.orgId)?.hasPrefix("00D") == true else {
                throw SetupError(orgId: org.orgId, reason: "the org id is not a 00D… id")
            }
            if let pem = org.jwtBearer?.certificatePEM, RS256Verifier(pem: pem) == nil {
                throw SetupError(orgId: org.orgId, reason: "the JWT bearer certificatePEM holds no RSA key")
            }
            guard clientIds.insert(org.clientId).inserted else {
                throw SetupError(orgId: org.orgId, reason: "client id \(org.clientId) is used by another org")
            }
            var runtime = try OrgRuntime(setup: org, index: index, now: startDate)
            runtime.logger = logger
            orgs.append(runtime)
        }
        self.state = Mutex(State(orgs: orgs))
    }

    // MARK: - Clock

    /// Sandbox time: real time since start times the time scale, plus manual advances.
    func now(offset: Double) -> Date {
        let elapsed = ContinuousClock.now - startInstant
        let seconds = elapsed.seconds
        return startDate.addingTimeInterval(seconds * timeScale + offset)
    }

    func now() -> Date {
        now(offset: state.withLock { $0.clockOffset })
    }

    static func orgIndex(_ orgId: String?, in state: State) -> Int? {
        guard let orgId else { return state.orgs.isEmpty ? nil : 0 }
        let wanted = SalesforceId.canonical15(orgId) ?? orgId
        return state.orgs.firstIndex { (SalesforceId.canonical15($0.setup.orgId) ?? $0.setup.orgId) == wanted }
    }

    // MARK: - Phases

    func begin(_ request: SandboxHTTPRequest) -> Plan {
        if request.path.hasPrefix("/_sandbox") {
            return .answer(control(request))
        }
        if request.path == "/" && request.method == "GET" {
            // The route index, for a person with curl: the same as `GET /_sandbox`.
            var index = request
            index.path = "/_sandbox"
            return .answer(control(index))
        }
        if let refusal = refuseAtTheEdge(request) {
            return .answer(refusal)
        }
        if request.path.hasPrefix("/services/oauth2/") {
            return oauth(request)
        }
        let trimmed = request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
        if trimmed == "/services/data" {
            return .answer(
                .json(
                    200,
                    .array(
                        (31...67).map { version in
                            .object([
                                ("label", .string("Version \(version).0")),
                                ("url", .string("/services/data/v\(version).0")),
                                ("version", .string("\(version).0")),
                            ])
                        }
                    )
                )
            )
        }
        guard let (version, segments) = APIRequest.versionAndSegments(request.path) else {
            return .answer(.json(404, .array([APIError.notFound().restJSON])))
        }
        var method = request.method
        if method == "POST", let override = request.query["_HttpMethod"] {
            method = override.uppercased()
        }
        let apiRequest = APIRequest(
            method: method,
            segments: segments,
            version: version,
            query: request.query,
            headers: request.headers,
            body: request.body
        )
        return state.withLock { state in
            let now = self.now(offset: state.clockOffset)
            let endpoint = apiRequest.endpoint
            let invalidSession = SandboxHTTPResponse.json(
                401,
                .array([
                    APIError("INVALID_SESSION_ID", "Session expired or invalid").restJSON
                ])
            )
            let authorization = request.headers["authorization"] ?? ""
            let token = authorization.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            guard let record = state.tokens[token] else {
                appendUnattributed(
                    to: &state,
                    SandboxCall(
                        orgId: nil,
                        endpoint: endpoint,
                        method: method,
                        path: request.path,
                        httpStatus: 401,
                        errorCode: "INVALID_SESSION_ID",
                        records: 0,
                        timestamp: now,
                        countedAsAPICall: false,
                        injectedFault: false
                    )
                )
                return .answer(invalidSession)
            }
            let orgIndex = record.orgIndex
            func log(_ status: Int, _ code: String?, counted: Bool, fault: Bool) {
                state.orgs[orgIndex].log(
                    SandboxCall(
                        orgId: state.orgs[orgIndex].setup.orgId,
                        endpoint: endpoint,
                        method: method,
                        path: request.path,
                        httpStatus: status,
                        errorCode: code,
                        records: 0,
                        timestamp: now,
                        countedAsAPICall: counted,
                        injectedFault: fault
                    )
                )
            }
            if record.revoked || record.expiresAt <= now {
                log(401, "INVALID_SESSION_ID", counted: false, fault: false)
                return .answer(invalidSession)
            }
            state.orgs[orgIndex].pruneWindow(now: now)
            let orgId = state.orgs[orgIndex].setup.orgId
            let limitInfo = state.orgs[orgIndex].limitInfo
            func limitHeader() -> [(String, String)] { [("Sforce-Limit-Info", limitInfo)] }
            var (fault, latency) = state.faults.drawRequest(orgId: orgId, endpoint: endpoint)
            var dropsAnswer = false
            if let drop = fault, drop.kind == .drop, drop.afterProcessing {
                state.orgs[orgIndex].counters.faultsInjected += 1
                state.orgs[orgIndex].counters.droppedConnections += 1
                dropsAnswer = true
                fault = nil
            }
            if let fault {
                state.orgs[orgIndex].counters.faultsInjected += 1
                if fault.kind == .drop {
                    state.orgs[orgIndex].counters.droppedConnections += 1
                    log(0, nil, counted: false, fault: true)
                    return .drop
                }
                let answer = fault.errorAnswer
                log(answer.status, answer.code, counted: false, fault: true)
                if answer.code == nil {
                    return .answer(
                        SandboxHTTPResponse(
                            status: answer.status,
                            headers: [("Content-Type", "text/html")] + limitHeader(),
                            body: Array("<html><body>\(answer.message)</body></html>".utf8)
                        )
                    )
                }
                return .answer(
                    .json(
                        answer.status,
                        .array([APIError(answer.code ?? "", answer.message).restJSON]),
                        headers: limitHeader()
                    )
                )
            }
            let limits = state.orgs[orgIndex].limits
            let threshold = now.addingTimeInterval(-limits.longRunningThresholdSeconds)
            let longRunning = state.inFlight.values.filter { $0.0 == orgIndex && $0.1 <= threshold }.count
            if longRunning >= limits.longRunningConcurrency {
                log(403, "REQUEST_LIMIT_EXCEEDED", counted: false, fault: false)
                return .answer(
                    .json(
                        403,
                        .array([
                            APIError("REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.").restJSON
                        ]),
                        headers: limitHeader()
                    )
                )
            }
            if state.orgs[orgIndex].apiCallTimes.count >= limits.dailyApiRequests {
                log(403, "REQUEST_LIMIT_EXCEEDED", counted: false, fault: false)
                return .answer(
                    .json(
                        403,
                        .array([
                            APIError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.").restJSON
                        ]),
                        headers: limitHeader()
                    )
                )
            }
            state.orgs[orgIndex].countCall(now: now)
            let number = state.nextRequest
            state.nextRequest += 1
            state.inFlight[number] = (orgIndex, now)
            return .proceed(
                latencyMilliseconds: latency,
                ticket: Ticket(
                    requestNumber: number,
                    orgIndex: orgIndex,
                    request: apiRequest,
                    path: request.path,
                    dropsAnswer: dropsAnswer
                )
            )
        }
    }

    func finish(_ ticket: Ticket) -> SandboxHTTPResponse {
        state.withLock { state in
            let now = self.now(offset: state.clockOffset)
            state.inFlight[ticket.requestNumber] = nil
            let index = ticket.orgIndex
            state.orgs[index].faultBook = state.faults
            let result = state.orgs[index].handle(ticket.request, now: now)
            if let book = state.orgs[index].faultBook {
                state.faults = book
            }
            state.orgs[index].faultBook = nil
            state.orgs[index].log(
                SandboxCall(
                    orgId: state.orgs[index].setup.orgId,
                    endpoint: ticket.request.endpoint,
                    method: ticket.request.method,
                    path: ticket.path,
                    httpStatus: result.status,
                    errorCode: result.errorCode,
                    records: result.records,
                    timestamp: now,
                    countedAsAPICall: true,
                    injectedFault: ticket.dropsAnswer,
                    requestBytes: ticket.request.body.count
                ),
                extraErrorCodes: result.rowErrorCodes
            )
            let limitHeader = ("Sforce-Limit-Info", state.orgs[index].limitInfo)
            switch result.body {
            case .json(let value):
                return .json(result.status, value, headers: [limitHeader])
            case .text(let text, let contentType):
                return SandboxHTTPResponse(
                    status: result.status,
                    headers: [("Content-Type", contentType), limitHeader],
                    body: Array(text.utf8)
                )
            case .empty:
                return SandboxHTTPResponse(status: result.status, headers: [limitHeader], body: [])
            }
        }
    }

    /// What Salesforce refuses before any API logic: URIs over 16,384 bytes (414), URI plus headers over it
    /// (431), and compressed request bodies, which this sandbox cannot read (415, a known gap).
    private func refuseAtTheEdge(_ request: SandboxHTTPRequest) -> SandboxHTTPResponse? {
        let limit = 16_384
        let status: Int
        let message: String
        if request.uriLength > limit {
            (status, message) = (414, "URI Too Long")
        } else if request.uriLength + request.headerLength > limit {
            (status, message) = (431, "Request Header Fields Too Large")
        } else if let encoding = request.headers["content-encoding"], encoding.lowercased() != "identity" {
            (status, message) = (415, "The sandbox does not read Content-Encoding: \(encoding) request bodies")
        } else {
            return nil
        }
        state.withLock { state in
            appendUnattributed(
                to: &state,
                SandboxCall(
                    orgId: nil,
                    endpoint: "edge",
                    method: request.method,
                    path: request.path,
                    httpStatus: status,
                    errorCode: nil,
                    records: 0,
                    timestamp: self.now(offset: state.clockOffset),
                    countedAsAPICall: false,
                    injectedFault: false
                )
            )
        }
        return SandboxHTTPResponse(status: status, headers: [("Content-Type", "text/plain")], body: Array(message.utf8))
    }

    /// Runs `body` on one org with the clock read and bulk jobs advanced, as inspection does.
    func withOrg<T>(_ orgId: String?, _ body: (inout OrgRuntime, Date) -> T) -> T? {
        state.withLock { state in
            guard let index = Self.orgIndex(orgId, in: state) else { return nil }
            let now = self.now(offset: state.clockOffset)
            state.orgs[index].faultBook = state.faults
            state.orgs[index].advanceJobs(now: now)
            state.orgs[index].pruneWindow(now: now)
            let value = body(&state.orgs[index], now)
            if let book = state.orgs[index].faultBook {
                state.faults = book
            }
            state.orgs[index].faultBook = nil
            return value
        }
    }
}
