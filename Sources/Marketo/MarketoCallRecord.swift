/// One HTTP call the client made, reported to ``MarketoClientConfiguration/callObserver`` when it ends, for
/// metrics (API calls by endpoint and result code, records per call, latency).
///
/// Every HTTP exchange is reported once, identity calls and the automatic retry after a 601/602 included.
public struct MarketoCallRecord: Sendable, CustomStringConvertible {
    /// The endpoint.
    public var endpoint: MarketoCallEndpoint
    /// The HTTP method sent (`POST` for a `_method=GET` query).
    public var method: String
    /// How many records the call carried (`input` items, filter values, CSV data rows); 0 for reads.
    public var records: Int
    /// How many records came back as failures (``MarketoRecordOutcome/failed(_:)``) in a successful call.
    public var failedRecords: Int
    /// The call's failure, nil when it succeeded.
    public var error: MarketoError?
    /// The HTTP status, when a response arrived.
    public var httpStatus: Int?
    /// Marketo's `requestId`, when the response had one.
    public var requestId: String?
    /// Wall-clock time from sending the request to reading the response.
    public var duration: Duration

    /// Creates a record.
    public init(
        endpoint: MarketoCallEndpoint,
        method: String,
        records: Int,
        failedRecords: Int,
        error: MarketoError?,
        httpStatus: Int?,
        requestId: String?,
        duration: Duration
    ) {
        self.endpoint = endpoint
        self.method = method
        self.records = records
        self.failedRecords = failedRecords
        self.error = error
        self.httpStatus = httpStatus
        self.requestId = requestId
        self.duration = duration
    }

    /// Whether the call succeeded as a whole (records may still have failed).
    public var succeeded: Bool { error == nil }

    /// `ok`, or the error's ``MarketoError/resultCode`` (`606`, `http_503`, `transport`, …).
    public var resultCode: String { error?.resultCode ?? "ok" }

    public var description: String {
        "\(method) \(endpoint.name) records=\(records) failedRecords=\(failedRecords) result=\(resultCode) \(duration)"
    }
}
