import Foundation

extension MarketoStore {
    /// Runs one admitted call's endpoint against its subscription.
    func handle(_ endpoint: MarketoEndpoint, _ request: SandboxRequest, munchkinId: String) -> SandboxReply {
        let now = now()
        return state.withLock { state -> SandboxReply in
            guard var sub = state.subscriptions[munchkinId] else { return .failure("614") }
            defer { state.subscriptions[munchkinId] = sub }
            advanceBulkJobs(&sub, now: now)
            do throws(ReplyError) {
                switch endpoint {
                case .token: return .failure("610")
                case .syncLeads: return try syncLeads(&sub, request, now: now)
                case .getLeads: return try getLeads(sub, request)
                case .getLeadById: return try getLeadById(sub, request)
                case .describeLeads: return try describeLeads(sub)
                case .describeLeads2: return try describeLeads2(sub)
                case .syncMemberStatus: return try syncMemberStatus(&sub, request, now: now)
                case .legacyMemberStatus: return try syncMemberStatus(&sub, request, now: now, legacy: true)
                case .getMembers: return try getMembers(sub, request)
                case .getLeadsByProgram: return try getLeadsByProgram(sub, request)
                case .deleteMembers: return try deleteMembers(&sub, request, now: now)
                case .describeMembers: return try describeMembers()
                case .getProgram: return try getProgram(sub, request)
                case .getChannels: return try getChannels(sub, request)
                case .getChannelByName: return try getChannelByName(sub, request)
                case .activityTypes: return try activityTypes(sub)
                case .describeActivityType: return try describeActivityType(sub, request)
                case .addActivities: return try addActivities(&sub, request, now: now)
                case .activityPagingToken: return try activityPagingToken(request)
                case .getLeadActivities: return try getLeadActivities(sub, request)
                case .listCustomObjects: return try listCustomObjects(sub, request)
                case .describeCustomObject: return try describeCustomObject(sub, request)
                case .describeCustomObjectType: return try describeCustomObjectType(sub, request)
                case .syncCustomObjects: return try syncCustomObjects(&sub, request, now: now)
                case .queryCustomObjects: return try queryCustomObjects(sub, request)
                case .deleteCustomObjects: return try deleteCustomObjects(&sub, request)
                case .usage: return try usage(sub, now: now, days: 1)
                case .usageLast7Days: return try usage(sub, now: now, days: 7)
                case .errorStats: return try errorStats(sub, now: now)
                case .importLeads, .importMembers, .importCustomObjects:
                    return try createImport(&sub, endpoint, request, now: now, batchId: &state.nextBatchId)
                case .importLeadsStatus, .importMembersStatus, .importCustomObjectsStatus:
                    return try importStatus(sub, endpoint, request)
                case .importLeadsFailures, .importMembersFailures, .importCustomObjectsFailures:
                    return try importFile(sub, endpoint, request, failures: true)
                case .importLeadsWarnings, .importMembersWarnings, .importCustomObjectsWarnings:
                    return try importFile(sub, endpoint, request, failures: false)
                case .exportCreate: return try createExport(&sub, request, now: now)
                case .exportEnqueue: return try enqueueExport(&sub, request, now: now)
                case .exportStatus: return try exportStatus(sub, request)
                case .exportFile: return try exportFile(sub, request)
                case .exportCancel: return try cancelExport(&sub, request, now: now)
                case .exportList: return try listExports(sub, request)
                }
            } catch {
                return error.reply
            }
        }
    }

    // MARK: - Request pieces shared by endpoints

    /// The JSON object body of a POST: 612 without a JSON content type, 609 when it does not parse.
    func jsonBody(_ request: SandboxRequest) throws(ReplyError) -> JSONValue {
        guard request.contentType == "application/json" || request.contentType == "text/json" else {
            throw ReplyError(.failure("612"))
        }
        guard let json = request.json, json.objectMembers != nil else { throw ReplyError(.failure("609")) }
        return json
    }

    /// The body's `input` array: 701 when missing, 1003 when longer than the per-call limit.
    func inputArray(_ body: JSONValue, _ sub: SubscriptionState) throws(ReplyError) -> [JSONValue] {
        guard let input = body["input"]?.arrayValue else {
            throw ReplyError(.failure("701", "input cannot be blank"))
        }
        let max = sub.setup.limits.maxRecordsPerCall
        if input.count > max {
            throw ReplyError(.failure("1003", "Batch size \(input.count) exceeds the limit of \(max) records"))
        }
        return input
    }

    /// A comma-separated parameter (`filterValues`, `fields`), trimmed, empties dropped.
    func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The page of `items` that `batchSize` and `nextPageToken` select; 1003 on a bad token or size.
    func page(
        count: Int,
        _ request: SandboxRequest,
        scope: String
    ) throws(ReplyError) -> (range: Range<Int>, extra: [(String, JSONValue)]) {
        var size = 300
        if let text = request.query["batchSize"] {
            guard let value = Int(text), value > 0 else {
                throw ReplyError(.failure("1003", "Invalid batchSize '\(text)'"))
            }
            size = min(value, 300)
        }
        var offset = 0
        if let token = request.query["nextPageToken"], !token.isEmpty {
            guard let value = PageToken.decode(token, scope: scope) else {
                throw ReplyError(.failure("1003", "Invalid nextPageToken"))
            }
            offset = value
        }
        let start = min(offset, count)
        let end = min(start + size, count)
        var extra: [(String, JSONValue)] = []
        if end < count {
            extra = [
                ("moreResult", .bool(true)), ("nextPageToken", .string(PageToken.encode(offset: end, scope: scope))),
            ]
        }
        return (start..<end, extra)
    }

    /// A reply carried as an error, to leave a handler early.
    struct ReplyError: Error {
        var reply: SandboxReply
        init(_ reply: SandboxReply) { self.reply = reply }
    }
}
