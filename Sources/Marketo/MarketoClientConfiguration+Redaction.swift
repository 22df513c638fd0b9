import Foundation

// MARK: - Redacted descriptions

extension MarketoClientConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "MarketoClientConfiguration(baseURL: \(baseURL.absoluteString), clientId: \(clientId), "
            + "clientSecret: <redacted>, requestTimeout: \(requestTimeout), tokenRefreshMargin: \(tokenRefreshMargin))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "clientId": clientId, "clientSecret": "<redacted>",
                "requestTimeout": requestTimeout, "tokenRefreshMargin": tokenRefreshMargin,
            ],
            displayStyle: .struct
        )
    }
}
