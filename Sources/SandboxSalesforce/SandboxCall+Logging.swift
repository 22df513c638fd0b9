import Logging

// MARK: - SandboxCall + Logging

extension SandboxCall {
    /// The call as log metadata (no tokens, no record values).
    func logMetadata() -> Logger.Metadata {
        [
            "orgId": "\(orgId ?? "-")",
            "endpoint": "\(endpoint)",
            "method": "\(method)",
            "path": "\(path)",
            "httpStatus": "\(httpStatus)",
            "errorCode": "\(errorCode ?? "-")",
            "records": "\(records)",
            "rowErrors": "\(rowErrorCodes.count)",
            "counted": "\(countedAsAPICall)",
            "injectedFault": "\(injectedFault)",
        ]
    }
}
