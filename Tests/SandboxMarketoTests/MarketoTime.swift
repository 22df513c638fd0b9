import Foundation

/// Dates in the API's RFC 3339 form, for filters the tests build.
enum MarketoTime {
    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }
}
