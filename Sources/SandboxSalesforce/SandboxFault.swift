// MARK: - SandboxFault

/// A fault to inject: an error answer, added latency, or a dropped connection, for a share of the requests
/// of one org (or all) and one endpoint (or all). Randomness is seeded, so a run repeats exactly.
public struct SandboxFault: Sendable, Hashable, Codable {
    /// What the fault does.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Answer with an error instead of doing the call.
        case error
        /// Wait before doing the call (it counts towards long-running requests while waiting).
        case latency
        /// Close the connection without an answer (the call is not done, unless ``SandboxFault/afterProcessing``).
        case drop
    }

    /// Assigned by the sandbox when the fault is added (`f1`, `f2`, …), to remove it alone later; ignored on
    /// input.
    public var id: String?
    /// What the fault does.
    public var kind: Kind
    /// Only requests for this org; nil for every org.
    public var orgId: String?
    /// Only this endpoint, or endpoints starting with it followed by a dot (`bulk` covers `bulk.upload`);
    /// nil for every endpoint. Names are listed in SandboxSalesforce.docc/SandboxSalesforce.md.
    public var endpoint: String?
    /// For errors: the Salesforce error code, e.g. `UNABLE_TO_LOCK_ROW`, `SERVER_UNAVAILABLE`,
    /// `REQUEST_LIMIT_EXCEEDED`, `INVALID_SESSION_ID`; nil with a 5xx status for a bare server error.
    public var errorCode: String?
    /// For errors: the HTTP status; by default the one Salesforce uses for the code (400, 401, 403, 503) or 500.
    public var httpStatus: Int?
    /// For errors: the message; by default Salesforce's usual message for the code.
    public var message: String?
    /// Share of matching requests hit, 0...1.
    public var rate: Double
    /// For latency: milliseconds of real time to wait.
    public var latencyMilliseconds: Int?
    /// How many more requests it may hit; nil for no bound.
    public var remaining: Int?
    /// Seed of the fault's random draws.
    public var seed: UInt64
    /// For errors: hit single records instead of whole requests. In sObject Collections, composite and bulk
    /// rows the record fails with `errorCode` (HTTP 200, `success:false`) while its siblings go through.
    public var perRecord: Bool
    /// For drops: do the call first, then close the connection without its answer (the client cannot know the
    /// call took effect).
    public var afterProcessing: Bool

    /// Creates a fault.
    public init(
        kind: Kind,
        orgId: String? = nil,
        endpoint: String? = nil,
        errorCode: String? = nil,
        httpStatus: Int? = nil,
        message: String? = nil,
        rate: Double = 1,
        latencyMilliseconds: Int? = nil,
        remaining: Int? = nil,
        seed: UInt64 = 1,
        perRecord: Bool = false,
        afterProcessing: Bool = false
    ) {
        self.afterProcessing = afterProcessing
        self.kind = kind
        self.orgId = orgId
        self.endpoint = endpoint
        self.errorCode = errorCode
        self.httpStatus = httpStatus
        self.message = message
        self.rate = rate
        self.latencyMilliseconds = latencyMilliseconds
        self.remaining = remaining
        self.seed = seed
        self.perRecord = perRecord
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, orgId, endpoint, errorCode, httpStatus, message, rate, latencyMilliseconds, remaining, seed
        case perRecord, afterProcessing
    }

    /// Decodes a fault; `rate` defaults to 1 and `seed` to 1.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try c.decode(Kind.self, forKey: .kind),
            orgId: try c.decodeIfPresent(String.self, forKey: .orgId),
            endpoint: try c.decodeIfPresent(String.self, forKey: .endpoint),
            errorCode: try c.decodeIfPresent(String.self, forKey: .errorCode),
            httpStatus: try c.decodeIfPresent(Int.self, forKey: .httpStatus),
            message: try c.decodeIfPresent(String.self, forKey: .message),
            rate: try c.decodeIfPresent(Double.self, forKey: .rate) ?? 1,
            latencyMilliseconds: try c.decodeIfPresent(Int.self, forKey: .latencyMilliseconds),
            remaining: try c.decodeIfPresent(Int.self, forKey: .remaining),
            seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 1,
            perRecord: try c.decodeIfPresent(Bool.self, forKey: .perRecord) ?? false,
            afterProcessing: try c.decodeIfPresent(Bool.self, forKey: .afterProcessing) ?? false
        )
        self.id = try c.decodeIfPresent(String.self, forKey: .id)
    }

    /// Whether this fault applies to a request for `orgId` at `endpoint`.
    func matches(orgId requestOrg: String?, endpoint requestEndpoint: String) -> Bool {
        if let orgId, orgId != requestOrg { return false }
        if let endpoint, endpoint != requestEndpoint, !requestEndpoint.hasPrefix(endpoint + ".") { return false }
        return true
    }

    /// The error answer: status and the REST error body.
    var errorAnswer: (status: Int, code: String?, message: String) {
        let code = errorCode
        let status: Int
        let text: String
        switch code {
        case "UNABLE_TO_LOCK_ROW"?:
            status = 400
            text = "unable to obtain exclusive access to this record or 1 records: 00v000000000000AAA"
        case "SERVER_UNAVAILABLE"?:
            status = 503
            text = "Server Unavailable"
        case "REQUEST_LIMIT_EXCEEDED"?:
            status = 403
            text = "TotalRequests Limit exceeded."
        case "INVALID_SESSION_ID"?:
            status = 401
            text = "Session expired or invalid"
        case nil:
            status = 500
            text = "Internal Server Error"
        default:
            status = 400
            text = code ?? "error"
        }
        return (httpStatus ?? status, code, message ?? text)
    }
}
