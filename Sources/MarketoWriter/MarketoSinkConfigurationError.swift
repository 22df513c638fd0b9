// MARK: - MarketoSinkConfigurationError

/// A ``MarketoSink`` cannot be created: a tenant that delivers to Marketo lacks what the sink needs.
public struct MarketoSinkConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The tenant whose settings are wrong, or nil for a problem of the sink as a whole (the cache directory).
    public var tenant: String?
    /// The setting, such as `tenants.acme.marketo.clientSecret`.
    public var setting: String
    /// What is wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(tenant: String?, setting: String, message: String) {
        self.tenant = tenant
        self.setting = setting
        self.message = message
    }

    public var description: String {
        if let tenant { return "Marketo writer, tenant \(tenant), \(setting): \(message)" }
        return "Marketo writer, \(setting): \(message)"
    }
}
