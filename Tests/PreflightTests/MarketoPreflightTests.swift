import Config
import Foundation
import LeadModel
import Preflight
import SandboxMarketo
import Testing

@Suite("leadsync doctor against the Marketo sandbox")
struct MarketoPreflightTests {
    static func marketoOnly(_ report: PreflightReport) -> PreflightReport {
        PreflightReport(checks: report.checks.filter { $0.destination == .marketo })
    }

    @Test("A busy rate window (606 four times: more than a 5xx gets) and a 503 are read again, not failed checks")
    func rateLimitedAndTransientReadsAreReadAgain() async throws {
        let fixture = try await CRMFixture.start()
        let limited = fixture.marketo.addFault(
            MarketoFault(
                endpoint: "/rest/v1/customobjects/kalturaUserSessionEngagement/describe.json",
                remaining: 4,
                errorCode: "606",
                errorMessage: "Max rate limit '100' exceeded with in '20' secs"
            )
        )
        let unavailable = fixture.marketo.addFault(
            MarketoFault(endpoint: "/rest/asset/v1/program/1001.json", remaining: 1, httpStatus: 503)
        )
        defer { _ = fixture.marketo.removeFaults(id: limited.id) }
        defer { _ = fixture.marketo.removeFaults(id: unavailable.id) }
        let report = Self.marketoOnly(await fixture.doctor(try fixture.config()))
        #expect(report.passed, "\(report.table())")
        #expect(report.checks.allSatisfy { $0.outcome == .pass }, "\(report.table())")
        let calls = fixture.marketo.calls()
        #expect(calls.count { $0.errorCode == "606" } == 4, "the 606s were answered: \(calls.map(\.path))")
        #expect(calls.count { $0.httpStatus == 503 } == 1, "the 503 was answered")
    }

    @Test("docs/crm-setup.md's subscription passes every check")
    func standardSetupPasses() async throws {
        let fixture = try await CRMFixture.start()
        let report = Self.marketoOnly(await fixture.doctor(try fixture.config()))
        #expect(report.passed, "\(report.table())")
        #expect(report.checks.allSatisfy { $0.outcome == .pass }, "\(report.table())")
        for item in [
            "credentials (munchkin 123-ABC-456, client id leadsync-client-id)", "program 1001 (event summit-2026)",
            "program 1002 (event webinar-7)", "channel \"Virtual Event\" statuses",
            "custom activity type userSessionEngagement", "custom activity type userSessionEngagement attributes",
            "custom object kalturaUserSessionEngagement", "custom object kalturaUserSessionEngagement fields",
            "custom object kalturaUserSessionEngagement dedupe fields",
            "custom object kalturaUserSessionEngagement lead link personId", "daily API quota",
        ] {
            #expect(report.check(item)?.outcome == .pass, "\(item): \(report.table())")
        }
    }

    @Test("A channel without a status: doctor names the status and how to add it")
    func missingStatus() async throws {
        var subscription = CRMFixture.marketoSubscription()
        subscription.channels[0].statuses.removeAll { $0.name == "Attended" }
        let fixture = try await CRMFixture.start(marketo: subscription)
        let report = Self.marketoOnly(await fixture.doctor(try fixture.config()))
        #expect(report.failedItems == ["channel \"Virtual Event\" status \"Attended\""], "\(report.table())")
        let check = try #require(report.check("channel \"Virtual Event\" status \"Attended\""))
        #expect(check.blocking == false)
        #expect(check.fix?.contains("add the status \"Attended\" (step 50, success)") == true)
        #expect(check.fix?.contains("Admin > Tags > Channels > \"Virtual Event\"") == true)
    }

    @Test("Steps that turn a forward move into a backward one are found")
    func invertedSteps() async throws {
        var subscription = CRMFixture.marketoSubscription()
        let index = try #require(subscription.channels[0].statuses.firstIndex { $0.name == "Attended" })
        subscription.channels[0].statuses[index].step = 35
        let fixture = try await CRMFixture.start(marketo: subscription)
        let report = Self.marketoOnly(await fixture.doctor(try fixture.config()))
        #expect(report.failedItems == ["channel \"Virtual Event\" steps"], "\(report.table())")
        #expect(
            report.check("channel \"Virtual Event\" steps")?.detail.contains("Confirmed (step 40) -> Attended") == true
        )
    }

    @Test("No custom activity type: doctor names it, blocks the writer and says how to create it")
    func missingActivityType() async throws {
        var subscription = CRMFixture.marketoSubscription()
        subscription.activityTypes = []
        let fixture = try await CRMFixture.start(marketo: subscription)
        let report = Self.marketoOnly(await fixture.doctor(try fixture.config()))
        #expect(report.failedItems == ["custom activity type userSessionEngagement"], "\(report.table())")
        let check = try #require(report.check("custom activity type userSessionEngagement"))
        #expect(check.blocking)
        #expect(
            check.fix?.contains("Marketo Custom Activities > New Custom Activity (API name userSessionEngagement")
                == true
        )
    }

    @Test("A draft activity type: doctor says to approve it")
    func draftActivityType() async throws {
        var subscription = CRMFixture.marketoSubscription()
        subscription.activityTypes[0].status = "draft"
        let fixture = try await CRMFixture.start(marketo: subscription)
        let report = Self.marketoOnly(await fixture.doctor(try fixture.config()))
        #expect(report.failedItems == ["custom activity type userSessionEngagement"], "\(report.table())")
        #expect(report.check("custom activity type userSessionEngagement")?.fix?.contains("Approve Activity") == true)
    }

    @Test("An activity type without an attribute: doctor names the attribute")
    func missingAttribute() async throws {
        var subscription = CRMFixture.marketoSubscription()
        subscription.activityTypes[0].attributes.removeAll { $0.name == "channel_name" }
        let fixture = try await CRMFixture.start(marketo: subscription)
        let report = Self.marketoOnly(await fixture.doctor(try fixture.config()))
        let item = "custom activity type userSessionEngagement attribute channel_name"
        #expect(report.failedItems == [item], "\(report.table())")
        let check = try #require(report.check(item))
        #expect(check.blocking == false)
        #expect(check.fix?.contains("add the field channel_name (String)") == true)
    }

    @Test("No custom object: doctor names it, blocks the writer and says how to create it")
    func missingCustomObject() async throws {
        var subscription = CRMFixture.marketoSubscription()
        subscription.customObjects = []
        let fixture = try await CRMFixture.start(marketo: subscription)
        let report = Self.marketoOnly(await fixture.doctor(try fixture.config()))
        #expect(report.failedItems == ["custom object kalturaUserSessionEngagement"], "\(report.table())")
        let check = try #require(report.check("custom object kalturaUserSessionEngagement"))
        #expect(check.blocking)
        #expect(check.fix?.contains("New Custom Object (API name kalturaUserSessionEngagement") == true)
    }

    @Test("A draft custom object: doctor says to approve it")
    func draftCustomObject() async throws {
        var subscription = CRMFixture.marketoSubscription()
        subscription.customObjects[0].state = "draft"
        let fixture = try await CRMFixture.start(marketo: subscription)
        let report = Self.marketoOnly(await fixture.doctor(try fixture.config()))
        #expect(report.failedItems == ["custom object kalturaUserSessionEngagement"], "\(report.table())")
        #expect(report.check("custom object kalturaUserSessionEngagement")?.fix?.contains("Approve Object") == true)
    }

    @Test("A program the configuration maps but Marketo lacks: doctor names it and the setting")
    func missingProgram() async throws {
        let fixture = try await CRMFixture.start()
        let config = try fixture.config(
            events: "      summit-2026: { marketoProgramId: 1009, salesforceCampaignId: \(CRMFixture.campaign) }"
        )
        let report = Self.marketoOnly(await fixture.doctor(config))
        #expect(report.failedItems == ["program 1009 (event summit-2026)"], "\(report.table())")
        let check = try #require(report.check("program 1009 (event summit-2026)"))
        #expect(check.blocking)
        #expect(check.fix?.contains("tenants[].events[\"summit-2026\"].marketoProgramId") == true)
    }

    @Test("Wrong credentials fail first and stop the other checks")
    func wrongSecret() async throws {
        var subscription = CRMFixture.marketoSubscription()
        subscription.clientSecret = "another"
        let fixture = try await CRMFixture.start(marketo: subscription)
        let report = Self.marketoOnly(await fixture.doctor(try fixture.config()))
        #expect(report.checks.count == 1)
        let check = try #require(report.checks.first)
        #expect(check.outcome == .fail && check.blocking)
        #expect(check.fix?.contains("LaunchPoint > LeadSync > View Details") == true)
    }

    @Test("A renamed custom object and activity type pass through configuration alone")
    func renamedObjects() async throws {
        var subscription = CRMFixture.marketoSubscription()
        subscription.customObjects[0].name = "sessionEngagement_c"
        if let index = subscription.customObjects[0].fields.firstIndex(where: { $0.name == "entry_id" }) {
            subscription.customObjects[0].fields[index].name = "session_id"
        }
        subscription.customObjects[0].dedupeFields = ["session_id", "personId"]
        subscription.activityTypes[0].apiName = "sessionActivity"
        let fixture = try await CRMFixture.start(marketo: subscription)
        let stale = Self.marketoOnly(await fixture.doctor(try fixture.config()))
        #expect(
            stale.failedItems == [
                "custom activity type userSessionEngagement", "custom object kalturaUserSessionEngagement",
            ]
        )
        let config = try fixture.config(
            marketo: """
                      activityType: { apiName: sessionActivity }
                      customObject:
                        apiName: sessionEngagement_c
                        fields: { entryId: session_id }
                """
        )
        let report = Self.marketoOnly(await fixture.doctor(config))
        #expect(report.passed, "\(report.table())")
    }
}
