import Basics
import Foundation

// MARK: - BulkJob

/// A Bulk API 2.0 ingest job: `Open` → `UploadComplete` → `InProgress` → `JobComplete` | `Failed`, or
/// `Aborted`. Processing is driven by sandbox time: the job is `InProgress` for the second half of the org's
/// `bulkProcessingSeconds` after close and its rows are applied when that time is up.
struct BulkJob: Sendable {
    enum State: String, Sendable {
        case open = "Open"
        case uploadComplete = "UploadComplete"
        case inProgress = "InProgress"
        case jobComplete = "JobComplete"
        case failed = "Failed"
        case aborted = "Aborted"

        var isTerminal: Bool { self == .jobComplete || self == .failed || self == .aborted }
    }

    struct Outcome: Sendable {
        var id: String
        var created: Bool
        var error: APIError?
        var row: [String]
    }

    var id: String
    var object: String
    var operation: String
    var externalIdFieldName: String?
    var lineEnding: String
    var columnDelimiter: String
    var apiVersion: String
    var createdById: String
    var state: State = .open
    var createdDate: Date
    var systemModstamp: Date
    var closedAt: Date?
    var table: CSVTable?
    var outcomes: [Outcome] = []
    var unprocessed: [[String]] = []
    var errorMessage: String?

    var delimiterCharacter: Character {
        switch columnDelimiter {
        case "TAB": return "\t"
        case "PIPE": return "|"
        case "SEMICOLON": return ";"
        case "CARET": return "^"
        case "BACKQUOTE": return "`"
        default: return ","
        }
    }

    var lineEndingText: String { lineEnding == "CRLF" ? "\r\n" : "\n" }

    var processedCount: Int { outcomes.count }
    var failedCount: Int { outcomes.filter { $0.error != nil }.count }

    /// Job info as `GET /jobs/ingest/{id}` answers it; `brief` is the create/close answer without counters.
    func info(brief: Bool) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("operation", .string(operation)),
            ("object", .string(object)),
            ("createdById", .string(createdById)),
            ("createdDate", .string(SalesforceDate.format(createdDate))),
            ("systemModstamp", .string(SalesforceDate.format(systemModstamp))),
            ("state", .string(state.rawValue)),
        ]
        if let externalIdFieldName {
            pairs.append(("externalIdFieldName", .string(externalIdFieldName)))
        }
        pairs += [
            ("concurrencyMode", .string("Parallel")),
            ("contentType", .string("CSV")),
            ("apiVersion", .number(Double(apiVersion) ?? 66)),
            ("jobType", .string("V2Ingest")),
            ("contentUrl", .string("services/data/v\(apiVersion)/jobs/ingest/\(id)/batches")),
            ("lineEnding", .string(lineEnding)),
            ("columnDelimiter", .string(columnDelimiter)),
        ]
        if !brief {
            pairs += [
                ("numberRecordsProcessed", .number(Double(processedCount))),
                ("numberRecordsFailed", .number(Double(failedCount))),
                ("retries", .number(0)),
                ("totalProcessingTime", .number(state.isTerminal ? 100 : 0)),
                ("apiActiveProcessingTime", .number(state.isTerminal ? 80 : 0)),
                ("apexProcessingTime", .number(0)),
            ]
            if let errorMessage {
                pairs.append(("errorMessage", .string(errorMessage)))
            }
        }
        return .object(pairs)
    }

    /// Results in an order that is not the upload order (as Salesforce's are), but repeatable per job.
    func shuffled<T>(_ items: [T]) -> [T] {
        guard items.count > 1 else { return items }
        var generator = SplitMix64(seed: UInt64(truncatingIfNeeded: id.hashValueStable))
        var order = Array(items.indices)
        order.shuffle(using: &generator)
        if order == Array(items.indices) {
            order.append(order.removeFirst())
        }
        return order.map { items[$0] }
    }
}
