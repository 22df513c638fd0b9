import Basics
import Foundation

extension MarketoStore {
    /// Endpoints whose body carries an `input` array answered record by record, in input order.
    static let recordFaultEndpoints: Set<MarketoEndpoint> = [
        .syncLeads, .syncMemberStatus, .legacyMemberStatus, .addActivities, .syncCustomObjects, .deleteMembers,
        .deleteCustomObjects,
    ]

    /// Endpoints whose record results carry `seq`.
    private static let sequencedEndpoints: Set<MarketoEndpoint> = [
        .syncMemberStatus, .syncCustomObjects, .deleteMembers, .deleteCustomObjects,
    ]

    /// Runs an admitted call's endpoint, first taking out the records that record-level fault rules hit: those
    /// are answered `skipped` with the rule's reason code, in their input position, and never reach the
    /// endpoint; the rest are processed as usual.
    /// - Returns: The reply and the ids of the rules that hit a record.
    func handleApplyingRecordFaults(
        _ endpoint: MarketoEndpoint,
        _ request: SandboxRequest,
        munchkinId: String,
        path: String
    ) -> (SandboxReply, [String]) {
        guard Self.recordFaultEndpoints.contains(endpoint), request.method == "POST",
            let body = request.json, let members = body.objectMembers, let input = body["input"]?.arrayValue,
            !input.isEmpty, input.count <= limits(for: munchkinId).maxRecordsPerCall
        else { return (handle(endpoint, request, munchkinId: munchkinId), []) }
        let draw = drawRecordFaults(
            munchkinId: munchkinId,
            endpoint: endpoint.route.template,
            path: path,
            method: request.method,
            count: input.count
        )
        guard !draw.hits.isEmpty else { return (handle(endpoint, request, munchkinId: munchkinId), []) }

        let kept = input.indices.filter { draw.hits[$0] == nil }
        var reply: SandboxReply
        if kept.isEmpty {
            reply = .success([])
        } else {
            var reduced = request
            let keptInput = JSONValue.array(kept.map { input[$0] })
            let reducedBody = JSONValue.object(members.map { ($0.0, $0.0 == "input" ? keptInput : $0.1) })
            reduced.body = Data(reducedBody.serialized().utf8)
            reply = handle(endpoint, reduced, munchkinId: munchkinId)
        }
        guard reply.errorCode == nil, reply.status == 200, let answer = JSONValue.parse(reply.body),
            let answerMembers = answer.objectMembers, let processed = answer["result"]?.arrayValue,
            processed.count == kept.count
        else { return (reply, draw.ruleIds) }

        var results: [JSONValue] = []
        var next = 0
        for index in input.indices {
            if let (code, message) = draw.hits[index] {
                results.append(skipped(endpoint, seq: index, item: input[index], code: code, message: message))
                reply.recordErrorCodes.append(code)
            } else {
                results.append(resequenced(processed[next], seq: index))
                next += 1
            }
        }
        let envelope = answerMembers.map { ($0.0, $0.0 == "result" ? JSONValue.array(results) : $0.1) }
        reply.body = Data(JSONValue.object(envelope).serialized().utf8)
        reply.records = input.count
        return (reply, draw.ruleIds)
    }

    /// Draws, record by record, which record-level rules hit which input positions (the first rule that fires
    /// for a record decides its code).
    private func drawRecordFaults(
        munchkinId: String,
        endpoint: String,
        path: String,
        method: String,
        count: Int
    ) -> (hits: [Int: (String, String?)], ruleIds: [String]) {
        state.withLock { state in
            var hits: [Int: (String, String?)] = [:]
            var ruleIds: [String] = []
            for index in state.faults.indices {
                let rule = state.faults[index]
                guard let code = rule.recordErrorCode, let id = rule.id,
                    rule.matches(munchkinId: munchkinId, endpoint: endpoint, path: path, method: method)
                else { continue }
                var generator = state.faultGenerators[id] ?? SplitMix64(seed: rule.seed ?? options.faultSeed)
                for position in 0..<count where hits[position] == nil {
                    if let left = state.faults[index].remaining, left <= 0 { break }
                    guard generator.unit() < rule.rate else { continue }
                    hits[position] = (code, rule.recordErrorMessage)
                    state.faults[index].fired = (state.faults[index].fired ?? 0) + 1
                    if let left = state.faults[index].remaining { state.faults[index].remaining = left - 1 }
                    if ruleIds.last != id { ruleIds.append(id) }
                }
                state.faultGenerators[id] = generator
            }
            return (hits, ruleIds)
        }
    }

    /// The `skipped` result of a record a rule hit, shaped as the endpoint shapes its own skips.
    private func skipped(
        _ endpoint: MarketoEndpoint,
        seq: Int,
        item: JSONValue,
        code: String,
        message: String?
    ) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if Self.sequencedEndpoints.contains(endpoint) { members.append(("seq", .int(seq))) }
        if endpoint == .legacyMemberStatus { members.append(("id", item["id"] ?? .null)) }
        members.append(("status", .string("skipped")))
        let reasons = JSONValue.array([SandboxReply.reason(code, message)])
        members.append((endpoint == .addActivities ? "errors" : "reasons", reasons))
        return .object(members)
    }

    /// A processed record's result with `seq` set to its position in the caller's input.
    private func resequenced(_ result: JSONValue, seq: Int) -> JSONValue {
        guard let members = result.objectMembers, members.contains(where: { $0.0 == "seq" }) else { return result }
        return .object(members.map { ($0.0, $0.0 == "seq" ? JSONValue.int(seq) : $0.1) })
    }
}
