/// Why one record of a call was not applied while the call itself succeeded.
public struct MarketoRecordFailure: Sendable, Hashable, CustomStringConvertible {
    /// The record's `status` as Marketo sent it (usually `skipped`; empty if absent).
    public var status: String
    /// The reasons (Marketo's `reasons`, `reason` or `errors` member).
    public var reasons: [MarketoReason]

    /// Creates a record failure.
    public init(status: String, reasons: [MarketoReason]) {
        self.status = status
        self.reasons = reasons
    }

    /// The first reason's code, or nil when Marketo gave none.
    public var code: String? { reasons.first?.code }

    /// What to do about the record: the class of its first reason; ``MarketoFailureClass/permanent`` when no
    /// reason was given.
    public var failureClass: MarketoFailureClass { reasons.first?.failureClass ?? .permanent }

    public var description: String {
        let why = reasons.isEmpty ? "no reason given" : reasons.map(\.description).joined(separator: "; ")
        return "\(status.isEmpty ? "failed" : status) [\(failureClass)]: \(why)"
    }
}
