import ArgumentParser
import Simulation

/// `--engagement-ahead` / `--attendee-ahead`: one input topic produced ahead of the other (simulate, run).
struct TopicSkewOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Produce engagement.events this many records ahead of attendee.events, or 'all' for the whole topic first.",
            discussion: """
                A record of attendee.events is produced only once the engagement records up to N places after it \
                (in the stream as generated) are: leads' engagement arrives before the statuses that happened \
                before it, as when the platform's engagement producer runs ahead or attendee.events has a \
                backlog. 0 produces the stream as generated.
                """,
            valueName: "records|all"
        )
    )
    var engagementAhead: String?

    @Option(
        help: ArgumentHelp(
            "Produce attendee.events this many records ahead of engagement.events, or 'all' for the whole topic first.",
            valueName: "records|all"
        )
    )
    var attendeeAhead: String?

    func validate() throws {
        _ = try skew()
    }

    /// The skew asked for, or `nil` when neither option is given.
    func skew() throws -> TopicSkew? {
        if engagementAhead != nil, attendeeAhead != nil {
            throw ValidationError("--engagement-ahead and --attendee-ahead exclude each other: give one")
        }
        for (option, text, topic) in [
            ("--engagement-ahead", engagementAhead, TopicSkew.Topic.engagement),
            ("--attendee-ahead", attendeeAhead, .attendee),
        ] {
            guard let text else { continue }
            guard let skew = TopicSkew(leading: topic, text: text) else {
                throw ValidationError("\(option) expects a number of records (0 or more) or 'all', got '\(text)'")
            }
            return skew
        }
        return nil
    }
}
