import Foundation
import SandboxSalesforce
import Testing

@Suite("SOQL subset and paging")
struct QueryTests {
    static let harness = Task { try await SandboxHarness.start(Fixtures.setup(numberedLeads: 450)) }

    private func records(_ reply: SandboxHarness.Reply) throws -> [[String: Any]] {
        try #require(try reply.object()["records"] as? [[String: Any]])
    }

    @Test("Email IN (…) matches case-insensitively and returns attributes then fields in SELECT order")
    func emailIn() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.query(
            "SELECT Id, Email, IsConverted, ConvertedContactId FROM Lead "
                + "WHERE Email IN ('JANE.doe@example.com','john.roe@example.com')",
            token: token
        )
        #expect(reply.status == 200)
        let body = try reply.object()
        #expect(body["totalSize"] as? Int == 3)
        #expect(body["done"] as? Bool == true)
        #expect(body["nextRecordsUrl"] == nil)
        let rows = try records(reply)
        #expect(
            Set(rows.compactMap { $0["Id"] as? String }) == [
                Fixtures.leadId(1), Fixtures.leadId(2),
                Fixtures.leadId(3),
            ]
        )
        let attributes = try #require(rows.first?["attributes"] as? [String: Any])
        #expect(attributes["type"] as? String == "Lead")
        #expect((attributes["url"] as? String)?.hasPrefix("/services/data/v66.0/sobjects/Lead/00Q") == true)
        #expect(rows.first?["IsConverted"] as? Bool == false)
        let keys = try #require(reply.text.range(of: #"{"attributes""#))
        let tail = reply.text[keys.upperBound...]
        let order = ["\"Id\"", "\"Email\"", "\"IsConverted\"", "\"ConvertedContactId\""].compactMap {
            tail.range(of: $0)?.lowerBound
        }
        #expect(order == order.sorted() && order.count == 4)
    }

    @Test("a converted lead reports its contact")
    func convertedLead() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.query(
            "SELECT Id, IsConverted, ConvertedContactId FROM Lead "
                + "WHERE Email = 'converted@example.com' AND IsConverted = true",
            token: token
        )
        let rows = try records(reply)
        #expect(rows.count == 1)
        #expect(rows.first?["ConvertedContactId"] as? String == Fixtures.contactId(1))
        let contacts = try records(
            try await harness.query(
                "SELECT Id, Email FROM Contact WHERE Email = 'converted@example.com'",
                token: token
            )
        )
        #expect(contacts.first?["Id"] as? String == Fixtures.contactId(1))
    }

    @Test("CampaignMemberStatus lists the nine channel statuses with default and responded flags")
    func memberStatuses() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.query(
            "SELECT Label, IsDefault, HasResponded FROM CampaignMemberStatus WHERE CampaignId = '\(Fixtures.campaign)'",
            token: token
        )
        let rows = try records(reply)
        #expect(
            rows.compactMap { $0["Label"] as? String }
                == SalesforceSandboxSetup.MemberStatus.channelStatuses.map(
                    \.label
                )
        )
        #expect(rows.filter { $0["IsDefault"] as? Bool == true }.count == 1)
        #expect(rows.first { $0["Label"] as? String == "Attended" }?["HasResponded"] as? Bool == true)
        #expect(rows.first { $0["Label"] as? String == "Invited" }?["HasResponded"] as? Bool == false)
    }

    @Test("15- and 18-character ids both match, and \\' escapes a quote")
    func idsAndEscapes() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let id15 = String(Fixtures.leadId(1).prefix(15))
        let rows = try records(try await harness.query("SELECT Id FROM Lead WHERE Id = '\(id15)'", token: token))
        #expect(rows.first?["Id"] as? String == Fixtures.leadId(1))
        let none = try await harness.query(#"SELECT Id FROM Lead WHERE LastName = 'O\'Brien'"#, token: token)
        #expect(none.status == 200)
        #expect(try none.object()["totalSize"] as? Int == 0)
    }

    @Test("results page by nextRecordsUrl with the batch size asked for")
    func paging() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let first = try await harness.query(
            "SELECT Id, Email FROM Lead WHERE Company = 'Bulk Co'",
            token: token,
            headers: ["Sforce-Query-Options": "batchSize=200"]
        )
        #expect(first.status == 200)
        var seen = try records(first).compactMap { $0["Id"] as? String }
        #expect(seen.count == 200)
        #expect(try first.object()["totalSize"] as? Int == 450)
        var next = try first.object()["nextRecordsUrl"] as? String
        var pages = 1
        while let url = next {
            #expect(url.hasPrefix("/services/data/v66.0/query/01g"))
            let page = try await harness.send("GET", url, token: token)
            #expect(page.status == 200)
            seen += try records(page).compactMap { $0["Id"] as? String }
            next = try page.object()["nextRecordsUrl"] as? String
            if next == nil { #expect(try page.object()["done"] as? Bool == true) }
            pages += 1
        }
        #expect(pages == 3)
        #expect(seen.count == 450)
        #expect(Set(seen).count == 450)
        let limited = try await harness.query("SELECT Id FROM Lead WHERE Company = 'Bulk Co' LIMIT 7", token: token)
        #expect(try records(limited).count == 7)
    }

    @Test(
        "unsupported or wrong SOQL is answered with Salesforce's error codes",
        arguments: [
            ("SELECT Id FROM Lead WHERE Email LIKE 'a%'", "MALFORMED_QUERY"),
            ("SELECT Id FROM Lead WHERE Email = 'a' OR Email = 'b'", "MALFORMED_QUERY"),
            ("SELECT COUNT() FROM Lead", "MALFORMED_QUERY"),
            ("SELECT Id, Id FROM Lead", "MALFORMED_QUERY"),
            ("SELECT Id FROM Lead ORDER BY Email", "MALFORMED_QUERY"),
            ("SELECT Owner.Name FROM Lead", "MALFORMED_QUERY"),
            ("SELECT Id FROM", "MALFORMED_QUERY"),
            ("SELECT Nope__c FROM Lead", "INVALID_FIELD"),
            ("SELECT Id FROM Lead WHERE IsConverted = 'yes'", "INVALID_FIELD"),
            ("SELECT Id FROM Lead WHERE Id = 'not-an-id'", "INVALID_QUERY_FILTER_OPERATOR"),
            ("SELECT Id FROM Widget__c", "INVALID_TYPE"),
        ]
    )
    func errors(soql: String, code: String) async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.query(soql, token: token)
        #expect(reply.status == 400)
        #expect(try reply.errorCode() == code)
    }
}
