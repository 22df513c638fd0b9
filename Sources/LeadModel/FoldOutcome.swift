// MARK: - FoldOutcome

/// What folding one input did: the status changes, the rejections (for metrics), the commands to produce, and
/// whether the state changed (so the changelog needs a record).
public struct FoldOutcome: Sendable, Hashable {
    /// Status changes (at most one: a lead's status in the event before and after the input).
    public var applied: [AppliedTransition]
    /// Inputs not applied, with reasons.
    public var rejections: [TransitionRejection]
    /// Commands to produce, in order.
    public var commands: [Command]
    /// Whether the lead's state changed.
    public var stateChanged: Bool
    /// Whether the input was earlier in event time than events already folded (its timeline was re-folded).
    public var isLate: Bool

    /// Creates an outcome (empty by default).
    public init(
        applied: [AppliedTransition] = [],
        rejections: [TransitionRejection] = [],
        commands: [Command] = [],
        stateChanged: Bool = false,
        isLate: Bool = false
    ) {
        self.applied = applied
        self.rejections = rejections
        self.commands = commands
        self.stateChanged = stateChanged
        self.isLate = isLate
    }

    /// Whether the input was a duplicate.
    public var isDuplicate: Bool {
        rejections.contains { $0.reason == .duplicate }
    }
}
