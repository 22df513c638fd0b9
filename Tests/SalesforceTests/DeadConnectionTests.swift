import Foundation
import HTTPTransport
import Logging
import Salesforce
import SandboxSalesforce
import Testing

/// The Salesforce client over libcurl when connections die: 5% dropped and 5% stalled.
@Suite("Salesforce client: dropped and stalled connections")
struct DeadConnectionTests {
    @Test(
        "5% dropped and 5% stalled: no call outlasts the low-speed window (plus a retry), no body arrives empty or cut"
    )
    func droppedAndStalled() async throws {
        let fixture = try await SandboxFixture.start()
        let window = Duration.seconds(2)
        let client = SalesforceClient(
            configuration: SalesforceClientConfiguration(
                loginURL: fixture.baseURL,
                apiVersion: "v62.0",
                credentials: .clientCredentials(clientId: fixture.org.clientId, clientSecret: fixture.org.clientSecret),
                requestTimeout: .seconds(60),
                logger: Logger(label: "test.dead", factory: { _ in SwiftLogNoOpLogHandler() }),
                http: HTTPTransportSettings(lowSpeedWindow: window)
            )
        )
        _ = try await client.limits()
        _ = fixture.sandbox.inject(SandboxFault(kind: .drop, endpoint: "collections", rate: 0.05, seed: 21))
        _ = fixture.sandbox.inject(
            SandboxFault(kind: .latency, endpoint: "collections", rate: 0.05, latencyMilliseconds: 5_000, seed: 22)
        )
        let calls = 160
        let results = await withTaskGroup(of: [(Duration, SalesforceError?)].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var mine: [(Duration, SalesforceError?)] = []
                    for index in stride(from: worker, to: calls, by: 4) {
                        let lead = SalesforceRecord(
                            type: "Lead",
                            fields: [
                                "LastName": .string("Dead \(index)"), "Company": .string("Acme"),
                                "Email": .string("dead\(index)@example.com"),
                            ]
                        )
                        let started = ContinuousClock.now
                        do {
                            _ = try await client.createRecords([lead])
                            mine.append((ContinuousClock.now - started, nil))
                        } catch let error as SalesforceError {
                            mine.append((ContinuousClock.now - started, error))
                        } catch {
                            Issue.record("not a SalesforceError: \(error)")
                        }
                    }
                    return mine
                }
            }
            var all: [(Duration, SalesforceError?)] = []
            for await part in group { all += part }
            return all
        }
        let longest = results.map(\.0).max() ?? .zero
        let stalled = results.filter { $0.1?.message.contains("stalled") == true }
        let dropped = results.filter { $0.1?.message.contains("connection_lost") == true }
        #expect(
            !stalled.isEmpty && !dropped.isEmpty,
            "both faults fired: \(stalled.count) stalled, \(dropped.count) dropped"
        )
        #expect(stalled.allSatisfy { $0.0 >= window }, "a stalled call failed before the window")
        #expect(longest < window * 2 + .seconds(1), "the longest call took \(longest)")
        #expect(results.compactMap(\.1).allSatisfy { $0.classification == .retry && $0.mayHaveBeenProcessed })

        let deadline = ContinuousClock.now + .seconds(15)
        var logged: [SandboxCall] = []
        while ContinuousClock.now < deadline {
            logged = fixture.calls("collections.create")
            if logged.count >= calls { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(logged.count == calls, "each call reached the sandbox once: \(logged.count) for \(calls)")
        let processed = logged.filter { $0.httpStatus != 0 }
        #expect(!processed.isEmpty)
        #expect(processed.allSatisfy { $0.requestBytes > 0 }, "a request arrived with an empty body")
        #expect(processed.allSatisfy { $0.errorCode != "JSON_PARSER_ERROR" })
    }
}
