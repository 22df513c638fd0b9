import Foundation

// MARK: - SalesforceCampaignStatusLabels

/// A campaign's CampaignMemberStatus labels as read from the org, and when.
struct SalesforceCampaignStatusLabels: Sendable {
    /// Lowercased label -> the label as the org spells it (Salesforce compares labels without case).
    var labels: [String: String]
    /// When they were read.
    var readAt: Date

    /// The cache form: the read time in epoch seconds, then one label per line.
    var cacheValue: String {
        ([String(Int(readAt.timeIntervalSince1970))] + labels.values.sorted()).joined(separator: "\n")
    }

    /// Creates labels from the org's statuses.
    init(labels: [String], readAt: Date) {
        var byLowercased: [String: String] = [:]
        for label in labels { byLowercased[label.lowercased()] = label }
        self.labels = byLowercased
        self.readAt = readAt
    }

    /// Reads the cache form; nil for anything else.
    init?(cacheValue: String) {
        let lines = cacheValue.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, let seconds = Int(first) else { return nil }
        self.init(labels: Array(lines.dropFirst()), readAt: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The org's spelling of `status`, or nil when the campaign has no such label.
    func label(for status: String) -> String? {
        labels[status.lowercased()]
    }
}
