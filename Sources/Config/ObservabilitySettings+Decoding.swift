// MARK: - ObservabilitySettings + Decoding

extension ObservabilitySettings {
    static let addressExpectation = "host:port, such as 127.0.0.1:9464 or 0.0.0.0:9464"
    static let levelExpectation = "one of " + LogLevel.allCases.map(\.rawValue).joined(separator: ", ")

    /// Reads the `observability` section.
    init(decoding value: ConfigValue?) {
        self.init()
        guard let value, let section = value.mapping(knownKeys: ["metricsAddress", "logLevel", "logEmails"]) else {
            return
        }
        if let addressValue = section["metricsAddress"],
            let text = addressValue.string(expected: ObservabilitySettings.addressExpectation)
        {
            if let address = ListenAddress(parsing: text) {
                metricsAddress = address
            } else {
                addressValue.report(
                    .invalidValue,
                    "\(quoted(text)) is not host:port",
                    expected: ObservabilitySettings.addressExpectation
                )
            }
        }
        if let levelValue = section["logLevel"], let text = levelValue.string() {
            if let level = LogLevel(rawValue: text) {
                logLevel = level
            } else {
                levelValue.report(
                    .invalidValue,
                    "\(quoted(text)) is not a log level"
                        + KeySuggestion.didYouMean(text, among: LogLevel.allCases.map(\.rawValue)),
                    expected: ObservabilitySettings.levelExpectation
                )
            }
        }
        if let flag = section["logEmails"]?.bool() { logEmails = flag }
    }

    /// Applies `LEADSYNC_LOG_LEVEL` and `LEADSYNC_METRICS_ADDRESS`.
    mutating func applyEnvironment(_ environment: [String: String], log: IssueLog) {
        if let text = environment[EnvironmentVariable.logLevel] {
            if let level = LogLevel(rawValue: text.lowercased()) {
                logLevel = level
            } else {
                log.addEnvironment(
                    .invalidValue,
                    variable: EnvironmentVariable.logLevel,
                    "\(quoted(text)) is not a log level",
                    expected: ObservabilitySettings.levelExpectation
                )
            }
        }
        if let text = environment[EnvironmentVariable.metricsAddress] {
            if let address = ListenAddress(parsing: text) {
                metricsAddress = address
            } else {
                log.addEnvironment(
                    .invalidValue,
                    variable: EnvironmentVariable.metricsAddress,
                    "\(quoted(text)) is not host:port",
                    expected: ObservabilitySettings.addressExpectation
                )
            }
        }
    }
}
