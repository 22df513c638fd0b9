internal import LeadModel

// MARK: - WriterSettings + Decoding

extension WriterSettings {
    /// Reads `writers.marketo` or `writers.salesforce`.
    init(decoding value: ConfigValue?, destination: Destination) {
        self = .defaults(for: destination)
        let specific = destination == .marketo ? ["activitySettleDelay"] : ["quotaPark"]
        guard let value,
            let section = value.mapping(
                knownKeys: [
                    "groupId", "linger", "maxRecordsPerCall", "retry", "bulkThreshold", "connectTimeout",
                    "lowSpeedWindow", "parkHoldLimit",
                ] + specific
            )
        else { return }
        if let text = section["groupId"]?.name(expected: "a consumer group id") { groupId = text }
        if let duration = section["linger"]?.duration(minimum: .zero) { linger = duration }
        let maximum = WriterSettings.maximumRecordsPerCall(for: destination)
        if let count = section["maxRecordsPerCall"]?.int(
            in: 1...maximum,
            expected:
                "an integer in 1...\(maximum) (the \(destination == .marketo ? "Marketo" : "Salesforce") API's limit "
                + "per call)"
        ) {
            maxRecordsPerCall = count
        }
        if let threshold = section["bulkThreshold"] {
            if let count = threshold.int(
                in: maxRecordsPerCall...100_000_000,
                expected: "an integer of at least maxRecordsPerCall (\(maxRecordsPerCall))"
            ) {
                bulkThreshold = count
            }
        }
        if let retryValue = section["retry"] { retry = RetryPolicy(decoding: retryValue) }
        if let duration = section["connectTimeout"]?.duration(minimum: .milliseconds(100)) { connectTimeout = duration }
        if let duration = section["lowSpeedWindow"]?.duration(minimum: .seconds(1)) { lowSpeedWindow = duration }
        if let duration = section["parkHoldLimit"]?.duration(minimum: .zero) { parkHoldLimit = duration }
        if let duration = section["activitySettleDelay"]?.duration(minimum: .seconds(1)) {
            activitySettleDelay = duration
        }
        if let duration = section["quotaPark"]?.duration(minimum: .seconds(1)) { quotaPark = duration }
    }
}
