/// One `{code, message}` item of Marketo's `errors`, `reasons` or `warnings`; the code as the string Marketo
/// sends (`"1004"`).
public struct MarketoReason: Sendable, Hashable, CustomStringConvertible {
    /// The code, such as `"1006"`; empty when Marketo sent a message without one.
    public var code: String
    /// The message, such as `Field 'fax' not found`.
    public var message: String

    /// Creates a reason.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// What to do about it (see ``MarketoFailureClass/classify(marketoCode:message:)``).
    public var failureClass: MarketoFailureClass {
        MarketoFailureClass.classify(marketoCode: code, message: message)
    }

    /// Whether this is 1037: the lead was skipped because it is already in or past the requested status,
    /// a no-op that callers treat as success.
    public var isAlreadyInOrPastStatus: Bool { code == "1037" }

    public var description: String { code.isEmpty ? message : "\(code) \(message)" }
}
