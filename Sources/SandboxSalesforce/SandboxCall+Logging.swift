import Logging

// MARK: - SandboxCall + Logging

extension SandboxCall {
    /// The call as log metadata (no tokens, no record values).
    func logMetadata(rowErrors: Int = 0) -> Logger.Metadata {
        [
            "orgId": "\(orgId ?? "-")",
            "endpoint": "\(endpoint)",
            "method": "\(method)",
            "path": "\(path)",
            "httpStatus": "\(httpStatus)",
            "errorCode": "\(errorCode ?? "-")",
            "records": "\(records)",
            "rowErrors": "\(rowErrors)",
            "counted": "\(countedAsAPICall)",
            "injectedFault": "\(injectedFault)",
        ]
    }
}
