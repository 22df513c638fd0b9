import Foundation

extension MarketoStore {
    // MARK: - Reading activities back

    /// `GET /rest/v1/activities/pagingtoken.json?sinceDatetime=`: a date-based token (`1003` without a valid
    /// date).
    func activityPagingToken(_ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        guard let text = request.query["sinceDatetime"], !text.isEmpty else {
            throw ReplyError(.failure("701", "sinceDatetime cannot be blank"))
        }
        guard let since = MarketoStore.parseDate(text) else {
            throw ReplyError(.failure("1003", "Invalid sinceDatetime '\(text)'"))
        }
        let position = ActivityPosition(date: since, id: 0)
        var reply = SandboxReply.json(
            .object([
                ("requestId", .string(RequestID.next())), ("success", .bool(true)),
                ("nextPageToken", .string(position.token)),
            ])
        )
        reply.records = 0
        return reply
    }

    /// `GET /rest/v1/activities.json?nextPageToken=&activityTypeIds=&leadIds=&batchSize=`, as the real endpoint
    /// pages: activities in activity-date order from the token's position; each call goes through `batchSize`
    /// activities of *every* type and returns those of the asked types and leads, so a page may hold fewer than
    /// `batchSize` (even none) while `moreResult` is true. The token always comes back; attributes are named by
    /// their display name, and an empty one is left out.
    func getLeadActivities(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        guard let token = request.query["nextPageToken"], !token.isEmpty else {
            throw ReplyError(.failure("701", "nextPageToken cannot be blank"))
        }
        guard let position = ActivityPosition(token: token) else {
            throw ReplyError(.failure("1003", "Invalid nextPageToken"))
        }
        let typeTexts = list(request.query["activityTypeIds"])
        guard !typeTexts.isEmpty else { throw ReplyError(.failure("701", "activityTypeIds cannot be blank")) }
        guard typeTexts.count <= 10 else { throw ReplyError(.failure("1003", "Too many activityTypeIds (max 10)")) }
        let typeIds = Set(typeTexts.compactMap { Int($0) })
        guard typeIds.count == typeTexts.count else { throw ReplyError(.failure("1003", "Invalid activityTypeIds")) }
        let leadTexts = list(request.query["leadIds"])
        guard leadTexts.count <= 30 else { throw ReplyError(.failure("1003", "Too many leadIds (max 30)")) }
        let leadIds = Set(leadTexts.compactMap { Int($0) })
        guard leadIds.count == leadTexts.count else { throw ReplyError(.failure("1003", "Invalid leadIds")) }
        var size = 300
        if let text = request.query["batchSize"] {
            guard let value = Int(text), value > 0 else {
                throw ReplyError(.failure("1003", "Invalid batchSize '\(text)'"))
            }
            size = min(value, 300)
        }
        // The activity log in activity-date order (the id breaks ties), from the token's position on.
        let ordered = sub.activities
            .compactMap { activity -> (ActivityPosition, SandboxActivity)? in
                guard let date = MarketoStore.parseDate(activity.activityDate) else { return nil }
                return (ActivityPosition(date: date, id: activity.id), activity)
            }
            .filter { $0.0 >= position }
            .sorted { $0.0 < $1.0 }
        let scanned = ordered.prefix(size)
        let next = scanned.last.map { ActivityPosition(date: $0.0.date, id: $0.0.id + 1) } ?? position
        let matches = scanned.filter { _, activity in
            typeIds.contains(activity.activityTypeId) && (leadIds.isEmpty || leadIds.contains(activity.leadId))
        }
        let result = matches.map { _, activity in activityJSON(sub, activity) }
        var members: [(String, JSONValue)] = [("requestId", .string(RequestID.next())), ("success", .bool(true))]
        if !result.isEmpty { members.append(("result", .array(result))) }
        members.append(("nextPageToken", .string(next.token)))
        members.append(("moreResult", .bool(ordered.count > scanned.count)))
        var reply = SandboxReply.json(.object(members))
        reply.records = result.count
        return reply
    }

    private func activityJSON(_ sub: SubscriptionState, _ activity: SandboxActivity) -> JSONValue {
        let type = sub.setup.activityTypes.first { $0.id == activity.activityTypeId }
        let attributes = activity.attributes.sorted { $0.key < $1.key }.compactMap { name, value -> JSONValue? in
            guard value.description != "" else { return nil }
            let field = type?.attributes.first { $0.name == name }
            return .object([("name", .string(field?.displayName ?? name)), ("value", value.json)])
        }
        let date = MarketoStore.parseDate(activity.activityDate).map(MarketoStore.iso) ?? activity.activityDate
        return .object([
            ("id", .int(activity.id)), ("marketoGUID", .string(activity.marketoGUID)),
            ("leadId", .int(activity.leadId)),
            ("activityDate", .string(date)), ("activityTypeId", .int(activity.activityTypeId)),
            ("primaryAttributeValue", .string(activity.primaryAttributeValue)), ("attributes", .array(attributes)),
        ])
    }
}

/// A position in the activity log: an activity date and an id (the paging token's content).
struct ActivityPosition: Comparable {
    var date: Date
    var id: Int

    init(date: Date, id: Int) {
        self.date = Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        self.id = id
    }

    init?(token: String) {
        guard let text = PageToken.decodeText(token) else { return nil }
        let parts = text.split(separator: "|")
        guard parts.count == 3, parts[0] == "activities", let milliseconds = Int64(parts[1]), let id = Int(parts[2])
        else { return nil }
        self.init(date: Date(timeIntervalSince1970: Double(milliseconds) / 1000), id: id)
    }

    var token: String {
        PageToken.encode(text: "activities|\(Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))|\(id)")
    }

    static func < (lhs: ActivityPosition, rhs: ActivityPosition) -> Bool {
        lhs.date == rhs.date ? lhs.id < rhs.id : lhs.date < rhs.date
    }
}
