import Foundation
import Marketo
import SandboxMarketo
import Testing

@Suite("Error classes from the sandbox")
struct ErrorClassTests {
    static let harness = Task {
        var window = MarketoSandboxSetup.Limits()
        window.callsPerWindow = 3
        var quota = MarketoSandboxSetup.Limits()
        quota.dailyQuota = 4
        return try await SandboxHarness.start([
            SandboxHarness.subscription("ERR-FAULT"), SandboxHarness.subscription("ERR-WINDOW", limits: window),
            SandboxHarness.subscription("ERR-QUOTA", limits: quota), SandboxHarness.subscription("ERR-SIZE"),
            SandboxHarness.subscription("ERR-DROP"),
        ])
    }

    private static let describePath = "/rest/v1/leads/describe.json"

    @Test(
        "Injected faults map to their class",
        .serialized,
        arguments: [
            (
                MarketoFault(errorCode: "606", errorMessage: "Max rate limit '100' exceeded with in '20' secs"), "606",
                MarketoFailureClass.rateLimited
            ),
            (MarketoFault(errorCode: "615", errorMessage: "Concurrent access limit '10' reached"), "615", .rateLimited),
            (MarketoFault(errorCode: "604", errorMessage: "Request time-out"), "604", .retry),
            (MarketoFault(errorCode: "608", errorMessage: "API Temporarily Unavailable"), "608", .retry),
            (MarketoFault(errorCode: "611", errorMessage: "System error"), "611", .retry),
            (MarketoFault(errorCode: "713", errorMessage: "Transient Error"), "713", .retry),
            (MarketoFault(errorCode: "603", errorMessage: "Access denied"), "603", .permanent),
            (MarketoFault(httpStatus: 503), "http_503", .retry),
            (MarketoFault(httpStatus: 502), "http_502", .retry),
        ]
    )
    func injected(fault: MarketoFault, resultCode: String, failureClass: MarketoFailureClass) async throws {
        let h = try await Self.harness.value
        let munchkinId = "ERR-FAULT"
        let recorder = CallRecorder()
        let client = try h.client(munchkinId, recorder: recorder)
        var rule = fault
        rule.munchkinId = munchkinId
        rule.endpoint = "/rest/v1/activities/external/types.json"
        rule.remaining = 1
        // The cases run one after the other (`.serialized`): each rule is spent by exactly this call.
        let added = h.sandbox.addFault(rule)
        defer { h.sandbox.removeFaults(id: added.id) }
        let error = try await #require(throws: MarketoError.self) { try await client.customActivityTypes() }
        #expect(error.resultCode == resultCode)
        #expect(error.failureClass == failureClass)
        #expect(error.endpoint == .customActivityTypes)
        if resultCode.hasPrefix("http_") {
            #expect(error.code == .http)
        } else {
            #expect(error.code == .api)
            #expect(error.httpStatus == 200)
            #expect(error.requestId != nil)
        }
        #expect(recorder.calls(.customActivityTypes).map(\.resultCode) == [resultCode])
    }

    @Test("A dropped connection is a transport error, class retry")
    func droppedConnection() async throws {
        let h = try await Self.harness.value
        let recorder = CallRecorder()
        let client = try h.client("ERR-DROP", recorder: recorder)
        _ = try await client.describeLeads()
        let rule = h.sandbox.addFault(
            MarketoFault(munchkinId: "ERR-DROP", endpoint: Self.describePath, dropConnection: true)
        )
        let error = try await #require(throws: MarketoError.self) { try await client.describeLeads() }
        h.sandbox.removeFaults(id: rule.id)
        #expect(error.code == .transport)
        #expect(error.failureClass == .retry)
        #expect(error.httpStatus == nil)
        // libcurl resends once on a reused connection that closes before any byte: one or two dropped calls.
        let dropped = h.calls("ERR-DROP").count { $0.httpStatus == 0 }
        #expect((1...2).contains(dropped))
        #expect(try await client.describeLeads().isEmpty == false)
        #expect(recorder.calls(.describeLeads).map(\.resultCode) == ["ok", "transport", "ok"])
    }

    @Test("The rolling window (606) is rateLimited; the daily quota (607) is quotaExhausted")
    func windowAndQuota() async throws {
        let h = try await Self.harness.value
        let windowed = try h.client("ERR-WINDOW")
        for _ in 0..<3 { _ = try await windowed.describeLeads() }
        let limited = try await #require(throws: MarketoError.self) { try await windowed.describeLeads() }
        #expect(limited.marketoCode == "606")
        #expect(limited.failureClass == .rateLimited)

        let quota = try h.client("ERR-QUOTA")
        let usage = try await quota.usage()
        #expect(usage.first?.total == 1)
        for _ in 0..<3 { _ = try await quota.describeLeads() }
        let spent = try await #require(throws: MarketoError.self) { try await quota.describeLeads() }
        #expect(spent.marketoCode == "607")
        #expect(spent.failureClass == .quotaExhausted)
        #expect(spent.message == "Daily quota reached")
        let usageSpent = try await #require(throws: MarketoError.self) { try await quota.usage() }
        #expect(usageSpent.failureClass == .quotaExhausted)
        #expect(h.sandbox.counters(munchkinId: "ERR-QUOTA").countedCalls == 4)
    }

    @Test("301 records is 1003 for the whole call and 1 MB+ bodies are HTTP 413: both permanent, nothing written")
    func sizeLimits() async throws {
        let h = try await Self.harness.value
        let client = try h.client("ERR-SIZE")
        let tooMany = try await #require(throws: MarketoError.self) {
            try await client.syncLeads((0..<301).map { ["email": .string("many\($0)@example.com")] })
        }
        #expect(tooMany.marketoCode == "1003")
        #expect(tooMany.failureClass == .permanent)

        let filler = String(repeating: "y", count: 4_000)
        let tooLarge = try await #require(throws: MarketoError.self) {
            try await client.syncLeads(
                (0..<300).map { ["email": .string("big\($0)@example.com"), "title": .string(filler)] }
            )
        }
        #expect(tooLarge.code == .http)
        #expect(tooLarge.httpStatus == 413)
        #expect(tooLarge.failureClass == .permanent)
        #expect(try h.snapshot("ERR-SIZE").leads.isEmpty)
    }

    @Test("The reference's error table, code by code")
    func classificationTable() {
        let expected: [MarketoFailureClass: [String]] = [
            .reauth: ["601", "602"],
            .retry: ["502", "604", "608", "611", "614", "713", "719", "500", "1016", "1019", "1029"],
            .rateLimited: ["606", "615"],
            .quotaExhausted: ["607"],
            .permanent: [
                "603", "605", "609", "610", "612", "613", "616", "701", "702", "703", "704", "709", "710", "711",
                "712", "714", "718", "1001", "1002", "1003", "1004", "1005", "1006", "1007", "1025", "1036", "1049",
                "9999",
            ],
        ]
        for (failureClass, codes) in expected {
            for code in codes {
                #expect(MarketoFailureClass.classify(marketoCode: code) == failureClass, "code \(code)")
            }
        }
        #expect(
            MarketoFailureClass.classify(marketoCode: "1029", message: "Export daily quota 500MB exceeded")
                == .quotaExhausted
        )
        #expect(
            MarketoFailureClass.classify(
                marketoCode: nil,
                message: "There are 10 imports currently being processed. Please try again later"
            ) == .retry
        )
        #expect(MarketoFailureClass.classify(httpStatus: 413) == .permanent)
        #expect(MarketoFailureClass.classify(httpStatus: 414) == .permanent)
        #expect(MarketoFailureClass.classify(httpStatus: 504) == .retry)
    }
}
