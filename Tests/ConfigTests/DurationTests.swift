import Config
import Testing

@Suite("Durations")
struct DurationTests {
    /// The commit interval a document with `fold.commitInterval: <text>` loads to, or the error's text.
    private func commitInterval(_ text: String) -> Result<Duration, ConfigurationError> {
        TestSupport.parse(TestSupport.minimal(top: "fold: { commitInterval: \(text) }")).map(\.fold.commitInterval)
    }

    @Test(
        "Accepted forms",
        arguments: [
            ("250ms", Duration.milliseconds(250)),
            ("15s", .seconds(15)),
            ("15m", .seconds(900)),
            ("2h", .seconds(7200)),
            ("1500", .milliseconds(1500)),
            ("\"1500\"", .milliseconds(1500)),
            ("1", .milliseconds(1)),
        ]
    )
    func acceptedForms(text: String, expected: Duration) throws {
        #expect(try commitInterval(text).get() == expected)
    }

    @Test(
        "Rejected forms say why",
        arguments: [
            ("1.5s", "has a fraction"),
            ("\"15 s\"", "has an unknown unit \" s\""),
            ("15S", "has an unknown unit \"S\""),
            ("1d", "has an unknown unit \"d\""),
            ("ms", "does not start with a number"),
            ("-1s", "is negative"),
            ("\"\"", "is empty"),
            ("99999999999999999999h", "is too large"),
            ("9999999999999h", "is too large"),
            ("0ms", "is too short"),
        ]
    )
    func rejectedForms(text: String, reason: String) throws {
        guard case .failure(let error) = commitInterval(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.issues.count == 1)
        #expect(error.issues.first?.path == "fold.commitInterval")
        #expect(error.issues.first?.problem.contains(reason) == true, "\(error)")
    }

    @Test("Defaults are the documented ones")
    func defaults() throws {
        let config = try TestSupport.parse(TestSupport.minimal()).get()
        #expect(config.fold == FoldSettings())
        #expect(config.fold.commitInterval == .milliseconds(100))
        #expect(config.fold.settleCheckInterval == .seconds(1))
        #expect(config.fold.commitMaxRecords == 5000)
        #expect(config.fold.groupId == "leadsync-fold")
        #expect(config.fold.stateDirectory == ".leadsync/state")
        #expect(config.fold.threads == 2)
        #expect(config.writers.marketo.linger == .milliseconds(200))
        #expect(config.writers.marketo.maxRecordsPerCall == 300)
        #expect(config.writers.salesforce.maxRecordsPerCall == 200)
        #expect(config.writers.salesforce.groupId == "leadsync-writer-salesforce")
        #expect(config.tenants[0].settleWindow == .seconds(900))
        #expect(config.tenants[0].rules.settleWindowMilliseconds == 900_000)
        #expect(config.observability == ObservabilitySettings())
        #expect(config.observability.metricsAddress.description == "127.0.0.1:9464")
        #expect(config.observability.logEmails == false)
        #expect(config.kafka == .embedded)
    }

    @Test("A zero linger is allowed")
    func zeroLinger() throws {
        let config = try TestSupport.parse(TestSupport.minimal(top: "writers: { marketo: { linger: 0ms } }")).get()
        #expect(config.writers.marketo.linger == .zero)
    }

    @Test("The writers' transport, park and settle settings: defaults, values, and a destination's own keys only")
    func writerTransportSettings() throws {
        let defaults = try TestSupport.parse(TestSupport.minimal(top: "")).get()
        #expect(defaults.writers.marketo.lowSpeedWindow == .seconds(20))
        #expect(defaults.writers.marketo.activitySettleDelay == .seconds(150))
        #expect(defaults.writers.salesforce.quotaPark == .seconds(900))
        #expect(defaults.writers.salesforce.parkHoldLimit == .seconds(3_600))
        let text = """
            writers:
              marketo: { connectTimeout: 2s, lowSpeedWindow: 8s, activitySettleDelay: 30s, parkHoldLimit: 10m }
              salesforce: { quotaPark: 5m, lowSpeedWindow: 10s }
            """
        let config = try TestSupport.parse(TestSupport.minimal(top: text)).get()
        #expect(config.writers.marketo.connectTimeout == .seconds(2))
        #expect(config.writers.marketo.lowSpeedWindow == .seconds(8))
        #expect(config.writers.marketo.activitySettleDelay == .seconds(30))
        #expect(config.writers.marketo.parkHoldLimit == .seconds(600))
        #expect(config.writers.salesforce.quotaPark == .seconds(300))
        #expect(config.writers.salesforce.lowSpeedWindow == .seconds(10))
        let wrongPlace = TestSupport.parse(TestSupport.minimal(top: "writers: { marketo: { quotaPark: 5m } }"))
        guard case .failure(let error) = wrongPlace else {
            Issue.record("quotaPark under writers.marketo was accepted")
            return
        }
        #expect("\(error)".contains("quotaPark"))
    }
}
