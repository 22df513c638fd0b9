import Foundation
import Salesforce
import Testing

@Suite("Headers, bulk error cells and classification")
struct ParsingTests {
    @Test(
        "Sforce-Limit-Info",
        arguments: [
            ("api-usage=10018/100000", SalesforceAPIUsage(used: 10018, max: 100_000)),
            ("api-usage=18/5000; per-app-api-usage=17/250(appName=sample)", SalesforceAPIUsage(used: 18, max: 5000)),
            ("api-bursts=1/750; api-usage=2/15000", SalesforceAPIUsage(used: 2, max: 15000)),
            ("per-app-api-usage=17/250(appName=sample)", nil),
            ("api-usage=x/y", nil),
        ]
    )
    func limitInfoHeader(header: String, expected: SalesforceAPIUsage?) {
        #expect(SalesforceAPIUsage(limitInfoHeader: header) == expected)
    }

    @Test(
        "sf__Error cells",
        arguments: [
            (
                "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --", "REQUIRED_FIELD_MISSING",
                "Required fields are missing: [LastName]", ["LastName"]
            ),
            ("UNABLE_TO_LOCK_ROW", "UNABLE_TO_LOCK_ROW", "UNABLE_TO_LOCK_ROW", []),
            (
                "STRING_TOO_LONG:entry_id__c: data value too large: 1_abcdefghij (max length=11):entry_id__c --",
                "STRING_TOO_LONG", "entry_id__c: data value too large: 1_abcdefghij (max length=11)",
                ["entry_id__c"]
            ),
            (
                "DUPLICATE_VALUE:duplicate value found: external_id__c duplicates value on record with id: 00v1:--",
                "DUPLICATE_VALUE", "duplicate value found: external_id__c duplicates value on record with id: 00v1",
                []
            ),
        ]
    )
    func bulkErrorCell(cell: String, code: String, message: String, fields: [String]) {
        let error = SalesforceRowError(bulkErrorCell: cell)
        #expect(error.statusCode == code)
        #expect(error.message == message)
        #expect(error.fields == fields)
    }

    @Test(
        "classification follows the reference",
        arguments: [
            (401, "INVALID_SESSION_ID", "Session expired or invalid", SalesforceError.Classification.reauth),
            (403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", .quotaExhausted),
            (403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.", .retry),
            (503, "SERVER_UNAVAILABLE", "Server Unavailable", .retry),
            (400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access", .retry),
            (400, "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "trigger: UNABLE_TO_LOCK_ROW, unable to obtain", .retry),
            (400, "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "trigger: something else", .permanent),
            (400, "STRING_TOO_LONG", "", .permanent),
            (400, "NUMBER_OUTSIDE_VALID_RANGE", "", .permanent),
            (400, "INVALID_EMAIL_ADDRESS", "", .permanent),
            (400, "MALFORMED_ID", "", .permanent),
            (400, "INVALID_CROSS_REFERENCE_KEY", "", .permanent),
            (400, "CANNOT_UPDATE_CONVERTED_LEAD", "", .permanent),
            (400, "INVALID_FIELD", "", .permanent),
            (400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "", .permanent),
            (400, "DUPLICATE_VALUE", "Already a campaign member.", .duplicateValue),
            (400, "invalid_client", "invalid client credentials", .authenticationFailed),
            (420, nil, "", .retry),
            (429, nil, "", .retry),
            (502, nil, "<html>", .retry),
            (404, "NOT_FOUND", "", .permanent),
        ] as [(Int, String?, String, SalesforceError.Classification)]
    )
    func classification(status: Int, code: String?, message: String, expected: SalesforceError.Classification) {
        #expect(SalesforceError.Classification(httpStatus: status, errorCode: code, message: message) == expected)
    }

    @Test("row errors are classified the same way, rollbacks apart")
    func rowClassification() {
        #expect(
            SalesforceRowError(statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK", message: "").classification
                == .rolledBack
        )
        #expect(SalesforceRowError(statusCode: "DUPLICATE_VALUE", message: "").classification == .duplicateValue)
        #expect(SalesforceRowError(statusCode: "UNABLE_TO_LOCK_ROW", message: "").classification == .retry)
        #expect(SalesforceRowError(statusCode: "SOMETHING_NEW", message: "").classification == .permanent)
    }

    @Test("credentials are redacted in descriptions and dumps")
    func redaction() {
        let credentials = SalesforceCredentials.clientCredentials(clientId: "app", clientSecret: "s3cr3t-value")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, String(reflecting: credentials), "\([credentials])", dumped] {
            #expect(!text.contains("s3cr3t-value"))
        }
    }
}
