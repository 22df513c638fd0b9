/// A bulk import's `status`: `Queued`, `Importing`, `Complete` or `Failed` (extensible: Marketo's text is kept).
public struct MarketoBulkImportState: Sendable, Hashable, CustomStringConvertible {
    /// The status as Marketo sent it.
    public var rawValue: String

    /// Creates a state from Marketo's text.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Waiting for one of the two import slots.
    public static let queued = MarketoBulkImportState(rawValue: "Queued")
    /// Running.
    public static let importing = MarketoBulkImportState(rawValue: "Importing")
    /// Done; rows may still have failed (see the failures file).
    public static let complete = MarketoBulkImportState(rawValue: "Complete")
    /// The whole job failed (see the status `message`).
    public static let failed = MarketoBulkImportState(rawValue: "Failed")

    /// Whether the job will not change any more (complete or failed).
    public var isFinished: Bool {
        let lowered = rawValue.lowercased()
        return lowered == "complete" || lowered == "completed" || lowered == "failed"
    }

    public var description: String { rawValue }
}
