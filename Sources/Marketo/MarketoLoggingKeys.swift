/// The metadata keys of the client's log messages, defined in one place.
enum MarketoLoggingKeys {
    static let endpoint = "marketo.endpoint"
    static let method = "marketo.method"
    static let records = "marketo.records"
    static let failedRecords = "marketo.failed_records"
    static let result = "marketo.result"
    static let failureClass = "marketo.failure_class"
    static let httpStatus = "marketo.http_status"
    static let requestId = "marketo.request_id"
    static let durationMs = "marketo.duration_ms"
    static let clientId = "marketo.client_id"
    static let expiresIn = "marketo.expires_in"
    static let reason = "marketo.reason"
    static let error = "marketo.error"
}
