import Foundation

// MARK: - ChicagoMidnight

/// When Marketo's daily API quota resets: midnight in America/Chicago (Central time).
enum ChicagoMidnight {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Chicago") ?? TimeZone(secondsFromGMT: -6 * 3_600) ?? .gmt
        return calendar
    }()

    /// The first midnight in Chicago after `date`.
    static func next(after date: Date) -> Date {
        let startOfDay = calendar.startOfDay(for: date)
        return calendar.date(byAdding: .day, value: 1, to: startOfDay) ?? date.addingTimeInterval(86_400)
    }
}
