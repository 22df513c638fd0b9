import Foundation

extension MarketoStore {
    /// `GET /rest/v1/stats/usage.json` (today) and `/rest/v1/stats/usage/last7days.json`:
    /// `result:[{date,total,users:[{userId,count}]}]`, counted calls only.
    func usage(_ sub: SubscriptionState, now: Date, days: Int) throws(ReplyError) -> SandboxReply {
        let dayLength = scaled(86_400)
        let result = (0..<days).map { back -> JSONValue in
            let day = quotaDay(now.addingTimeInterval(-Double(back) * dayLength))
            let total = sub.callsPerDay[day] ?? 0
            return .object([
                ("date", .string(day)), ("total", .int(total)),
                (
                    "users",
                    .array(
                        total == 0
                            ? []
                            : [
                                .object([("userId", .string(sub.setup.apiUser)), ("count", .int(total))])
                            ]
                    )
                ),
            ])
        }
        return .success(result)
    }

    /// `GET /rest/v1/stats/errors.json`: `result:[{date,total,errors:[{errorCode,count}]}]`.
    func errorStats(_ sub: SubscriptionState, now: Date) throws(ReplyError) -> SandboxReply {
        let day = quotaDay(now)
        let errors = (sub.errorsPerDay[day] ?? [:]).sorted { $0.key < $1.key }
        let result = JSONValue.object([
            ("date", .string(day)), ("total", .int(errors.reduce(0) { $0 + $1.value })),
            ("errors", .array(errors.map { .object([("errorCode", .string($0.key)), ("count", .int($0.value))]) })),
        ])
        return .success([result])
    }
}
