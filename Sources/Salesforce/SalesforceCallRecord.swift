// MARK: - SalesforceCallRecord

/// One HTTP call the client made, handed to the call observer once the answer (or the failure) is in. The writer
/// turns these into API-call metrics and "records per call".
public struct SalesforceCallRecord: Sendable, Hashable {
    /// Which call.
    public var endpoint: SalesforceEndpoint
    /// Records the call carried (rows of a collection or CSV upload, emails in a lookup query; 0 for token,
    /// job and limit calls).
    public var recordCount: Int
    /// The HTTP status; nil when no answer arrived.
    public var httpStatus: Int?
    /// The error code of a failed call (Salesforce's, or one of ``SalesforceError/Code``); nil on success.
    public var errorCode: String?
    /// What to do about a failed call; nil on success. Row failures inside a 200 answer are not call failures.
    public var classification: SalesforceError.Classification?
    /// How long the call took.
    public var duration: Duration

    /// Creates a call record.
    public init(
        endpoint: SalesforceEndpoint,
        recordCount: Int,
        httpStatus: Int?,
        errorCode: String?,
        classification: SalesforceError.Classification?,
        duration: Duration
    ) {
        self.endpoint = endpoint
        self.recordCount = recordCount
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.classification = classification
        self.duration = duration
    }

    /// Whether the call succeeded.
    public var succeeded: Bool { classification == nil }
}
