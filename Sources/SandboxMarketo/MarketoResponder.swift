import Foundation
import Hummingbird

/// Answers every HTTP request: the gateway checks (414, 413), identity, authentication, limits, faults, then
/// the endpoint; `/_sandbox/...` goes to the control endpoints. Every API call lands in the call log.
struct MarketoResponder: HTTPResponder {
    typealias Context = MarketoRequestContext

    let store: MarketoStore

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == "/" && request.method == .get {
            // The route index, for a person with curl: the same as `GET /_sandbox`.
            return Self.response(store.control(method: "GET", path: "/_sandbox", query: [:], body: Data()))
        }
        if path == "/_sandbox" || path.hasPrefix("/_sandbox/") {
            var request = request
            let body = (try? await request.collectBody(upTo: 16 * 1024 * 1024)) ?? ByteBuffer()
            let reply = store.control(
                method: request.method.rawValue,
                path: path,
                query: SandboxRequest.parseForm(Substring(request.uri.query ?? "")),
                body: Data(body.readableBytesView)
            )
            return Self.response(reply)
        }
        let (reply, call, drop) = await handle(request, path: path)
        store.log(call)
        if drop {
            context.closeConnection()
        }
        return Self.response(reply)
    }

    // MARK: - Pipeline

    private func handle(_ request: Request, path: String) async -> (SandboxReply, SandboxCall, Bool) {
        let method = request.method.rawValue
        var call = SandboxCall(
            munchkinId: nil,
            method: method,
            path: path,
            endpoint: path,
            httpStatus: 200,
            errorCode: nil,
            recordErrorCodes: [],
            records: 0,
            counted: false,
            faults: [],
            at: store.now()
        )
        func finish(_ reply: SandboxReply, drop: Bool = false) -> (SandboxReply, SandboxCall, Bool) {
            call.httpStatus = drop ? 0 : reply.status
            call.errorCode = reply.errorCode
            call.recordErrorCodes = reply.recordErrorCodes
            call.records = reply.records
            call.counted = reply.counted
            return (reply, call, drop)
        }

        let bearer = Self.bearerToken(request.headers[.authorization])
        var query = SandboxRequest.parseForm(Substring(request.uri.query ?? ""))
        call.munchkinId = (bearer ?? query["access_token"]).flatMap(store.munchkinId(forToken:))
        let limits = store.limits(for: call.munchkinId)

        // Gateway limits come before anything else: a long URI or a large body never reaches the API.
        let route = MarketoRouteMatch.resolve(path: path, method: method)
        var routed: MarketoRouteMatch?
        if case .found(let match) = route { routed = match }
        if let routed { call.endpoint = routed.endpoint.route.template }
        if (request.head.path ?? "").utf8.count > limits.maxURIBytes {
            _ = await Self.readBody(request, limit: 0)
            return finish(.text(414, "414 Request-URI Too Large"))
        }
        let bodyLimit = routed?.endpoint.isImportUpload == true ? limits.bulkImportMaxBytes : limits.maxBodyBytes
        guard let body = await Self.readBody(request, limit: bodyLimit) else {
            return finish(.text(413, "413 Request Entity Too Large"))
        }
        call.requestBytes = body.count
        call.declaredBytes = request.headers[.contentLength].flatMap { Int($0) }

        let contentTypeHeader = request.headers[.contentType]
        let contentType = contentTypeHeader.map {
            String($0.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        }
        var effectiveMethod = method
        var bodyForHandler = body
        // `POST …?_method=GET`: the query may continue in a form body (the 414 workaround); `_method` itself may
        // be in that body too (marketo-rest-python sends it there).
        let form =
            method == "POST" && contentType == "application/x-www-form-urlencoded"
            ? SandboxRequest.parseForm(Substring(decoding: body, as: UTF8.self)) : [:]
        if method == "POST", (query["_method"] ?? form["_method"])?.uppercased() == "GET" {
            effectiveMethod = "GET"
            if !form.isEmpty {
                query.merge(form) { _, new in new }
                bodyForHandler = Data()
            }
            if call.munchkinId == nil, let token = query["access_token"] {
                call.munchkinId = store.munchkinId(forToken: token)
            }
        }
        var sandboxRequest = SandboxRequest(
            method: effectiveMethod,
            path: path,
            query: query,
            parameters: [:],
            body: bodyForHandler,
            contentType: contentType,
            contentTypeHeader: contentTypeHeader,
            range: request.headers[.range]
        )

        // Identity: no token, no limits; faults still apply.
        if routed?.endpoint == .token {
            var form = query
            if method == "POST", contentType == "application/x-www-form-urlencoded" {
                form.merge(SandboxRequest.parseForm(Substring(decoding: body, as: UTF8.self))) { _, new in new }
            }
            call.munchkinId = form["client_id"].flatMap { store.subscription(forClientId: $0)?.munchkinId }
            let decision = store.drawFaults(
                munchkinId: call.munchkinId,
                endpoint: call.endpoint,
                path: path,
                method: method
            )
            call.faults = decision.ruleIds
            if decision.latencyMs > 0 { try? await Task.sleep(for: .milliseconds(decision.latencyMs)) }
            if let outcome = decision.outcome, !Self.processes(outcome) {
                return finish(Self.reply(for: outcome), drop: Self.isDrop(outcome))
            }
            let (reply, munchkin) = store.issueToken(
                grantType: form["grant_type"],
                clientId: form["client_id"],
                clientSecret: form["client_secret"]
            )
            call.munchkinId = munchkin ?? call.munchkinId
            return finish(reply, drop: decision.outcome.map(Self.isDrop) ?? false)
        }

        // Bulk uploads carry their fields (and possibly the token) in the multipart body.
        if routed?.endpoint.isImportUpload == true, contentType == "multipart/form-data",
            let header = contentTypeHeader, let boundary = MultipartPart.boundary(fromContentType: header),
            let parts = MultipartPart.parse(body, boundary: boundary)
        {
            sandboxRequest.parts = parts
        }
        let token = bearer ?? sandboxRequest.field("access_token")

        // Authentication.
        let munchkinId: String
        switch store.authenticate(token) {
        case .success(let id): munchkinId = id
        case .failure(let failure):
            call.munchkinId = failure.munchkinId ?? call.munchkinId
            return finish(failure.reply)
        }
        call.munchkinId = munchkinId

        // The route, with `_method=GET` resolved against the GET twin of the path.
        var match: MarketoRouteMatch
        if effectiveMethod != method, case .found(let getMatch) = MarketoRouteMatch.resolve(path: path, method: "GET") {
            match = getMatch
        } else if let routed {
            match = routed
        } else if case .methodNotAllowed = route {
            return finish(.failure("605", "Request method '\(method)' not supported"))
        } else {
            return finish(.failure("610"))
        }
        call.endpoint = match.endpoint.route.template
        sandboxRequest.parameters = match.parameters

        // Limits: quota, window, concurrency.
        switch store.admit(munchkinId) {
        case .rejected(let rejection): return finish(rejection)
        case .admitted(let tick): sandboxRequest.admissionTick = tick
        }
        defer { store.release(munchkinId) }

        let decision = store.drawFaults(munchkinId: munchkinId, endpoint: call.endpoint, path: path, method: method)
        call.faults = decision.ruleIds
        if decision.latencyMs > 0 { try? await Task.sleep(for: .milliseconds(decision.latencyMs)) }
        var reply: SandboxReply
        if let outcome = decision.outcome, !Self.processes(outcome) {
            reply = Self.reply(for: outcome)
        } else {
            let (answer, recordRules) = store.handleApplyingRecordFaults(
                match.endpoint,
                sandboxRequest,
                munchkinId: munchkinId,
                path: path
            )
            reply = answer
            call.faults += recordRules
        }
        reply.counted = true
        return finish(reply, drop: decision.outcome.map(Self.isDrop) ?? false)
    }

    // MARK: - Pieces

    /// The body, or nil when it is longer than `limit` (the rest is drained so the 413 reaches the client).
    private static func readBody(_ request: Request, limit: Int) async -> Data? {
        var data = Data()
        var tooLarge = false
        do {
            for try await chunk in request.body {
                if tooLarge { continue }
                if data.count + chunk.readableBytes > limit {
                    tooLarge = true
                    data = Data()
                    continue
                }
                data.append(contentsOf: chunk.readableBytesView)
            }
        } catch {
            return tooLarge ? nil : data
        }
        return tooLarge ? nil : data
    }

    private static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    private static func isDrop(_ outcome: MarketoStore.FaultDecision.Outcome) -> Bool {
        switch outcome {
        case .drop, .dropAfterProcessing: true
        case .httpStatus, .errorCode: false
        }
    }

    /// Whether the call is carried out despite the fault (it only loses its answer).
    private static func processes(_ outcome: MarketoStore.FaultDecision.Outcome) -> Bool {
        if case .dropAfterProcessing = outcome { return true }
        return false
    }

    private static func reply(for outcome: MarketoStore.FaultDecision.Outcome) -> SandboxReply {
        switch outcome {
        case .drop, .dropAfterProcessing: .text(500, "")
        case .httpStatus(let status): .text(status, "\(status) \(status == 502 ? "Bad Gateway" : "Server Error")")
        case .errorCode(let code, let message): .failure(code, message)
        }
    }

    static func response(_ reply: SandboxReply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] =
            reply.contentType == "application/json"
            ? "application/json;charset=UTF-8" : reply.contentType
        if let range = reply.contentRange {
            headers[.contentRange] = range
        }
        return Response(
            status: .init(code: reply.status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: reply.body))
        )
    }
}
