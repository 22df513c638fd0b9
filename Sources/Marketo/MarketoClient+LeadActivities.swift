public import Foundation

extension MarketoClient {
    /// A paging token for activities since a time: `GET /rest/v1/activities/pagingtoken.json?sinceDatetime=`.
    /// - Throws: ``MarketoError``.
    public func activityPagingToken(since date: Date) async throws -> String {
        let request = MarketoHTTPRequest(
            endpoint: .activityPagingToken,
            method: "GET",
            path: "/rest/v1/activities/pagingtoken.json",
            query: [
                (
                    "sinceDatetime",
                    MarketoCustomActivity(leadId: 0, activityDate: date, activityTypeId: 0, primaryAttributeValue: "")
                        .activityDateText
                )
            ]
        )
        let envelope = try await envelopeCall(request, of: MarketoIgnored.self)
        guard let token = envelope.nextPageToken, !token.isEmpty else {
            var failure = MarketoError(
                code: .invalidResponse,
                failureClass: .retry,
                endpoint: .activityPagingToken,
                message: "the paging token answer has no nextPageToken",
                requestId: envelope.requestId
            )
            failure.mayHaveBeenProcessed = false
            throw failure
        }
        return token
    }

    /// One page of Get Lead Activities: `GET /rest/v1/activities.json?nextPageToken=&activityTypeIds=&leadIds=`.
    /// - Parameters:
    ///   - pageToken: From ``activityPagingToken(since:)`` or the previous page.
    ///   - activityTypeIds: Up to 10 activity type ids.
    ///   - leadIds: Up to 30 lead ids (none: every lead).
    ///   - batchSize: Activities per page, at most 300.
    /// - Throws: ``MarketoError``.
    public func leadActivities(
        pageToken: String,
        activityTypeIds: [Int],
        leadIds: [Int] = [],
        batchSize: Int = 300
    ) async throws -> MarketoActivityPage {
        var query: [(name: String, value: String)] = [
            ("nextPageToken", pageToken),
            ("activityTypeIds", activityTypeIds.map(String.init).joined(separator: ",")),
            ("batchSize", String(min(max(batchSize, 1), 300))),
        ]
        if !leadIds.isEmpty { query.append(("leadIds", leadIds.map(String.init).joined(separator: ","))) }
        let request = MarketoHTTPRequest(
            endpoint: .leadActivities,
            method: "GET",
            path: "/rest/v1/activities.json",
            query: query
        )
        let envelope = try await envelopeCall(request, of: MarketoLeadActivity.self) { $0.result?.count ?? 0 }
        return MarketoActivityPage(
            activities: envelope.result ?? [],
            nextPageToken: envelope.nextPageToken,
            moreResult: envelope.moreResult ?? false,
            requestId: envelope.requestId
        )
    }

    /// Every activity of the given types (and leads) since a time, page by page until Marketo says there are no
    /// more (a page may hold fewer than the batch size and still have more after it).
    /// - Parameters:
    ///   - date: From when (Get Paging Token's `sinceDatetime`).
    ///   - activityTypeIds: Up to 10 activity type ids.
    ///   - leadIds: Up to 30 lead ids (none: every lead).
    ///   - maxPages: A bound on the pages read, so a runaway token cannot loop forever.
    /// - Throws: ``MarketoError``; also when `maxPages` pages were read and more remain.
    public func allLeadActivities(
        since date: Date,
        activityTypeIds: [Int],
        leadIds: [Int] = [],
        maxPages: Int = 10_000
    ) async throws -> [MarketoLeadActivity] {
        var token = try await activityPagingToken(since: date)
        var activities: [MarketoLeadActivity] = []
        for _ in 0..<maxPages {
            let page = try await leadActivities(pageToken: token, activityTypeIds: activityTypeIds, leadIds: leadIds)
            activities += page.activities
            guard page.moreResult else { return activities }
            guard let next = page.nextPageToken, next != token || !page.activities.isEmpty else { return activities }
            token = next
        }
        throw MarketoError(
            code: .invalidResponse,
            failureClass: .retry,
            endpoint: .leadActivities,
            message: "more than \(maxPages) pages of activities since \(date); narrow the time or the leads"
        )
    }
}

/// A `result` member this client does not read.
struct MarketoIgnored: Decodable {}
