// MARK: - FoldOutcome

/// What folding one input did: the transitions applied, the rejections (for metrics), the commands to produce,
/// and whether the state changed (so the changelog needs a record).
public struct FoldOutcome: Sendable, Hashable {
    /// Status transitions applied (at most two: the event's own, or a derived `Participated`).
    public var applied: [AppliedTransition]
    /// Inputs not applied, with reasons.
    public var rejections: [TransitionRejection]
    /// Commands to produce, in order.
    public var commands: [Command]
    /// Whether the lead's state changed.
    public var stateChanged: Bool

    /// Creates an outcome (empty by default).
    public init(
        applied: [AppliedTransition] = [],
        rejections: [TransitionRejection] = [],
        commands: [Command] = [],
        stateChanged: Bool = false
    ) {
        self.applied = applied
        self.rejections = rejections
        self.commands = commands
        self.stateChanged = stateChanged
    }

    /// Whether the input was a duplicate.
    public var isDuplicate: Bool {
        rejections.contains { $0.reason == .duplicate }
    }
}
