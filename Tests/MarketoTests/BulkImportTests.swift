import Foundation
import Marketo
import SandboxMarketo
import Testing

/// The tests move the sandbox's clock to finish jobs: they run serialized.
@Suite("Bulk imports: program members, leads, custom objects", .serialized)
struct BulkImportTests {
    static let harness = Task {
        try await SandboxHarness.start([
            SandboxHarness.subscription("BULK-PM"), SandboxHarness.subscription("BULK-LEAD"),
            SandboxHarness.subscription("BULK-CO"), SandboxHarness.subscription("BULK-QUEUE"),
        ])
    }

    @Test("Program member import end to end: queued, complete, failures and warnings files parsed")
    func programMembers() async throws {
        let h = try await Self.harness.value
        let recorder = CallRecorder()
        let client = try h.client("BULK-PM", recorder: recorder)
        let ahead = try #require(try await client.syncLeads([["email": "ahead@example.com"]]).records.first?.leadId)
        _ = try await client.syncProgramMemberStatus(programId: 1001, statusName: "Attended", leadIds: [ahead])

        let file = MarketoDelimitedFile(
            header: ["email", "firstName", "company"],
            rows: [
                ["new1@example.com", "Ada", "Analytical Engines"],
                ["new2@example.com", "Grace", "Hopper, Navy & Co"],
                ["not-an-email", "Bad", ""],
                ["", "Nobody", "Ghost \"Ltd\""],
                ["ahead@example.com", "Ahead", ""],
            ]
        )
        let job = try await client.importProgramMembers(programId: 1001, statusName: "Registered", file)
        #expect(job.status == .queued)
        #expect(job.kind == .programMembers(programId: 1001))
        let running = try await client.bulkImportStatus(job)
        #expect(!running.state.isFinished)
        #expect(try await client.bulkImportFailures(job).rows.isEmpty)

        h.clock.advance(by: 2)
        let done = try await client.waitForBulkImport(job, pollInterval: .milliseconds(10), timeout: .seconds(5))
        #expect(done.state == .complete)
        #expect(done.batchId == job.batchId)
        #expect(done.processedRows == 3)
        #expect(done.failedRows == 2)
        #expect(done.warningRows == 1)

        let failures = try await client.bulkImportFailures(job)
        #expect(failures.header == ["email", "firstName", "company", MarketoDelimitedFile.failureReasonColumn])
        #expect(failures.rows.count == 2)
        #expect(failures.column("email") == ["not-an-email", ""])
        #expect(failures.column("company") == ["", "Ghost \"Ltd\""])
        #expect(failures.column(MarketoDelimitedFile.failureReasonColumn)?.allSatisfy { !$0.isEmpty } == true)
        #expect(
            failures.records.last?[MarketoDelimitedFile.failureReasonColumn]
                == "Value for lookup field 'email' not found"
        )
        let warnings = try await client.bulkImportWarnings(job)
        #expect(warnings.column("email") == ["ahead@example.com"])
        #expect(
            warnings.records.first?[MarketoDelimitedFile.warningReasonColumn]?.contains("already in or past") == true
        )

        let snapshot = try h.snapshot("BULK-PM")
        let new2 = try #require(snapshot.leads(withEmail: "new2@example.com").first)
        #expect(new2.fields["company"] == .string("Hopper, Navy & Co"))
        #expect(snapshot.membership(programId: 1001, leadId: new2.id)?.statusName == "Registered")
        #expect(snapshot.membership(programId: 1001, leadId: ahead)?.statusName == "Attended")
        #expect(snapshot.imports.first?.rows == 5)
        #expect(recorder.calls(.importProgramMembers).map(\.records) == [5])
        #expect(recorder.calls(.bulkImportStatus).count >= 2)
    }

    @Test("Lead and custom object imports; a custom object failures file names the missing dedupe field")
    func leadsAndCustomObjects() async throws {
        let h = try await Self.harness.value
        let client = try h.client("BULK-LEAD")
        let leads = MarketoDelimitedFile(
            records: [
                ["email": "bulk1@example.com", "leadScore": 10], ["email": "bulk2@example.com", "leadScore": "many"],
            ]
        )
        let leadJob = try await client.importLeads(leads)
        h.clock.advance(by: 2)
        let leadStatus = try await client.waitForBulkImport(leadJob, pollInterval: .milliseconds(10))
        #expect(leadStatus.state == .complete)
        #expect(leadStatus.processedRows == 1)
        #expect(leadStatus.failedRows == 1)
        let leadFailures = try await client.bulkImportFailures(leadJob)
        #expect(leadFailures.column("email") == ["bulk2@example.com"])
        let leadId = try #require(try h.snapshot("BULK-LEAD").leads(withEmail: "bulk1@example.com").first?.id)
        #expect(try h.snapshot("BULK-LEAD").leads.first?.fields["leadScore"] == .int(10))

        let objects = MarketoDelimitedFile(
            header: ["entry_id", "personId", "plays"],
            rows: [["1_a", String(leadId), "3"], ["", String(leadId), "1"]]
        )
        let objectJob = try await client.importCustomObjects(name: "kalturaUserSessionEngagement", objects)
        h.clock.advance(by: 2)
        let objectStatus = try await client.waitForBulkImport(objectJob, pollInterval: .milliseconds(10))
        #expect(objectStatus.processedRows == 1)
        #expect(objectStatus.failedRows == 1)
        let objectFailures = try await client.bulkImportFailures(objectJob)
        #expect(objectFailures.column(MarketoDelimitedFile.failureReasonColumn) == ["missing.dedupe.fields"])
        #expect(try await client.bulkImportWarnings(objectJob).rows.isEmpty)
        let stored = try h.snapshot("BULK-LEAD").customObjects(named: "kalturaUserSessionEngagement")
        #expect(stored.map { $0.fields["plays"] } == [.int(3)])
    }

    @Test("The eleventh queued import is 1016 (class retry); a poll that outlasts its timeout is timedOut")
    func queueFullAndTimeout() async throws {
        let h = try await Self.harness.value
        let client = try h.client("BULK-QUEUE")
        var jobs: [MarketoBulkImportJob] = []
        for index in 0..<10 {
            let file = MarketoDelimitedFile(header: ["email"], rows: [["queue\(index)@example.com"]])
            jobs.append(try await client.importLeads(file))
        }
        let full = try await #require(throws: MarketoError.self) {
            try await client.importLeads(MarketoDelimitedFile(header: ["email"], rows: [["late@example.com"]]))
        }
        #expect(full.marketoCode == "1016")
        #expect(full.failureClass == .retry)

        let last = try #require(jobs.last)
        let waited = try await #require(throws: MarketoError.self) {
            try await client.waitForBulkImport(last, pollInterval: .milliseconds(10), timeout: .milliseconds(50))
        }
        #expect(waited.code == .timedOut)
        #expect(waited.failureClass == .retry)
    }
}
