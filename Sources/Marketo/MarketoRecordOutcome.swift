/// What Marketo did with one record of a call (one item of its `result` array).
public enum MarketoRecordOutcome: Sendable, Hashable, CustomStringConvertible {
    /// The record was created.
    case created
    /// The record was updated.
    case updated
    /// The custom activity was added.
    case added
    /// Skipped with 1037: the lead is already in or past that program status. A success for the caller: the
    /// state Marketo holds is at least as far as the request wanted.
    case skipped(MarketoReason)
    /// Any other status without reasons (for example `deleted`).
    case succeeded(status: String)
    /// Not applied; ``MarketoRecordFailure/failureClass`` says whether retrying the record can help.
    case failed(MarketoRecordFailure)

    /// Whether the caller may consider the record delivered (everything but ``failed(_:)``).
    public var isSuccess: Bool {
        if case .failed = self { return false }
        return true
    }

    /// The failure, for ``failed(_:)``.
    public var failure: MarketoRecordFailure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }

    /// Reads Marketo's per-record `status` and reasons.
    ///
    /// `skipped` is a success only with reason 1037; any record with reasons and no created/updated/added
    /// status is a failure.
    static func from(status: String?, reasons: [MarketoReason]) -> MarketoRecordOutcome {
        let status = status ?? ""
        switch status.lowercased() {
        case "created": return .created
        case "updated": return .updated
        case "added": return .added
        default:
            if let noOp = reasons.first(where: \.isAlreadyInOrPastStatus), reasons.count == 1 {
                return .skipped(noOp)
            }
            if reasons.isEmpty, !status.isEmpty, status.lowercased() != "skipped" {
                return .succeeded(status: status)
            }
            return .failed(MarketoRecordFailure(status: status, reasons: reasons))
        }
    }

    public var description: String {
        switch self {
        case .created: "created"
        case .updated: "updated"
        case .added: "added"
        case .skipped(let reason): "skipped (\(reason))"
        case .succeeded(let status): status
        case .failed(let failure): failure.description
        }
    }
}
