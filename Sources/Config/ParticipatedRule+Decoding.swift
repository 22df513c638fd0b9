internal import LeadModel

// MARK: - ParticipatedRule + Decoding

extension ParticipatedRule {
    /// Reads a tenant's `participated` section (defaults for what it leaves out).
    init(decoding value: ConfigValue) {
        self.init()
        guard let section = value.mapping(knownKeys: ["enabled", "liveMinutesAbove", "vodMinutesAbove", "playsAbove"])
        else { return }
        if let flag = section["enabled"]?.bool() { isEnabled = flag }
        let minutes = "a number of minutes of at least 0"
        if let live = section["liveMinutesAbove"]?.double(expected: minutes, isAcceptable: { $0 >= 0 }) {
            liveMinutesAbove = live
        }
        if let vod = section["vodMinutesAbove"]?.double(expected: minutes, isAcceptable: { $0 >= 0 }) {
            vodMinutesAbove = vod
        }
        if let plays = section["playsAbove"]?.int(in: 0...Int(Int32.max), expected: "an integer of at least 0") {
            playsAbove = plays
        }
    }
}
