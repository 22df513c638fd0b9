// MARK: - ReconciliationError

/// A reconciliation could not be done. Says which tenant and CRM, what failed and what to do.
public struct ReconciliationError: Error, Sendable, CustomStringConvertible {
    /// What failed.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case configuration, crm, state, kafka
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The tenant, its destination or its credentials are not usable.
        public static let configuration = Code(.configuration)
        /// The CRM refused or failed a call (export, query).
        public static let crm = Code(.crm)
        /// The fold's state could not be read.
        public static let state = Code(.state)
        /// Kafka refused the corrective commands.
        public static let kafka = Code(.kafka)

        public var description: String { value.rawValue }
    }

    /// What failed.
    public var code: Code
    /// The tenant concerned, when there is one.
    public var tenant: String?
    /// What happened and what to do.
    public var message: String

    /// Creates an error.
    public init(code: Code, tenant: String? = nil, message: String) {
        self.code = code
        self.tenant = tenant
        self.message = message
    }

    public var description: String {
        "reconcile \(code)" + (tenant.map { " (tenant \($0))" } ?? "") + ": \(message)"
    }
}
