// MARK: - FoldSettings + Decoding

extension FoldSettings {
    /// Reads the `fold` section (defaults for what it leaves out).
    init(decoding value: ConfigValue?) {
        self.init()
        guard let value,
            let section = value.mapping(knownKeys: [
                "groupId", "commitInterval", "commitMaxRecords", "stateDirectory", "settleCheckInterval", "threads",
            ])
        else { return }
        if let text = section["groupId"]?.name(expected: "a consumer group id") { groupId = text }
        if let duration = section["commitInterval"]?.duration() { commitInterval = duration }
        if let count = section["commitMaxRecords"]?.int(in: 1...1_000_000, expected: "an integer in 1...1000000") {
            commitMaxRecords = count
        }
        if let text = section["stateDirectory"]?.string(expected: "a directory path") { stateDirectory = text }
        if let duration = section["settleCheckInterval"]?.duration() { settleCheckInterval = duration }
        if let count = section["threads"]?.int(in: 1...64, expected: "an integer in 1...64") { threads = count }
    }
}
