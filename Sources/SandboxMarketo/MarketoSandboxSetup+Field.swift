extension MarketoSandboxSetup {
    /// A field of a lead, a custom object or a custom activity attribute.
    public struct Field: Sendable, Codable, Equatable {
        /// The REST API name, e.g. `firstName`.
        public var name: String
        /// The display name (used in bulk import failure reasons).
        public var displayName: String
        /// The Marketo data type: string, text, email, phone, url, integer, float, currency, boolean, date,
        /// datetime, link.
        public var dataType: String
        /// The maximum length of string values, if any.
        public var length: Int?
        /// Whether an API call may write it.
        public var updateable: Bool
        /// Whether Get Leads and exports may filter on it (leads only).
        public var searchable: Bool

        /// Creates a field.
        public init(
            name: String,
            displayName: String? = nil,
            dataType: String,
            length: Int? = nil,
            updateable: Bool = true,
            searchable: Bool = false
        ) {
            self.name = name
            self.displayName = displayName ?? Field.displayName(for: name)
            self.dataType = dataType
            self.length = length ?? (dataType == "string" || dataType == "email" ? 255 : nil)
            self.updateable = updateable
            self.searchable = searchable
        }

        private enum CodingKeys: String, CodingKey {
            case name, displayName, dataType, length, updateable, searchable
        }

        /// Decodes a field; `displayName`, `length`, `updateable` and `searchable` may be left out.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                name: try c.decode(String.self, forKey: .name),
                displayName: try c.decodeIfPresent(String.self, forKey: .displayName),
                dataType: try c.decode(String.self, forKey: .dataType),
                length: try c.decodeIfPresent(Int.self, forKey: .length),
                updateable: try c.decodeIfPresent(Bool.self, forKey: .updateable) ?? true,
                searchable: try c.decodeIfPresent(Bool.self, forKey: .searchable) ?? false
            )
        }

        /// `firstName` -> `First Name`, `live_minutes_viewed` -> `Live Minutes Viewed`.
        static func displayName(for name: String) -> String {
            var words: [String] = []
            var current = ""
            for ch in name {
                if ch == "_" {
                    if !current.isEmpty { words.append(current) }
                    current = ""
                } else if ch.isUppercase, !current.isEmpty, current.last?.isLowercase == true {
                    words.append(current)
                    current = String(ch)
                } else {
                    current.append(ch)
                }
            }
            if !current.isEmpty { words.append(current) }
            return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        }

        /// The standard lead fields the writer maps registration profiles onto, plus `industry`.
        public static let standardLeadFields: [Field] = [
            Field(name: "id", displayName: "Id", dataType: "integer", updateable: false, searchable: true),
            Field(name: "email", displayName: "Email Address", dataType: "email", searchable: true),
            Field(name: "firstName", dataType: "string"),
            Field(name: "lastName", dataType: "string"),
            Field(name: "company", displayName: "Company Name", dataType: "string"),
            Field(name: "title", dataType: "string"),
            Field(name: "country", dataType: "string"),
            Field(name: "phone", displayName: "Phone Number", dataType: "phone"),
            Field(name: "industry", dataType: "string"),
            Field(name: "leadSource", dataType: "string"),
            Field(name: "leadScore", dataType: "integer"),
            Field(name: "createdAt", displayName: "Created At", dataType: "datetime", updateable: false),
            Field(name: "updatedAt", displayName: "Updated At", dataType: "datetime", updateable: false),
        ]

        /// The 14 engagement metrics docs/crm-setup.md puts on the custom activity type.
        public static let activityMetrics: [Field] = {
            let names: Set<String> = [
                "plays", "vod_minutes_viewed", "live_minutes_viewed", "total_vod_completion_rate", "answered_polls",
                "messages_sent_group", "qna_threads", "combined_live_engaged_users_play_time_ratio",
                "download_attachment", "add_to_calendar", "mic_on", "cam_on", "total_reactions_activity", "raise_hand",
            ]
            return engagementMetrics.filter { names.contains($0.name) }
        }()

        /// The engagement metrics of docs/events.md: counts are integers, minutes and rates floats.
        public static let engagementMetrics: [Field] = {
            let integers = [
                "plays", "clap_clicked_count", "heart_clicked_count", "think_clicked_count", "wow_clicked_count",
                "smile_clicked_count", "answered_polls", "messages_sent_group", "qna_threads", "download_attachment",
                "add_to_calendar", "total_reactions_activity", "raise_hand",
            ]
            let floats = [
                "vod_minutes_viewed", "live_minutes_viewed", "total_vod_completion_rate", "no_live_engagement_rate",
                "low_live_engagement_rate", "fair_live_engagement_rate", "good_live_engagement_rate",
                "high_live_engagement_rate", "combined_live_engaged_users_play_time_ratio", "mic_on", "cam_on",
            ]
            return integers.map { Field(name: $0, dataType: "integer") }
                + floats.map { Field(name: $0, dataType: "float") }
        }()
    }
}
