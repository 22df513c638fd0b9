// MARK: - SalesforceSandboxSetup.CustomObject

extension SalesforceSandboxSetup {
    /// A custom object (`…__c`). It gets `Id`, an auto-number `Name`, `CreatedDate`, `LastModifiedDate`
    /// and `IsDeleted` besides its custom fields.
    public struct CustomObject: Codable, Sendable, Equatable {
        /// The API name, e.g. `UserSessionEngagement__c`.
        public var name: String
        /// The 3-character key prefix of its ids (custom objects get `a0…`).
        public var keyPrefix: String
        /// The custom fields.
        public var fields: [CustomField]

        /// Creates a custom object.
        public init(name: String, keyPrefix: String, fields: [CustomField]) {
            self.name = name
            self.keyPrefix = keyPrefix
            self.fields = fields
        }

        /// The engagement metric names of docs/events.md that are counts, stored as Number(18,0).
        public static let countMetrics = [
            "plays", "clap_clicked_count", "heart_clicked_count", "think_clicked_count", "wow_clicked_count",
            "smile_clicked_count", "answered_polls", "messages_sent_group", "qna_threads", "download_attachment",
            "add_to_calendar", "total_reactions_activity", "raise_hand",
        ]

        /// The engagement metric names of docs/events.md that are minutes, rates or amounts, stored as Number(16,2).
        public static let decimalMetrics = [
            "vod_minutes_viewed", "live_minutes_viewed", "total_vod_completion_rate", "no_live_engagement_rate",
            "low_live_engagement_rate", "fair_live_engagement_rate", "good_live_engagement_rate",
            "high_live_engagement_rate", "combined_live_engaged_users_play_time_ratio", "mic_on", "cam_on",
        ]

        /// The field a metric is stored in: `<metric>__c`, except the one metric whose name is too long.
        public static func fieldName(ofMetric metric: String) -> String {
            metric == "combined_live_engaged_users_play_time_ratio" ? "combined_live_engaged_ratio__c" : "\(metric)__c"
        }

        /// `UserSessionEngagement__c` as docs/crm-setup.md defines it: `campaign_member__c` Text(100), `Lead__c`
        /// Lookup(Lead), `entry_id__c` Text(11), `entry_name__c` Text(200), `email__c` Email, `user__c`
        /// Text(200), `channel_id__c` Number(18,0), `channel_name__c` Text(200), one `<metric>__c` per metric:
        /// counts Number(18,0), minutes and rates Number(16,2). A custom field's name has at most 40 characters, so
        /// `combined_live_engaged_users_play_time_ratio` is stored in `combined_live_engaged_ratio__c`
        /// (docs/crm-setup.md).
        ///
        /// The External ID of docs/crm-setup.md (`engagement_key__c`, ``CustomField/engagementKey(name:)``) is
        /// only there when passed (the standard org passes it), so that an org without it can be held too.
        /// - Parameters:
        ///   - keyPrefix: The key prefix of its ids.
        ///   - externalId: An extra External ID field, if the org has one.
        public static func userSessionEngagement(
            keyPrefix: String = "a0S",
            externalId: CustomField? = nil
        ) -> CustomObject {
            var fields: [CustomField] = [
                .text("campaign_member__c", length: 100),
                CustomField(name: "Lead__c", kind: .lookup, referenceTo: "Lead"),
                .text("entry_id__c", length: 11),
                .text("entry_name__c", length: 200),
                CustomField(name: "email__c", kind: .email),
                .text("user__c", length: 200),
                .number("channel_id__c", precision: 18, scale: 0),
                .text("channel_name__c", length: 200),
            ]
            fields += countMetrics.map { .number("\($0)__c", precision: 18, scale: 0) }
            fields += decimalMetrics.map { .number(fieldName(ofMetric: $0), precision: 16, scale: 2) }
            if let externalId { fields.append(externalId) }
            return CustomObject(name: "UserSessionEngagement__c", keyPrefix: keyPrefix, fields: fields)
        }
    }
}
