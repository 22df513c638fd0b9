import Foundation

// MARK: - WriteContext

/// What one API call's writes share: the sandbox time, whether values came from CSV (Bulk API: every value
/// is text), and the campaign/person pairs already added by this call.
struct WriteContext {
    var now: Date
    var fromCSV = false
    var memberPairsAdded: Set<String> = []
}
