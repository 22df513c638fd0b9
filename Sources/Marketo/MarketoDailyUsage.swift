/// API calls of one day (`GET /rest/v1/stats/usage.json`), counted in Marketo's quota day.
public struct MarketoDailyUsage: Sendable, Hashable, Decodable {
    /// Calls of one API user.
    public struct UserCount: Sendable, Hashable, Decodable {
        /// The API user (an email).
        public var userId: String
        /// Calls the user made that day.
        public var count: Int

        /// Creates a count.
        public init(userId: String, count: Int) {
            self.userId = userId
            self.count = count
        }
    }

    /// The day, `YYYY-MM-DD`.
    public var date: String
    /// Calls counted that day, all users.
    public var total: Int
    /// Calls per API user.
    public var users: [UserCount]

    /// Creates a day's usage.
    public init(date: String, total: Int, users: [UserCount]) {
        self.date = date
        self.total = total
        self.users = users
    }

    private enum CodingKeys: String, CodingKey {
        case date, total, users
    }

    /// Decodes one `result` item; `users` may be missing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        date = (try? container.decodeIfPresent(String.self, forKey: .date)) ?? ""
        total = (try? container.decodeIfPresent(Int.self, forKey: .total)) ?? 0
        users = (try? container.decodeIfPresent([UserCount].self, forKey: .users)) ?? []
    }
}
