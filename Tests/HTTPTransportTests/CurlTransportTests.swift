import Foundation
import HTTPTransport
import SandboxMarketo
import Testing

/// libcurl as the CRM clients use it, against a real HTTP server on loopback: exact bodies, no silent resend,
/// dead connections found within the low-speed window, and whether a failed request may have been processed.
@Suite("CurlTransport: exact bodies, no silent resend, dead connections in seconds", .serialized)
struct CurlTransportTests {
    @Test("a POST arrives with exactly its body, and the answer comes back whole")
    func roundTrip() async throws {
        let server = try await TransportSandbox.fresh()
        let transport = try CurlTransport()
        let token = try await server.token(transport)
        let emails = (0..<200).map { "lead\($0)@example.com" }
        let request = server.syncLeads(emails, token: token)
        let response = try await transport.send(request)
        #expect(response.status == 200)
        #expect(response.header("content-type")?.hasPrefix("application/json") == true)
        let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        #expect((object?["result"] as? [Any])?.count == 200)
        let calls = server.leadCalls
        #expect(calls.count == 1)
        #expect(calls.first?.requestBytes == request.body?.count)
        #expect(calls.first?.declaredBytes == request.body?.count)
        #expect(Set(server.storedEmails) == Set(emails))
    }

    @Test("a connection dropped on a reused connection fails the call once: no resend, no empty body")
    func droppedReusedConnection() async throws {
        let server = try await TransportSandbox.fresh()
        let transport = try CurlTransport()
        let token = try await server.token(transport)
        // Two calls open and reuse a pooled connection; the third is dropped after its body arrived.
        for index in 0..<2 {
            _ = try await transport.send(server.syncLeads(["warm\(index)@example.com"], token: token))
        }
        _ = server.sandbox.addFault(MarketoFault(endpoint: "/rest/v1/leads.json", remaining: 1, dropConnection: true))
        let dropped = server.syncLeads(["dropped@example.com"], token: token)
        do {
            _ = try await transport.send(dropped)
            Issue.record("the dropped call succeeded")
        } catch {
            #expect(error.kind == .connectionLost, "\(error)")
            #expect(error.mayHaveBeenProcessed, "the request had left: its outcome is unknown")
        }
        // The next call works on a fresh connection.
        let after = try await transport.send(server.syncLeads(["after@example.com"], token: token))
        #expect(after.status == 200)
        let calls = server.leadCalls
        #expect(calls.count == 4, "two warm-up calls, the dropped one once, the one after: \(calls.map(\.httpStatus))")
        #expect(
            calls.allSatisfy { $0.requestBytes > 0 && $0.requestBytes == $0.declaredBytes },
            "no empty or truncated body"
        )
        #expect(calls.allSatisfy { $0.errorCode != "609" })
        #expect(!server.storedEmails.contains("dropped@example.com"), "the dropped call was not carried out")
    }

    @Test("an answer lost after the call was carried out is reported as possibly processed")
    func droppedAfterProcessing() async throws {
        let server = try await TransportSandbox.fresh()
        let transport = try CurlTransport()
        let token = try await server.token(transport)
        _ = server.sandbox.addFault(
            MarketoFault(endpoint: "/rest/v1/leads.json", remaining: 1, dropAfterProcessing: true)
        )
        do {
            _ = try await transport.send(server.syncLeads(["processed@example.com"], token: token))
            Issue.record("the call succeeded")
        } catch {
            #expect(error.kind == .connectionLost, "\(error)")
            #expect(error.mayHaveBeenProcessed)
        }
        #expect(server.storedEmails.contains("processed@example.com"))
        #expect(server.leadCalls.count == 1, "sent once")
    }

    @Test("a server that stops answering fails the call as stalled after the low-speed window, not the request timeout")
    func stalledServer() async throws {
        let server = try await TransportSandbox.fresh()
        let transport = try CurlTransport(
            settings: HTTPTransportSettings(lowSpeedWindow: .seconds(1), requestTimeout: .seconds(60))
        )
        let token = try await server.token(transport)
        _ = server.sandbox.addFault(MarketoFault(endpoint: "/rest/v1/leads.json", remaining: 1, latencyMs: 8_000))
        let started = ContinuousClock.now
        do {
            _ = try await transport.send(server.syncLeads(["slow@example.com"], token: token))
            Issue.record("the stalled call succeeded")
        } catch {
            #expect(error.kind == .stalled, "\(error)")
            #expect(error.mayHaveBeenProcessed)
        }
        let elapsed = ContinuousClock.now - started
        // The window is 1 s; the server would have answered after 8 s and the request timeout is 60 s.
        #expect(elapsed < .seconds(6), "failed after \(elapsed)")
    }

    @Test("nothing listening: the call fails at once and is known not to have been sent")
    func refusedConnection() async throws {
        let transport = try CurlTransport(settings: HTTPTransportSettings(connectTimeout: .seconds(2)))
        let url = try #require(URL(string: "http://127.0.0.1:1/rest/v1/leads.json"))
        do {
            _ = try await transport.send(HTTPRequest(method: "POST", url: url, body: Data("{}".utf8)))
            Issue.record("a call to port 1 succeeded")
        } catch {
            #expect(error.kind == .cannotConnect, "\(error)")
            #expect(!error.mayHaveBeenProcessed)
        }
    }

    @Test("waiting on slow answers costs no CPU, and a cancelled call ends at once")
    func idleWaitAndCancellation() async throws {
        let server = try await TransportSandbox.fresh()
        // The transport's thread is named leadsync-curl-Z (Linux keeps 15 characters): its own CPU time is read, so
        // other tests running meanwhile do not count.
        let transport = try CurlTransport(settings: HTTPTransportSettings(lowSpeedWindow: .seconds(30)), label: "Zcpu")
        let token = try await server.token(transport)
        _ = server.sandbox.addFault(MarketoFault(endpoint: "/rest/v1/leads.json", remaining: 8, latencyMs: 2_000))
        let before = try #require(Self.threadCPUSeconds(named: "leadsync-curl-Z"))
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await transport.send(server.syncLeads(["wait\(index)@example.com"], token: token)).status
                }
            }
            for try await status in group { #expect(status == 200) }
        }
        let cpu = try #require(Self.threadCPUSeconds(named: "leadsync-curl-Z")) - before
        // Eight calls waited about 2 s together; a busy wait would burn about that much CPU on the loop thread.
        #expect(cpu < 0.5, "the transport thread's CPU seconds while waiting: \(cpu)")

        _ = server.sandbox.addFault(MarketoFault(endpoint: "/rest/v1/leads.json", remaining: 1, latencyMs: 10_000))
        let call = Task { try await transport.send(server.syncLeads(["cancelled@example.com"], token: token)) }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        call.cancel()
        do {
            _ = try await call.value
            Issue.record("the cancelled call succeeded")
        } catch let error as HTTPTransportError {
            #expect(error.kind == .cancelled)
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    /// User plus system CPU seconds of this process's thread with that name (`/proc/self/task/*/stat`).
    static func threadCPUSeconds(named name: String) -> Double? {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for task in tasks {
            let comm = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
            guard comm.trimmingCharacters(in: .whitespacesAndNewlines) == name,
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15, in clock ticks.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
            return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }
        return nil
    }
}
