// MARK: - EngagementSnapshot

/// The cumulative metrics of one (lead, virtual event, entry) at one instant.
struct EngagementSnapshot {
    /// The `entry` object, as JSON.
    var entryJSON: [UInt8]
    /// `,"channel":{...}` or nothing.
    var channelJSON: [UInt8]
    var sessionEnded: Bool
    /// Values by metric raw value: counts as integers, quantities in hundredths, rates in thousandths.
    var values: [Int64]
    /// Bit `n` set when metric `n` is present.
    var presence: UInt32
}
