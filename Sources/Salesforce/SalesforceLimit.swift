// MARK: - SalesforceLimit

/// One entry of `GET /limits`: `{"Max": n, "Remaining": n}`.
public struct SalesforceLimit: Sendable, Hashable, Decodable {
    /// The allocation.
    public var max: Int
    /// What is left of it.
    public var remaining: Int

    /// Creates a limit.
    public init(max: Int, remaining: Int) {
        self.max = max
        self.remaining = remaining
    }

    private enum CodingKeys: String, CodingKey {
        case max = "Max"
        case remaining = "Remaining"
    }
}
