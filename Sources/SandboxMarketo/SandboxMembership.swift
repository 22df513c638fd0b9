public import Foundation

/// A lead's membership of a program, with every status request it received.
public struct SandboxMembership: Sendable, Codable, Equatable {
    /// The program id.
    public var programId: Int
    /// The lead id.
    public var leadId: Int
    /// The current status name.
    public var statusName: String
    /// The current status's step.
    public var step: Int
    /// Whether a success status was ever reached.
    public var reachedSuccess: Bool
    /// When success was first reached.
    public var reachedSuccessDate: Date?
    /// When the lead became a member.
    public var membershipDate: Date
    /// Whether the program acquired the lead (true when the membership created the lead's first program tie).
    public var acquiredBy: Bool
    /// Every status request for this member in order: applied or skipped.
    public var history: [StatusChange]

    /// One status request for a member.
    public struct StatusChange: Sendable, Codable, Equatable {
        /// The requested status.
        public var statusName: String
        /// `created`, `updated`, `skipped` or `removed` (step 0, Not in Program).
        public var outcome: String
        /// The reason code when skipped (1037).
        public var reasonCode: String?
        /// When it was requested.
        public var at: Date
        /// Where it came from: `rest` or `bulk`.
        public var source: String
    }
}
