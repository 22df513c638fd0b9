import Foundation
import HTTPTransport
import Logging
import Marketo
import SandboxMarketo
import Testing

/// The Marketo client over libcurl when connections die: 5% dropped (closed without an answer) and 5% stalled
/// (the server goes silent), as the fault storm had them.
@Suite("Marketo client: dropped and stalled connections")
struct DeadConnectionTests {
    @Test(
        "5% dropped and 5% stalled: no call outlasts the low-speed window (plus a retry), no body arrives empty or cut"
    )
    func droppedAndStalled() async throws {
        var limits = MarketoSandboxSetup.Limits()
        limits.callsPerWindow = 100_000
        limits.maxConcurrentCalls = 100
        let h = try await SandboxHarness.start([SandboxHarness.subscription("DEAD-1", limits: limits)])
        let window = Duration.seconds(2)
        let client = try MarketoClient(
            configuration: MarketoClientConfiguration(
                baseURL: h.baseURL,
                clientId: "DEAD-1-id",
                clientSecret: "DEAD-1-secret",
                requestTimeout: .seconds(60),
                logger: Logger(label: "test.dead", factory: { _ in SwiftLogNoOpLogHandler() }),
                http: HTTPTransportSettings(lowSpeedWindow: window)
            )
        )
        _ = try await client.describeLeads()
        _ = h.sandbox.addFault(
            MarketoFault(
                munchkinId: "DEAD-1",
                endpoint: "/rest/v1/leads.json",
                rate: 0.05,
                dropConnection: true,
                seed: 11
            )
        )
        _ = h.sandbox.addFault(
            MarketoFault(munchkinId: "DEAD-1", endpoint: "/rest/v1/leads.json", rate: 0.05, latencyMs: 5_000, seed: 12)
        )
        let calls = 160
        let results = await withTaskGroup(of: [(Duration, MarketoError?)].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var mine: [(Duration, MarketoError?)] = []
                    for index in stride(from: worker, to: calls, by: 4) {
                        let started = ContinuousClock.now
                        do {
                            _ = try await client.syncLeads([["email": .string("dead\(index)@example.com")]])
                            mine.append((ContinuousClock.now - started, nil))
                        } catch let error as MarketoError {
                            mine.append((ContinuousClock.now - started, error))
                        } catch {
                            mine.append((ContinuousClock.now - started, nil))
                        }
                    }
                    return mine
                }
            }
            var all: [(Duration, MarketoError?)] = []
            for await part in group { all += part }
            return all
        }
        let longest = results.map(\.0).max() ?? .zero
        let stalled = results.filter { $0.1?.message.hasPrefix("connection stalled") == true }
        let dropped = results.filter { $0.1?.message.hasPrefix("connection dropped") == true }
        #expect(
            !stalled.isEmpty && !dropped.isEmpty,
            "both faults fired: \(stalled.count) stalled, \(dropped.count) dropped"
        )
        #expect(stalled.allSatisfy { $0.0 >= window }, "a stalled call failed before the window")
        #expect(longest < window * 2 + .seconds(1), "the longest call took \(longest)")
        #expect(results.compactMap(\.1).allSatisfy { $0.failureClass == .retry && $0.mayHaveBeenProcessed })

        // The stalled calls end at the sandbox 5 s after they arrived; then the log is complete.
        let deadline = ContinuousClock.now + .seconds(15)
        var logged: [SandboxCall] = []
        while ContinuousClock.now < deadline {
            logged = h.calls("DEAD-1").filter { $0.endpoint == "/rest/v1/leads.json" }
            if logged.count >= calls { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(logged.count == calls, "each call reached the sandbox once: \(logged.count) for \(calls)")
        let bad = logged.filter { $0.requestBytes == 0 || $0.declaredBytes != $0.requestBytes || $0.errorCode == "609" }
        #expect(bad.isEmpty, "requests with an empty or truncated body: \(bad.count)")
    }
}
