import Config
import Testing

/// A document with several unrelated problems reports all of them in one load, each with its line and column; the
/// cross-tenant check of call shares does not wait for the tenants' own problems to be fixed.
@Suite("Validation in one pass, with positions")
struct OnePassValidationTests {
    static let document = """
        observability:
          logLevel: loud
        tenants:
          - tenant: acme
            destinatons: [marketo]
            events:
              summit-2026: { marketoProgramId: 1001 }
            marketo:
              munchkinId: 123-ABC-456
              clientId: client
              clientSecret: { env: ACME_SECRET }
              callShare: 0.7
          - tenant: globex
            destinations: [marketo]
            events:
              partner-day: { marketoProgramId: -3 }
            marketo:
              munchkinId: 123-ABC-456
              clientId: client
              clientSecret: plain-text-secret
              callShare: 0.6
        """

    @Test("every problem of the document at once, the call-share sum included, each with line and column")
    func everyProblemAtOnce() throws {
        guard case .failure(let error) = TestSupport.parse(Self.document) else {
            Issue.record("an invalid document was accepted")
            return
        }
        let messages = error.issues.map(\.description)
        let expectedFragments = [
            "config.yaml: observability.logLevel: \"loud\" is not a log level",
            "config.yaml: tenants[0].destinatons: unknown key; did you mean \"destinations\"? (line 5, column 5)",
            "config.yaml: tenants[0].destinations: is missing",
            "config.yaml: tenants[1].events[\"partner-day\"].marketoProgramId: -3",
            "config.yaml: tenants[1].marketo.clientSecret: a secret must not be written into the configuration file",
            // Both tenants have problems of their own; their shares still add up in the same pass.
            "config.yaml: tenants[1].marketo.callShare: tenants \"acme\", \"globex\" share the Marketo subscription "
                + "123-ABC-456 and their callShare adds up to 1.3; expected call shares of one subscription that add "
                + "up to at most 1 (line 21, column 18)",
        ]
        for fragment in expectedFragments {
            #expect(messages.contains { $0.contains(fragment) }, "missing: \(fragment)\nin:\n\(messages)")
        }
        for issue in error.issues {
            #expect(issue.line != nil && issue.column != nil, "no position: \(issue)")
        }
        // In reading order: by line.
        let lines = error.issues.compactMap(\.line)
        #expect(lines == lines.sorted())
    }

    @Test("a document without tenants points at its first line")
    func missingTenantsHasAPosition() throws {
        guard case .failure(let error) = TestSupport.parse("fold: {}\n") else {
            Issue.record("a document without tenants was accepted")
            return
        }
        let issue = try #require(error.issues.first { $0.path == "tenants" })
        #expect(issue.line == 1 && issue.column == 1)
    }
}
