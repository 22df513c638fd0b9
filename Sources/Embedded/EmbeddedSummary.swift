import Basics
import Foundation
import LeadModel
public import SandboxMarketo
public import SandboxSalesforce

// MARK: - EmbeddedSummary

/// What an embedded run did, for the final report of `leadsync run`.
public struct EmbeddedSummary: Sendable, CustomStringConvertible {
    /// The last progress.
    public var progress: EmbeddedProgress
    /// Produced events by intent (valid, duplicate, poison).
    public var inputIntents: [String: Int]
    /// Leads with committed state.
    public var leadsInState: Int
    /// Commands by `destination|kind[|status]`.
    public var commands: [String: Int]
    /// The sandboxes' call logs.
    public var marketoCalls: [SandboxMarketo.SandboxCall]
    public var salesforceCalls: [SandboxSalesforce.SandboxCall]
    /// The check of the CRMs against the fold.
    public var consistency: PipelineConsistency

    /// Marketo API calls (identity excluded) and the records they carried.
    public var marketoRecordsPerCall: (calls: Int, records: Int) {
        let api = marketoCalls.filter { !$0.endpoint.contains("identity") && $0.httpStatus == 200 && $0.records > 0 }
        return (api.count, api.reduce(0) { $0 + $1.records })
    }

    /// Salesforce API calls carrying records (collections, bulk uploads) and the records they carried.
    public var salesforceRecordsPerCall: (calls: Int, records: Int) {
        let api = salesforceCalls.filter { !$0.endpoint.contains("oauth") && $0.records > 0 && $0.httpStatus < 300 }
        return (api.count, api.reduce(0) { $0 + $1.records })
    }

    public var description: String {
        var lines: [String] = []
        let seconds = progress.elapsed.seconds
        lines.append(String(format: "LeadSync embedded run: %.1f s", seconds))
        lines.append(
            "events: \(progress.produced) produced (\(inputIntents["valid"] ?? 0) valid, "
                + "\(inputIntents["duplicate"] ?? 0) duplicates, \(inputIntents["poison"] ?? 0) poison), "
                + "\(progress.folded) input records folded, \(progress.foldDeadLetters) dead-lettered by the fold, "
                + "\(leadsInState) leads in state"
        )
        for destination in ["marketo", "salesforce"] {
            let kinds = commands.filter { $0.key.hasPrefix(destination + "|") }
            guard !kinds.isEmpty else { continue }
            let total = kinds.values.reduce(0, +)
            var byKind: [String: Int] = [:]
            var byStatus: [String: Int] = [:]
            for (key, count) in kinds {
                let parts = key.split(separator: "|").map(String.init)
                byKind[parts[1], default: 0] += count
                if parts.count > 2 { byStatus[parts[2], default: 0] += count }
            }
            lines.append(
                "\(destination) commands: \(total) ("
                    + byKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")"
            )
            lines.append(
                "  transitions by status: "
                    + byStatus.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            )
            if let destinationValue = Destination(rawValue: destination),
                let status = progress.writers[destinationValue]
            {
                lines.append(
                    "  delivered \(status.delivered), skipped \(status.skipped), superseded "
                        + "\(status.superseded + status.stale), "
                        + "retried \(status.retried), dead-lettered \(status.deadLettered), batches \(status.batches)"
                )
            }
        }
        let marketo = marketoRecordsPerCall
        let salesforce = salesforceRecordsPerCall
        lines.append(
            "Marketo API: \(marketoCalls.count) calls, \(marketo.records) records in \(marketo.calls) record calls "
                + String(
                    format: "(%.1f records per call)",
                    marketo.calls == 0 ? 0 : Double(marketo.records) / Double(marketo.calls)
                )
        )
        lines.append(
            "Salesforce API: \(salesforceCalls.count) calls, \(salesforce.records) records in \(salesforce.calls) "
                + "record calls "
                + String(
                    format: "(%.1f records per call)",
                    salesforce.calls == 0 ? 0 : Double(salesforce.records) / Double(salesforce.calls)
                )
        )
        lines.append(consistency.description)
        return lines.joined(separator: "\n")
    }
}
