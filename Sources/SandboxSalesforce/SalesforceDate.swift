import Foundation

// MARK: - SalesforceDate

/// Salesforce's datetime text: `2026-11-23T02:15:28.000+0000`.
enum SalesforceDate {
    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'+0000'"
        return formatter.string(from: date)
    }
}
