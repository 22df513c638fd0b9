import LeadModel
import Testing

/// Every (current, incoming) pair of channel statuses, with the incoming event newer and older than the current
/// status. Letters per incoming status in `ChannelStatus.allCases` order (Created, Invited, Registered, Confirmed,
/// autoConfirmed, Attended, Participated, Blocked, Un-registered): A applied, E equal_step, S stale,
/// N backward_not_allowed, O backward_older.
@Suite("Transition table")
struct TransitionTableTests {
    static let newer: [ChannelStatus?: String] = [
        nil: "AAAAAAAAA",
        .created: "EAAAAAAAA",
        .invited: "NEAAAAAAA",
        .registered: "NNEAAAAAA",
        .confirmed: "NNNEEAAAA",
        .autoConfirmed: "NNNEEAAAA",
        .attended: "NNNNNEAAA",
        .participated: "NNNNNNEAA",
        .blocked: "NNNNNNNEA",
        .unregistered: "NNAAANNNE",
    ]

    static let older: [ChannelStatus?: String] = [
        nil: "AAAAAAAAA",
        .created: "EAAAAAAAA",
        .invited: "SEAAAAAAA",
        .registered: "SSEAAAAAA",
        .confirmed: "SSSEEAAAA",
        .autoConfirmed: "SSSEEAAAA",
        .attended: "SSSSSEAAA",
        .participated: "SSSSSSEAA",
        .blocked: "SSSSSSSEA",
        .unregistered: "SSOOOSSSE",
    ]

    static let currents: [ChannelStatus?] = [nil] + ChannelStatus.allCases.map(Optional.some)

    static func reason(_ letter: Character) -> TransitionRejection.Reason? {
        switch letter {
        case "E": .equalStep
        case "S": .stale
        case "N": .backwardNotAllowed
        case "O": .backwardOlder
        default: nil
        }
    }

    func check(current: ChannelStatus?, table: [ChannelStatus?: String], offset: Int64) throws {
        let row = Array(try #require(table[current]))
        for (incoming, letter) in zip(ChannelStatus.allCases, row) {
            var state = Fixtures.state(at: current)
            let before = state
            let event = Fixtures.attendee(incoming, id: "incoming", at: offset)
            let outcome = LeadFold.apply(event, to: &state, rules: Fixtures.rules, now: Fixtures.t0)
            let context = Comment(rawValue: "\(current?.name ?? "none") -> \(incoming.name)")
            if let reason = Self.reason(letter) {
                #expect(outcome.applied.isEmpty, context)
                #expect(outcome.rejections.map(\.reason) == [reason], context)
                #expect(outcome.commands.isEmpty, context)
                #expect(state.memberships == before.memberships, context)
                #expect(state.history.last?.outcome == .rejected(reason), "rejections are kept in the history")
            } else {
                #expect(outcome.rejections.isEmpty, context)
                #expect(outcome.applied.map(\.to) == [incoming], context)
                #expect(outcome.applied.first?.from == current, context)
                #expect(state.membership(for: Fixtures.event)?.status == incoming, context)
                #expect(outcome.commands.map(\.destination) == [.marketo, .salesforce], context)
                #expect(state.history.last?.outcome == .applied, context)
            }
            #expect(outcome.stateChanged, context)
        }
    }

    @Test("incoming newer than the current status", arguments: currents)
    func newer(current: ChannelStatus?) throws {
        try check(current: current, table: Self.newer, offset: 60_000)
    }

    @Test("incoming older than the current status", arguments: currents)
    func older(current: ChannelStatus?) throws {
        try check(current: current, table: Self.older, offset: -60_000)
    }

    @Test("decide matches the table without folding")
    func decideMatches() throws {
        for current in Self.currents {
            let row = Array(try #require(Self.newer[current]))
            let membership = current.map {
                Membership(virtualEventId: Fixtures.event, status: $0, occurredAt: Fixtures.t0, eventId: "set")
            }
            for (incoming, letter) in zip(ChannelStatus.allCases, row) {
                let decision = LeadFold.decide(
                    current: membership,
                    incoming: incoming,
                    occurredAt: Fixtures.t0.adding(milliseconds: 1),
                    rules: Fixtures.rules
                )
                #expect(decision == (Self.reason(letter).map { .reject($0) } ?? .apply))
            }
        }
    }
}
