import Foundation
import SandboxMarketo
import Testing

@Suite("Bulk import and export job life cycles", .serialized)
struct BulkTests {
    static let fixture = Task {
        try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [
                SandboxFixture.subscription("BULK-1"), SandboxFixture.subscription("BULK-Q"),
                SandboxFixture.subscription("BULK-X"),
            ])
        )
    }

    /// A `multipart/form-data` body with text fields and one `file` part.
    static func multipart(file: String, fields: [String: String] = [:]) -> (Data, String) {
        let boundary = "----leadsync-\(UUID().uuidString)"
        var body = ""
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.csv\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        return (Data(body.utf8), "multipart/form-data; boundary=\(boundary)")
    }

    private func upload(
        _ f: SandboxFixture,
        _ path: String,
        _ file: String,
        query: [String: String] = [:],
        fields: [String: String] = [:],
        token: String?
    ) async throws -> HTTPReply {
        let (body, contentType) = Self.multipart(file: file, fields: fields)
        return try await f.client.send("POST", path, query: query, body: body, contentType: contentType, token: token)
    }

    @Test("Lead import: Queued -> Importing -> Complete, with a failures file and a warnings file")
    func leadImport() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("BULK-1")
        let long = String(repeating: "t", count: 300)
        let csv = """
            email,firstName,title,leadScore
            ok@bulk.example.com,Ok,,5
            not-an-email,Bad,,1
            ,Nobody,,2
            long@bulk.example.com,"Long, Title",\(long),7
            score@bulk.example.com,Score,,many
            """
        // The token travels as the form field, as `curl -F access_token=…` sends it.
        let created = try await upload(
            f,
            "/bulk/v1/leads.json",
            csv,
            query: ["format": "csv", "lookupField": "email"],
            fields: ["access_token": token],
            token: nil
        )
        #expect(created.success == true)
        #expect(created.result.first?["status"] as? String == "Queued")
        let batchId = try #require(created.result.first?["batchId"] as? Int)
        #expect(created.result.first?["importId"] as? String == String(batchId))

        let importing = try await f.client.send("GET", "/bulk/v1/leads/batch/\(batchId).json", token: token)
        #expect(importing.result.first?["status"] as? String == "Importing")
        let early = try await f.client.send("GET", "/bulk/v1/leads/batch/\(batchId)/failures.json", token: token)
        #expect(early.text.isEmpty)

        f.clock.advance(by: 2)
        let done = try await f.client.send("GET", "/bulk/v1/leads/batch/\(batchId).json", token: token)
        let status = try #require(done.result.first)
        #expect(status["status"] as? String == "Complete")
        #expect(status["numOfLeadsProcessed"] as? Int == 2)
        #expect(status["numOfRowsFailed"] as? Int == 3)
        #expect(status["numOfRowsWithWarning"] as? Int == 1)
        #expect(
            status["message"] as? String == "Import completed with errors, 2 records imported, 3 failed, 1 warning."
        )

        let failures = try await f.client.send("GET", "/bulk/v1/leads/batch/\(batchId)/failures.json", token: token)
        let lines = failures.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "email,firstName,title,leadScore,Import Failure Reason")
        #expect(
            lines.dropFirst().map { $0.split(separator: ",").last.map(String.init) } == [
                "Invalid email address", "Value for lookup field 'email' not found",
                "Invalid data type in field Lead Score",
            ]
        )
        let warnings = try await f.client.send("GET", "/bulk/v1/leads/batch/\(batchId)/warnings.json", token: token)
        #expect(warnings.text.contains("Import Warning Reason"))
        #expect(warnings.text.contains("\"Long, Title\""))

        let snapshot = try #require(f.sandbox.snapshot("BULK-1"))
        #expect(snapshot.leads.compactMap(\.email).sorted() == ["long@bulk.example.com", "ok@bulk.example.com"])
        #expect(snapshot.leads(withEmail: "long@bulk.example.com").first?.fields["title"]?.stringValue?.count == 255)
        #expect(snapshot.imports.first?.failed == 3)
        #expect(snapshot.calls.first { $0.endpoint == "/bulk/v1/leads.json" }?.records == 5)
    }

    @Test("Two imports run at once, ten wait (running included), the eleventh is 1016")
    func importQueue() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("BULK-Q")
        var batches: [Int] = []
        for index in 0..<10 {
            let reply = try await upload(f, "/bulk/v1/leads.json", "email\nq\(index)@bulk.example.com\n", token: token)
            batches.append(try #require(reply.result.first?["batchId"] as? Int))
        }
        let refused = try await upload(f, "/bulk/v1/leads.json", "email\nlate@bulk.example.com\n", token: token)
        #expect(refused.success == false)
        #expect(refused.errorCode == "1016")
        let statuses = try #require(f.sandbox.snapshot("BULK-Q")?.imports.map(\.status))
        #expect(statuses == ["Importing", "Importing"] + Array(repeating: "Queued", count: 8))
        f.clock.advance(by: 2)
        let later = try #require(f.sandbox.snapshot("BULK-Q")?.imports.map(\.status))
        #expect(later == ["Complete", "Complete", "Importing", "Importing"] + Array(repeating: "Queued", count: 6))
        f.clock.advance(by: 8)
        let token2 = try await f.token("BULK-Q")
        let accepted = try await upload(f, "/bulk/v1/leads.json", "email\nlate@bulk.example.com\n", token: token2)
        #expect(accepted.success == true)
        #expect(f.sandbox.snapshot("BULK-Q")?.leads.count == 10)
    }

    @Test("Program member and custom object imports; custom object failure files 404 when empty")
    func memberAndObjectImports() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("BULK-X")
        let members = try await upload(
            f,
            "/bulk/v1/program/1001/members/import.json",
            "email,firstName\nm1@bulk.example.com,M\nm2@bulk.example.com,N\n",
            query: ["format": "csv", "programMemberStatus": "Registered"],
            token: token
        )
        let memberBatch = try #require(members.result.first?["batchId"] as? Int)
        let badStatus = try await upload(
            f,
            "/bulk/v1/program/1001/members/import.json",
            "email\nm3@bulk.example.com\n",
            query: ["programMemberStatus": "Influenced"],
            token: token
        )
        #expect(badStatus.errorCode == "1025")
        f.clock.advance(by: 2)
        let memberStatus = try await f.client.send(
            "GET",
            "/bulk/v1/program/members/import/\(memberBatch)/status.json",
            token: token
        )
        #expect(memberStatus.result.first?["message"] as? String == "Import succeeded, 2 records imported (2 members)")
        let snapshot = try #require(f.sandbox.snapshot("BULK-X"))
        #expect(snapshot.memberships.map(\.statusName) == ["Registered", "Registered"])
        #expect(snapshot.memberships.first?.history.first?.source == "bulk")
        let leadId = try #require(snapshot.leads.first?.id)

        let csv = "entry_id,personId,plays\n1_a,\(leadId),3\n,\(leadId),1\n1_b,999999,1\n"
        let objects = try await upload(
            f,
            "/bulk/v1/customobjects/kalturaUserSessionEngagement/import.json",
            csv,
            query: ["format": "csv"],
            token: token
        )
        #expect(objects.result.first?["objectApiName"] as? String == "kalturaUserSessionEngagement")
        let objectBatch = try #require(objects.result.first?["batchId"] as? Int)
        let base = "/bulk/v1/customobjects/kalturaUserSessionEngagement/import/\(objectBatch)"
        f.clock.advance(by: 2)
        let objectStatus = try await f.client.send("GET", "\(base)/status.json", token: token)
        #expect(objectStatus.result.first?["numOfObjectsProcessed"] as? Int == 1)
        #expect(objectStatus.result.first?["numOfRowsFailed"] as? Int == 2)
        #expect(objectStatus.result.first?["importTime"] as? String == "2 second(s)")
        let failures = try await f.client.send("GET", "\(base)/failures.json", token: token)
        #expect(failures.text.contains("missing.dedupe.fields"))
        #expect(failures.text.contains("Lead not found"))
        let warnings = try await f.client.send("GET", "\(base)/warnings.json", token: token)
        #expect(warnings.status == 404)
        #expect(f.sandbox.snapshot("BULK-X")?.customObjects.first?.fields["plays"] == .int(3))
    }

    @Test("Lead export: Created -> Queued -> Processing -> Completed, file with Range, checksum, 1029 twice queued")
    func leadExport() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("BULK-1")
        let start = Date(timeIntervalSince1970: 1_794_000_000)
        let filter = [
            "createdAt": [
                "startAt": MarketoTime.iso(start), "endAt": MarketoTime.iso(start.addingTimeInterval(30 * 86_400)),
            ]
        ]
        let created = try await f.client.send(
            "POST",
            "/bulk/v1/leads/export/create.json",
            json: [
                "format": "CSV", "fields": ["id", "email", "firstName"],
                "columnHeaderNames": ["email": "Email Address"],
                "filter": filter,
            ],
            token: token
        )
        #expect(created.result.first?["status"] as? String == "Created")
        let exportId = try #require(created.result.first?["exportId"] as? String)
        let base = "/bulk/v1/leads/export/\(exportId)"
        let notYet = try await f.client.send("GET", "\(base)/file.json", token: token)
        #expect(notYet.status == 404)
        #expect(notYet.headers["content-type"]?.hasPrefix("text/plain") == true)

        let queued = try await f.client.send("POST", "\(base)/enqueue.json", token: token)
        #expect(queued.result.first?["status"] as? String == "Queued")
        let again = try await f.client.send("POST", "\(base)/enqueue.json", token: token)
        #expect(again.errorCode == "1029")
        let processing = try await f.client.send("GET", "\(base)/status.json", token: token)
        #expect(processing.result.first?["status"] as? String == "Processing")
        f.clock.advance(by: 2)
        let completed = try await f.client.send("GET", "\(base)/status.json", token: token)
        let status = try #require(completed.result.first)
        #expect(status["status"] as? String == "Completed")
        let records = try #require(status["numberOfRecords"] as? Int)
        #expect(records == f.sandbox.snapshot("BULK-1")?.leads.count)

        let file = try await f.client.send("GET", "\(base)/file.json", token: token)
        #expect(file.text.hasPrefix("id,Email Address,firstName\n"))
        #expect(status["fileSize"] as? Int == file.body.count)
        #expect((status["fileChecksum"] as? String)?.hasPrefix("sha256:") == true)
        let head = try await f.client.send("GET", "\(base)/file.json", token: token, headers: ["Range": "bytes=0-1"])
        #expect(head.status == 206)
        #expect(head.text == "id")
        #expect(head.headers["content-range"] == "bytes 0-1/\(file.body.count)")

        let wide = try await f.client.send(
            "POST",
            "/bulk/v1/leads/export/create.json",
            json: [
                "fields": ["email"],
                "filter": ["createdAt": ["startAt": "2026-01-01T00:00:00Z", "endAt": "2026-03-01T00:00:00Z"]],
            ],
            token: token
        )
        #expect(wide.errorCode == "1003")
        let members = try await f.client.send(
            "POST",
            "/bulk/v1/program/members/export/create.json",
            json: [
                "fields": ["leadId", "statusName"], "filter": ["programId": 1001, "statusNames": ["Influenced"]],
            ],
            token: token
        )
        #expect(members.errorCode == "1003")
        let cancelled = try await f.client.send(
            "POST",
            "/bulk/v1/program/members/export/create.json",
            json: [
                "fields": ["email", "statusName"], "filter": ["programId": 1001],
            ],
            token: token
        )
        let memberExport = try #require(cancelled.result.first?["exportId"] as? String)
        let cancel = try await f.client.send(
            "POST",
            "/bulk/v1/program/members/export/\(memberExport)/cancel.json",
            token: token
        )
        #expect(cancel.result.first?["status"] as? String == "Cancelled")
    }
}

extension BulkTests {
    @Test("Exports: two process at once, ten queued across object types, then 1029; member files carry statuses")
    func exportQueue() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("BULK-X")
        let leads = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": [["email": "x1@bulk.example.com"], ["email": "x2@bulk.example.com"]]],
            token: token
        )
        _ = try await f.client.send(
            "POST",
            "/rest/v1/programs/1002/members/status.json",
            json: ["statusName": "Registered", "input": leads.result.map { ["leadId": $0["id"] ?? 0] }],
            token: token
        )
        var ids: [String] = []
        for index in 0..<11 {
            let path =
                index % 2 == 0 ? "/bulk/v1/program/members/export/create.json" : "/bulk/v1/leads/export/create.json"
            let filter: [String: Any] =
                index % 2 == 0
                ? ["programId": 1002, "statusNames": ["Registered"]]
                : ["updatedAt": ["startAt": "2026-11-01T00:00:00Z", "endAt": "2026-11-30T00:00:00Z"]]
            let created = try await f.client.send(
                "POST",
                path,
                json: ["fields": ["email", index % 2 == 0 ? "statusName" : "id"], "filter": filter],
                token: token
            )
            ids.append(try #require(created.result.first?["exportId"] as? String))
        }
        func enqueue(_ index: Int) async throws -> HTTPReply {
            let object = index % 2 == 0 ? "program/members" : "leads"
            return try await f.client.send("POST", "/bulk/v1/\(object)/export/\(ids[index])/enqueue.json", token: token)
        }
        for index in 0..<10 { #expect(try await enqueue(index).success == true) }
        let full = try await enqueue(10)
        #expect(full.errorCode == "1029")
        #expect(full.errorMessage == "Too many jobs in queue")
        let statuses = try #require(f.sandbox.snapshot("BULK-X")?.exports.map(\.status))
        #expect(Array(statuses.prefix(10)) == ["Processing", "Processing"] + Array(repeating: "Queued", count: 8))
        f.clock.advance(by: 2)
        let memberFile = try await f.client.send(
            "GET",
            "/bulk/v1/program/members/export/\(ids[0])/file.json",
            token: token
        )
        #expect(
            memberFile.text.split(separator: "\n").map(String.init) == [
                "email,statusName", "x1@bulk.example.com,Registered", "x2@bulk.example.com,Registered",
            ]
        )
        let listed = try await f.client.send(
            "GET",
            "/bulk/v1/program/members/export.json",
            query: ["status": "Completed"],
            token: token
        )
        #expect(listed.result.compactMap { $0["exportId"] as? String } == [ids[0]])
        #expect(try await enqueue(10).success == true)
    }
}
