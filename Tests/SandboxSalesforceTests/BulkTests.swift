import Foundation
import SandboxSalesforce
import Testing

@Suite("Bulk API 2.0 ingest life cycle", .serialized)
struct BulkTests {
    static let harness = Task {
        var setup = Fixtures.setup(numberedLeads: 20)
        setup.orgs[0].limits.bulkProcessingSeconds = 60
        return try await SandboxHarness.start(setup)
    }
    static let jobs = "/services/data/v66.0/jobs/ingest"

    /// A small RFC 4180 reader for result files.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\n" || character == "\r\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    private func createJob(_ harness: SandboxHarness, token: String, _ body: String) async throws -> String {
        let reply = try await harness.send("POST", Self.jobs, body: body, token: token)
        try #require(reply.status == 200, "\(reply.text)")
        let info = try reply.object()
        #expect(info["state"] as? String == "Open")
        #expect(info["jobType"] as? String == "V2Ingest")
        let id = try #require(info["id"] as? String)
        #expect(id.hasPrefix("750") && id.count == 18)
        #expect(info["contentUrl"] as? String == "services/data/v66.0/jobs/ingest/\(id)/batches")
        return id
    }

    private func state(_ harness: SandboxHarness, token: String, _ id: String) async throws -> [String: Any] {
        try await harness.send("GET", "\(Self.jobs)/\(id)", token: token).object()
    }

    private func close(
        _ harness: SandboxHarness,
        token: String,
        _ id: String,
        state: String = "UploadComplete"
    )
        async throws -> SandboxHarness.Reply
    {
        try await harness.send("PATCH", "\(Self.jobs)/\(id)", body: #"{"state":"\#(state)"}"#, token: token)
    }

    @Test("upsert job: Open → UploadComplete → InProgress → JobComplete, with successful and failed results")
    func upsertLifeCycle() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let id = try await createJob(
            harness,
            token: token,
            #"""
            {"object":"CampaignMember","operation":"upsert","externalIdFieldName":"external_id__c",
             "contentType":"CSV","lineEnding":"LF","columnDelimiter":"COMMA"}
            """#
        )
        let campaign = Fixtures.campaign
        var lines = ["external_id__c,CampaignId,LeadId,Status"]
        let good = (100..<105).map { Fixtures.leadId($0) }
        for lead in good {
            lines.append("\(campaign)_\(lead),\(campaign),\(lead),Registered")
        }
        lines.append("\(campaign)_\(Fixtures.leadId(105)),\(campaign),\(Fixtures.leadId(105)),Nope")
        lines.append("\(campaign)_\(Fixtures.leadId(4)),\(campaign),\(Fixtures.leadId(4)),Registered")
        lines.append("\(campaign)_bad,\(campaign),00Qbad,Registered")
        let csv = lines.joined(separator: "\n") + "\n"
        let upload = try await harness.send(
            "PUT",
            "\(Self.jobs)/\(id)/batches",
            body: csv,
            token: token,
            contentType: "text/csv"
        )
        #expect(upload.status == 201)
        #expect(upload.body.isEmpty)
        let again = try await harness.send(
            "PUT",
            "\(Self.jobs)/\(id)/batches",
            body: csv,
            token: token,
            contentType: "text/csv"
        )
        #expect(again.status == 400)
        #expect(try again.errorCode() == "BULK_API_ERROR")

        let closed = try await close(harness, token: token, id)
        #expect(closed.status == 200)
        #expect(try closed.object()["state"] as? String == "UploadComplete")
        let early = try await harness.send("GET", "\(Self.jobs)/\(id)/successfulResults/", token: token)
        #expect(early.status == 400)
        harness.sandbox.advanceClock(by: 31)
        #expect(try await state(harness, token: token, id)["state"] as? String == "InProgress")
        harness.sandbox.advanceClock(by: 30)
        let done = try await state(harness, token: token, id)
        #expect(done["state"] as? String == "JobComplete")
        #expect(done["numberRecordsProcessed"] as? Int == 8)
        #expect(done["numberRecordsFailed"] as? Int == 3)

        let successes = try await harness.send("GET", "\(Self.jobs)/\(id)/successfulResults/", token: token)
        #expect(successes.status == 200)
        #expect(successes.header("Content-Type")?.hasPrefix("text/csv") == true)
        #expect(successes.text.hasPrefix(#""sf__Id","sf__Created",external_id__c,CampaignId,LeadId,Status"#))
        let successRows = Self.parseCSV(successes.text).dropFirst()
        #expect(successRows.count == 5)
        #expect(successRows.allSatisfy { $0[0].hasPrefix("00v") && $0[1] == "true" })
        let resultOrder = successRows.map { $0[4] }
        #expect(Set(resultOrder) == Set(good))
        #expect(resultOrder != good)

        let failures = try await harness.send("GET", "\(Self.jobs)/\(id)/failedResults/", token: token)
        #expect(failures.text.hasPrefix(#""sf__Id","sf__Error",external_id__c"#))
        let failureRows = Array(Self.parseCSV(failures.text).dropFirst())
        let codes = Set(failureRows.map { String($0[1].split(separator: ":").first ?? "") })
        #expect(codes == ["INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "CANNOT_UPDATE_CONVERTED_LEAD", "MALFORMED_ID"])
        #expect(failureRows.allSatisfy { $0[1].hasSuffix(" --") })
        #expect(harness.sandbox.campaignMembers().count == 5)

        let second = try await createJob(
            harness,
            token: token,
            #"""
            {"object":"CampaignMember","operation":"upsert","externalIdFieldName":"external_id__c","contentType":"CSV"}
            """#
        )
        let update =
            "external_id__c,Status\n"
            + good.map { "\(campaign)_\($0.lowercased()),Attended" }
            .joined(separator: "\n")
        _ = try await harness.send(
            "PUT",
            "\(Self.jobs)/\(second)/batches",
            body: update,
            token: token,
            contentType: "text/csv"
        )
        _ = try await close(harness, token: token, second)
        harness.sandbox.advanceClock(by: 61)
        let updated = try await harness.send("GET", "\(Self.jobs)/\(second)/successfulResults/", token: token)
        let updatedRows = Self.parseCSV(updated.text).dropFirst()
        #expect(updatedRows.count == 5)
        #expect(updatedRows.allSatisfy { $0[1] == "false" })
        #expect(harness.sandbox.campaignMembers().allSatisfy { $0["Status"] == .string("Attended") })
        let snapshot = try #require(harness.sandbox.bulkJobs().first { $0.id == id })
        #expect(snapshot.numberRecordsFailed == 3)
    }

    @Test("insert job reads quoted CSV with CRLF, commas, quotes and line breaks")
    func insertQuoted() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let id = try await createJob(
            harness,
            token: token,
            #"""
            {"object":"Lead","operation":"insert","contentType":"CSV","lineEnding":"CRLF"}
            """#
        )
        let csv = "LastName,Company,Title\r\n\"Smith, Jr.\",\"Quote \"\"Co\"\"\",\"Line\r\nBreak\"\r\nPlain,Co,\r\n"
        _ = try await harness.send(
            "PUT",
            "\(Self.jobs)/\(id)/batches",
            body: csv,
            token: token,
            contentType: "text/csv"
        )
        _ = try await close(harness, token: token, id)
        harness.sandbox.advanceClock(by: 61)
        let info = try await state(harness, token: token, id)
        #expect(info["state"] as? String == "JobComplete")
        #expect(info["numberRecordsProcessed"] as? Int == 2)
        #expect(info["numberRecordsFailed"] as? Int == 0)
        let smith = try #require(harness.sandbox.records("Lead").first { $0["LastName"] == .string("Smith, Jr.") })
        #expect(smith["Company"] == .string("Quote \"Co\""))
        #expect(smith["Title"] == .string("Line\r\nBreak"))
        let plain = try #require(harness.sandbox.records("Lead").first { $0["LastName"] == .string("Plain") })
        #expect(plain["Title"] == .null)
    }

    @Test("an aborted job reports its rows as unprocessed")
    func aborted() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let id = try await createJob(harness, token: token, #"{"object":"Contact","operation":"insert"}"#)
        _ = try await harness.send(
            "PUT",
            "\(Self.jobs)/\(id)/batches",
            body: "LastName\nA\nB\n",
            token: token,
            contentType: "text/csv"
        )
        let aborted = try await close(harness, token: token, id, state: "Aborted")
        #expect(try aborted.object()["state"] as? String == "Aborted")
        let unprocessed = try await harness.send("GET", "\(Self.jobs)/\(id)/unprocessedrecords/", token: token)
        #expect(Self.parseCSV(unprocessed.text) == [["LastName"], ["A"], ["B"]])
        let reclose = try await close(harness, token: token, id)
        #expect(reclose.status >= 400)
        let deleted = try await harness.send("DELETE", "\(Self.jobs)/\(id)", token: token)
        #expect(deleted.status == 204)
        #expect(try await harness.send("GET", "\(Self.jobs)/\(id)", token: token).status == 404)
    }

    @Test("an unknown column fails the job and leaves every row unprocessed")
    func failedJob() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let id = try await createJob(harness, token: token, #"{"object":"Contact","operation":"insert"}"#)
        _ = try await harness.send(
            "PUT",
            "\(Self.jobs)/\(id)/batches",
            body: "LastName,Bogus__c\nA,1\n",
            token: token,
            contentType: "text/csv"
        )
        _ = try await close(harness, token: token, id)
        harness.sandbox.advanceClock(by: 61)
        let info = try await state(harness, token: token, id)
        #expect(info["state"] as? String == "Failed")
        #expect(info["errorMessage"] as? String == "InvalidBatch : Field name not found : Bogus__c")
        let unprocessed = try await harness.send("GET", "\(Self.jobs)/\(id)/unprocessedrecords/", token: token)
        #expect(Self.parseCSV(unprocessed.text).count == 2)
    }

    @Test(
        "job creation checks object, operation and the upsert key",
        arguments: [
            #"{"object":"Widget__c","operation":"insert"}"#,
            #"{"object":"Lead","operation":"merge"}"#,
            #"{"object":"CampaignMember","operation":"upsert"}"#,
            #"{"object":"CampaignMember","operation":"upsert","externalIdFieldName":"Status"}"#,
            #"{"object":"Lead","operation":"insert","contentType":"JSON"}"#,
        ]
    )
    func createErrors(body: String) async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.send("POST", Self.jobs, body: body, token: token)
        #expect(reply.status == 400)
        #expect(try reply.errorCode() != nil)
    }

    @Test("per-record faults fail bulk rows with the injected code")
    func rowFaults() async throws {
        let harness = try await Self.harness.value
        defer { harness.sandbox.clearFaults() }
        let token = try await harness.token()
        harness.sandbox.inject(
            SandboxFault(
                kind: .error,
                endpoint: "bulk.process",
                errorCode: "UNABLE_TO_LOCK_ROW",
                remaining: 1,
                perRecord: true
            )
        )
        let id = try await createJob(harness, token: token, #"{"object":"Contact","operation":"insert"}"#)
        _ = try await harness.send(
            "PUT",
            "\(Self.jobs)/\(id)/batches",
            body: "LastName\nLocked\nFree\n",
            token: token,
            contentType: "text/csv"
        )
        _ = try await close(harness, token: token, id)
        harness.sandbox.advanceClock(by: 61)
        let failures = try await harness.send("GET", "\(Self.jobs)/\(id)/failedResults/", token: token)
        let rows = Array(Self.parseCSV(failures.text).dropFirst())
        #expect(rows.count == 1)
        #expect(rows.first?[1].hasPrefix("UNABLE_TO_LOCK_ROW:") == true)
        #expect(rows.first?[2] == "Locked")
    }
}
