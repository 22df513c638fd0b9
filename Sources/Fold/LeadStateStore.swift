/// The state of one fold task (one partition): every lead's encoded ``LeadModel/LeadState`` and the leads whose
/// Marketo custom activity is pending.
///
/// States stay encoded (about 200 bytes a lead) and are decoded only to fold an event into them: the store is
/// the fold's memory footprint, so it holds bytes, not object graphs.
struct LeadStateStore: Sendable {
    /// Lead key -> encoded state (``LeadModel/LeadStateCodec``).
    var states: [String: [UInt8]] = [:]
    /// Lead key -> when its next custom activity is due, in wall-clock milliseconds; absent when none is pending.
    var activityDue: [String: Int64] = [:]
    /// The checkpoint of the last committed transaction reflected here, if any.
    var checkpoint: FoldCheckpoint?

    var count: Int { states.count }

    mutating func put(_ key: String, state: [UInt8], due: Int64?) {
        states[key] = state
        if let due { activityDue[key] = due } else { activityDue.removeValue(forKey: key) }
    }
}
