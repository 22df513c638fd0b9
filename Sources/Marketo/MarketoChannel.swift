/// A program channel with its progression statuses (`GET /rest/asset/v1/channel/byName.json`, `result[0]`).
public struct MarketoChannel: Sendable, Hashable, Decodable {
    /// One progression status.
    public struct Status: Sendable, Hashable, Decodable {
        /// The status name, such as `Registered`.
        public var name: String
        /// The step: a member never moves to a lower one (Sync Program Member Status skips it with 1037).
        public var step: Int
        /// Whether reaching it is the program's success.
        public var success: Bool?

        /// Creates a status.
        public init(name: String, step: Int, success: Bool?) {
            self.name = name
            self.step = step
            self.success = success
        }
    }

    /// The channel's name.
    public var name: String
    /// The program type it applies to (`event`, …).
    public var applicableProgramType: String?
    /// The statuses.
    public var progressionStatuses: [Status]

    /// Creates a channel.
    public init(name: String, applicableProgramType: String?, progressionStatuses: [Status]) {
        self.name = name
        self.applicableProgramType = applicableProgramType
        self.progressionStatuses = progressionStatuses
    }

    private enum CodingKeys: String, CodingKey {
        case name, applicableProgramType, progressionStatuses
    }

    /// Decodes a channel; the statuses may be missing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        applicableProgramType = try? container.decodeIfPresent(String.self, forKey: .applicableProgramType)
        progressionStatuses = (try? container.decodeIfPresent([Status].self, forKey: .progressionStatuses)) ?? []
    }
}
