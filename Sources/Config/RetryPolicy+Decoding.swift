// MARK: - RetryPolicy + Decoding

extension RetryPolicy {
    /// Reads a `retry` section.
    init(decoding value: ConfigValue) {
        self.init()
        guard let section = value.mapping(knownKeys: ["maxAttempts", "initialBackoff", "maxBackoff", "maxAge"]) else {
            return
        }
        if let count = section["maxAttempts"]?.int(in: 1...1000, expected: "an integer in 1...1000") {
            maxAttempts = count
        }
        if let duration = section["initialBackoff"]?.duration() { initialBackoff = duration }
        if let maxBackoffValue = section["maxBackoff"], let duration = maxBackoffValue.duration() {
            if duration < initialBackoff {
                maxBackoffValue.report(
                    .inconsistent,
                    "\(DurationText.format(duration)) is shorter than initialBackoff "
                        + "(\(DurationText.format(initialBackoff)))",
                    expected: "a duration of at least initialBackoff"
                )
            }
            maxBackoff = duration
        }
        if let duration = section["maxAge"]?.duration() { maxAge = duration }
    }
}
