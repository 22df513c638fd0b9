import Config
import LeadModel
import Testing

@Suite("The tenant directory")
struct TenantDirectoryTests {
    @Test("The directory built from the example file holds exactly what the file says")
    func directoryMatchesFile() throws {
        let config = try LeadSyncConfig.load(
            path: TestSupport.repositoryFile("config/leadsync.example.yaml"),
            environment: [:]
        )
        let expected = TenantDirectory([
            TenantRules(
                tenant: "acme",
                eventMappings: [
                    "summit-2026": EventMapping(marketoProgramId: 1001, salesforceCampaignId: "701Dn0000000001IAA"),
                    "webinar-7": EventMapping(marketoProgramId: 1002, salesforceCampaignId: "701Dn0000000002IAA"),
                ],
                destinations: [.marketo, .salesforce],
                statusMapping: StatusMapping(overrides: [.ssoLogin: .attended, .preEventVisit: .registered]),
                allowedBackwardTransitions: StatusTransition.reRegistration,
                participatedRule: ParticipatedRule(),
                settleWindowMilliseconds: 900_000
            ),
            TenantRules(
                tenant: "globex",
                eventMappings: ["partner-day-2026": EventMapping(salesforceCampaignId: "701Dn0000000002IAA")],
                destinations: [.salesforce],
                allowedBackwardTransitions: [],
                participatedRule: .disabled
            ),
        ])
        #expect(config.tenantDirectory == expected)
        let acme = try #require(config.tenantDirectory.rules(for: "acme"))
        #expect(acme.statusMapping.channelStatus(for: .granular(.ssoLogin)) == .attended)
        #expect(acme.statusMapping.channelStatus(for: .granular(.confirmedEmail)) == .confirmed)
    }

    @Test("Custom rules: overrides, transitions, participation thresholds and settle window")
    func customRules() throws {
        let document = TestSupport.minimal(
            tenantLines: """
                    statusOverrides: { "Registered no confirmation required": Confirmed }
                    allowedBackwardTransitions: ["Blocked -> Registered", "autoConfirmed -> Confirmed"]
                    participated: { liveMinutesAbove: 2.5, vodMinutesAbove: 5, playsAbove: 1 }
                    settleWindow: 2h
                """
        )
        let rules = try #require(try TestSupport.parse(document).get().tenantDirectory.rules(for: "acme"))
        #expect(rules.statusMapping.overrides == [.registeredNoConfirmationRequired: .confirmed])
        #expect(
            rules.allowedBackwardTransitions == [
                StatusTransition(from: .blocked, to: .registered),
                StatusTransition(from: .autoConfirmed, to: .confirmed),
            ]
        )
        #expect(rules.participatedRule == ParticipatedRule(liveMinutesAbove: 2.5, vodMinutesAbove: 5, playsAbove: 1))
        #expect(rules.settleWindowMilliseconds == 7_200_000)
        #expect(rules.targets(for: "summit-2026") == [.marketo(programId: 1001)])
    }

    @Test("A mapping for a destination the tenant does not enable is kept but yields no target")
    func disabledDestinationMapping() throws {
        let document = TestSupport.minimal()
            .replacingFirst(
                "{ marketoProgramId: 1001 }",
                with: "{ marketoProgramId: 1001, salesforceCampaignId: 701Dn0000000001IAA }"
            )
        let directory = try TestSupport.parse(document).get().tenantDirectory
        #expect(
            directory.rules(for: "acme")?.eventMappings["summit-2026"]?.salesforceCampaignId == "701Dn0000000001IAA"
        )
        #expect(directory.rules(for: "acme")?.targets(for: "summit-2026") == [.marketo(programId: 1001)])
        #expect(directory.rules(for: "globex") == nil)
    }

    @Test("The same document in JSON loads to the same configuration")
    func jsonDocument() throws {
        let json = """
            {
            \t"observability": {"logLevel": "debug", "logEmails": true},
            \t"tenants": [
            \t\t{
            \t\t\t"tenant": "acme",
            \t\t\t"destinations": ["marketo"],
            \t\t\t"events": {"summit-2026": {"marketoProgramId": 1001}},
            \t\t\t"marketo": {"munchkinId": "123-ABC-456", "clientId": "client", "clientSecret": {"env": "ACME_SECRET"}}
            \t\t}
            \t]
            }
            """
        let fromJSON = try TestSupport.parse(json, fileName: "leadsync.json").get()
        let fromYAML = try TestSupport.parse(
            TestSupport.minimal(top: "observability: { logLevel: debug, logEmails: true }")
        ).get()
        #expect(fromJSON == fromYAML)
        #expect(fromJSON.observability.logEmails)
    }
}
