import Config
import Foundation
import Testing

/// One invalid document and a fragment its error must contain.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    let name: String
    let document: String
    let fragment: String
    var environment: [String: String] = [:]
    var fileName = "config.yaml"

    var testDescription: String { name }

    /// A case whose document is the minimal one with lines added to the tenant (4 spaces: tenant keys; 6 spaces:
    /// marketo keys) or before `tenants`.
    static func tenant(_ name: String, _ lines: String, _ fragment: String) -> InvalidCase {
        InvalidCase(name: name, document: TestSupport.minimal(tenantLines: lines), fragment: fragment)
    }

    /// A case whose document is the minimal one with one line replaced.
    static func replace(_ name: String, _ line: String, _ replacement: String, _ fragment: String) -> InvalidCase {
        InvalidCase(
            name: name,
            document: TestSupport.minimal().replacingFirst(line, with: replacement),
            fragment: fragment
        )
    }

    static func top(_ name: String, _ lines: String, _ fragment: String) -> InvalidCase {
        InvalidCase(name: name, document: TestSupport.minimal(top: lines), fragment: fragment)
    }
}

@Suite("Validation messages")
struct ValidationMessageTests {
    static let cases: [InvalidCase] = [
        // Ranges and shares
        .tenant(
            "callShare out of range",
            "      callShare: 1.5",
            "config.yaml: tenants[0].marketo.callShare: 1.5 is out of range; expected a number in (0, 1] "
                + "(line 11, column 18)"
        ),
        .tenant("callShare zero", "      callShare: 0", "tenants[0].marketo.callShare: 0 is out of range"),
        .tenant("callShare text", "      callShare: half", "tenants[0].marketo.callShare: \"half\" is not a number"),
        .tenant(
            "dailyCallBudget negative",
            "      dailyCallBudget: -5",
            "tenants[0].marketo.dailyCallBudget: -5 is out of range; expected a positive number of API calls per day"
        ),
        // Unknown keys
        .tenant(
            "typo in a tenant key",
            "    destinatons: [marketo]",
            "config.yaml: tenants[0].destinatons: unknown key; did you mean \"destinations\"?"
        ),
        .top("typo at the top", "observabilty: {}", "observabilty: unknown key; did you mean \"observability\"?"),
        .top(
            "unknown key without a near match",
            "colour: blue",
            "colour: unknown key; expected one of kafka, fold, writers, observability, tenants"
        ),
        .tenant(
            "typo in marketo",
            "      clientSecrte: { env: X }",
            "tenants[0].marketo.clientSecrte: unknown key; did you mean \"clientSecret\"?"
        ),
        .top(
            "typo in writers",
            "writers:\n  marketo:\n    lingr: 5ms",
            "writers.marketo.lingr: unknown key; did you mean \"linger\"?"
        ),
        // Tenants
        InvalidCase(
            name: "duplicate tenant",
            document: TestSupport.minimal() + """

                  - tenant: acme
                    destinations: [marketo]
                    events: { other: { marketoProgramId: 7 } }
                    marketo: { munchkinId: 123-ABC-456, clientId: c, clientSecret: { env: S } }
                """,
            fragment: "tenants[1].tenant: \"acme\" is already tenants[0]; expected each tenant id once"
        ),
        InvalidCase(
            name: "invalid tenant id",
            document: TestSupport.minimal().replacingFirst("tenant: acme", with: "tenant: \"ac/me\""),
            fragment: "tenants[0].tenant: \"ac/me\" is not a valid tenant id; expected a non-empty id"
        ),
        InvalidCase(name: "no tenants", document: "fold: {}", fragment: "config.yaml: tenants: is missing"),
        InvalidCase(name: "empty tenants", document: "tenants: []", fragment: "tenants: names no tenant"),
        InvalidCase(name: "empty file", document: "", fragment: "tenants: is missing"),
        InvalidCase(
            name: "destination without its section",
            document: TestSupport.minimal().replacingFirst("[marketo]", with: "[marketo, salesforce]"),
            fragment: "tenants[0].salesforce: is missing, but salesforce is a destination of tenant \"acme\""
        ),
        InvalidCase(
            name: "unknown destination",
            document: TestSupport.minimal().replacingFirst("[marketo]", with: "[marketo, salesfroce]"),
            fragment: "tenants[0].destinations[1]: \"salesfroce\" is not a destination; did you mean \"salesforce\"?"
        ),
        InvalidCase(
            name: "destinations as text",
            document: TestSupport.minimal().replacingFirst("[marketo]", with: "marketo"),
            fragment: "tenants[0].destinations: found the text \"marketo\"; expected a list of destinations"
        ),
        // Events
        InvalidCase(
            name: "event lacks the id of an enabled destination",
            document: TestSupport.minimal().replacingFirst(
                "{ marketoProgramId: 1001 }",
                with: "{ salesforceCampaignId: 701Dn0000000001IAA }"
            ),
            fragment:
                "tenants[0].events[\"summit-2026\"].marketoProgramId: is missing, but marketo is a destination of "
                + "tenant \"acme\""
        ),
        .replace(
            "campaign id of the wrong length",
            "{ marketoProgramId: 1001 }",
            "{ marketoProgramId: 1, salesforceCampaignId: 701abc }",
            "tenants[0].events[\"summit-2026\"].salesforceCampaignId: \"701abc\" has 6 characters; expected a "
                + "Salesforce Campaign id"
        ),
        .replace(
            "lead id instead of a campaign id",
            "{ marketoProgramId: 1001 }",
            "{ marketoProgramId: 1, salesforceCampaignId: 00QDn0000000001IAA }",
            "\"00QDn0000000001IAA\" is not a Campaign id (Campaign ids start with 701"
        ),
        .replace(
            "18-character id with a wrong suffix",
            "{ marketoProgramId: 1001 }",
            "{ marketoProgramId: 1, salesforceCampaignId: 701dn0000000001IAA }",
            "has the suffix IAA, but its first 15 characters give AAA"
        ),
        .replace(
            "program id not a number",
            "{ marketoProgramId: 1001 }",
            "{ marketoProgramId: one }",
            "tenants[0].events[\"summit-2026\"].marketoProgramId: \"one\" is not an integer"
        ),
        .replace(
            "no events",
            "      summit-2026: { marketoProgramId: 1001 }",
            "      {}",
            "tenants[0].events: names no event"
        ),
        .replace(
            "unknown key in an event",
            "{ marketoProgramId: 1001 }",
            "{ marketoProgramId: 1, marketoProgramID: 1 }",
            "tenants[0].events[\"summit-2026\"].marketoProgramID: unknown key; did you mean \"marketoProgramId\"?"
        ),
        // Statuses
        .tenant(
            "unknown granular status",
            "    statusOverrides:\n      \"confirmed email\": Confirmed",
            "tenants[0].statusOverrides[\"confirmed email\"]: \"confirmed email\" is not a granular status; did you "
                + "mean \"Confirmed email\"?"
        ),
        .tenant(
            "channel status as an override key",
            "    statusOverrides:\n      Attended: Registered",
            "\"Attended\" is a channel status, which always means itself"
        ),
        .tenant(
            "unknown channel status",
            "    statusOverrides:\n      \"SSO login\": attended",
            "tenants[0].statusOverrides[\"SSO login\"]: \"attended\" is not a channel status; did you mean "
                + "\"Attended\"?"
        ),
        .tenant(
            "forward transition listed",
            "    allowedBackwardTransitions: [\"Registered -> Attended\"]",
            "tenants[0].allowedBackwardTransitions[0]: \"Registered -> Attended\" is not a backward transition (step "
                + "30 -> 50)"
        ),
        .tenant(
            "transition without an arrow",
            "    allowedBackwardTransitions: [\"Un-registered, Registered\"]",
            "\"Un-registered, Registered\" is not a transition; expected \"From -> To\""
        ),
        .tenant(
            "transition with an unknown status",
            "    allowedBackwardTransitions: [\"Unregistered -> Registered\"]",
            "\"Unregistered\" is not a channel status; did you mean \"Un-registered\"?"
        ),
        .tenant(
            "participated flag",
            "    participated: { enabled: yes please }",
            "tenants[0].participated.enabled: \"yes please\" is not a boolean; expected true or false"
        ),
        .tenant(
            "negative minutes",
            "    participated: { liveMinutesAbove: -1 }",
            "tenants[0].participated.liveMinutesAbove: -1 is out of range"
        ),
        // Durations
        .tenant(
            "duration with an unknown unit",
            "    settleWindow: 15x",
            "tenants[0].settleWindow: \"15x\" has an unknown unit \"x\" (units: ms, s, m, h); expected a duration such "
                + "as 250ms"
        ),
        .tenant("duration with a fraction", "    settleWindow: 1.5m", "\"1.5m\" has a fraction; use a smaller unit"),
        .tenant("negative duration", "    settleWindow: -5s", "\"-5s\" is negative"),
        .tenant(
            "settle window too short",
            "    settleWindow: 10ms",
            "tenants[0].settleWindow: \"10ms\" is too short; expected a duration such as 250ms, 15s, 15m or 2h (or an "
                + "integer number of milliseconds) of at least 1s"
        ),
        .top("zero commit interval", "fold: { commitInterval: 0 }", "fold.commitInterval: \"0\" is too short"),
        .top(
            "duration as a list",
            "fold: { commitInterval: [1] }",
            "fold.commitInterval: found a list; expected a duration"
        ),
        // Writers
        .top(
            "Marketo batch above 300",
            "writers: { marketo: { maxRecordsPerCall: 500 } }",
            "writers.marketo.maxRecordsPerCall: 500 is out of range; expected an integer in 1...300 (the Marketo API's "
                + "limit per call)"
        ),
        .top(
            "Salesforce batch above 200",
            "writers: { salesforce: { maxRecordsPerCall: 201 } }",
            "writers.salesforce.maxRecordsPerCall: 201 is out of range; expected an integer in 1...200"
        ),
        .top(
            "bulk threshold below a call",
            "writers: { salesforce: { bulkThreshold: 50 } }",
            "writers.salesforce.bulkThreshold: 50 is out of range; expected an integer of at least maxRecordsPerCall "
                + "(200)"
        ),
        .top(
            "backoff cap below the first backoff",
            "writers: { marketo: { retry: { initialBackoff: 10s, maxBackoff: 5s } } }",
            "writers.marketo.retry.maxBackoff: 5s is shorter than initialBackoff (10s)"
        ),
        .top(
            "zero attempts",
            "writers: { marketo: { retry: { maxAttempts: 0 } } }",
            "writers.marketo.retry.maxAttempts: 0 is out of range; expected an integer in 1...1000"
        ),
        // Observability
        .top(
            "log level",
            "observability: { logLevel: verbose }",
            "observability.logLevel: \"verbose\" is not a log level; expected one of trace, debug, info"
        ),
        .top(
            "log level typo",
            "observability: { logLevel: warn }",
            "\"warn\" is not a log level; did you mean \"warning\"?"
        ),
        .top(
            "metrics address",
            "observability: { metricsAddress: localhost }",
            "observability.metricsAddress: \"localhost\" is not host:port"
        ),
        // Secrets
        .replace(
            "literal Marketo secret",
            "{ env: ACME_SECRET }",
            "s3cr3t-literal",
            "tenants[0].marketo.clientSecret: a secret must not be written into the configuration file"
        ),
        .replace(
            "secret reference with both sources",
            "{ env: ACME_SECRET }",
            "{ env: A, file: /b }",
            "tenants[0].marketo.clientSecret: the reference has both env and file"
        ),
        .replace(
            "secret reference with a bad variable name",
            "{ env: ACME_SECRET }",
            "{ env: \"1 BAD\" }",
            "tenants[0].marketo.clientSecret.env: \"1 BAD\" is not an environment variable name"
        ),
        .replace(
            "secret reference typo",
            "{ env: ACME_SECRET }",
            "{ evn: A }",
            "tenants[0].marketo.clientSecret.evn: unknown key; did you mean \"env\"?"
        ),
        // Marketo
        .replace(
            "munchkin id",
            "123-ABC-456",
            "123-abc-456",
            "tenants[0].marketo.munchkinId: \"123-abc-456\" is not a munchkin id; expected a munchkin id such as "
                + "123-ABC-456"
        ),
        .tenant(
            "base URL",
            "      baseURL: ftp://example.com",
            "tenants[0].marketo.baseURL: \"ftp://example.com\" is not an absolute http(s) URL"
        ),
        .tenant(
            "field mapping key",
            "      fieldMapping: { frstName: FirstName }",
            "tenants[0].marketo.fieldMapping[\"frstName\"]: \"frstName\" is not a profile field; did you mean "
                + "\"firstName\"?"
        ),
        .replace(
            "missing client id",
            "clientId: client",
            "clientId: null",
            "tenants[0].marketo.clientId: is missing; expected the LaunchPoint service's client id"
        ),
        // Salesforce
        InvalidCase(
            name: "Salesforce without credentials",
            document: TestSupport.minimal().replacingFirst("[marketo]", with: "[marketo, salesforce]")
                + "\n    salesforce: { clientId: c }",
            fragment:
                "tenants[0].salesforce: has no credentials; expected either clientSecret (client credentials) or jwt"
        ),
        InvalidCase(
            name: "Salesforce with both flows",
            document: TestSupport.minimal()
                + "\n    salesforce: { clientId: c, clientSecret: { env: A }, jwt: { username: u, privateKey: { file: "
                + "/k } } }",
            fragment: "tenants[0].salesforce.jwt: is given together with clientSecret"
        ),
        InvalidCase(
            name: "Salesforce API version",
            document: TestSupport.minimal()
                + "\n    salesforce: { clientId: c, clientSecret: { env: A }, apiVersion: \"62\" }",
            fragment: "tenants[0].salesforce.apiVersion: \"62\" is not an API version; expected vNN.0 such as v62.0"
        ),
        InvalidCase(
            name: "Salesforce lead default field",
            document: TestSupport.minimal()
                + "\n    salesforce: { clientId: c, clientSecret: { env: A }, leadDefaults: { \"Lead Source\": x } }",
            fragment: "tenants[0].salesforce.leadDefaults[\"Lead Source\"]: \"Lead Source\" is not a field name"
        ),
        InvalidCase(
            name: "Salesforce JWT without a key",
            document: TestSupport.minimal() + "\n    salesforce: { clientId: c, jwt: { username: u } }",
            fragment: "tenants[0].salesforce.jwt.privateKey: is missing; expected a reference"
        ),
        InvalidCase(
            name: "tenants over-sharing one Marketo subscription",
            document: TestSupport.minimal()
                + """

                  - tenant: globex
                    destinations: [marketo]
                    events: { other: { marketoProgramId: 7 } }
                    marketo: { munchkinId: 123-ABC-456, clientId: c, clientSecret: { env: S }, callShare: 0.5 }
                """,
            fragment: "tenants[1].marketo.callShare: tenants \"acme\", \"globex\" share the Marketo subscription "
                + "123-ABC-456 and their callShare adds up to 1.5; expected call shares of one subscription that add "
                + "up "
                + "to at most 1"
        ),
        // Kafka
        .top(
            "kafka without bootstrap servers",
            "kafka: { clientId: x }",
            "kafka.bootstrapServers: is missing, but other Kafka settings are given (kafka.clientId)"
        ),
        .top(
            "kafka bootstrap server without port",
            "kafka: { bootstrapServers: [kafka-0] }",
            "kafka.bootstrapServers: \"kafka-0\" is not host:port"
        ),
        .top(
            "SASL without a SASL protocol",
            "kafka: { bootstrapServers: k:9092, sasl: { mechanism: PLAIN, username: u, password: { env: P } } }",
            "kafka.securityProtocol: is not set (PLAINTEXT) but SASL settings are given; expected SASL_SSL"
        ),
        .top(
            "SASL protocol without SASL",
            "kafka: { bootstrapServers: k:9092, securityProtocol: SASL_SSL }",
            "kafka.sasl.mechanism: is missing; expected one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"
        ),
        .top(
            "unknown mechanism",
            "kafka: { bootstrapServers: k:9092, securityProtocol: SASL_SSL, sasl: { mechanism: SCRAM-SHA-1, username: "
                + "u, password: { env: P } } }",
            "kafka.sasl.mechanism: \"SCRAM-SHA-1\" is not a supported SASL mechanism"
        ),
        .top(
            "literal SASL password",
            "kafka: { bootstrapServers: k:9092, securityProtocol: SASL_SSL, sasl: { mechanism: PLAIN, username: u, "
                + "password: hunter2 } }",
            "kafka.sasl.password: a secret must not be written into the configuration file"
        ),
        .top(
            "typed property passed through",
            "kafka: { bootstrapServers: k:9092, properties: { security.protocol: SSL } }",
            "kafka.properties[\"security.protocol\"]: has a typed setting; expected kafka.securityProtocol instead"
        ),
        .top(
            "secret property passed through",
            "kafka: { bootstrapServers: k:9092, properties: { ssl.key.password: x } }",
            "kafka.properties[\"ssl.key.password\"]: holds a secret"
        ),
        .top(
            "security protocol typo",
            "kafka: { bootstrapServers: k:9092, securityProtocol: SASL-SSL }",
            "\"SASL-SSL\" is not a security protocol; did you mean \"SASL_SSL\"?"
        ),
        // Syntax
        InvalidCase(
            name: "YAML syntax error",
            document: "tenants:\n  - tenant: acme\n   destinations: [",
            fragment: "config.yaml: syntax error: "
        ),
        InvalidCase(
            name: "YAML syntax error position",
            document: "fold:\n  groupId: a\n  - b\n",
            fragment: "(line 3, column 3)"
        ),
        InvalidCase(
            name: "duplicate YAML key",
            document: "fold: {}\nfold: {}\ntenants: []",
            fragment: "a mapping has the key \"fold\" more than once; expected each key once in a mapping (line 1"
        ),
        InvalidCase(
            name: "JSON syntax error",
            document: "{\n  \"tenants\": [\n    {\"tenant\": \"acme\",}\n  ]\n",
            fragment:
                "leadsync.json: syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line "
                + "1, column 1) (line 5, column 1)",
            fileName: "leadsync.json"
        ),
        InvalidCase(
            name: "document not a mapping",
            document: "- a\n- b",
            fragment: "config.yaml: found a list; expected a mapping with the keys kafka, fold"
        ),
        // Environment
        InvalidCase(
            name: "log level variable",
            document: TestSupport.minimal(),
            fragment: "environment: LEADSYNC_LOG_LEVEL: \"loud\" is not a log level",
            environment: ["LEADSYNC_LOG_LEVEL": "loud"]
        ),
        InvalidCase(
            name: "metrics address variable",
            document: TestSupport.minimal(),
            fragment: "environment: LEADSYNC_METRICS_ADDRESS: \"9464\" is not host:port",
            environment: ["LEADSYNC_METRICS_ADDRESS": "9464"]
        ),
        InvalidCase(
            name: "bootstrap servers variable",
            document: TestSupport.minimal(),
            fragment: "environment: LEADSYNC_KAFKA_BOOTSTRAP_SERVERS: \"broker\" is not host:port",
            environment: ["LEADSYNC_KAFKA_BOOTSTRAP_SERVERS": "broker"]
        ),
        InvalidCase(
            name: "security protocol variable",
            document: TestSupport.minimal(),
            fragment: "environment: LEADSYNC_KAFKA_PROPERTY_SECURITY_PROTOCOL: \"TLS\" is not a security protocol",
            environment: [
                "LEADSYNC_KAFKA_BOOTSTRAP_SERVERS": "k:9092", "LEADSYNC_KAFKA_PROPERTY_SECURITY_PROTOCOL": "TLS",
            ]
        ),
        InvalidCase(
            name: "property variable without a cluster",
            document: TestSupport.minimal(),
            fragment:
                "kafka.bootstrapServers: is missing, but other Kafka settings are given (environment "
                + "LEADSYNC_KAFKA_PROPERTY_LINGER_MS)",
            environment: ["LEADSYNC_KAFKA_PROPERTY_LINGER_MS": "5"]
        ),
    ]

    @Test("An invalid document is rejected with a precise message", arguments: cases)
    func invalidDocumentIsRejected(_ invalid: InvalidCase) throws {
        let result = TestSupport.parse(invalid.document, environment: invalid.environment, fileName: invalid.fileName)
        guard case .failure(let error) = result else {
            Issue.record("\(invalid.name): the document was accepted")
            return
        }
        let messages = error.issues.map(\.description)
        #expect(
            messages.contains { $0.contains(invalid.fragment) },
            "\(invalid.name): no message contains \(invalid.fragment); got:\n\(messages.joined(separator: "\n"))"
        )
    }

    @Test("Every problem is reported, not just the first")
    func everyProblemIsReported() throws {
        let document = """
            fold: { commitInterval: soon, commitMaxRecords: 0, threads: 0 }
            observability: { logLevel: loud }
            tenants:
              - tenant: acme
                destinatons: [marketo]
                destinations: [marketo, salesforce]
                events:
                  summit-2026: { marketoProgramId: 1001, salesforceCampaignId: "701" }
                marketo: { munchkinId: 123-ABC-456, clientId: c, clientSecret: { env: S }, callShare: 2 }
              - tenant: acme
                destinations: [marketo]
                events: { e: { marketoProgramId: 1 } }
                marketo: { munchkinId: 123-ABC-456, clientId: c, clientSecret: { env: S } }
            """
        let result = TestSupport.parse(document)
        guard case .failure(let error) = result else {
            Issue.record("the document was accepted")
            return
        }
        let paths = Set(error.issues.map(\.path))
        #expect(
            paths == [
                "fold.commitInterval", "fold.commitMaxRecords", "fold.threads", "observability.logLevel",
                "tenants[0].destinatons",
                "tenants[0].salesforce", "tenants[0].events[\"summit-2026\"].salesforceCampaignId",
                "tenants[0].marketo.callShare", "tenants[1].tenant",
            ]
        )
        #expect(error.description.hasPrefix("invalid LeadSync configuration (9 problems):\n  - config.yaml: "))
        #expect(error.issues.allSatisfy { $0.line != nil })
        // In reading order, whatever order the checks ran in.
        let lines = error.issues.compactMap(\.line)
        #expect(lines == lines.sorted())
    }

    @Test("A literal secret's value never appears in the error")
    func literalSecretIsNotEchoed() throws {
        let document = TestSupport.minimal(
            tenantLines: "",
            top:
                "kafka: { bootstrapServers: k:9092, securityProtocol: SASL_SSL, properties: { "
                + "sasl.oauthbearer.client.secret: TOPSECRET-5678 }, sasl: { mechanism: PLAIN, username: u, password: "
                + "TOPSECRET-9999 } }"
        )
        .replacingFirst("{ env: ACME_SECRET }", with: "TOPSECRET-1234")
        guard case .failure(let error) = TestSupport.parse(document) else {
            Issue.record("the document was accepted")
            return
        }
        #expect(error.issues.filter { $0.kind == .literalSecret }.count == 3)
        #expect(!"\(error)".contains("TOPSECRET"))
        #expect(!String(reflecting: error).contains("TOPSECRET"))
    }

    @Test(
        "Issues carry their kind",
        arguments: [
            ("      callShare: 1.5", ConfigurationIssue.Kind.invalidValue),
            ("    destinatons: []", .unknownKey),
            ("      clientSecrets: { env: X }", .unknownKey),
            ("      callShare: [1]", .wrongType),
        ]
    )
    func issueKinds(lines: String, kind: ConfigurationIssue.Kind) throws {
        guard case .failure(let error) = TestSupport.parse(TestSupport.minimal(tenantLines: lines)) else {
            Issue.record("the document was accepted")
            return
        }
        #expect(error.issues.map(\.kind) == [kind])
    }

    @Test(
        "Suggestions come from edit distance, transpositions and case included",
        arguments: [
            ("destiantions", "did you mean \"destinations\"?"),
            ("Destinations", "did you mean \"destinations\"?"),
            ("settlewindow", "did you mean \"settleWindow\"?"),
            ("zzz", "expected one of tenant, destinations, events"),
        ]
    )
    func suggestions(key: String, fragment: String) throws {
        guard case .failure(let error) = TestSupport.parse(TestSupport.minimal(tenantLines: "    \(key): 1")) else {
            Issue.record("the document was accepted")
            return
        }
        #expect(error.issues.count == 1)
        #expect(error.issues.first?.description.contains(fragment) == true, "\(error)")
    }
}

extension String {
    /// The text with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
