/// A changelog or snapshot record that cannot be read.
public struct ChangelogError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: String, Sendable {
        /// A checkpoint record whose value is not a checkpoint.
        case corruptCheckpoint = "corrupt_checkpoint"
        /// A state record whose value does not decode.
        case corruptState = "corrupt_state"
        /// A snapshot file that is truncated or of another format.
        case corruptSnapshot = "corrupt_snapshot"
    }

    /// What is wrong.
    public var kind: Kind
    /// Where and why.
    public var detail: String

    public var description: String { "\(kind.rawValue): \(detail)" }
}
