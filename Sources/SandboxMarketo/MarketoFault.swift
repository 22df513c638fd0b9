/// A fault rule: makes matching calls slow, fail or vanish, at a rate, with seeded randomness.
///
/// A call matches when the subscription, the endpoint and the method match (nil matches anything). When a rule
/// fires, its latency is added first (the call stays in flight, so it counts towards the concurrency limit), then
/// its outcome replaces the real answer: a dropped connection, else an HTTP status, else a response-level error
/// code. A rule with only a latency just slows calls down. Rules are checked in the order they were added; the
/// latencies of all firing rules add up, the first firing rule with an outcome decides the outcome.
///
/// A rule with a ``recordErrorCode`` works per record instead: in calls that carry an `input` array (sync leads,
/// program member status, custom activities, custom objects, deletes), each record is drawn with ``rate``, and a
/// hit record is not processed but answered `skipped` with that reason code (under `reasons`, or `errors` for
/// custom activities, as the real endpoints do) while the other records go through; ``remaining`` then counts
/// records. Such a rule ignores ``errorCode``, ``httpStatus``, ``dropConnection``, ``dropAfterProcessing`` and
/// ``latencyMs``.
public struct MarketoFault: Sendable, Codable, Equatable {
    /// Assigned by the sandbox when the rule is added (`f1`, `f2`, …); ignored on input.
    public var id: String?
    /// The subscription; nil for every subscription.
    public var munchkinId: String?
    /// The endpoint: a template such as `/rest/v1/leads.json` or `/rest/v1/programs/{programId}/members/status.json`,
    /// or a concrete path; nil for every endpoint (identity included).
    public var endpoint: String?
    /// The HTTP method; nil for any.
    public var method: String?
    /// The probability that a matching call fires the rule, 0...1.
    public var rate: Double
    /// How many more times the rule may fire; nil for no limit.
    public var remaining: Int?
    /// A response-level error code to answer with (HTTP 200, `success:false`), e.g. `"611"`.
    public var errorCode: String?
    /// The message for `errorCode`; the reference's message for that code when nil.
    public var errorMessage: String?
    /// An HTTP status to answer with instead, e.g. 502 or 503 (a plain-text body).
    public var httpStatus: Int?
    /// Milliseconds to wait before answering.
    public var latencyMs: Int?
    /// Close the connection without any response.
    public var dropConnection: Bool?
    /// Carry out the call, then close the connection without the response: the client cannot know the call took
    /// effect (what a connection lost on the way back looks like). Takes precedence over ``dropConnection``.
    public var dropAfterProcessing: Bool?
    /// The seed of this rule's random draws; the sandbox's ``MarketoSandboxOptions/faultSeed`` when nil.
    public var seed: UInt64?
    /// How many times the rule fired (set by the sandbox): calls, or records for a record-level rule.
    public var fired: Int?
    /// A record-level reason code, e.g. `"1004"` or `"1019"`: makes this a record-level rule (see the type's
    /// documentation).
    public var recordErrorCode: String?
    /// The message for ``recordErrorCode``; the reference's message for that code when nil.
    public var recordErrorMessage: String?

    /// Creates a rule.
    public init(
        munchkinId: String? = nil,
        endpoint: String? = nil,
        method: String? = nil,
        rate: Double = 1,
        remaining: Int? = nil,
        errorCode: String? = nil,
        errorMessage: String? = nil,
        httpStatus: Int? = nil,
        latencyMs: Int? = nil,
        dropConnection: Bool? = nil,
        dropAfterProcessing: Bool? = nil,
        seed: UInt64? = nil,
        recordErrorCode: String? = nil,
        recordErrorMessage: String? = nil
    ) {
        self.munchkinId = munchkinId
        self.endpoint = endpoint
        self.method = method
        self.rate = rate
        self.remaining = remaining
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.httpStatus = httpStatus
        self.latencyMs = latencyMs
        self.dropConnection = dropConnection
        self.dropAfterProcessing = dropAfterProcessing
        self.seed = seed
        self.recordErrorCode = recordErrorCode
        self.recordErrorMessage = recordErrorMessage
    }

    private enum CodingKeys: String, CodingKey {
        case id, munchkinId, endpoint, method, rate, remaining, errorCode, errorMessage, httpStatus, latencyMs
        case dropConnection, dropAfterProcessing, seed, fired, recordErrorCode, recordErrorMessage
    }

    /// Decodes a rule; `rate` defaults to 1.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            munchkinId: try c.decodeIfPresent(String.self, forKey: .munchkinId),
            endpoint: try c.decodeIfPresent(String.self, forKey: .endpoint),
            method: try c.decodeIfPresent(String.self, forKey: .method),
            rate: try c.decodeIfPresent(Double.self, forKey: .rate) ?? 1,
            remaining: try c.decodeIfPresent(Int.self, forKey: .remaining),
            errorCode: try c.decodeIfPresent(String.self, forKey: .errorCode),
            errorMessage: try c.decodeIfPresent(String.self, forKey: .errorMessage),
            httpStatus: try c.decodeIfPresent(Int.self, forKey: .httpStatus),
            latencyMs: try c.decodeIfPresent(Int.self, forKey: .latencyMs),
            dropConnection: try c.decodeIfPresent(Bool.self, forKey: .dropConnection),
            dropAfterProcessing: try c.decodeIfPresent(Bool.self, forKey: .dropAfterProcessing),
            seed: try c.decodeIfPresent(UInt64.self, forKey: .seed),
            recordErrorCode: try c.decodeIfPresent(String.self, forKey: .recordErrorCode),
            recordErrorMessage: try c.decodeIfPresent(String.self, forKey: .recordErrorMessage)
        )
        self.id = try c.decodeIfPresent(String.self, forKey: .id)
        self.fired = try c.decodeIfPresent(Int.self, forKey: .fired)
    }

    /// Whether the rule works per record (it has a ``recordErrorCode``).
    var isRecordLevel: Bool { recordErrorCode != nil }

    /// Whether this rule can affect a call.
    func matches(munchkinId: String?, endpoint: String, path: String, method: String) -> Bool {
        if let want = self.munchkinId, want != munchkinId { return false }
        if let want = self.endpoint, want != endpoint, want != path { return false }
        if let want = self.method, want.uppercased() != method { return false }
        if let left = remaining, left <= 0 { return false }
        return true
    }
}
